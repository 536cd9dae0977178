"""Rationale lint: small checks of how a rationale argues, each registered with `@lint_check`.

A lint check is a plain ``CheckContext -> list[Finding]`` function. Adding
one = one decorated function here plus its tests in ``tests/test_checks.py``;
the `rationale_quality` component runs every registered check, in the order
they are defined, and charges :data:`~rationale.grading.rationale_quality.LINT_PENALTY`
per finding.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..models import Finding, Severity
from .context import LENGTH, VAGUE, CheckContext, finding
from .injection import detect_injection
from .quotes import RationaleText, _word_before, _words_before
from .text import _shorten

LintCheck = Callable[[CheckContext], list[Finding]]

LINT_CHECKS: list[LintCheck] = []
"""Every registered lint check, in definition order (which is the order of their findings)."""


def lint_check(check: LintCheck) -> LintCheck:
    """Register a lint check for the rationale_quality component."""
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
            f"Your rationale has {rationale.words} words; write at least {minimum} so a reader can check your reasoning.",
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
    """A vague phrase in a sentence with nothing specific (no quote, number or key-point cue)."""
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
        if _NUMBER.search(rationale.masked, start, end) or any(start <= q[0] < end for q in rationale.quote_spans):
            continue
        if ctx.key_point_between(start, end):
            continue
        findings.append(
            finding(
                "vague_phrase",
                Severity.minor,
                f'You wrote "{rationale.text[phrase_start:phrase_end]}" without anything specific;'
                " quote or name what makes it so.",
                span=rationale.text[start:end].strip(),
            )
        )
    return findings


# Comparative cues, read right after a mention of a response ("A is clearer",
# "B's answer is wrong", "A fails") or right before one ("I prefer B"), on
# the lower-cased text with quotes blanked.
_LENGTH_WORDS = r"detailed|verbose|thorough|comprehensive|wordy|extensive|lengthy|elaborate|in-depth|complete"
_BAD_WORDS = r"verbose|wordy|confusing|harmful|risky|misleading|ambiguous|vague|biased|dangerous|redundant|repetitive|hedged"
_INTENSIFIER = r"(?:(?:much|far|clearly|significantly|slightly|a\s+bit|somewhat|definitely|way|a\s+lot|obviously)\s+)?"
_PREDICATE_AFTER = re.compile(
    r"(?:['’]s\s+\w+)?\s+(?:is|was|seems|looks|feels|reads|sounds)\s+(?P<neg>not\s+)?"
    + _INTENSIFIER
    + r"(?:(?P<good>better|superior|stronger|preferable|clearer|safer|correct|accurate|right|the\s+better"
    + r"|the\s+best|best|less\s+(?:" + _BAD_WORDS + r")|more\s+(?!(?:" + _LENGTH_WORDS + r")\b)\w+)"
    + r"|(?P<bad>worse|weaker|inferior|wrong|incorrect|inaccurate|misleading|harmful|unsafe|unhelpful"
    + r"|less\s+\w+|more\s+(?:" + _BAD_WORDS + r")))\b"
    + r"|\s+(?:(?:clearly|also|simply|just)\s+)?(?:(?P<wins>wins|won|outperforms|beats|does\s+better|did\s+better)"
    + r"|(?P<fails>fails|failed|loses|lost|errs|does\s+worse|did\s+worse|gets\s+it\s+wrong|got\s+it\s+wrong))\b"
)
_PREFER_WORDS = frozenset(
    "prefer preferred prefers choose chose pick picked favor favour favored favoured recommend".split()
)


def _preference_before(lower: str, position: int) -> tuple[int, bool] | None:
    """(start, negated) of "prefer"/"chose"/"go with"... right before ``position``, or None.

    A "not", "never" or "...n't" one or two words before the verb negates it
    ("I would not prefer A", "I don't really prefer A").
    """
    last = _word_before(lower, position)
    if last is None or (last[1] not in _PREFER_WORDS and last[1] != "with"):
        return None
    words = _words_before(lower, position, 5)
    if words[-1][1] in _PREFER_WORDS:
        verb = len(words) - 1
    elif words[-1][1] == "with" and len(words) > 1 and words[-2][1] in ("go", "went"):
        verb = len(words) - 2
    else:
        return None
    for index in (verb - 1, verb - 2):
        if index >= 0:
            word = words[index][1]
            if word in ("not", "never") or word.endswith(("n't", "n’t")):
                return words[index][0], True
    return words[verb][0], False


_CONCESSIVE = re.compile(r"\b(?:although|though|while|whereas|despite|even\s+if|granted)\b")
_CLAUSE_BREAK = re.compile(r"[,;:]")


def _concedes(rationale: RationaleText, position: int) -> bool:
    """True inside a concessive clause ("Although A is clearer, ..."): it concedes, it does not argue."""
    sentence_start, _ = rationale.sentence_span(position)
    lead_in = rationale.masked_lower[sentence_start:position]
    breaks = [b.end() for b in _CLAUSE_BREAK.finditer(lead_in)]
    return _CONCESSIVE.search(lead_in, breaks[-1] if breaks else 0) is not None


def comparative_cues(rationale: RationaleText) -> list[tuple[str, str]]:
    """(side favoured, cue text) for each comparative cue outside concessive clauses, in order."""
    found: list[tuple[str, str]] = []
    lower = rationale.masked_lower
    for mention in rationale.mentions:
        other = "B" if mention.side == "A" else "A"
        prefer = _preference_before(lower, mention.start)
        if prefer is not None and not _concedes(rationale, prefer[0]):
            favoured = other if prefer[1] else mention.side
            found.append((favoured, rationale.text[prefer[0] : mention.end]))
        predicate = _PREDICATE_AFTER.match(lower, mention.end)
        if predicate is not None and not _concedes(rationale, mention.start):
            favours = bool(predicate.group("good") or predicate.group("wins"))
            if predicate.group("neg"):
                favours = not favours
            found.append((mention.side if favours else other, rationale.text[mention.start : predicate.end()]))
    return found


@lint_check
def check_contradicts_choice(ctx: CheckContext) -> list[Finding]:
    """The comparative cues, on balance, argue for the response not chosen (ties are not checked)."""
    chosen = ctx.judgment.preference
    if ctx.rationale is None or chosen == "tie":
        return []
    cues = comparative_cues(ctx.rationale)
    net = sum(1 if side == chosen else -1 for side, _ in cues)
    if net >= 0:
        return []
    other = "B" if chosen == "A" else "A"
    first = next(cue for side, cue in cues if side == other)
    return [
        finding(
            "contradicts_choice",
            Severity.major,
            f'You chose Response {chosen}, but your rationale argues for Response {other} ("{_shorten(first)}").',
            span=first,
        )
    ]


@lint_check
def check_length_only(ctx: CheckContext) -> list[Finding]:
    """The rationale rests on length alone: a length cue, no other criterion cue, no quote."""
    rationale = ctx.rationale
    if rationale is None or rationale.quotes:
        return []
    lengths = [(start, end) for _, start, end in ctx.hits(LENGTH)]
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
            f'Your rationale gives instructions to whoever grades it ("{_shorten(hits[0].span)}"): write for a'
            " human reader; such instructions are never followed and this answer cannot pass.",
            span=hits[0].span,
        )
    ]
