"""Escalation and confidence: the judgment's fields, and how the grader reads a flag against the gold's edge case."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from rationale.grading import Grader
from rationale.grading.escalation import note_recall, score_escalation
from rationale.models import Judgment, Severity

EDGE_CASE = {
    "flags": ["guideline_unclear"],
    "reason": "The guideline does not say whether a subtraction bug outweighs a missing docstring.",
}
GOOD_NOTE = "The guideline does not say whether the subtraction bug or the missing docstring matters more."


def codes(findings) -> list[str]:
    return [f.code for f in findings]


# --------------------------------------------------------------------------- the judgment's fields


def test_a_judgment_carries_confidence_flags_and_a_note(make_judgment):
    judgment = make_judgment(confidence=2, flags=["edge_case", "needs_expert"], flag_note="Unclear which bug matters.")
    assert (judgment.confidence, judgment.flags, judgment.flag_note) == (2, ["edge_case", "needs_expert"], "Unclear which bug matters.")
    assert judgment.escalated


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"confidence": 6}, "less than or equal to 5"),
        ({"confidence": 0}, "greater than or equal to 1"),
        ({"flags": ["boring"]}, "edge_case"),
        ({"flags": ["edge_case", "edge_case"]}, "listed twice"),
        ({"flag_note": "Why?"}, "no flag"),
        ({"flags": ["edge_case"], "flag_note": "x" * 501}, "at most 500"),
    ],
)
def test_bad_confidence_flags_or_notes_are_refused(make_judgment, fields, message):
    with pytest.raises(ValidationError, match=message):
        make_judgment(**fields)


def test_an_answer_without_the_new_fields_keeps_the_identity_it_had_before_them():
    judgment = Judgment(item_id="x", annotator="a", preference="A")
    assert judgment.content_hash == "27a844dc9185ff17"  # the hash grader version 2 stored


def test_flags_and_confidence_are_part_of_an_answer_s_identity(make_judgment):
    plain = make_judgment()
    assert make_judgment(confidence=3).content_hash != plain.content_hash
    assert make_judgment(flags=["edge_case"]).content_hash != plain.content_hash


def test_gold_without_an_edge_case_keeps_the_identity_it_had_before_the_field(make_gold):
    data = make_gold().model_dump(mode="json")
    assert "edge_case" in data and data["edge_case"] is None
    from rationale.models import content_hash

    del data["edge_case"], data["provenance"]
    assert make_gold().content_hash == content_hash(data)


# --------------------------------------------------------------------------- the component


def test_a_clear_item_answered_without_a_flag_skips_escalation(context):
    result = score_escalation(context())
    assert result.credit is None and result.findings == []


def test_flagging_an_edge_case_with_the_lead_s_reason_earns_full_credit(context, make_judgment, make_gold):
    judgment = make_judgment(flags=["guideline_unclear"], flag_note=GOOD_NOTE)
    result = score_escalation(context(judgment, make_gold(edge_case=EDGE_CASE)))
    assert result.credit == 1.0
    assert codes(result.findings) == ["escalated_edge_case"]
    assert result.findings[0].severity == Severity.info
    assert "as the lead does" in result.findings[0].message


def test_flagging_an_edge_case_without_a_note_earns_half_and_says_what_to_write(context, make_judgment, make_gold):
    result = score_escalation(context(make_judgment(flags=["guideline_unclear"]), make_gold(edge_case=EDGE_CASE)))
    assert result.credit == 0.5
    assert result.findings[0].severity == Severity.minor
    assert EDGE_CASE["reason"] in result.findings[0].message


def test_a_note_about_something_else_earns_no_more_than_no_note(context, make_judgment, make_gold):
    judgment = make_judgment(flags=["guideline_unclear"], flag_note="I was tired and the font was small today.")
    result = score_escalation(context(judgment, make_gold(edge_case=EDGE_CASE)))
    assert result.credit == 0.5


def test_a_different_flag_on_an_edge_case_is_still_an_escalation_and_names_the_lead_s(context, make_judgment, make_gold):
    judgment = make_judgment(flags=["needs_expert"], flag_note=GOOD_NOTE)
    result = score_escalation(context(judgment, make_gold(edge_case=EDGE_CASE)))
    assert result.credit == 1.0
    assert codes(result.findings) == ["escalated_edge_case", "escalation_flag_differs"]
    assert "guideline_unclear" in result.findings[1].message


def test_an_edge_case_answered_without_a_flag_is_a_major_missed_escalation(context, make_gold):
    result = score_escalation(context(gold=make_gold(edge_case=EDGE_CASE)))
    assert result.credit == 0.0
    assert codes(result.findings) == ["missed_escalation"]
    assert result.findings[0].severity == Severity.major


def test_flagging_a_clear_item_is_a_minor_over_escalation(context, make_judgment):
    result = score_escalation(context(make_judgment(flags=["edge_case"], flag_note="Not sure.")))
    assert result.credit == 0.0
    assert codes(result.findings) == ["over_escalated"]
    assert result.findings[0].severity == Severity.minor


def test_reporting_harm_on_a_safety_critical_item_is_not_over_escalation(context, make_judgment, make_gold):
    judgment = make_judgment(flags=["harmful_content"], flag_note="A gives dangerous advice.")
    assert score_escalation(context(judgment, make_gold(safety_critical=True))).credit is None


def test_the_note_is_matched_by_meaning_not_by_words():
    reason = EDGE_CASE["reason"]
    assert note_recall(reason, GOOD_NOTE) > note_recall(reason, "I was tired and the font was small today.")


# --------------------------------------------------------------------------- the grade


def _grade(make_rubric, grading_item, judgment, gold):
    return Grader(make_rubric()).grade(judgment, grading_item, gold)


def test_a_flag_on_a_clear_item_never_raises_the_score_of_a_wrong_answer(make_rubric, make_judgment, make_gold, grading_item):
    wrong = {"preference": "A", "strength": -2}
    plain = _grade(make_rubric, grading_item, make_judgment(**wrong), make_gold())
    flagged = _grade(make_rubric, grading_item, make_judgment(**wrong, flags=["cannot_judge"], flag_note="Hard to say."), make_gold())
    assert flagged.score <= plain.score
    assert not flagged.passed
    assert flagged.escalation == "false_alarm"
    assert "over_escalated" in codes(flagged.findings) and "wrong_preference" in codes(flagged.findings)


def test_a_flag_on_a_clear_item_never_excuses_a_missing_rationale(make_rubric, make_judgment, make_gold, grading_item):
    plain = _grade(make_rubric, grading_item, make_judgment(rationale=None), make_gold())
    flagged = _grade(make_rubric, grading_item, make_judgment(rationale=None, flags=["edge_case"]), make_gold())
    assert flagged.reasoning_score == plain.reasoning_score
    assert flagged.score < plain.score and not flagged.passed


def test_over_escalating_a_good_answer_costs_the_escalation_share_only(make_rubric, make_judgment, make_gold, grading_item):
    plain = _grade(make_rubric, grading_item, make_judgment(), make_gold())
    flagged = _grade(make_rubric, grading_item, make_judgment(flags=["edge_case"]), make_gold())
    assert flagged.score == pytest.approx(plain.score * 0.9, abs=0.01)
    assert flagged.verdict_score == plain.verdict_score and flagged.reasoning_score == plain.reasoning_score


def test_a_good_answer_that_misses_the_escalation_does_not_pass(make_rubric, make_judgment, make_gold, grading_item):
    grade = _grade(make_rubric, grading_item, make_judgment(), make_gold(edge_case=EDGE_CASE))
    assert grade.escalation == "miss"
    assert grade.score >= 70 and not grade.passed


def test_the_same_answer_escalated_with_the_lead_s_reason_passes(make_rubric, make_judgment, make_gold, grading_item):
    judgment = make_judgment(flags=["guideline_unclear"], flag_note=GOOD_NOTE)
    grade = _grade(make_rubric, grading_item, judgment, make_gold(edge_case=EDGE_CASE))
    assert grade.escalation == "hit" and grade.passed
    assert grade.components["escalation"] == 1.0


def test_a_grade_without_flags_or_edge_case_is_what_it_was_before_escalation(make_rubric, make_judgment, make_gold, grading_item):
    grade = _grade(make_rubric, grading_item, make_judgment(), make_gold())
    assert grade.escalation is None and grade.components["escalation"] is None
    weights = make_rubric().scoring.weights.model_dump()
    expected = sum(weights[n] * (grade.components[n] or 0) for n in weights) / sum(
        weights[n] for n in weights if grade.components[n] is not None
    )
    assert grade.score == pytest.approx(min(100 * expected, 100), abs=0.01)
