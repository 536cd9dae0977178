"""The reviewed grade: the grade the second reviewer's reading reaches, beside the deterministic one.

The reviewer reads the rationale against the gold's key points (TASK: reading,
see :mod:`rationale.llm.reading`). The reviewed grade is the deterministic
grader's own scoring (:meth:`Grader.grade_context`) with the reviewer's reading
put in where it differs from the grader's, so the two grades differ only there:

* **key points**: the reviewer's made / contradicted / absent replaces the
  grader's status for that point (made earns full credit, absent and
  contradicted none; a contradicted point is critical, as in the grader). The
  grader's ``wrong_side`` reads as the reviewer's ``absent``. A ``made`` or
  ``contradicted`` whose sentence is not in the rationale is not followed: the
  reviewer's claim cannot be checked, so the grader's reading stands;
* **argument**: a reviewer that reads the argument as not supporting the
  trainee's choice adds the grader's critical ``contradicts_choice`` (capped at
  30); one that reads it as supporting the choice lifts the grader's;
* **evidence**: a reviewer that says the evidence is not real zeroes the
  evidence credit and adds a major ``reviewer_doubts_evidence``. A quote that
  is not word for word in its response is a fact the grader checked against the
  text, so a reviewer that calls it real is shown, not followed.

Both grades are kept. The critique is escalated to a lead when the two grades
disagree on pass/fail, or on a key point (made against absent or contradicted,
absent against contradicted; the grader's ``partial`` counts as made).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..grading.context import finding
from ..grading.grader import Grader
from ..grading.text import shorten
from ..llm.reading import READING_TEMPLATE_VERSION, parse_reading, reading_messages, reading_schema
from ..models import (
    Critique,
    Finding,
    GoldAnswer,
    Grade,
    GradeDifference,
    Item,
    Judgment,
    KeyPointResult,
    ReviewedGrade,
    ReviewedGradeReport,
    ReviewerReading,
    Rubric,
    Severity,
    content_hash,
)

if TYPE_CHECKING:
    from .review import CritiqueTask, ReviewSetup

REVIEWER_TEXT_SHOWN = 120
"""Characters of the reviewer's sentence or comment quoted in a difference's message."""
QUOTE_FACTS = ("fabricated_quote", "altered_quote", "misattributed_quote")
"""The grader's quote findings that rest on comparing the quote with the response text."""

SAME_READING = {"made": "made", "absent": "absent", "wrong_side": "absent", "contradicted": "contradicted"}
"""The grader's key-point status in the reviewer's words; `partial` has none (it always differs)."""

COARSE = {"made": "made", "partial": "made", "absent": "absent", "wrong_side": "absent", "contradicted": "contradicted"}
"""What counts as a disagreement on a key point worth a lead's time."""

_WORD = re.compile(r"[a-z0-9]+(?:['.][a-z0-9]+)*")
_GRADERS: dict[str, Grader] = {}


def grader_for(rubric: Rubric) -> Grader:
    """One compiled Grader per rubric for the whole process (a batch reviews under a few rubrics at most)."""
    key = rubric.content_hash
    if key not in _GRADERS:
        _GRADERS[key] = Grader(rubric)
    return _GRADERS[key]


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def sentence_in_rationale(sentence: str, rationale: str) -> bool:
    """Whether the reviewer's sentence is the rationale's own words (case, spacing and punctuation aside).

    A sentence of three or more words counts when at least 80% of its words are
    in the rationale and its words in order are a run of the rationale's, or
    its first and last four words are; a shorter one must appear as it is.
    """
    said = _words(sentence)
    if not said:
        return False
    text = " ".join(_words(rationale))
    if " ".join(said) in text:
        return True
    if len(said) < 3:
        return False
    vocabulary = set(text.split())
    if sum(w in vocabulary for w in said) < 0.8 * len(said):
        return False
    head, tail = " ".join(said[:4]), " ".join(said[-4:])
    return head in text and tail in text


