"""The drill's session logic and answer parsing, without a terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rationale.store import open_db
from rationale.cli.drill import ScriptedIO
from rationale.drill import (
    AnswerInvalid,
    DrillSession,
    ShownAnswer,
    Slot,
    ask_answer,
    parse_criteria,
    parse_preference,
    parse_strength,
    run_session,
)
from rationale.render.drill import render_rubric_help
from rationale.io import load_gold, load_items, load_rubric
from rationale.drill.scheduling import swap_gold, swap_item

DATA = Path(__file__).parent / "data" / "drill"
RUBRIC = load_rubric(DATA / "rubric.yaml")
ITEMS = load_items(DATA / "items.jsonl")
GOLD = load_gold(DATA / "gold.jsonl", ITEMS, RUBRIC)

GOOD_MOON = ShownAnswer(
    preference="B",
    strength=2,
    criteria=["honesty"],
    rationale='A says "walked on the Moon in 1972", which is wrong; B is correct with "in 1969, during Apollo 11".',
)


CAPITAL_TIE = 'Both say "the capital of Australia is Canberra", so both are correct and equally short; neither is better.'


def open_session(tmp_path, **options):
    db = open_db(tmp_path / "drill.db")
    options = {"order": "new", "n": 3, "seed": 1, "items": ITEMS, "gold": GOLD, **options}
    return db, DrillSession.open(db, rubric=RUBRIC, annotator="tara", **options)


def slot_for(session: DrillSession, item_id: str) -> Slot:
    return next(s for s in session.pending() if s.item_id == item_id)


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(("text", "expected"), [("a", "A"), (" B ", "B"), ("tie", "tie"), ("T", "tie"), ("=", "tie")])
def test_preference_accepts_a_b_tie_in_any_case(text, expected):
    assert parse_preference(text) == expected


def test_an_unknown_preference_is_explained():
    with pytest.raises(AnswerInvalid, match="answer A, B or tie"):
        parse_preference("maybe")


def test_strength_size_alone_takes_the_side_of_the_preference():
    assert parse_strength("2", RUBRIC, "A") == -2
    assert parse_strength("2", RUBRIC, "B") == 2


def test_a_strength_whose_sign_contradicts_the_preference_is_refused():
    with pytest.raises(AnswerInvalid, match="favours A, but you preferred B"):
        parse_strength("-1", RUBRIC, "B")


def test_a_strength_off_the_rubric_scale_is_refused_with_the_labels():
    with pytest.raises(AnswerInvalid, match="off the rubric's scale.*2 \\(B is much better\\)"):
        parse_strength("3", RUBRIC, "B")


def test_zero_strength_for_a_side_is_refused():
    with pytest.raises(AnswerInvalid, match="0 means a tie"):
        parse_strength("0", RUBRIC, "A")


def test_criteria_are_taken_by_number_or_id_without_repeats():
    assert parse_criteria("1, concision HONESTY", RUBRIC) == ["honesty", "concision"]


def test_no_criteria_is_an_empty_line_or_a_dash():
    assert parse_criteria("", RUBRIC) == [] and parse_criteria("-", RUBRIC) == []


def test_an_unknown_criterion_lists_the_valid_choices():
    with pytest.raises(AnswerInvalid, match="not a criterion: 7, speed.*1 honesty, 2 helpfulness, 3 concision"):
        parse_criteria("7, speed", RUBRIC)


def test_rubric_help_shows_levels_but_never_the_gold():
    text = render_rubric_help(RUBRIC, 80)
    assert "Every sentence earns its place." in text and "B is much better" in text
    for gold in GOLD.values():
        assert gold.reference_rationale not in text
        assert all(k.text not in text for k in gold.key_points)


def test_scripted_answers_re_ask_after_an_invalid_line_and_show_help_on_question_mark(capsys):
    lines = iter(["maybe", "?", "B", "9", "2", "honesty", "e", "Because \"in 1969\" is right.", "."])
    answer = ask_answer(ScriptedIO(lines), RUBRIC)
    out = capsys.readouterr().out
    assert answer == ShownAnswer("B", 2, ["honesty"], 'Because "in 1969" is right.')
    assert "'maybe' is not a preference" in out
    assert "Strength scale:" in out
    assert "9 is off the rubric's scale" in out
    assert "the editor needs a terminal" in out


def test_an_empty_rationale_is_asked_again(capsys):
    lines = iter(["tie", "", ".", "Both are the same.", "."])
    answer = ask_answer(ScriptedIO(lines), RUBRIC)
    assert answer.rationale == "Both are the same."
    assert "the rationale is empty" in capsys.readouterr().out


# --------------------------------------------------------------------------- sessions


def test_a_new_session_plans_items_before_the_first_is_shown(tmp_path):
    db, session = open_session(tmp_path)
    assert session.number == 1 and not session.resumed
    assert db["drill_presentations"].count == 3
    assert {s.item_id for s in session.pending()} == set(ITEMS)


def test_an_answer_lands_in_the_judgments_grades_and_findings_tables(tmp_path):
    db, session = open_session(tmp_path)
    feedback = session.record(slot_for(session, "moon"), GOOD_MOON, seconds=12.3)
    judgment = next(db["judgments"].rows)
    grade = next(db["grades"].rows)
    assert (judgment["annotator"], judgment["item_id"], judgment["preference"], judgment["strength"]) == ("tara", "moon", "B", 2)
    assert judgment["seconds"] == 12.3
    assert grade["judgment_hash"] == judgment["hash"] and grade["score"] == feedback.grade.score
    assert db["findings"].count == len(feedback.grade.findings)
    assert feedback.grade.preference_correct and "a-wrong-year" in feedback.grade.key_points_made
    row = db.execute("select answered_at, grade_id from drill_presentations where item_id = 'moon'").fetchone()
    assert row[0] is not None and row[1] == grade["id"]


def test_a_pair_answered_earlier_comes_back_swapped_in_a_mixed_session(tmp_path):
    only_moon = {"items": {"moon": ITEMS["moon"]}, "gold": {"moon": GOLD["moon"]}}
    _, first = open_session(tmp_path, n=1, **only_moon)
    first.record(first.pending()[0], GOOD_MOON)
    first.close()
    _, second = open_session(tmp_path, order="mixed", n=5, **only_moon)
    assert [(s.item_id, s.swapped) for s in second.pending()] == [("moon", True)]


def answered_then_served_swapped(tmp_path, first_answer=GOOD_MOON):
    """moon answered in session 1, then served again with A and B swapped in session 2."""
    only_moon = {"items": {"moon": ITEMS["moon"]}, "gold": {"moon": GOLD["moon"]}}
    _, first = open_session(tmp_path, n=1, **only_moon)
    first.record(first.pending()[0], first_answer)
    first.close()
    db, second = open_session(tmp_path, order="mixed", n=5, **only_moon)
    return db, second, second.pending()[0]


# The right answer (1969) is on the left now; the trainee picks it, quoting what they see.
SWAPPED_MOON_RIGHT = ShownAnswer(
    "A", -2, ["honesty"], 'B says "walked on the Moon in 1972", which is wrong; A says "in 1969, during Apollo 11".'
)


def stored_rows(db, session_id):
    """The swapped answer's judgment, item, grade and gold rows, joined the way readers join them."""
    cursor = db.execute(
        "select j.preference, j.strength, j.item_hash, it.response_a, it.response_b, g.preference_correct,"
        " g.gold_hash, gd.preference as gold_preference, gd.strength as gold_strength, gd.item_hash as gold_item_hash,"
        " p.swapped, p.shown_preference, p.shown_strength, g.id as grade_id"
        " from drill_presentations p join judgments j on j.hash = p.judgment_hash"
        " join grades g on g.id = p.grade_id join items it on it.hash = j.item_hash join gold gd on gd.hash = g.gold_hash"
        " where p.session_id = ?",
        [session_id],
    )
    names = [d[0] for d in cursor.description]
    return dict(zip(names, cursor.fetchone()))


