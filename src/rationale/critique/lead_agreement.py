"""The second reviewer against an expert lead: its criterion scores and its reviewed grade beside the lead's score.

On a lead-scored set (judgments each with the score an experienced lead gave
it and whether the lead would accept it; see
:mod:`rationale.grading.agreement_with_lead`), once the judgments are graded and
critiqued into one database, this measures on the judgments the reviewer did
review:

* each criterion's 1-5 score, and their mean weighted by the rubric, against the
  lead's score (Spearman's rho);
* the reviewed grade's score against the lead's (rho, mean absolute difference)
  and its pass/fail against the lead's (agreement with a Wilson interval,
  lenient passes, harsh fails);
* the deterministic grade on the very same judgments, for comparison.

`bench/reviewer_agreement.py` runs it against a model and prints the figures.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import store
from ..agreement import wilson_interval
from ..grading.agreement_with_lead import ScoredCase, spearman
from ..models import Rubric


@dataclass
class GradeVsLead:
    n: int
    spearman: float | None
    pass_agreement: tuple[int, int, float, float]  # (agreeing, n, Wilson low, high)
    lenient: int
    harsh: int
    mean_abs_difference: float | None


@dataclass
class ReviewerVsLead:
    cases: int  # lead-scored judgments in the set
    critiqued_ok: int  # with a successful critique (criterion scores)
    reviewed: int  # with a reviewed grade
    criterion_spearman: dict[str, float | None] = field(default_factory=dict)
    weighted_criteria_spearman: float | None = None
    reviewed_grade: GradeVsLead | None = None
    deterministic_same_cases: GradeVsLead | None = None


def _rho(a: Sequence[float], b: Sequence[float]) -> float | None:
    """Spearman's rho, or None with fewer than 3 pairs or no variation on either side."""
    if len(a) < 3 or len(set(a)) < 2 or len(set(b)) < 2:
        return None
    return spearman(a, b)


def _versus(expected: Sequence[float], expected_pass: Sequence[bool], scores: Sequence[float], passed: Sequence[bool]) -> GradeVsLead:
    agree = sum(p == e for p, e in zip(passed, expected_pass))
    low, high = wilson_interval(agree, len(passed))
    return GradeVsLead(
        n=len(scores),
        spearman=_rho(expected, scores),
        pass_agreement=(agree, len(passed), low, high),
        lenient=sum(p and not e for p, e in zip(passed, expected_pass)),
        harsh=sum(e and not p for p, e in zip(passed, expected_pass)),
        mean_abs_difference=(sum(abs(e - s) for e, s in zip(expected, scores)) / len(scores)) if scores else None,
    )


def measure_reviewer(db_path: str | Path, cases: Sequence[ScoredCase], model: str, rubric: Rubric) -> ReviewerVsLead:
    """The reviewer `model`'s critiques and reviewed grades stored in `db_path` against the lead's scores."""
    db = store.open_db(db_path)
    try:
        by_pair = {(c.judgment.annotator, c.judgment.item_id): c for c in cases}
        critiques = {(a, i): json.loads(body) for a, i, body in store.evaluation.ok_critique_bodies(db, model)}
        reviewed = {(r.annotator, r.item_id): r for r in store.reviewed_grades.reviewed_grades_for(db, model, list(by_pair))}
    finally:
        db.conn.close()
    result = ReviewerVsLead(cases=len(cases), critiqued_ok=0, reviewed=len(reviewed))
    weights = {c.id: c.weight for c in rubric.criteria}
    scored = [(by_pair[p], body) for p, body in critiques.items() if p in by_pair]
    result.critiqued_ok = len(scored)
    lead = [c.expected_score for c, _ in scored]
    for criterion in rubric.criterion_ids:
        values = [next((s["score"] for s in body["criteria"] if s["criterion"] == criterion), None) for _, body in scored]
        pairs = [(e, v) for e, v in zip(lead, values) if v is not None]
        result.criterion_spearman[criterion] = _rho([e for e, _ in pairs], [v for _, v in pairs])
    weighted = [
        sum(weights[s["criterion"]] * s["score"] for s in body["criteria"]) / sum(weights[s["criterion"]] for s in body["criteria"])
        for _, body in scored
        if body["criteria"]
    ]
    result.weighted_criteria_spearman = _rho(lead[: len(weighted)], weighted) if len(weighted) == len(lead) else None
    if reviewed:
        pairs = [(by_pair[p], r) for p, r in reviewed.items()]
        expected = [c.expected_score for c, _ in pairs]
        expected_pass = [c.expected_pass for c, _ in pairs]
        result.reviewed_grade = _versus(expected, expected_pass, [r.grade.score for _, r in pairs], [r.grade.passed for _, r in pairs])
        result.deterministic_same_cases = _versus(
            expected, expected_pass, [r.deterministic_score for _, r in pairs], [r.deterministic_passed for _, r in pairs]
        )
    return result

