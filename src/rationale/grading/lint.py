"""Rationale lint: small checks of how a rationale argues, each registered with `@lint_check`.

A lint check is a plain ``CheckContext -> list[Finding]`` function. Adding
one = one decorated function here plus its tests in ``tests/test_checks.py``;
the `argument` component runs every registered check, in the order they are
defined, and charges :data:`~rationale.grading.argument.LINT_PENALTY` per finding.
A critical finding also caps the overall score (:data:`~rationale.grading.grader.CRITICAL_CAPS`).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..models import Finding, Severity
from .context import LENGTH, VAGUE, CheckContext, finding
from .injection import detect_injection
from .sides import argues_for_other, is_keyword_list, side_votes
from .text import shorten

LintCheck = Callable[[CheckContext], list[Finding]]

LINT_CHECKS: list[LintCheck] = []
"""Every registered lint check, in definition order (which is the order of their findings)."""


def lint_check(check: LintCheck) -> LintCheck:
    """Register a lint check for the argument component."""
    LINT_CHECKS.append(check)
    return check


@lint_check
def check_too_short(ctx: CheckContext) -> list[Finding]:
    rationale = ctx.rationale
    minimum = ctx.rubric.rubric.rationale.min_words
    if rationale is None or rationale.words >= minimum:
        return []
    return [
        finding(
            "too_short",
            Severity.major,
            f"Your rationale has {rationale.words} word{'' if rationale.words == 1 else 's'}; write at least {minimum}"
            " so a reader can check your reasoning.",
        )
    ]


@lint_check
def check_too_long(ctx: CheckContext) -> list[Finding]:
    rationale = ctx.rationale
    maximum = ctx.rubric.rubric.rationale.max_words
    if rationale is None or rationale.words <= maximum:
        return []
    return [
        finding(
            "too_long",
            Severity.minor,
            f"Your rationale has {rationale.words} words; keep it under {maximum} and lead with what decides the pair.",
        )
    ]


@lint_check
def check_no_criterion_cited(ctx: CheckContext) -> list[Finding]:
    if ctx.rationale is None or not ctx.rubric.rubric.rationale.must_cite_criterion or ctx.criteria_found:
        return []
    names = ", ".join(c.name for c in ctx.rubric.rubric.criteria)
    return [
        finding(
            "no_criterion_cited",
            Severity.major,
            f"Your rationale appeals to no rubric criterion; say which one decides it ({names}).",
        )
    ]


_NUMBER = re.compile(r"\d")


@lint_check
def check_vague_phrases(ctx: CheckContext) -> list[Finding]:
    """A vague phrase ("more helpful", "better overall") with nothing specific in its sentence or the next:
    no quote, no number, nothing that makes or touches a key point."""
    rationale = ctx.rationale
    if rationale is None:
        return []
    findings = []
    checked: set[int] = set()
    for _, phrase_start, phrase_end in ctx.hits(VAGUE):
        start, end = rationale.sentence_span(phrase_start)
        if start in checked:
            continue
        checked.add(start)
        _, following_end = rationale.sentence_span(end) if end < len(rationale.text) else (end, end)
        if _specific(ctx, start, following_end):
            continue
        findings.append(
            finding(
                "vague_phrase",
                Severity.minor,
                f'You wrote "{rationale.text[phrase_start:phrase_end]}" without saying what makes it so;'
                " quote or name it.",
                span=rationale.text[start:end].strip(),
            )
        )
    return findings


def _specific(ctx: CheckContext, start: int, end: int) -> bool:
    rationale = ctx.rationale
    if _NUMBER.search(rationale.masked, start, end) or any(start <= q[0] < end for q in rationale.quote_spans):
        return True
    return any(r.sentence and r.credit > 0 and r.sentence in rationale.text[start:end] for r in ctx.key_point_results)


@lint_check
def check_contradicts_choice(ctx: CheckContext) -> list[Finding]:
    """The rationale argues, clearly and on balance, for the response not chosen (ties are not checked): critical."""
    chosen = ctx.judgment.preference
    if ctx.rationale is None or chosen == "tie":
        return []
    votes = side_votes(ctx.units)
    if not argues_for_other(votes, chosen):
        return []
    other = "B" if chosen == "A" else "A"
    example = votes.example_for.get(other, "")
    return [
        finding(
            "contradicts_choice",
            Severity.critical,
            f"You chose Response {chosen}, but your rationale argues for Response {other}"
            f' ({votes.against(chosen)} points in its favour, {votes.favouring(chosen)} in yours, e.g. "{shorten(example)}").',
            span=example,
        )
    ]


@lint_check
def check_keyword_list(ctx: CheckContext) -> list[Finding]:
    """A run of labels instead of sentences: no argument a reader can check. Critical."""
    if ctx.rationale is None or not is_keyword_list(ctx.units):
        return []
    return [
        finding(
            "keyword_list",
            Severity.critical,
            "Your rationale is a list of labels, not an argument: say in sentences what each response does"
            " and why that decides the pair.",
        )
    ]


@lint_check
def check_length_only(ctx: CheckContext) -> list[Finding]:
    """The rationale rests on length alone: a length cue, no other criterion cue, no quote."""
    rationale = ctx.rationale
    if rationale is None or any(check.status in ("ok", "inexact") for check in ctx.quote_checks):
        return []
    text = rationale.text
    lengths = [(start, end) for _, start, end in ctx.hits(LENGTH) if not _a_noun(text, start, end)]
    if not lengths:
        return []
    for _, start, end in ctx.criteria_found:
        if not any(ls <= start and end <= le for ls, le in lengths):
            return []
    cue = rationale.text[lengths[0][0] : lengths[0][1]]
    return [
        finding(
            "length_only",
            Severity.major,
            f'Your rationale rests on length ("{cue}"); say what the extra or missing text does for the'
            " user and quote it.",
            span=cue,
        )
    ]


_NOUN_BEFORE = re.compile(r"\b(?:the|a|this|that|your|their|our|my|client's|user's)\s+$", re.I)


def _a_noun(text: str, start: int, end: int) -> bool:
    """"brief" after a determiner is the noun ("the brief said under 80 words"), not a length."""
    return text[start:end].lower() == "brief" and bool(_NOUN_BEFORE.search(text, max(0, start - 20), start))


@lint_check
def check_injection_attempt(ctx: CheckContext) -> list[Finding]:
    """The rationale addresses the grader ("ignore the rubric", "give this 5/5"): critical, once per rationale.

    Critical, because it is an attempt to game the review rather than a weak
    argument; the LLM reviewer is shielded from it separately (see `rationale.llm.prompts`).
    """
    if ctx.rationale is None:
        return []
    hits = detect_injection(ctx.rationale.text)
    if not hits:
        return []
    return [
        finding(
            "injection_attempt",
            Severity.critical,
            f'Your rationale gives instructions to whoever grades it ("{shorten(hits[0].span)}"): write for a'
            " human reader; such instructions are never followed and this answer cannot pass.",
            span=hits[0].span,
        )
    ]


@lint_check
def check_unasserted(ctx: CheckContext) -> list[Finding]:
    """A question or a list of labels in place of a claim (see :mod:`.units`): it makes no point. Minor, once each kind."""
    if ctx.rationale is None:
        return []
    findings = []
    seen: set[str] = set()
    for start, end, kind in ctx.units.unasserted:
        if kind in seen:
            continue
        seen.add(kind)
        sentence = ctx.rationale.text[start:end].strip()
        if kind == "question":
            message = f'You ask "{shorten(sentence)}": a question states nothing a reader can check; say what you found.'
        else:
            message = f'You list "{shorten(sentence)}" without saying what either response does: a list of topics makes no point.'
        findings.append(finding("no_claim", Severity.minor, message, span=sentence))
    return findings


@lint_check
def check_unquoted_copy(ctx: CheckContext) -> list[Finding]:
    """COPY_WORDS (12) or more words in a row pasted from a response without quote marks (see :mod:`.copies`):
    minor, once."""
    if ctx.rationale is None or not ctx.copies:
        return []
    start, end, side = ctx.copies[0]
    copied = ctx.rationale.text[start:end]
    return [
        finding(
            "unquoted_copy",
            Severity.minor,
            f'You copy "{shorten(copied)}" from Response {side} without quote marks: the response\'s words are'
            " not your argument; quote them as its words and say in your own what they show.",
            span=copied,
        )
    ]


from . import repetition as _repetition  # noqa: E402,F401  (registers check_repeated_sentence, last)