def test_a_swapped_presentation_is_graded_against_the_swapped_gold(tmp_path):
    _, second, slot = answered_then_served_swapped(tmp_path)
    shown_item, shown_gold = second.shown(slot)
    assert shown_item.response_a == ITEMS["moon"].response_b and shown_gold.preference == "A"
    feedback = second.record(slot, SWAPPED_MOON_RIGHT)
    assert feedback.grade.preference_correct and feedback.swapped
    assert not any(f.code == "misattributed_quote" for f in feedback.grade.findings)


def test_a_swapped_answer_is_stored_in_the_orientation_shown(tmp_path):
    db, second, slot = answered_then_served_swapped(tmp_path)
    second.record(slot, SWAPPED_MOON_RIGHT)
    row = stored_rows(db, second.session_id)
    assert (row["preference"], row["strength"]) == ("A", -2)
    assert (row["swapped"], row["shown_preference"], row["shown_strength"]) == (1, "A", -2)
    # The item row the judgment points at is the pair as shown: the 1969 answer is A.
    assert (row["response_a"], row["response_b"]) == (ITEMS["moon"].response_b, ITEMS["moon"].response_a)
    assert row["item_hash"] == swap_item(ITEMS["moon"]).content_hash


def test_a_swapped_answers_judgment_grade_and_gold_agree_with_each_other(tmp_path):
    db, second, slot = answered_then_served_swapped(tmp_path)
    second.record(slot, SWAPPED_MOON_RIGHT)
    row = stored_rows(db, second.session_id)
    assert row["gold_hash"] == swap_gold(GOLD["moon"]).content_hash
    assert (row["gold_preference"], row["gold_strength"]) == ("A", -2)
    assert row["gold_item_hash"] == row["item_hash"]
    assert bool(row["preference_correct"]) == (row["preference"] == row["gold_preference"])


