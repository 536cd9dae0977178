"""The reviewed grade: the grader's scoring with the reviewer's reading where it differs, and when a lead is called."""

from __future__ import annotations

import pytest

from rationale.critique.reviewed_grade import QUOTE_FACTS, key_point_reading, build_reviewed_grade, sentence_in_rationale
from rationale.grading.grader import Grader
from rationale.models import KeyPointResult, ReviewerReading


@pytest.fixture
def grade_both(critique_rubric, reviewed_items, reviewed_gold, reviewed_judgment):  # type: ignore[no-untyped-def]
    """(deterministic Grade, ReviewedGrade) of one of the reviewed fixtures' judgments under a reading."""

    def both(name: str, reading: dict, extra: str = ""):  # type: ignore[no-untyped-def]
        judgment = reviewed_judgment(name, extra)
        item, gold = reviewed_items[judgment.item_id], reviewed_gold[judgment.item_id]
        deterministic = Grader(critique_rubric).grade(judgment, item, gold)
        reviewed = build_reviewed_grade(
            critique_rubric, item, gold, judgment, ReviewerReading.model_validate(reading), model="m", critique_id="c1"
        )
        return deterministic, reviewed

    return both


def reading(points: dict[str, tuple[str, str]], supports: bool = True, evidence: bool = True) -> dict:
    return {
        "key_points": {k: {"status": s, "sentence": t} for k, (s, t) in points.items()},
        "argument_supports_choice": supports,
        "argument_comment": "why",
        "evidence_real": evidence,
        "evidence_comment": "the quote",
    }


STRONG_A = 'A is correct: it says "2+2 is 4", the right sum.'
STRONG_B = "B says the answer is 5, which is wrong, so honesty decides it for A."
AGREES = reading({"a_right": ("made", STRONG_A), "b_wrong": ("made", STRONG_B)})


def test_a_reviewer_that_reads_the_rationale_as_the_grader_does_reaches_the_same_grade(grade_both):
    deterministic, reviewed = grade_both("strong", AGREES)
    assert reviewed.grade.score == deterministic.score == reviewed.deterministic_score
    assert reviewed.grade.passed and reviewed.deterministic_passed
    assert reviewed.grade.key_points == deterministic.key_points
    assert reviewed.differences == [] and not reviewed.escalate


def test_a_point_the_reviewer_finds_absent_loses_its_credit_and_the_disagreement_goes_to_a_lead(grade_both):
    deterministic, reviewed = grade_both("strong", reading({"a_right": ("made", STRONG_A), "b_wrong": ("absent", "")}))
    assert reviewed.grade.score < deterministic.score
    (difference,) = reviewed.differences
    assert (difference.key_point, difference.grader, difference.reviewer, difference.applied) == ("b_wrong", "made", "absent", True)
    assert "key_point_disagreement: b_wrong: grader made, reviewer absent" in reviewed.escalation_reasons
    assert [r.status for r in reviewed.grade.key_points] == ["made", "absent"]


def test_points_the_reviewer_finds_made_in_the_rationales_own_words_earn_credit_and_can_turn_a_fail_into_a_pass(grade_both):
    sentence = "A is better because it reads more nicely and it is longer than B overall, I think."
    deterministic, reviewed = grade_both("weak", reading({"a_right": ("made", sentence), "b_wrong": ("made", sentence)}))
    assert not deterministic.passed
    assert reviewed.grade.score > deterministic.score
    assert {r.status for r in reviewed.grade.key_points} == {"made"}
    assert all(d.applied for d in reviewed.differences)
    if reviewed.grade.passed:
        assert any(r.startswith("reviewed_grade_disagrees: the grader fails it") for r in reviewed.escalation_reasons)


def test_a_contradicted_point_is_critical_in_the_reviewed_grade_and_caps_it(grade_both):
    deterministic, reviewed = grade_both("strong", reading({"a_right": ("made", STRONG_A), "b_wrong": ("contradicted", STRONG_B)}))
    assert deterministic.passed
    assert reviewed.grade.score <= 35 and not reviewed.grade.passed
    assert "key_point_contradicted" in {f.code for f in reviewed.grade.findings}
    assert reviewed.escalate
    assert any(r.startswith("reviewed_grade_disagrees: the grader passes it (100)") for r in reviewed.escalation_reasons)


def test_a_reading_that_cites_words_not_in_the_rationale_is_shown_but_not_followed(grade_both):
    invented = "B's sum of five is correct and A is off by one."
    deterministic, reviewed = grade_both("strong", reading({"a_right": ("made", STRONG_A), "b_wrong": ("contradicted", invented)}))
    assert reviewed.grade.score == deterministic.score and reviewed.grade.key_points == deterministic.key_points
    (difference,) = reviewed.differences
    assert not difference.applied and "not in the rationale" in difference.explanation
    assert not reviewed.escalate


def test_an_argument_the_reviewer_reads_as_not_supporting_the_choice_is_capped_like_the_graders_own_finding(grade_both):
    _, reviewed = grade_both("strong", reading({"a_right": ("made", STRONG_A), "b_wrong": ("made", STRONG_B)}, supports=False))
    assert reviewed.grade.score <= 30 and not reviewed.grade.passed
    assert "contradicts_choice" in {f.code for f in reviewed.grade.findings}
    assert [d.aspect for d in reviewed.differences] == ["argument"]


def test_evidence_the_reviewer_doubts_loses_its_credit_with_a_finding_that_says_so(grade_both):
    deterministic, reviewed = grade_both("strong", reading({"a_right": ("made", STRONG_A), "b_wrong": ("made", STRONG_B)}, evidence=False))
    assert deterministic.components["evidence"] == 1.0 and reviewed.grade.components["evidence"] == 0.0
    assert "reviewer_doubts_evidence" in {f.code for f in reviewed.grade.findings}
    assert reviewed.grade.score < deterministic.score


def test_a_quote_that_is_not_in_the_response_stays_a_fault_whatever_the_reviewer_says(grade_both):
    extra = 'B also says "2+2 is 7 on Tuesdays".'
    deterministic, reviewed = grade_both("strong", AGREES, extra=extra)
    assert {f.code for f in deterministic.findings} & set(QUOTE_FACTS)
    assert reviewed.grade.score == deterministic.score
    (difference,) = reviewed.differences
    assert (difference.aspect, difference.reviewer, difference.applied) == ("evidence", "real", False)


def test_the_graders_wrong_side_reads_as_the_reviewers_absent_and_its_partial_as_neither():
    said = ReviewerReading.model_validate(reading({"p": ("absent", "")}))
    wrong_side = KeyPointResult(key_point="p", status="wrong_side", credit=0.0, sentence="A's answer of 5 is wrong.")
    assert key_point_reading(wrong_side, said, "A's answer of 5 is wrong.") == (wrong_side, None)
    partial = KeyPointResult(key_point="p", status="partial", credit=0.4, sentence="A's answer of 5 is wrong.")
    result, difference = key_point_reading(partial, said, "A's answer of 5 is wrong.")
    assert (result.status, result.credit, difference.applied) == ("absent", 0.0, True)


@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        ("B says the answer is 5, which is wrong", True),
        ("b SAYS the answer is 5 -- which is wrong!", True),
        ("B says the answer is 5 which is plainly and obviously wrong", False),
        ("B is wrong", False),
        ("", False),
    ],
)
def test_a_sentence_counts_as_the_rationales_when_its_words_are_there_in_order(sentence, found):
    rationale = 'A is correct: it says "2+2 is 4". B says the answer is 5, which is wrong.'
    assert sentence_in_rationale(sentence, rationale) is found
