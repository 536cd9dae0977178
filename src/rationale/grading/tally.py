"""The grade report's running tally: totals for the summary, and the compact per-judgment result.

The tally's memory is flat in the number of judgments. The per-judgment
result the report prints (text and `--json` both give per-item feedback) is
a tuple holding the answer, the gold answer, the score, the key points and
the findings (code, severity, message, span), with identical findings shared
between judgments; past the first few thousand they wait on disk
(:mod:`.results`). The full grade (components, key points made, criteria
precision/recall) is in the database: `grades`, `findings` and the
`feedback` view.
"""

from __future__ import annotations

from collections import Counter
from operator import itemgetter
from typing import Any

from ..models import (
    CriterionWeakness,
    FindingBrief,
    GoldAnswer,
    Grade,
    GradingSummary,
    Judgment,
    JudgmentResult,
    MissedKeyPoint,
    Rubric,
    Severity,
)

# Severity is a str Enum, so this maps both the enum and its plain text to the text.
SEVERITY_TEXT: dict[str, str] = {s: s.value for s in Severity}
TOP = 5

_code = itemgetter(0)  # FindingBrief.code


class Tally:
    """Running totals for the summary, so nothing per-judgment is needed to compute it."""

    def __init__(self, rubric: Rubric) -> None:
        self.rubric = rubric
        self.n = 0
        self.correct = 0
        self.passed = 0
        self.score_sum = 0.0
        self.verdict_sum = 0.0
        self.reasoning_sum = 0.0
        self.missed_criteria: Counter[str] = Counter()
        self.irrelevant_criteria: Counter[str] = Counter()
        self.missed_key_points: Counter[tuple[str, str]] = Counter()
        self.codes: Counter[str] = Counter()

    def add(self, result: JudgmentResult, criteria: list[str], gold: GoldAnswer) -> None:
        """Count one graded judgment: its report result and the criteria it cited."""
        self.n += 1
        self.correct += result.preference_correct
        self.passed += result.passed
        self.score_sum += result.score
        self.verdict_sum += result.verdict_score or 0.0
        self.reasoning_sum += result.reasoning_score or 0.0
        decisive = gold.decisive_criteria
        for criterion in decisive:
            if criterion not in criteria:
                self.missed_criteria[criterion] += 1
        for criterion in criteria:
            if criterion not in decisive:
                self.irrelevant_criteria[criterion] += 1
        for kp in result.key_points_missed:
            self.missed_key_points[(gold.item_id, kp)] += 1
        self.codes.update(map(_code, result.findings))  # counted in C, not `codes[f.code] += 1` a finding at a time

    def summary(self, gold: dict[str, GoldAnswer]) -> GradingSummary:
        names = {c.id: c.name for c in self.rubric.criteria}
        weak = [
            CriterionWeakness(
                criterion=cid, name=names.get(cid, cid), missed=self.missed_criteria[cid],
                irrelevant=self.irrelevant_criteria[cid],
            )
            for cid in set(self.missed_criteria) | set(self.irrelevant_criteria)
        ]
        weak.sort(key=lambda w: (-w.total, -w.missed, w.criterion))
        points = []
        for (item_id, kp_id), count in self.missed_key_points.items():
            text = next((kp.text for kp in gold[item_id].key_points if kp.id == kp_id), kp_id)
            points.append(MissedKeyPoint(item_id=item_id, key_point=kp_id, text=text, missed=count))
        points.sort(key=lambda p: (-p.missed, p.item_id, p.key_point))
        return GradingSummary(
            n=self.n,
            preference_correct=self.correct,
            accuracy=self.correct / self.n if self.n else None,
            mean_score=round(self.score_sum / self.n, 2) if self.n else None,
            mean_verdict=round(self.verdict_sum / self.n, 2) if self.n else None,
            mean_reasoning=round(self.reasoning_sum / self.n, 2) if self.n else None,
            passed=self.passed,
            pass_rate=self.passed / self.n if self.n else None,
            weakest_criteria=weak[:TOP],
            most_missed_key_points=points[:TOP],
            finding_counts=dict(sorted(self.codes.items(), key=lambda kv: (-kv[1], kv[0]))),
        )


def judgment_result(path: str, line: int, judgment: Judgment, gold: GoldAnswer, grade: Grade, shared: dict[Any, Any]) -> JudgmentResult:
    # The same finding (code, message, span) recurs across thousands of judgments: keep one copy of each.
    s = shared.setdefault
    findings = []
    for f in grade.findings:
        brief = FindingBrief(f.code, SEVERITY_TEXT[f.severity], f.message, f.span, f.criterion, f.key_point)
        findings.append(s(brief, brief))
    missed = tuple(grade.key_points_missed)
    return JudgmentResult(
        path,
        line,
        gold.item_id,
        s(judgment.annotator, judgment.annotator),
        judgment.preference,
        judgment.strength,
        gold.preference,
        gold.strength,
        grade.score,
        grade.passed,
        grade.preference_correct,
        grade.strength_distance,
        s(missed, missed),
        tuple(findings),
        grade.judgment_hash,
        grade.verdict_score,
        grade.reasoning_score,
        tuple(s(t, t) for t in ((k.key_point, k.status, k.credit, k.sentence) for k in grade.key_points)),
    )
