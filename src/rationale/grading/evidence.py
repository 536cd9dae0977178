"""Scoring component `evidence`: is each quote really in the response the rationale says it is from?

Texts are compared case-insensitively with markdown (``*``, ``_``, backticks),
curly quotes and runs of whitespace evened out. For each quote (see
:mod:`.quotes` for what is attributed):

* attributed and in that response, or unattributed and anywhere in the pair or
  the prompt: ``ok``;
* attributed but in the other response, or only in the prompt: ``misattributed``
  (major, and the answer cannot pass: the evidence is pinned on the wrong text);
* found nowhere, but within a word of a passage (a word dropped or changed, no
  number changed): ``inexact`` (minor), with the passage it should have been;
* close to a passage but with a number changed, or further off: ``altered``;
  nowhere near: ``fabricated`` (both critical: evidence that is not in the response).

Short quotes (fewer than three words) and code spans are only checked when
attributed; unattributed they are terms, names or the trainee's own code.

Credit: the mean over the checked quotes of 1 (verified), 0.75 (inexact) or 0 (bad).
With nothing verified, 0 when the rubric requires quoted evidence (and a
``no_evidence_quoted`` finding), else 1. No rationale earns 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from ..models import Finding, Severity
from .context import CheckContext, ComponentResult, ItemContext, finding
from .quotes import MIN_QUOTE_WORDS, Quote, _contains_fragments
from .text import _TRIM, shorten, comparable

INEXACT = 88
"""rapidfuzz partial-ratio (0-100) at or above which a quote is its passage with a word dropped or changed."""
ALTERED = 75
INEXACT_CREDIT = 0.75

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NON_SPACE = re.compile(r"\S+")
_PLACES = ("A", "B", "prompt")


@dataclass(frozen=True, slots=True)
class QuoteCheck:
    quote: Quote
    status: str  # ok | ignored | misattributed | inexact | altered | fabricated
    found_in: str | None = None  # "A", "B" or "prompt": where the text (or the closest passage) is
    closest: str | None = None  # for inexact and altered: the passage as the response writes it


def _closest(comparable_text: str, original: str, quote: str) -> tuple[float, str]:
    """(similarity 0-100, the passage of ``original`` most like the quote, whole words)."""
    from rapidfuzz import fuzz

    found = fuzz.partial_ratio_alignment(quote, comparable_text)
    start, end = found.dest_start, found.dest_end
    while start > 0 and comparable_text[start - 1].isalnum():
        start -= 1
    while end < len(comparable_text) and comparable_text[end].isalnum():
        end += 1
    # A dropped word makes the best window end a word early: reach up to three words on to the quote's last word.
    quote_words = quote.split()
    last = quote_words[-1].strip(_TRIM) if quote_words else ""
    if last and comparable_text[start:end].split()[-1:] != [last]:
        for following in islice(_NON_SPACE.finditer(comparable_text, end), 3):
            if following.group(0).strip(_TRIM) == last:
                end = following.end()
                break
    passage = comparable_text[start:end].strip(_TRIM)
    # Scored on the whole-word passage too: a dropped word shifts partial_ratio's fixed-width window.
    score = max(found.score, fuzz.ratio(quote, passage))
    return score, _as_written(original, passage)


@lru_cache(maxsize=4096)
def _as_written(original: str, passage: str) -> str:
    """The passage with the response's own casing and punctuation, where it can be found."""
    pieces = passage.split()
    if not pieces:
        return passage
    if original.isascii() and passage.isascii():
        span = _search_ascii(original.lower(), [p.lower() for p in pieces])
    else:
        span = _search_regex(original, pieces)
    return original[span[0] : span[1]] if span else passage


def _search_regex(original: str, pieces: list[str]) -> tuple[int, int] | None:
    """(start, end) of the first match of the pieces in order, any run of non-alphanumerics (or none) between
    them, in any case."""
    match = re.search(r"[\W_]*".join(re.escape(p) for p in pieces), original, re.IGNORECASE)
    return match.span() if match else None