def key_point_reading(
    grader_result: KeyPointResult, reading: ReviewerReading, rationale: str
) -> tuple[KeyPointResult, GradeDifference | None]:
    """The key point's result in the reviewed grade, and the difference from the grader's (None when they agree)."""
    point = grader_result.key_point
    said = reading.key_points[point]
    if SAME_READING.get(grader_result.status) == said.status:
        return grader_result, None
    found = said.status == "absent" or sentence_in_rationale(said.sentence, rationale)
    if not found:
        return grader_result, GradeDifference(
            aspect="key_point", key_point=point, grader=grader_result.status, reviewer=said.status, applied=False,
            explanation=(
                f"The reviewer reads key point {point} as {said.status} citing words that are not in the rationale"
                f" ({_short(said.sentence) or 'none'}), so its reading cannot be checked: the grader's {grader_result.status} stands."
            ),
        )
    result = KeyPointResult(
        key_point=point,
        status=said.status,
        credit=1.0 if said.status == "made" else 0.0,
        sentence=said.sentence if said.status != "absent" else None,
    )
    where = f' in "{_short(said.sentence)}"' if said.status != "absent" else ""
    return result, GradeDifference(
        aspect="key_point", key_point=point, grader=grader_result.status, reviewer=said.status, applied=True,
        explanation=f"The grader reads key point {point} as {grader_result.status}; the reviewer reads it as {said.status}{where}.",
    )


def _short(text: str) -> str:
    return shorten(text, REVIEWER_TEXT_SHOWN)


def _argument_and_evidence(reading: ReviewerReading, deterministic: Grade, differences: list[GradeDifference]):  # type: ignore[no-untyped-def]
    """The adjustment the grader applies for the reviewer's reading of the argument and the evidence."""
    codes = {f.code for f in deterministic.findings}
    grader_supports = "contradicts_choice" not in codes
    quote_fact = next((c for c in QUOTE_FACTS if c in codes), None)
    add: list[Finding] = []
    drop: set[str] = set()
    zero_evidence = False
    if reading.argument_supports_choice != grader_supports:
        comment = _short(reading.argument_comment) or "no reason given"
        if grader_supports:
            add.append(finding(
                "contradicts_choice", Severity.critical,
                f"The second reviewer reads your argument as not supporting your own choice: {comment}",
            ))
            explanation = f"The grader finds the argument supports the choice; the reviewer does not ({comment})."
        else:
            drop.add("contradicts_choice")
            explanation = f"The grader reads the argument as arguing for the other response; the reviewer reads it as supporting the choice ({comment})."
        differences.append(GradeDifference(
            aspect="argument", grader="supports" if grader_supports else "does not support",
            reviewer="supports" if reading.argument_supports_choice else "does not support", applied=True,
            explanation=explanation,
        ))
    comment = _short(reading.evidence_comment) or "no reason given"
    if not reading.evidence_real and quote_fact is None:
        zero_evidence = True
        add.append(finding(
            "reviewer_doubts_evidence", Severity.major,
            f"The second reviewer doubts your quoted evidence: {comment}",
        ))
        differences.append(GradeDifference(
            aspect="evidence", grader="quotes checked against the responses", reviewer="not real", applied=True,
            explanation=f"Every quote is in the response it is attributed to, but the reviewer says the evidence is not real ({comment}).",
        ))
    elif reading.evidence_real and quote_fact is not None:
        differences.append(GradeDifference(
            aspect="evidence", grader=quote_fact.replace("_", " "), reviewer="real", applied=False,
            explanation=(
                f"The reviewer calls the evidence real, but the grader found a {quote_fact.replace('_', ' ')} by comparing it"
                " with the response text: a fact the reviewer's reading cannot clear."
            ),
        ))

    def adjust(components: dict[str, float | None], findings: list[Finding]) -> list[Finding]:
        if zero_evidence and components.get("evidence") is not None:
            components["evidence"] = 0.0
        return [f for f in findings if f.code not in drop] + add

    return adjust


def _pass_word(passed: bool) -> str:
    return "passes" if passed else "fails"


def escalations(deterministic: Grade, reviewed: Grade, differences: list[GradeDifference]) -> list[str]:
    """Why a lead should look: the grades disagree on pass/fail, or on a key point."""
    reasons = []
    if deterministic.passed != reviewed.passed:
        reasons.append(
            f"reviewed_grade_disagrees: the grader {_pass_word(deterministic.passed)} it ({deterministic.score:g}),"
            f" the reviewer's reading {_pass_word(reviewed.passed)} it ({reviewed.score:g})"
        )
    for d in differences:
        if d.aspect == "key_point" and d.applied and COARSE[d.grader] != COARSE[d.reviewer]:
            reasons.append(f"key_point_disagreement: {d.key_point}: grader {d.grader}, reviewer {d.reviewer}")
    return reasons