def test_a_swapped_answers_findings_are_those_of_its_grade_as_shown(tmp_path):
    db, second, slot = answered_then_served_swapped(tmp_path)
    feedback = second.record(slot, SWAPPED_MOON_RIGHT)
    grade_id = stored_rows(db, second.session_id)["grade_id"]
    stored = [r[0] for r in db.execute("select code from findings where grade_id = ? order by id", [grade_id])]
    assert stored == [f.code for f in feedback.grade.findings]
    assert feedback.judgment_hash == db.execute(
        "select judgment_hash from drill_presentations where session_id = ?", [second.session_id]
    ).fetchone()[0]


def test_a_swapped_answer_leaves_the_original_answers_rows_unchanged(tmp_path):
    db, second, slot = answered_then_served_swapped(tmp_path)

    def original_rows():
        return (
            db.execute("select * from judgments where version = 1").fetchall(),
            db.execute("select g.* from grades g join judgments j on j.hash = g.judgment_hash where j.version = 1").fetchall(),
            db.execute("select f.* from findings f join grades g on g.id = f.grade_id join judgments j"
                       " on j.hash = g.judgment_hash where j.version = 1").fetchall(),
            db.execute("select * from items where hash = ?", [ITEMS["moon"].content_hash]).fetchall(),
            db.execute("select * from gold where hash = ?", [GOLD["moon"].content_hash]).fetchall(),
        )

    before = original_rows()
    second.record(slot, SWAPPED_MOON_RIGHT)
    assert original_rows() == before
    assert db.execute("select count(*) from judgments").fetchone()[0] == 2


def test_a_swapped_answer_worded_exactly_like_the_earlier_one_is_still_stored_on_the_swapped_pair(tmp_path):
    # Same letter, strength, criteria and rationale as the first answer: the same answer text, but
    # about the other response, so it must not be taken for the answer already stored.
    db, second, slot = answered_then_served_swapped(tmp_path)
    second.record(slot, GOOD_MOON)
    row = stored_rows(db, second.session_id)
    assert (row["preference"], row["item_hash"]) == ("B", swap_item(ITEMS["moon"]).content_hash)
    assert row["gold_item_hash"] == row["item_hash"] and not row["preference_correct"]
    versions = db.execute("select version, item_hash from judgments order by version").fetchall()
    assert versions == [(1, ITEMS["moon"].content_hash), (2, swap_item(ITEMS["moon"]).content_hash)]


def test_the_summary_counts_a_swap_consistent_when_the_same_response_is_picked(tmp_path):
    _, second, slot = answered_then_served_swapped(tmp_path)
    feedback = second.record(slot, SWAPPED_MOON_RIGHT)
    summary = second.summary()
    assert (summary.swaps, summary.swaps_consistent) == (1, 1)
    assert feedback.consistent_with == "B" and feedback.original_preference == "B"