def _search_ascii(lowered: str, pieces: list[str]) -> tuple[int, int] | None:
    """(start, end) of what :func:`_search_regex` finds, for lower-cased ASCII text and pieces, without a regex.

    Compiling a pattern per passage cost more than the search; this follows the regex engine's own order
    (leftmost start, each separator as long as it can be, then shorter), so it finds the same span."""
    n = len(lowered)

    def rest(k: int, position: int) -> int | None:
        if k == len(pieces):
            return position
        piece = pieces[k]
        longest = position
        while longest < n and not lowered[longest].isalnum():
            longest += 1
        for at in range(longest, position - 1, -1):
            if lowered.startswith(piece, at):
                end = rest(k + 1, at + len(piece))
                if end is not None:
                    return end
        return None

    first = pieces[0]
    start = lowered.find(first)
    while start >= 0:
        end = rest(1, start + len(first))
        if end is not None:
            return start, end
        start = lowered.find(first, start + 1)
    return None


def check_quote(quote: Quote, item: ItemContext) -> QuoteCheck:
    text = comparable(quote.text).strip(_TRIM)
    where = [p for p in _PLACES if text and _contains_fragments(item.comparable[p], text)]
    if not text or ((len(text.split()) < MIN_QUOTE_WORDS or quote.code) and not quote.attributed):
        return QuoteCheck(quote, "ok" if where else "ignored", where[0] if where else None)
    if quote.attributed:
        if quote.side in where:
            return QuoteCheck(quote, "ok", quote.side)
        if where:
            return QuoteCheck(quote, "misattributed", where[0])
        candidates: tuple[str, ...] = (quote.side,)  # type: ignore[assignment]
    elif where:
        return QuoteCheck(quote, "ok", where[0])
    else:
        candidates = _PLACES
    score, passage, place = max(
        (*_closest(item.comparable[p], item.original[p], text), p) for p in candidates
    )
    if score >= INEXACT and _NUMBER.findall(text) == _NUMBER.findall(comparable(passage)):
        return QuoteCheck(quote, "inexact", place, passage)
    if score >= ALTERED:
        return QuoteCheck(quote, "altered", place, passage)
    return QuoteCheck(quote, "fabricated")


def _where(place: str | None) -> str:
    return "the prompt" if place == "prompt" else f"Response {place}"


def quote_finding(check: QuoteCheck) -> Finding | None:
    quote = check.quote
    shown = shorten(quote.text)
    named = f" as Response {quote.side}" if quote.attributed else ""
    if check.status == "misattributed":
        return finding(
            "misattributed_quote",
            Severity.major,
            f'You quoted "{shown}" as Response {quote.side}, but it is in {_where(check.found_in)}:'
            " evidence pinned on the wrong text cannot carry the argument.",
            span=quote.text,
        )
    if check.status == "inexact":
        return finding(
            "inexact_quote",
            Severity.minor,
            f'Your quote "{shown}" is not word for word; {_where(check.found_in)} says "{shorten(check.closest or "")}".',
            span=quote.text,
        )
    if check.status == "altered":
        return finding(
            "altered_quote",
            Severity.critical,
            f'You quoted "{shown}"{named}, but {_where(check.found_in)} does not say that; its nearest words are'
            f' "{shorten(check.closest or "")}": a quote must be the response\'s exact words.',
            span=quote.text,
        )
    if check.status == "fabricated":
        where = f" as Response {quote.side}, but it is in neither response." if quote.attributed else (
            ", but it is in neither response nor the prompt."
        )
        return finding("fabricated_quote", Severity.critical, f'You quoted "{shown}"{where}', span=quote.text)
    return None


def score_evidence(ctx: CheckContext) -> ComponentResult:
    """Verified quotes over checked ones (see the module docstring)."""
    if ctx.rationale is None:
        return ComponentResult(0.0, details={"quotes": 0, "checks": []})
    checks = ctx.quote_checks
    verified = sum(1.0 if c.status == "ok" else INEXACT_CREDIT if c.status == "inexact" else 0.0 for c in checks)
    bad = sum(c.status in ("misattributed", "altered", "fabricated") for c in checks)
    findings = [f for c in checks if (f := quote_finding(c)) is not None]
    counted = sum(c.status != "ignored" for c in checks)
    if not verified and not bad:
        if ctx.rubric.rubric.rationale.must_quote_evidence:
            findings.append(
                finding(
                    "no_evidence_quoted",
                    Severity.major,
                    "You quoted no evidence from the responses: quote the words that show what you claim,"
                    ' naming the response they are from ("A says ...").',
                )
            )
            return ComponentResult(0.0, findings, {"quotes": counted, "checks": checks})
        return ComponentResult(1.0, findings, {"quotes": counted, "checks": checks})
    checked = sum(c.status in ("ok", "inexact", "misattributed", "altered", "fabricated") for c in checks)
    return ComponentResult(verified / checked, findings, {"quotes": counted, "checks": checks})
