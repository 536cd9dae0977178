"""`analyse_batch`: judgments, items, rubric and (optionally) gold in, a `CalibrationReport` out; pure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from typing import Any, NamedTuple

import numpy as np

from .. import agreement as ag
from ..models import AnnotatorResult, CalibrationReport, Finding, GoldAnswer, Grade, Item, Judgment, Rubric
from .agreement import agreement_section, paradox_note
from .contested import consensus, contested_items, patterns, questions_and_proposal
from .escalation import confidence_answers, confidence_calibration, escalation_flags, escalation_result
from .gold import (
    MISSED_DECISIVE_CRITERION,
    bias_flags,
    consistency_checks,
    gold_section,
    judge_section,
    leave_one_out,
    repeated_pairs,
    self_consistency,
)

DEFAULT_THRESHOLD = 0.8
DEFAULT_MIN_ITEMS = 20
CONTESTED_SHOWN = 5


def analyse_batch(
    judgments: Sequence[Judgment],
    items: dict[str, Item],
    rubric: Rubric,
    gold: dict[str, GoldAnswer] | None = None,
    *,
    batch: str = "batch",
    threshold: float = DEFAULT_THRESHOLD,
    min_items: int = DEFAULT_MIN_ITEMS,
    min_overlap: int = ag.MIN_OVERLAP,
    samples: int = ag.BOOTSTRAP_SAMPLES,
    seed: int = ag.DEFAULT_SEED,
    grades: dict[tuple[str, str], Grade] | None = None,
    judges: Sequence[Judgment] = (),
) -> CalibrationReport:
    """Everything a lead needs about one batch. `grades` (annotator, item) -> Grade are computed when not given.

    `judges` are verdicts of model judges (or any rater to be scored, not
    calibrated): each is set against gold and checked for consistency on
    repeated pairs, but kept out of the agreement among the annotators and
    out of the consensus.
    """
    if not judgments:
        raise ValueError("a calibration batch needs at least one judgment")
    by_annotator, by_item = _grouped(judgments)
    judged_by, _ = _grouped(judges)
    overlap = sorted(set(judged_by) & set(by_annotator))
    if overlap:
        raise ValueError(f"{overlap[0]!r} is both an annotator and a judge; a rater is one or the other")
    if gold and grades is None:
        grades = grade_batch(judgments, items, rubric, gold)
    grades = grades or {}

    section, preference, kappa = agreement_section(judgments, rubric, min_overlap, samples, seed)
    agreed, majority, ds, reliability = consensus(preference, gold)
    results = []
    pairs = repeated_pairs(items)
    index = {str(name): i for i, name in enumerate(kappa.raters)}
    for name in sorted(by_annotator):
        result = AnnotatorResult(name=name, judged=len(by_annotator[name]))
        if gold:
            mine = {item_id: grades[(name, item_id)] for item_id in by_annotator[name] if (name, item_id) in grades}
            gold_section(result, by_annotator[name], mine, items, gold, rubric, threshold, min_items)
            leave_one_out(result, by_annotator[name], by_item, gold)
            result.escalation = escalation_result(by_annotator[name], mine, gold)
            result.confidence = confidence_calibration(confidence_answers(by_annotator[name], mine))
        result.consistency = consistency_checks(by_annotator[name], pairs)
        _peers(result, index[name], kappa, section.preference.pairwise_agreement, min_overlap)
        result.reliability = reliability.get(name)
        results.append(result)
    judge_results = []
    for name in sorted(judged_by):
        result = AnnotatorResult(name=name, judged=len(judged_by[name]), role="judge")
        if gold:
            judge_section(result, judged_by[name], items, gold, threshold, min_items)
        result.consistency = consistency_checks(judged_by[name], pairs)
        judge_results.append(result)
    for result in [*results, *judge_results]:
        self_consistency(result, results)  # a judge, like an annotator, is set against the annotators
        result.biases = bias_flags(result) + escalation_flags(result)

    contested = contested_items(by_item, grades, gold, rubric, majority, ds)
    # Counted over every contested item (a count over the first few would read as the batch's); only the most
    # contested are asked about one by one.
    found = patterns(contested, rubric)
    summary, questions, proposal = questions_and_proposal(contested, found, rubric, asked=CONTESTED_SHOWN * 2)
    return CalibrationReport(
        batch=batch,
        rubric={"id": rubric.id, "version": rubric.version, "hash": rubric.content_hash},
        threshold=threshold,
        min_items=min_items,
        min_overlap=min_overlap,
        items=len(by_item),
        annotators=sorted(by_annotator),
        judgments=len(judgments),
        has_gold=bool(gold),
        agreement=section,
        annotator_results=results,
        consensus=agreed,
        contested=contested,
        patterns=found,
        questions=questions,
        proposal=proposal,
        notes=_notes(section, summary, bool(gold), results, agreed),
        judges=sorted(judged_by),
        judge_results=judge_results,
    )


def _grouped(judgments: Sequence[Judgment]) -> tuple[dict[str, dict[str, Judgment]], dict[str, dict[str, Judgment]]]:
    """The votes by annotator (then item) and by item (then annotator)."""
    by_annotator: dict[str, dict[str, Judgment]] = defaultdict(dict)
    by_item: dict[str, dict[str, Judgment]] = defaultdict(dict)
    for j in judgments:
        by_annotator[j.annotator][j.item_id] = j
        by_item[j.item_id][j.annotator] = j
    return by_annotator, by_item


def _peers(result: AnnotatorResult, i: int, kappa: ag.PairMatrix, pair_agree, min_overlap: int) -> None:  # type: ignore[no-untyped-def]
    """Mean kappa and mean agreement with every peer who shares enough items."""
    result.kappa_with_peers = kappa.mean_for(i)
    peers = [
        v for j, v in enumerate(pair_agree.values[i])
        if j != i and v is not None and pair_agree.overlap[i][j] >= min_overlap
    ]
    result.agreement_with_peers = float(np.mean(peers)) if peers else None


def _notes(section, summary: list[str], has_gold: bool, results: list[AnnotatorResult], agreed) -> list[str]:  # type: ignore[no-untyped-def]
    notes = []
    paradox = paradox_note(section)
    if paradox:
        notes.append(paradox)
    fleiss = section.preference.fleiss_kappa
    if not fleiss.available:
        notes.append(f"Fleiss' kappa is left out: {_fleiss_why(fleiss.reason)}")
    notes.extend(_degenerate_notes(section))
    own = [r for r in results if r.own_vote_in_gold]
    if own:
        names = ", ".join(r.name for r in own)
        notes.append(
            f"Gold was made from the annotators' own votes, so {names} are scored against a gold that contains"
            f" their own vote (on {sum(r.own_vote_in_gold for r in own)} answers): accuracy overstates agreement"
            " with an independent reference. Read the leave-one-out accuracy beside it (gold remade by the same"
            " rule from the other annotators' votes)."
        )
    if agreed.get("withheld"):
        notes.append(f"Consensus: {agreed['withheld']}.")
    notes.extend(summary)
    if not has_gold:
        notes.append("No gold given: accuracy, verdicts and biases against gold are left out; consensus labels stand in.")
    return notes


def _fleiss_why(reason: str | None) -> str:
    """The real reason Fleiss' kappa has no number, and what stands in."""
    if reason and reason.startswith("left out: "):
        reason = reason[len("left out: "):]
    if reason and "different numbers of raters" in reason:
        return f"{reason}; it needs the same number of raters on every item. Krippendorff's alpha and AC1 allow missing votes."
    if reason == ag.NO_VARIATION:
        return "every vote is the same, so chance agreement is 1 and no kappa-type coefficient is defined."
    return f"{reason}."


