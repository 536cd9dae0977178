"""`rationale drill` scripted through stdin (not a terminal), end to end."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from rationale.cli import main

DATA = Path(__file__).parent / "data" / "drill"

# What a trainee answers for each item, in the scripted line format.
ANSWERS = {
    "moon": ["B", "2", "honesty", 'A says "walked on the Moon in 1972", which is wrong; B says "in 1969, during Apollo 11".', "."],
    "capital": ["tie", "1", 'Both say "the capital of Australia" is Canberra; equally accurate and short.', "."],
    "boil": ["A", "1", "concision", 'B pads the fact with "Great question!" while A is concise and correct.', "."],
}


def drill(tmp_path: Path, stdin: str, *extra: str):
    args = [
        "drill",
        "--items", str(DATA / "items.jsonl"),
        "--gold", str(DATA / "gold.jsonl"),
        "--rubric", str(DATA / "rubric.yaml"),
        "--annotator", "tara",
        "--db", str(tmp_path / "drill.db"),
        "--seed", "1",
        *extra,
    ]
    return CliRunner().invoke(main, args, input=stdin)


def served_order(tmp_path: Path) -> list[str]:
    with sqlite3.connect(tmp_path / "drill.db") as conn:
        return [r[0] for r in conn.execute("select item_id from drill_presentations order by session_id, position")]


def script(item_ids: list[str]) -> str:
    return "".join(line + "\n" for item_id in item_ids for line in ANSWERS[item_id])


def test_a_scripted_session_is_graded_answer_by_answer_and_summarised(tmp_path):
    # First run with no answers learns the seeded order; the real run follows it.
    first = drill(tmp_path, "q\n", "--n", "3")
    order = served_order(tmp_path)
    assert first.exit_code == 0, first.output
    result = drill(tmp_path, script(order))
    assert result.exit_code == 0, result.output
    assert result.output.count("RIGHT:") == 3
    assert "The lead's key points:" in result.output and "(made)" in result.output
    assert "Reference rationale (the lead's):" in result.output
    assert re.search(r"Preference right: 3/3 \(100%\)", result.output)
    with sqlite3.connect(tmp_path / "drill.db") as conn:
        assert conn.execute("select count(*) from judgments where annotator = 'tara'").fetchone()[0] == 3
        assert conn.execute("select count(*) from grades").fetchone()[0] == 3
        assert conn.execute("select finished is not null from drill_sessions").fetchone()[0] == 1


def test_an_invalid_line_is_explained_and_the_next_line_answers_again(tmp_path):
    result = drill(tmp_path, "perhaps\n?\nq\n", "--n", "1")
    assert result.exit_code == 0, result.output
    assert "! 'perhaps' is not a preference: answer A, B or tie" in result.output
    assert "Strength scale:" in result.output
    assert "Traceback" not in result.output


def test_when_input_ends_midway_the_answers_are_kept_and_the_next_run_carries_on(tmp_path):
    drill(tmp_path, "q\n", "--n", "3")
    order = served_order(tmp_path)
    partial = drill(tmp_path, script(order[:1]))
    assert "Input ended. Every answer you finished is saved." in partial.output
    assert "2 items left" in partial.output

    resumed = drill(tmp_path, script(order[1:]))
    assert resumed.exit_code == 0, resumed.output
    assert "Resuming session 1: 2 of 3 items left." in resumed.output
    assert f"Item 2 of 3 · {order[1]}" in resumed.output and f"Item 3 of 3 · {order[2]}" in resumed.output
    assert "Answered 3 of 3." in resumed.output


def test_a_missed_order_with_nothing_missed_says_so(tmp_path):
    result = drill(tmp_path, "", "--order", "missed")
    assert result.exit_code == 0
    assert "No missed items due left for tara." in result.output


def test_a_bad_gold_file_exits_2_with_file_and_line_and_writes_nothing(tmp_path):
    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"item_id": "moon", "preference": "B", "strength": -2, "reference_rationale": "x"}\n')
    result = CliRunner().invoke(
        main,
        [
            "drill", "--items", str(DATA / "items.jsonl"), "--gold", str(bad), "--rubric", str(DATA / "rubric.yaml"),
            "--annotator", "tara", "--db", str(tmp_path / "drill.db"),
        ],
        input="",
    )
    assert result.exit_code == 2
    assert f"{bad}:1:" in result.output
    assert not (tmp_path / "drill.db").exists()


def test_items_without_a_gold_answer_are_named_as_left_out(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(next(line for line in (DATA / "gold.jsonl").read_text().splitlines() if '"moon"' in line) + "\n")
    args = ["drill", "--items", str(DATA / "items.jsonl"), "--gold", str(gold), "--rubric", str(DATA / "rubric.yaml"),
            "--annotator", "tara", "--db", str(tmp_path / "drill.db")]
    result = CliRunner().invoke(main, args, input=script(["moon"]))
    assert result.exit_code == 0, result.output
    assert f"2 of the 3 items have no gold answer in {gold} and cannot be drilled" in result.output
    assert "Session 1: 1 item." in result.output


def test_every_item_with_gold_says_nothing_of_left_out_items(tmp_path):
    assert "no gold answer" not in drill(tmp_path, script(["moon", "capital", "boil"])).output


def test_a_blank_annotator_name_is_refused_before_anything_is_written(tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "drill", "--items", str(DATA / "items.jsonl"), "--gold", str(DATA / "gold.jsonl"),
            "--rubric", str(DATA / "rubric.yaml"), "--annotator", "  ", "--db", str(tmp_path / "drill.db"),
        ],
        input="",
    )
    assert result.exit_code == 2
    assert "--annotator: annotator: must not be blank" in result.output
    assert not (tmp_path / "drill.db").exists()


def test_input_that_ends_in_the_middle_of_an_answer_exits_1_and_keeps_the_answers_before_it(tmp_path):
    drill(tmp_path, "q\n", "--n", "3")
    order = served_order(tmp_path)
    unfinished = ANSWERS[order[1]][:-1]  # the rationale's closing "." never comes
    result = drill(tmp_path, script(order[:1]) + "".join(line + "\n" for line in unfinished))
    assert result.exit_code == 1, result.output
    assert f"input ended while answering {order[1]} (at the rationale); that answer was not saved" in result.output
    with sqlite3.connect(tmp_path / "drill.db") as conn:
        assert [r[0] for r in conn.execute("select item_id from judgments")] == [order[0]]


def test_input_that_ends_between_pairs_exits_0(tmp_path):
    drill(tmp_path, "q\n", "--n", "3")
    result = drill(tmp_path, script(served_order(tmp_path)[:1]))
    assert result.exit_code == 0, result.output
    assert "Input ended. Every answer you finished is saved." in result.output


def test_s_serves_the_pair_again_at_the_end_of_the_session(tmp_path):
    drill(tmp_path, "q\n", "--n", "3")
    order = served_order(tmp_path)
    result = drill(tmp_path, "s\n" + script(order[1:] + order[:1]))
    assert result.exit_code == 0, result.output
    assert f"Skipped {order[0]}: it comes back at the end of this session." in result.output
    assert "Answered 3 of 3." in result.output


def test_back_asks_the_previous_question_again(tmp_path):
    drill(tmp_path, "q\n", "--n", "3")
    first = served_order(tmp_path)[0]
    wrong_side = "A" if ANSWERS[first][0] != "A" else "B"
    result = drill(tmp_path, f"{wrong_side}\n<\n" + script([first]) + "q\n")
    assert result.exit_code == 0, result.output
    assert result.output.split("Feedback")[0].count("Which is better? A, B or tie") == 2
    assert result.output.count("RIGHT") == 1


def test_control_characters_in_an_item_reach_the_terminal_as_visible_escapes(tmp_path):
    items, gold = tmp_path / "items.jsonl", tmp_path / "gold.jsonl"
    moon = json.loads((DATA / "items.jsonl").read_text().splitlines()[0])
    moon["response_a"] = "Clear the screen \x1b[2J and ring \x07 the bell."
    items.write_text(json.dumps(moon) + "\n")
    gold.write_text((DATA / "gold.jsonl").read_text().splitlines()[0] + "\n")
    result = CliRunner().invoke(main, ["drill", "--items", str(items), "--gold", str(gold), "--rubric", str(DATA / "rubric.yaml"),
                                       "--annotator", "tara", "--db", str(tmp_path / "drill.db")], input="q\n")
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "Clear the screen \\x1b[2J and ring \\x07 the bell." in result.output


def test_a_resumed_session_says_it_ignores_a_new_order_and_new_starts_afresh(tmp_path):
    drill(tmp_path, "q\n", "--n", "3")
    resumed = drill(tmp_path, "q\n", "--order", "new")
    assert "This resumes session 1, planned with --n 3 --order mixed --seed 1: --order new will plan your next session." in resumed.output
    fresh = drill(tmp_path, "q\n", "--order", "new", "--n", "1", "--new")
    assert "Session 1 set aside (its answers are kept); starting a new one." in fresh.output
    assert "Session 2: 1 item." in fresh.output


def _gold_with_edge_case(tmp_path: Path, item_id: str) -> Path:
    """The drill's gold, with `item_id` marked as an edge case to escalate."""
    lines = []
    for line in (DATA / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["item_id"] == item_id:
            record["edge_case"] = {"flags": ["guideline_unclear"], "reason": "The guideline does not say how to weigh a rounding of the date."}
        lines.append(json.dumps(record))
    path = tmp_path / "gold-edge.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_f_flags_the_pair_with_a_note_and_the_grade_reads_it_against_the_gold_edge_case(tmp_path):
    drill(tmp_path, "q\n", "--n", "1")
    [first] = served_order(tmp_path)
    gold = _gold_with_edge_case(tmp_path, first)
    flagged = ["f", "2", "The guideline does not say how to weigh the rounded date.", *ANSWERS[first]]
    result = drill(tmp_path, "".join(line + "\n" for line in flagged), "--gold", str(gold), "--new", "--n", "1")
    assert result.exit_code == 0, result.output
    assert "Flagged: guideline_unclear." in result.output
    assert "You escalated this pair, as the lead does" in result.output
    with sqlite3.connect(tmp_path / "drill.db") as conn:
        flags, note, escalation = conn.execute(
            "select j.flags, j.flag_note, g.escalation from judgments j join grades g on g.judgment_hash = j.hash"
        ).fetchone()
    assert (json.loads(flags), note, escalation) == (
        ["guideline_unclear"], "The guideline does not say how to weigh the rounded date.", "hit"
    )


def test_an_unflagged_edge_case_is_a_missed_escalation_in_the_feedback(tmp_path):
    drill(tmp_path, "q\n", "--n", "1")
    [first] = served_order(tmp_path)
    result = drill(tmp_path, script([first]), "--gold", str(_gold_with_edge_case(tmp_path, first)), "--new", "--n", "1")
    assert "The lead marks this pair as one to escalate, and you did not flag it" in result.output
    assert "not passed" in result.output


def test_a_bad_flag_is_explained_and_asked_again_and_dash_removes_the_flag(tmp_path):
    drill(tmp_path, "q\n", "--n", "1")
    [first] = served_order(tmp_path)
    lines = ["f", "maybe", "1", "odd pair", "f", "-", *ANSWERS[first]]
    result = drill(tmp_path, "".join(line + "\n" for line in lines), "--new", "--n", "1")
    assert "! not a flag: maybe." in result.output
    assert "No flag on this pair." in result.output
    with sqlite3.connect(tmp_path / "drill.db") as conn:
        assert conn.execute("select flags, flag_note from judgments").fetchone() == (None, None)


def test_confidence_is_asked_after_the_rationale_with_the_option(tmp_path):
    drill(tmp_path, "q\n", "--n", "1")
    [first] = served_order(tmp_path)
    result = drill(tmp_path, script([first]) + "9\n4\n", "--new", "--n", "1", "--confidence")
    assert result.exit_code == 0, result.output
    assert "! '9' is not a confidence" in result.output
    with sqlite3.connect(tmp_path / "drill.db") as conn:
        assert conn.execute("select confidence from judgments").fetchone() == (4,)
