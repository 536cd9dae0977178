"""Scoring component `evidence`: the share of quotes found where the rationale says they are; with no
quote, 0 if the rubric requires evidence, else 1. A quote in neither response is fabricated (critical)."""

from __future__ import annotations

from ..models import Finding, Severity
from .context import CheckContext, ComponentResult, ItemContext, finding
from .quotes import MIN_QUOTE_WORDS, Quote, _contains_fragments
from .text import _TRIM, _shorten, normalise


def check_quote(quote: Quote, item: ItemContext) -> Finding | None:
    """None when the quote is where the rationale says it is (or in the prompt)."""
    text = normalise(quote.text).strip(_TRIM)
    if not text:
        return None
    in_a = _contains_fragments(item.response_a, text)
    in_b = _contains_fragments(item.response_b, text)
    shown = _shorten(quote.text)
    if quote.side is not None:
        if (in_a if quote.side == "A" else in_b):
            return None
        other = "B" if quote.side == "A" else "A"
        if in_a or in_b:
            return finding(
                "misattributed_quote",
                Severity.major,
                f'You quoted "{shown}" as Response {quote.side}, but it is not in Response {quote.side}'
                f" (it is in Response {other}).",
                span=quote.text,
            )
        if _contains_fragments(item.prompt, text):
            return None
        return finding(
            "fabricated_quote",
            Severity.critical,
            f'You quoted "{shown}" as Response {quote.side}, but it is in neither response.',
            span=quote.text,
        )
    if in_a or in_b or _contains_fragments(item.prompt, text):
        return None
    return finding(
        "fabricated_quote",
        Severity.critical,
        f'You quoted "{shown}", but it is in neither response nor the prompt.',
        span=quote.text,
    )


def score_evidence(ctx: CheckContext) -> ComponentResult:
    """Share of quotes verified in the response they are attributed to.

    No rationale earns 0. No quotes earns 0 with ``no_evidence_quoted`` when
    the rubric requires quoted evidence, and 1 otherwise.
    """
    if ctx.rationale is None:
        return ComponentResult(0.0, details={"quotes": 0})
    quotes = ctx.rationale.quotes
    if not quotes:
        if ctx.rubric.rubric.rationale.must_quote_evidence:
            return ComponentResult(
                0.0,
                [
                    finding(
                        "no_evidence_quoted",
                        Severity.major,
                        "You quoted no evidence from the responses: quote the words"
                        f" ({MIN_QUOTE_WORDS} or more) that support your choice.",
                    )
                ],
                {"quotes": 0},
            )
        return ComponentResult(1.0, details={"quotes": 0})
    findings = [f for f in (check_quote(q, ctx.item) for q in quotes) if f is not None]
    return ComponentResult((len(quotes) - len(findings)) / len(quotes), findings, {"quotes": len(quotes)})