def _degenerate_notes(section) -> list[str]:  # type: ignore[no-untyped-def]
    """One note per coefficient whose interval has zero width (named, with what it would take)."""
    pref = section.preference
    named = [
        ("percent agreement", pref.percent_agreement), ("percent agreement without ties", pref.percent_agreement_without_ties),
        ("Krippendorff's alpha", pref.krippendorff_alpha), ("ordinal alpha", pref.krippendorff_alpha_ordinal),
        ("Fleiss' kappa", pref.fleiss_kappa), ("Gwet's AC1", pref.gwet_ac1), ("PABAK", pref.pabak),
    ]
    notes: dict[str, list[str]] = {}
    for name, estimate in named:
        if estimate is not None and estimate.note:
            notes.setdefault(estimate.note, []).append(name)
    return [f"{', '.join(names)}: {note}." for note, names in notes.items()]


GRADE_BATCH = 2000
"""Judgments handed to the grading workers at a time."""


class GradeSummary(NamedTuple):
    """What the calibration analysis reads of a grade; `calibrate` keeps this, and stores the grade itself."""

    score: float
    passed: bool
    preference_correct: bool
    strength_distance: int | None
    escalation: str | None
    key_points_missed: list[str]
    findings: list[Finding]  # only those the analysis reads: the decisive criteria the rationale missed

    @classmethod
    def of(cls, grade: Grade) -> "GradeSummary":
        return cls(grade.score, grade.passed, grade.preference_correct, grade.strength_distance, grade.escalation,
                   list(grade.key_points_missed), [f for f in grade.findings if f.code == MISSED_DECISIVE_CRITERION])


def graded_batches(
    judgments: Iterable[Judgment], items: dict[str, Item], rubric: Rubric, gold: dict[str, GoldAnswer], *,
    outcome: Callable[[Judgment, Grade], Any] | None = None, workers: int | None = None,
) -> Iterator[list[tuple[Judgment, Any]]]:
    """Every judgment that has gold with its grade (or what `outcome` makes of it where the grade was made),
    GRADE_BATCH at a time, in input order; on every core once there are many (the runner `rationale grade`
    uses): grading 100,000 judgments is most of what calibrating them costs. Close it if not read to the end."""
    from ..grading import Grader
    from ..grading.runner import GradeRunner

    to_grade = [j for j in judgments if j.item_id in gold]
    batches = (to_grade[i : i + GRADE_BATCH] for i in range(0, len(to_grade), GRADE_BATCH))
    with GradeRunner(Grader(rubric), items, gold, outcome=outcome, workers=workers) as runner:
        for graded in runner.run((batch, batch) for batch in batches):
            yield list(zip(graded.batch, graded.grades))


def grade_batch(
    judgments: Iterable[Judgment], items: dict[str, Item], rubric: Rubric, gold: dict[str, GoldAnswer],
    workers: int | None = None,
) -> dict[tuple[str, str], Grade]:
    """Grade every judgment that has gold, with the same grader `rationale grade` uses (see `graded_batches`)."""
    grades: dict[tuple[str, str], Grade] = {}
    with closing(graded_batches(judgments, items, rubric, gold, workers=workers)) as batches:
        for batch in batches:
            for j, grade in batch:
                grades[(j.annotator, j.item_id)] = grade
    return grades
