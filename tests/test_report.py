"""Rendering: the grading report as text and JSON, and `rationale rubric show`."""

from __future__ import annotations

import json
from pathlib import Path

import click
from click.testing import CliRunner

from rationale.cli import main
from rationale.grading.pipeline import grade_files
from rationale.io import load_rubric
from rationale.render.grade import grading_json, render_grading_text
from rationale.render.rubric import render_rubric

TINY = Path(__file__).parent / "data" / "tiny"


def tiny_report(tmp_path, annotator=None):
    return grade_files(
        [TINY / "judgments.jsonl"],
        rubric_path=TINY / "rubric.yaml",
        gold_path=TINY / "gold.jsonl",
        items_path=TINY / "items.jsonl",
        db_path=tmp_path / "r.db",
        annotator=annotator,
    )


def test_json_report_parses_and_holds_every_result(tmp_path):
    document = json.loads(grading_json(tiny_report(tmp_path)))
    assert len(document["results"]) == 3
    assert document["results"][1]["gold"] == {"preference": "B", "strength": 2}


def test_json_report_with_no_judgments_is_still_one_valid_document(tmp_path):
    document = json.loads(grading_json(tiny_report(tmp_path, annotator="nobody")))
    assert document["results"] == []
    assert document["summary"]["n"] == 0
    assert document["summary"]["accuracy"] is None


def test_text_report_with_no_judgments_says_so(tmp_path):
    text = click.unstyle(render_grading_text(tiny_report(tmp_path, annotator="nobody")))
    assert text.startswith("Graded 0 judgments")
    assert "mean score      n/a" in text


def test_text_report_shows_strength_signed_beside_gold(tmp_path):
    text = click.unstyle(render_grading_text(tiny_report(tmp_path)))
    capital = next(line for line in text.splitlines() if line.startswith("capital"))
    assert capital.split()[:5] == ["capital", "A", "-1", "✗", "B"]


def test_rubric_view_lists_criteria_with_weights_and_all_five_levels():
    text = click.unstyle(render_rubric(load_rubric(TINY / "rubric.yaml")))
    assert "Honesty (honesty) — weight 2 (67%)" in text
    assert [line.strip()[:2] for line in text.splitlines() if line.strip()[:2] in ("5:", "4:", "3:", "2:", "1:")] == [
        "5:", "4:", "3:", "2:", "1:"
    ] * 2


def test_rubric_view_shows_scale_priority_requirements_and_pass_mark():
    text = click.unstyle(render_rubric(load_rubric(TINY / "rubric.yaml")))
    assert "  -2  A much better" in text and "  +2  B much better" in text
    assert "honesty > helpfulness" in text
    assert "words: 8–80" in text
    assert "'better overall'" in text
    assert "pass mark: 70/100" in text


def test_rubric_show_command_prints_the_view():
    result = CliRunner().invoke(main, ["rubric", "show", str(TINY / "rubric.yaml")])
    assert result.exit_code == 0, result.output
    assert result.output == click.unstyle(render_rubric(load_rubric(TINY / "rubric.yaml"))) + "\n"


def test_info_notes_are_shown_after_the_top_problems():
    from rationale.models import FindingBrief, JudgmentResult

    problems = tuple(FindingBrief(f"p{i}", "major", f"problem {i}") for i in range(4))
    note = FindingBrief("held_back_by_critical", "info", "a note")
    result = JudgmentResult("f", 1, "q", "ana", "A", -1, "A", -1, 80.0, False, True, 0, (), problems + (note,))
    assert [f.code for f in result.top_findings()] == ["p0", "p1", "p2", "held_back_by_critical"]


def test_each_json_result_is_written_exactly_as_json_dumps_with_an_indent_writes_it():
    import enum

    from rationale.render.grade import _indented_json

    class Colour(str, enum.Enum):
        RED = "red"

    values = [
        {"file": "j.jsonl", "line": 3, "gold": {"preference": "B", "strength": -2}, "score": 72.5, "passed": True,
         "flag": False, "none": None, "empty_list": [], "empty_dict": {}, "tuple": ("a", 1),
         "text": 'quote " back\\slash\nnew line \t tab \u2028 é 漢 \x00 \U0001f600',
         "nested": [{"k": [1.0, -0.0, 1e300, 3]}, [], [[{}]]]},
        {"nan": float("nan"), "inf": float("inf"), "-inf": float("-inf"), "big": 10**30},
        {"enum": Colour.RED, "int key": {1: "one"}},  # not plain JSON types: json.dumps itself writes them
        [], {}, "plain", 0, None,
    ]
    for value in values:
        assert _indented_json(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_a_table_row_counts_repeated_codes_and_lists_the_top_problems_then_the_notes_beneath():
    from rationale.models import FindingBrief, JudgmentResult
    from rationale.render.grade import _table_lines

    findings = (
        FindingBrief("missed_key_point", "major", "first point missed"),
        FindingBrief("missed_key_point", "major", "second point missed"),
        FindingBrief("no_evidence_quoted", "major", "no quote"),
        FindingBrief("vague_language", "minor", "vague"),
        FindingBrief("held_back_by_critical", "info", "a note"),
    )
    failed = JudgmentResult("f", 1, "q", "ana", "A", -1, "B", 2, 12.5, False, False, 3, (), findings, "h", 0.0, 25.0)
    clean = JudgmentResult("f", 2, "q", "bo", "B", 2, "B", 2, 100, True, True, 0, (), (), "h2", 100.0, None)
    lines = [click.unstyle(line) for line in _table_lines([failed, clean], (1, 3), show_annotator=True)]
    assert lines[1:] == [
        "q     ana        A -1  ✗ B +2     12.5        0        25  FAIL    missed_key_point ×2, no_evidence_quoted, vague_language",
        "                 !  first point missed",
        "                 !  second point missed",
        "                 !  no quote",
        "                 i  a note",
        "q     bo         B +2  ✓ B +2    100.0      100         -  pass    -",
    ]
