"""Calibration of escalation and confidence: flags against the gold's edge cases, accuracy by stated confidence,
and the example batch written to show a calibrated and an over-confident annotator."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from rationale.calibration.escalation import confidence_calibration, escalation_result
from rationale.cli import main
from rationale.grading import Grader
from rationale.models import Judgment

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = [
    "calibrate", str(ROOT / "examples/calibration/judgments.jsonl"),
    "--items", str(ROOT / "examples/drill/items.jsonl"),
    "--rubric", str(ROOT / "rubrics/hhh.yaml"),
    "--gold", str(ROOT / "examples/calibration/gold.jsonl"),
    "--batch", "example",
]
EDGE = {"flags": ["guideline_unclear"], "reason": "The guideline does not say whether a subtraction bug outweighs a missing docstring."}


# --------------------------------------------------------------------------- confidence, by hand


def test_brier_and_ece_are_computed_from_the_stated_probabilities():
    # Level 5 (100%): 3 right of 4; level 1 (50%): 1 right of 2.
    answers = [(5, True), (5, True), (5, True), (5, False), (1, True), (1, False)]
    result = confidence_calibration(answers)
    assert result.brier == pytest.approx((0 + 0 + 0 + 1 + 0.25 + 0.25) / 6)
    assert result.ece == pytest.approx(4 / 6 * abs(0.75 - 1.0) + 2 / 6 * abs(0.5 - 0.5))
    five = result.levels[4]
    assert (five.n, five.correct, five.accuracy) == (4, 3, 0.75)
    assert five.low < 0.75 < five.high
    assert result.levels[1].n == 0 and result.levels[1].accuracy is None


def test_always_certain_and_often_wrong_is_over_confident():
    result = confidence_calibration([(5, True)] * 14 + [(5, False)] * 6)
    assert result.verdict == "over-confident"


def test_stating_about_how_often_one_is_right_is_calibrated():
    result = confidence_calibration([(4, True)] * 14 + [(4, False)] * 2 + [(2, True)] * 2 + [(2, False)] * 2)
    assert result.verdict == "calibrated"


def test_always_a_guess_and_always_right_is_under_confident():
    assert confidence_calibration([(1, True)] * 20).verdict == "under-confident"


def test_few_answers_are_not_enough_evidence():
    assert confidence_calibration([(5, False)] * 5).verdict == "not enough evidence"


def test_no_confidence_given_gives_no_calibration():
    assert confidence_calibration([]) is None


# --------------------------------------------------------------------------- escalation, on graded answers


def _graded(make_rubric, grading_item, make_gold, answers):
    """(votes, grades, gold) for one annotator's answers [(item id, gold fields, judgment fields)]."""
    grader = Grader(make_rubric())
    votes, grades, gold = {}, {}, {}
    for item_id, gold_fields, fields in answers:
        item = grading_item.model_copy(update={"id": item_id})
        g = make_gold(item_id=item_id, **gold_fields)
        j = Judgment.model_validate({"item_id": item_id, "annotator": "ana", "preference": "B", "strength": 3,
                                     "rationale": "B adds; A subtracts.", **fields})
        votes[item_id], grades[item_id], gold[item_id] = j, grader.grade(j, item, g), g
    return votes, grades, gold


def test_hits_misses_and_false_alarms_are_counted_against_the_gold_edge_cases(make_rubric, grading_item, make_gold):
    flag = {"flags": ["guideline_unclear"], "flag_note": "Unclear."}
    votes, grades, gold = _graded(make_rubric, grading_item, make_gold, [
        ("e1", {"edge_case": EDGE}, flag),
        ("e2", {"edge_case": EDGE}, {}),
        ("c1", {}, flag),
        ("c2", {}, {}),
        ("c3", {"safety_critical": True}, {"flags": ["harmful_content"]}),
    ])
    result = escalation_result(votes, grades, gold)
    assert (result.edge_cases, result.flagged, result.hits, result.misses, result.false_alarms) == (2, 3, 1, 1, 1)
    assert result.hit_rate == 0.5 and result.false_alarm_rate == pytest.approx(1 / 3)
    assert result.rate.rate == pytest.approx(3 / 5) and result.rate.gold_rate == pytest.approx(2 / 5)
    assert result.flags == {"guideline_unclear": 2, "harmful_content": 1}


def test_no_edge_case_and_no_flag_gives_no_escalation_section(make_rubric, grading_item, make_gold):
    assert escalation_result(*_graded(make_rubric, grading_item, make_gold, [("c1", {}, {})])) is None


