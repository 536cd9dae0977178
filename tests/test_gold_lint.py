"""`rationale gold lint`: gold the grader would read differently from the lead who wrote it."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from rationale.cli import main
from rationale.grading.gold_lint import lint_gold

ROOT = Path(__file__).resolve().parents[1]
DRILL = ROOT / "examples" / "drill"


def codes(warnings) -> list[str]:
    return [w.code for w in warnings]


def test_a_key_point_the_reference_rationale_does_not_make_is_reported(make_gold, make_rubric):
    gold = make_gold(key_points=[{"id": "tz", "text": "B converts the timestamp to UTC before comparing the two dates."}])
    assert codes(lint_gold([gold], make_rubric())) == ["reference_misses_key_point"]


def test_gold_without_key_points_is_reported(make_gold, make_rubric):
    warnings = lint_gold([make_gold(key_points=[])], make_rubric())
    assert [w.code for w in warnings] == ["no_key_points"]


def test_a_key_point_of_two_words_is_too_short_to_recognise(make_gold, make_rubric):
    gold = make_gold(key_points=[{"id": "short", "text": "B adds.", "about": "B"}], reference_rationale="B adds; A subtracts.")
    assert "key_point_too_short" in codes(lint_gold([gold], make_rubric()))


def test_a_key_point_naming_no_response_asks_which_one_it_is_about(make_gold, make_rubric):
    gold = make_gold(
        key_points=[{"id": "sum", "text": "Adding two numbers means returning their sum, not their difference."}],
        reference_rationale="Adding two numbers means returning their sum, not their difference, so A is wrong.",
    )
    assert codes(lint_gold([gold], make_rubric())) == ["key_point_side_unknown"]


def test_a_generic_cue_is_reported(make_gold, make_rubric):
    gold = make_gold(key_points=[{"id": "subtracts", "text": "A subtracts instead of adding.", "cues": ["wrong"]}],
                     reference_rationale="A subtracts instead of adding, which is wrong.")
    assert codes(lint_gold([gold], make_rubric())) == ["generic_cue"]


def test_two_key_points_saying_the_same_thing_are_reported(make_gold, make_rubric):
    same = "A subtracts the numbers instead of adding them."
    gold = make_gold(key_points=[{"id": "one", "text": same}, {"id": "two", "text": same}],
                     reference_rationale="A subtracts the numbers instead of adding them.")
    assert "duplicate_key_points" in codes(lint_gold([gold], make_rubric()))


def test_a_decisive_criterion_no_key_point_applies_is_reported_where_points_name_criteria(make_gold, make_rubric):
    gold = make_gold(
        decisive_criteria=["accuracy", "clarity"],
        key_points=[{"id": "subtracts", "text": "A subtracts instead of adding.", "criterion": "accuracy"}],
        reference_rationale="A subtracts instead of adding.",
    )
    assert codes(lint_gold([gold], make_rubric())) == ["decisive_criterion_without_key_point"]


def test_the_command_lists_warnings_and_exits_1_then_0_when_clean(tmp_path):
    terse = tmp_path / "terse.jsonl"  # the shipped gold with one key point cut down to three words
    shipped = (DRILL / "gold.jsonl").read_text(encoding="utf-8")
    terse.write_text(re.sub(r'("id": "b-checks", "text": )"[^"]*"', r'\1"B verifies its answer."', shipped), encoding="utf-8")
    assert terse.read_text(encoding="utf-8") != shipped
    result = CliRunner().invoke(
        main, ["gold", "lint", str(terse), "--items", str(DRILL / "items.jsonl"), "--rubric", str(ROOT / "rubrics" / "hhh.yaml")]
    )
    assert result.exit_code == 1
    assert "drill-13: key point b-checks: says too little" in result.output
    assert result.output.rstrip().endswith("1 warning in 26 gold answers.")
    result = CliRunner().invoke(
        main, ["gold", "lint", str(DRILL / "gold.jsonl"), "--items", str(DRILL / "items.jsonl"), "--rubric", str(ROOT / "rubrics" / "hhh.yaml")]
    )
    assert result.exit_code == 0 and "nothing to warn about" in result.output  # the shipped examples are clean


def test_the_same_warning_on_many_answers_is_one_line_that_counts_them():
    from rationale.grading.gold_lint import GoldWarning
    from rationale.render.gold import render_gold_warnings

    warnings = [GoldWarning(f"pandalm-{n}", "no_key_points", "has no key points") for n in range(999)]
    warnings.append(GoldWarning("pandalm-7", "key_point_too_short", "says too little", key_point="kp1"))
    lines = render_gold_warnings("gold.jsonl", 999, warnings).splitlines()
    assert lines == [
        "gold.jsonl: 999 gold answers (pandalm-0, pandalm-1, pandalm-2, pandalm-3, pandalm-4 and 994 more): has no key points [no_key_points]",
        "gold.jsonl: pandalm-7: key point kp1: says too little [key_point_too_short]",
        "1000 warnings in 999 gold answers.",
    ]


def test_an_invalid_gold_file_exits_2(tmp_path):
    bad = tmp_path / "gold.jsonl"
    bad.write_text('{"item_id": "drill-01"}\n', encoding="utf-8")
    result = CliRunner().invoke(
        main, ["gold", "lint", str(bad), "--items", str(DRILL / "items.jsonl"), "--rubric", str(ROOT / "rubrics" / "hhh.yaml")]
    )
    assert result.exit_code == 2