def build_reviewed_grade(
    rubric: Rubric, item: Item, gold: GoldAnswer, judgment: Judgment, reading: ReviewerReading, *, model: str,
    critique_id: str, judgment_hash: str | None = None,
) -> ReviewedGrade:
    """Both grades of one judgment: the deterministic one recomputed, and the one the reviewer's reading reaches."""
    grader = grader_for(rubric)
    deterministic = grader.grade_context(grader.check_context(judgment, item, gold))
    rationale = judgment.rationale or ""
    differences: list[GradeDifference] = []
    results = []
    for grader_result in deterministic.key_points:
        result, difference = key_point_reading(grader_result, reading, rationale)
        results.append(result)
        if difference is not None:
            differences.append(difference)
    ctx = grader.check_context(judgment, item, gold)
    ctx._key_point_results = results  # the reviewer's reading where it differs; every other check as the grader's
    reviewed = grader.grade_context(ctx, _argument_and_evidence(reading, deterministic, differences))
    reasons = escalations(deterministic, reviewed, differences)
    if judgment_hash is not None:  # the stored version's hash (a judgment read back may hash differently)
        reviewed = reviewed.model_copy(update={"judgment_hash": judgment_hash})
    return ReviewedGrade(
        judgment_hash=reviewed.judgment_hash,
        item_id=judgment.item_id,
        annotator=judgment.annotator,
        model=model,
        critique_id=critique_id,
        rubric_hash=deterministic.rubric_hash,
        gold_hash=deterministic.gold_hash,
        grade=reviewed,
        deterministic_score=deterministic.score,
        deterministic_passed=deterministic.passed,
        reading=reading,
        differences=differences,
        escalate=bool(reasons),
        escalation_reasons=reasons,
    )


# --------------------------------------------------------------------------- in a critique batch


def wants_reading(task: "CritiqueTask") -> bool:
    """A reading is asked for every judgment whose item has gold naming key points (what the reviewer reads for)."""
    return task.gold is not None and bool(task.gold.key_points)


def reading_key(setup: "ReviewSetup", task: "CritiqueTask") -> str:
    """The cache key of a reading request: what decides the reply, and the template version."""
    j = task.judgment
    return content_hash(
        {
            "kind": "reading",
            "model": setup.model,
            "template": READING_TEMPLATE_VERSION,
            "item": task.item_hash,
            "gold": task.gold_hash,
            "rationale": content_hash(j.rationale or ""),
            "choice": [j.preference, j.strength],
        }
    )


def reading_request(setup: "ReviewSetup", task: "CritiqueTask") -> tuple[str, str, list[dict[str, str]], dict[str, Any], Any]:
    """(key, kind, messages, reply schema, parse) of the reading request of one task with gold."""
    gold = task.gold
    assert gold is not None
    return (
        reading_key(setup, task),
        "reading",
        reading_messages(task.item, task.judgment, gold),
        reading_schema(gold),
        lambda text: parse_reading(text, gold),
    )


def with_reviewed_grade(setup: "ReviewSetup", task: "CritiqueTask", critique: Critique, reading: ReviewerReading) -> tuple[Critique, ReviewedGrade]:
    """The reviewed grade of a successful critique, and the critique escalated where the two grades disagree."""
    assert task.gold is not None
    reviewed = build_reviewed_grade(
        setup.rubric, task.item, task.gold, task.judgment, reading, model=setup.model, critique_id=setup.row_id(task),
        judgment_hash=task.judgment_hash,
    )
    if reviewed.escalate:
        reasons = [*critique.escalation_reasons, *reviewed.escalation_reasons]
        critique = critique.model_copy(update={"escalate": True, "escalation_reasons": reasons})
    return critique, reviewed


def reviewed_grades_report(db_path: Any, model: str, pairs: list[tuple[str, str]]) -> ReviewedGradeReport:
    """Both grades of the (annotator, item) pairs a `grade --critique` run graded, as stored."""
    from .. import store

    db = store.open_db(db_path)
    try:
        found = store.reviewed_grades.reviewed_grades_for(db, model, pairs)
    finally:
        db.conn.close()
    return ReviewedGradeReport(model=model, reviewed=found, not_reviewed=len(set(pairs)) - len(found))