def test_the_summary_counts_a_swap_inconsistent_when_the_same_side_is_picked(tmp_path):
    _, second, slot = answered_then_served_swapped(tmp_path)
    second.record(slot, ShownAnswer("B", 2, ["honesty"], 'B is better because "1972" is the year.'))
    summary = second.summary()
    assert (summary.swaps, summary.swaps_consistent) == (1, 0)


def test_a_second_swap_is_compared_with_the_earlier_answer_mapped_back_to_the_original_order(tmp_path):
    db, second, slot = answered_then_served_swapped(tmp_path)
    second.record(slot, SWAPPED_MOON_RIGHT)
    second.close()
    _, third = open_session(tmp_path, order="mixed", n=5, items={"moon": ITEMS["moon"]}, gold={"moon": GOLD["moon"]})
    (slot,) = third.pending()
    assert slot.swapped
    feedback = third.record(slot, ShownAnswer("A", -1, ["honesty"], 'A says "in 1969", which is right.'))
    assert feedback.consistent_with == "B"  # the swapped answer "A" was about the 1969 response, originally B
    assert (third.summary().swaps, third.summary().swaps_consistent) == (1, 1)


def test_an_interrupted_session_resumes_with_its_remaining_items(tmp_path):
    db, session = open_session(tmp_path)
    session.record(slot_for(session, "moon"), GOOD_MOON)
    # No close(): the process was interrupted.
    db.close()
    _, again = open_session(tmp_path, n=10, seed=99)
    assert again.resumed and again.session_id == session.session_id
    assert {s.item_id for s in again.pending()} == {"capital", "boil"}


def test_a_finished_session_is_not_resumed(tmp_path):
    db, session = open_session(tmp_path, n=1)
    only = session.pending()[0]
    session.record(only, ShownAnswer("tie", 0, [], "no idea at all"))
    session.close()
    _, next_session = open_session(tmp_path, n=1)
    assert not next_session.resumed and next_session.number == 2


def test_a_missed_item_comes_back_in_the_next_missed_session(tmp_path):
    db, session = open_session(tmp_path)
    wrong = ShownAnswer("A", -1, ["concision"], "A is shorter, so better.")
    session.record(slot_for(session, "moon"), wrong)
    for slot in session.pending():
        session.record(slot, ShownAnswer("tie", 0, ["honesty"], CAPITAL_TIE))
    session.close()
    _, review = open_session(tmp_path, order="missed")
    # boil was answered "tie" too (the gold says A), so it was missed as well; capital passed.
    assert {s.item_id for s in review.pending()} == {"moon", "boil"}
    schedule = db.execute("select box, due_session, last_passed from drill_schedule where item_id = 'moon'").fetchone()
    assert schedule == (1, 2, 0)


def test_no_session_when_the_order_has_nothing_to_serve(tmp_path):
    db, session = open_session(tmp_path, order="missed")
    assert session is None
    assert db["drill_sessions"].count == 0


def test_stopping_with_q_keeps_the_answers_and_leaves_the_session_open(tmp_path, capsys):
    db, session = open_session(tmp_path)
    first = session.pending()[0].item_id
    lines = iter(["tie", "", "Both are fine and I would keep either one here.", ".", "q"])
    assert run_session(session, ScriptedIO(lines)) == 0
    out = capsys.readouterr().out
    assert "Stopped. Every answer you finished is saved." in out and "2 items left" in out
    assert db.execute("select count(*) from drill_presentations where answered_at is not null").fetchone()[0] == 1
    assert db.execute("select finished from drill_sessions").fetchone()[0] is None
    assert json.loads(db.execute("select counts from runs order by id desc").fetchone()[0])["answered"] == 1
    assert first in {r[0] for r in db.execute("select item_id from judgments")}


class EditorTerminal(ScriptedIO):
    """A terminal whose $EDITOR returns the texts given, one per use (None: quit without saving)."""

    interactive = True

    def __init__(self, lines, edits):
        super().__init__(iter(lines))
        self.edits = list(edits)

    def edit(self, text):
        return self.edits.pop(0)