# --------------------------------------------------------------------------- the example batch


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    db = tmp_path_factory.mktemp("example") / "cal.db"
    result = CliRunner().invoke(main, [*EXAMPLE, "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _annotator(report, name):
    return next(r for r in report["annotator_results"] if r["name"] == name)


def test_the_example_batch_shows_a_calibrated_and_an_over_confident_annotator(example):
    cara, raj = _annotator(example, "careful-cara"), _annotator(example, "rushed-raj")
    assert cara["confidence"]["verdict"] == "calibrated"
    assert raj["confidence"]["verdict"] == "over-confident"
    assert raj["confidence"]["brier"] > 3 * cara["confidence"]["brier"]
    assert raj["confidence"]["ece"] > cara["confidence"]["ece"]
    assert any(b.startswith("confidence: over-confident") for b in raj["biases"])


def test_the_example_batch_shows_escalation_hits_misses_and_false_alarms(example):
    cara, lena, raj = (_annotator(example, n)["escalation"] for n in ("careful-cara", "long-lena", "rushed-raj"))
    assert (cara["hits"], cara["misses"], cara["false_alarms"]) == (3, 0, 0)
    assert lena["false_alarms"] > lena["hits"]
    assert raj["flagged"] == 0 and raj["misses"] == raj["edge_cases"]


def test_an_annotator_who_gave_no_confidence_has_no_calibration(example):
    assert _annotator(example, "tie-tomas")["confidence"] is None


def test_contested_items_carry_the_annotators_flags_and_notes_and_the_question_quotes_them(example):
    item = next(c for c in example["contested"] if c["item_id"] == "drill-06")
    assert item["flags"] == {"guideline_unclear": 2}
    assert {n["annotator"] for n in item["flag_notes"]} == {"careful-cara", "tie-tomas"}
    assert item["gold_edge_case"].startswith("Both answers are correct and short")
    question = next(q for q in example["questions"] if "flagged item drill-06" in q)
    assert "the guideline does not say when to call a tie" in question
    assert any("pairs like item drill-06" in p for p in example["proposal"])


def test_text_report_has_an_escalation_and_a_confidence_table(tmp_path):
    out = CliRunner().invoke(main, [*EXAMPLE, "--db", str(tmp_path / "cal.db")]).stdout
    assert "Escalation against the gold's edge cases" in out
    assert re.search(r"careful-cara\s+3\s+3\s+3\s+0\s+0", out)
    assert "Confidence calibration (accuracy by stated confidence)" in out
    assert re.search(r"rushed-raj .* over-confident", out)
    assert "flagged by tie-tomas (guideline_unclear): Both are equally good" in out


def test_a_flag_note_cannot_send_control_sequences_to_the_terminal_through_the_text_report(tmp_path):
    rows = [json.loads(line) for line in (ROOT / "examples/calibration/judgments.jsonl").read_text().splitlines()]
    for row in rows:
        if row.get("flag_note"):
            row["flag_note"] = "clear the screen \x1b[2J\x1b[H and ring \x07"
    judgments = tmp_path / "judgments.jsonl"
    judgments.write_text("".join(json.dumps(row) + "\n" for row in rows))
    report = tmp_path / "report.txt"
    args = [EXAMPLE[0], str(judgments), *EXAMPLE[2:], "--db", str(tmp_path / "cal.db"), "-o", str(report)]
    assert CliRunner().invoke(main, args).exit_code == 0
    text = report.read_text(encoding="utf-8")
    assert "clear the screen \\x1b[2J\\x1b[H and ring \\x07" in text
    assert "\x1b" not in text and "\x07" not in text


def test_html_report_draws_the_reliability_curve_with_a_diagonal_and_a_point_per_level(tmp_path):
    page = tmp_path / "cal.html"
    result = CliRunner().invoke(main, [*EXAMPLE, "--db", str(tmp_path / "cal.db"), "--format", "html", "-o", str(page)])
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    curve = re.search(r'<svg[^>]*aria-label="Reliability curve[^"]*".*?</svg>', html, re.S).group(0)
    assert "<title>perfect calibration</title>" in curve
    assert "rushed-raj: stated 100%, right 71%" in curve
    assert curve.count("<circle") == 4 + 3 + 2  # one point per level used: cara 2-5, lena 2-4, raj 4-5
    assert "Confidence calibration" in html and "Escalation against the gold" in html


def test_the_reliability_curve_escapes_annotator_names():
    from rationale.render.svg import reliability_curve

    svg = reliability_curve({"<script>x</script>": [(0.5, 1.0, 0.5, 1.0, 3)]}, title="t")
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_the_reliability_curve_of_20_annotators_keeps_every_name_and_point_inside_the_chart():
    from rationale.render.svg import reliability_curve

    names = [f"annotator-{n:02d}" for n in range(20)]
    svg = reliability_curve({name: [(0.5, 0.9, 0.7, 1.0, 9), (1.0, 0.8, 0.6, 0.9, 9)] for name in names}, title="t")
    height = float(re.search(r'<svg[^>]* height="([\d.]+)"', svg).group(1))
    legend = {m.group(2): float(m.group(1)) for m in re.finditer(r'<text x="[\d.]+" y="([\d.]+)">(annotator-\d+)</text>', svg)}
    assert sorted(legend) == names and max(legend.values()) <= height
    legend_x = min(float(x) for x in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="12"', svg))
    assert max(float(x) for x in re.findall(r'<circle cx="([\d.]+)"', svg)) < legend_x


def test_the_example_calibration_gold_is_the_drill_gold_with_edge_cases_marked():
    def read(path):
        return [json.loads(line) for line in (ROOT / path).read_text(encoding="utf-8").splitlines()]

    drill, calibration = read("examples/drill/gold.jsonl"), read("examples/calibration/gold.jsonl")
    assert [{k: v for k, v in g.items() if k != "edge_case"} for g in calibration] == drill
    assert [g["item_id"] for g in calibration if "edge_case" in g] == ["drill-06", "drill-16", "drill-20"]


def test_the_portfolio_audit_line_names_escalation_and_confidence(tmp_path):
    from rationale.calibration import audit_sections, calibrate_files
    from rationale.store import open_db

    calibrate_files([ROOT / "examples/calibration/judgments.jsonl"], items_path=ROOT / "examples/drill/items.jsonl",
                    rubric_path=ROOT / "rubrics/hhh.yaml", gold_path=ROOT / "examples/calibration/gold.jsonl",
                    batch="example", db_path=tmp_path / "c.db", samples=50)
    audit = audit_sections(open_db(tmp_path / "c.db"))["audit"]
    raj = next(line for line in audit if line.startswith("rushed-raj"))
    assert "escalated 0 of 2 edge cases, 0 clear items flagged" in raj
    assert "confidence over-confident (stated 99%, right 74%)" in raj
    assert raj.count("over-confident") == 1
