"""Each annotator's escalations against the gold's edge cases, and their confidence against how often they are right.

**Escalation**: on the items with gold, the flags an annotator raised set against the
items the gold marks as edge cases: hits (an edge case flagged), misses (an edge case
answered without a flag) and false alarms (a clear item flagged), and the flag rate
with its Wilson interval against the gold's edge-case rate on the same items.

**Confidence calibration**: a confidence level stands for a probability of being right
(:data:`STATED`: 1 "a guess" between two responses is 50%, 5 "certain" is 100%). Per
level, the accuracy with its Wilson interval; over all answers, the Brier score (mean
of (stated - right)², 0 is perfect) and the expected calibration error (|accuracy -
stated| per level, weighted by the level's share of the answers). The verdict is
over-confident when the Wilson interval of the overall accuracy lies below the mean
stated probability, under-confident when it lies above, and "not enough evidence" under
:data:`MIN_CONFIDENCE_ANSWERS` answers.
"""

from __future__ import annotations

from collections import Counter

from .. import agreement as ag
from ..models import CONFIDENCE_STATED, FLAGS, ConfidenceCalibration, ConfidenceLevel, EscalationResult, GoldAnswer, Grade, Judgment
from .gold import rate_of

STATED = CONFIDENCE_STATED
MIN_CONFIDENCE_ANSWERS = 10


def escalation_result(
    votes: dict[str, Judgment], grades: dict[str, Grade], gold: dict[str, GoldAnswer]
) -> EscalationResult | None:
    """Flags against edge cases on the graded items; None when the gold marks none and the annotator flagged none."""
    graded = [i for i in votes if i in gold and i in grades]
    edge = [i for i in graded if gold[i].edge_case is not None]
    flagged = [i for i in graded if votes[i].flags]
    if not edge and not flagged:
        return None
    outcomes = Counter(grades[i].escalation for i in graded)
    clear = len(graded) - len(edge)
    used = Counter(flag for i in flagged for flag in votes[i].flags)
    return EscalationResult(
        items=len(graded),
        edge_cases=len(edge),
        flagged=len(flagged),
        hits=outcomes["hit"],
        misses=outcomes["miss"],
        false_alarms=outcomes["false_alarm"],
        rate=rate_of(len(flagged), len(graded), len(edge), len(graded)),
        hit_rate=outcomes["hit"] / len(edge) if edge else None,
        false_alarm_rate=outcomes["false_alarm"] / clear if clear else None,
        flags={flag: used[flag] for flag in FLAGS if used[flag]},
    )


def confidence_calibration(answers: list[tuple[int, bool]]) -> ConfidenceCalibration | None:
    """From (confidence, right) per answer; None without any."""
    if not answers:
        return None
    levels = []
    for level, stated in STATED.items():
        right = [ok for c, ok in answers if c == level]
        low, high = ag.wilson_interval(sum(right), len(right)) if right else (None, None)
        levels.append(
            ConfidenceLevel(
                level=level, stated=stated, n=len(right), correct=sum(right),
                accuracy=sum(right) / len(right) if right else None, low=low, high=high,
            )
        )
    n = len(answers)
    correct = sum(ok for _, ok in answers)
    mean_stated = sum(STATED[c] for c, _ in answers) / n
    brier = sum((STATED[c] - ok) ** 2 for c, ok in answers) / n
    ece = sum(lv.n / n * abs(lv.accuracy - lv.stated) for lv in levels if lv.accuracy is not None)
    low, high = ag.wilson_interval(correct, n)
    if n < MIN_CONFIDENCE_ANSWERS:
        verdict = "not enough evidence"
    elif high < mean_stated:
        verdict = "over-confident"
    elif low > mean_stated:
        verdict = "under-confident"
    else:
        verdict = "calibrated"
    return ConfidenceCalibration(
        n=n, levels=levels, mean_stated=mean_stated, accuracy=correct / n, brier=brier, ece=ece, verdict=verdict  # type: ignore[arg-type]
    )


def confidence_answers(votes: dict[str, Judgment], grades: dict[str, Grade]) -> list[tuple[int, bool]]:
    """(confidence, preference accepted) of every graded answer that states a confidence."""
    return [
        (votes[i].confidence, grades[i].preference_correct)
        for i in sorted(votes)
        if i in grades and votes[i].confidence is not None
    ]


def escalation_flags(result) -> list[str]:  # type: ignore[no-untyped-def]
    """Bias lines for the report: over-escalation, missed edge cases, over- or under-confidence."""
    lines = []
    esc = result.escalation
    if esc is not None and esc.rate.flagged and esc.rate.rate is not None and esc.rate.gold_rate is not None:
        direction = "over-escalates" if esc.rate.rate > esc.rate.gold_rate else "under-escalates"
        lines.append(
            f"escalation: {direction}, flags {esc.rate.rate:.0%} of items, gold marks {esc.rate.gold_rate:.0%} as edge cases"
            f" ({esc.hits} hit, {esc.misses} missed, {esc.false_alarms} false alarm)"
        )
    conf = result.confidence
    if conf is not None and conf.verdict in ("over-confident", "under-confident"):
        lines.append(
            f"confidence: {conf.verdict}, states {conf.mean_stated:.0%} on average, right {conf.accuracy:.0%}"
            f" (ECE {conf.ece:.2f}, Brier {conf.brier:.2f})"
        )
    return lines