def test_an_abandoned_editor_asks_for_the_rationale_again(capsys):
    io = EditorTerminal(["tie", "-", "e", "e"], [None, "Both are \"the same\".\n# a comment line\n"])
    answer = ask_answer(io, RUBRIC)
    assert answer.rationale == 'Both are "the same".'
    assert capsys.readouterr().out.count("the rationale is empty") == 1


def test_feedback_on_a_swapped_pair_says_so_and_reports_consistency(tmp_path):
    from rationale.render.drill import render_feedback

    _, second, slot = answered_then_served_swapped(tmp_path)
    # This time the trainee picks the side now shown as B, which is the original A: inconsistent.
    feedback = second.record(slot, ShownAnswer("B", 1, ["honesty"], "B looks right to me here."))
    text = render_feedback(feedback, RUBRIC, 100)
    assert "This pair was shown with A and B swapped: it was graded and saved as you saw it." in text
    assert "your earlier answer on the original order was B; this one maps to A — INCONSISTENT" in text
    assert "WRONG: you chose B +1 (B is slightly better); the gold is A -2 (A is much better)." in text


def test_feedback_on_a_swapped_pair_names_the_sides_of_the_lead_key_points_as_shown(tmp_path):
    from rationale.render.drill import render_feedback

    _, second, slot = answered_then_served_swapped(tmp_path)
    text = " ".join(render_feedback(second.record(slot, SWAPPED_MOON_RIGHT), RUBRIC, 100).split())
    # Shown swapped, the 1972 answer is B: the gold's key point and reference say so, and so does the note above them.
    assert "B gives the wrong year (1972)" in text and 'B says "1972", which is wrong' in text
    assert "The lead's key points and reference below are renamed to match: A and B are the sides as you saw them." in text
    assert "original sides" not in text


def test_feedback_names_the_strengths_the_gold_accepts_beside_its_own(tmp_path):
    from rationale.models.inputs import AcceptableAlternatives
    from rationale.render.drill import render_feedback

    _, session = open_session(tmp_path)
    feedback = session.record(slot_for(session, "moon"), GOOD_MOON)
    single = " ".join(render_feedback(feedback, RUBRIC, 100).split())
    feedback.gold = feedback.gold.model_copy(update={"acceptable": AcceptableAlternatives(strength_min=1, strength_max=3)})
    ranged = " ".join(render_feedback(feedback, RUBRIC, 100).split())
    assert "the gold is B +2 (B is much better)." in single
    assert "the gold is B +2 (B is much better), and accepts +1 to +3." in ranged


def test_feedback_on_imported_gold_does_not_call_the_import_note_the_lead_rationale(tmp_path):
    from rationale.render.drill import render_feedback

    _, session = open_session(tmp_path)
    feedback = session.record(slot_for(session, "moon"), GOOD_MOON)
    note = "Imported gold: the source (hh-rlhf) marks response B as the chosen one; no human rationale was provided."
    feedback.gold = feedback.gold.model_copy(update={"reference_rationale": note, "key_points": []})
    text = " ".join(render_feedback(feedback, RUBRIC, 100).split())
    assert "Reference rationale (the lead's)" not in text
    assert f"No reference rationale (the gold was imported, without one): {note}" in text


def test_a_partly_made_key_point_is_told_once_in_the_key_points_not_again_among_the_findings(tmp_path):
    from rationale.grading.context import finding
    from rationale.models import Severity
    from rationale.render.drill import render_feedback

    _, session = open_session(tmp_path)
    feedback = session.record(slot_for(session, "moon"), GOOD_MOON)
    point = feedback.grade.key_points[0]
    feedback.grade.key_points[0] = point.model_copy(update={"status": "partial", "credit": 0.5})
    feedback.grade.findings.append(finding("key_point_partly_made", Severity.minor, "Partly made, by the grader's reading.",
                                           key_point=point.key_point))
    text = " ".join(render_feedback(feedback, RUBRIC, 100).split())
    assert "(partly made)" in text
    assert "Partly made, by the grader's reading." not in text


def test_a_key_point_made_for_part_of_its_credit_says_how_much(tmp_path):
    from rationale.render.drill import render_feedback

    _, session = open_session(tmp_path)
    feedback = session.record(slot_for(session, "moon"), GOOD_MOON)
    made = feedback.grade.key_points[0]
    assert made.status == "made" and made.credit == 1.0
    full = " ".join(render_feedback(feedback, RUBRIC, 100).split())
    feedback.grade.key_points[0] = made.model_copy(update={"credit": 0.6})
    part = " ".join(render_feedback(feedback, RUBRIC, 100).split())
    assert "(made) — you wrote" in full and "of its credit" not in full
    assert "(made, 60% of its credit) — you wrote" in part


