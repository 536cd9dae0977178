"""Scoring component `escalation`: did the trainee escalate the pairs the lead marks as edge cases, and only those?

Gold marks an item that should be escalated with ``edge_case`` (the flags that fit,
and what a good escalation says). A judgment escalates with ``flags`` and a
``flag_note``. Four outcomes:

* **hit** (an edge case, flagged): credit :data:`FLAGGED` for the flag, plus up to
  :data:`NOTE` for a note that says what the lead's reason says (matched by meaning,
  as key points are); an ``escalated_edge_case`` finding tells the trainee so.
* **miss** (an edge case, not flagged): credit 0 and a major ``missed_escalation``;
  the answer cannot pass (the grader holds it back).
* **false alarm** (a clear item, flagged): credit 0 and a minor ``over_escalated``.
  Reporting harmful content on a gold answer marked ``safety_critical`` is not an
  over-escalation.
* neither: the component is skipped.

The component only ever adds a share of the score (:data:`~rationale.models.grading.ESCALATION_WEIGHT`, taken from the
others in proportion): it never changes the verdict or the reasoning grade, so a
flag cannot excuse a wrong choice or a missing rationale.
"""

from __future__ import annotations

from functools import lru_cache

from ..models import Severity
from .context import CheckContext, ComponentResult, finding
from .text import shorten

FLAGGED = 0.5
NOTE = 0.5
NOTE_MADE = 0.45
NOTE_PARTIAL = 0.28
"""Alignment recall of the lead's reason in the trainee's note that counts as said / partly said (as key points)."""
FLAG_NAMES = {
    "edge_case": "an edge case",
    "guideline_unclear": "the guideline is unclear",
    "needs_expert": "needs an expert",
    "harmful_content": "harmful content",
    "cannot_judge": "cannot judge",
}

HIT, MISS, FALSE_ALARM = "hit", "miss", "false_alarm"


@lru_cache(maxsize=4096)
def note_recall(reason: str, note: str) -> float:
    """How much of the lead's reason the trainee's note carries (alignment recall, 0..1)."""
    from .lexicon import Tokens
    from .semantic import Passage, Target, recall

    passage = Passage(Tokens(note))
    if not passage.words:
        return 0.0
    return float(recall([Target.compile(reason)], passage, [(0, len(passage.words))])[0][0, 0])


def _named(flags) -> str:
    return ", ".join(f"{flag} ({FLAG_NAMES[flag]})" for flag in flags)


def escalation_outcome(ctx: CheckContext) -> str | None:
    """hit, miss, false_alarm, or None (a clear item answered without a flag)."""
    gold = ctx.gold.gold
    flags = ctx.judgment.flags
    if gold.edge_case is not None:
        return HIT if flags else MISS
    if gold.safety_critical:
        flags = [f for f in flags if f != "harmful_content"]
    return FALSE_ALARM if flags else None


def score_escalation(ctx: CheckContext) -> ComponentResult:
    outcome = escalation_outcome(ctx)
    if outcome is None:
        return ComponentResult(None, details={"outcome": None})
    gold, judgment = ctx.gold.gold, ctx.judgment
    if outcome == FALSE_ALARM:
        message = (
            f"You flagged this pair ({_named(judgment.flags)}), but the lead finds it clear under the guideline:"
            " answer clear pairs and escalate only what the guideline cannot decide."
        )
        return ComponentResult(0.0, [finding("over_escalated", Severity.minor, message)], {"outcome": outcome})
    edge = gold.edge_case
    assert edge is not None
    if outcome == MISS:
        message = f"The lead marks this pair as one to escalate, and you did not flag it: {edge.reason}"
        return ComponentResult(0.0, [finding("missed_escalation", Severity.major, message)], {"outcome": outcome})
    said = note_recall(edge.reason, judgment.flag_note) if judgment.flag_note else 0.0
    note_credit = 1.0 if said >= NOTE_MADE else 0.5 if said >= NOTE_PARTIAL else 0.0
    findings = []
    wrong_kind = bool(edge.flags) and not set(judgment.flags) & set(edge.flags)
    if note_credit == 1.0:
        message = f'You escalated this pair, as the lead does, and your note says why: "{shorten(judgment.flag_note or "", 100)}".'
    elif note_credit:
        message = f"You escalated this pair, as the lead does; your note makes part of the lead's reason: {edge.reason}"
    elif judgment.flag_note:
        message = f"You escalated this pair, as the lead does; your note does not say what the lead sees in it: {edge.reason}"
    else:
        message = f"You escalated this pair, as the lead does; add a note that says why: {edge.reason}"
    findings.append(finding("escalated_edge_case", Severity.info if note_credit == 1.0 else Severity.minor, message))
    if wrong_kind:
        findings.append(
            finding(
                "escalation_flag_differs",
                Severity.info,
                f"You flagged it {_named(judgment.flags)}; the lead's flag for it is {_named(edge.flags)}.",
            )
        )
    return ComponentResult(FLAGGED + NOTE * note_credit, findings, {"outcome": outcome, "note_recall": round(said, 3)})