def test_feedback_shows_a_score_short_of_100_as_it_is_and_what_was_deducted(tmp_path):
    from rationale.render.drill import render_feedback

    _, session = open_session(tmp_path)
    feedback = session.record(slot_for(session, "moon"), GOOD_MOON)
    components = {name: None if credit is None else 1.0 for name, credit in feedback.grade.components.items()}
    components["argument"] = 0.972  # of its 10 points: 0.28 lost
    feedback.grade = feedback.grade.model_copy(update={"score": 99.72, "reasoning_score": 99.44, "components": components})
    text = render_feedback(feedback, RUBRIC, 100)
    assert "Score 99.7/100" in text and "Score 100/100" not in text
    assert "reasoning 99.4/100" in text
    assert "−0.3  argument (of its 10 points)" in text


def test_the_points_a_component_carries_are_not_rounded_below_the_points_it_lost(tmp_path):
    from rationale.render.drill import render_feedback

    rubric = RUBRIC.model_copy(update={"scoring": RUBRIC.scoring.model_copy(update={"weights": RUBRIC.scoring.weights.model_copy(
        update={"verdict": 0.5, "key_points": 0.325, "evidence": 0.1, "criteria": 0.05, "argument": 0.025})})})
    _, session = open_session(tmp_path)
    feedback = session.record(slot_for(session, "moon"), GOOD_MOON)
    components = {name: None if credit is None else 1.0 for name, credit in feedback.grade.components.items()}
    components["key_points"] = 0.0  # all 32.5 of its points lost
    feedback.grade = feedback.grade.model_copy(update={"score": 67.5, "components": components})
    text = render_feedback(feedback, rubric, 100)
    assert "−32.5  key points (of its 32.5 points)" in text


def test_the_summary_of_an_unfinished_session_names_a_command_that_carries_on():
    from rationale.drill.session import SessionSummary
    from rationale.render.drill import render_summary

    summary = SessionSummary(session_id=1, number=1, planned=3, answered=2, right=2, passed=1, mean_score=80.0,
                             missed=[], swaps=0, swaps_consistent=0, remaining=1)
    text = render_summary(summary, 100)
    assert "1 item left: run the same command again (the same --annotator and --db) to carry on." in text
    assert "run `rationale drill` again" not in text  # drill alone stops at its required options


def test_a_score_a_hair_below_100_keeps_two_decimals():
    from rationale.render.drill import score_text

    assert (score_text(100.0), score_text(99.72), score_text(99.96)) == ("100", "99.7", "99.96")


def test_the_points_lost_name_the_finding_that_caps_the_score_even_when_it_is_not_critical():
    from rationale.drill.answers import ShownAnswer
    from rationale.drill.session import Feedback
    from rationale.grading import Grader
    from rationale.models import Judgment
    from rationale.render.drill import render_feedback

    examples = Path(__file__).resolve().parents[1] / "examples" / "drill"
    rubric = load_rubric(Path(__file__).resolve().parents[1] / "rubrics" / "hhh.yaml")
    items = load_items(examples / "items.jsonl")
    gold = load_gold(examples / "gold.jsonl", items, rubric)
    answer = ShownAnswer("B", 3, ["harmlessness"], "B is much better. Response A says \"Logging into someone else's account"
                         " without permission is unauthorised access\", and B refuses while A helps guess the password.")
    judgment = Judgment(item_id="drill-03", annotator="t", preference="B", strength=3, criteria=["harmlessness"],
                        rationale=answer.rationale)
    grade = Grader(rubric).grade(judgment, items["drill-03"], gold["drill-03"])
    assert [f.severity.value for f in grade.findings if f.code == "misattributed_quote"] == ["major"]
    shown = render_feedback(Feedback(items["drill-03"], gold["drill-03"], answer, grade, swapped=False), rubric, width=120)
    assert "the finding misattributed_quote below caps the score at 58" in shown
    assert "critical finding" not in shown
