"""`rationale rubric validate|show`: every problem in one run, the words of a read-only check, one format option."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from rationale.cli import main

HHH = Path(__file__).resolve().parents[1] / "rubrics" / "hhh.yaml"


def broken_rubric(tmp_path: Path) -> Path:
    """hhh.yaml with a wrong field, a repeated criterion id, an unknown priority and a lopsided scale."""
    data = yaml.safe_load(HHH.read_text(encoding="utf-8"))
    data["criteria"][0]["weight"] = "heavy"
    data["criteria"][1]["id"] = data["criteria"][2]["id"]
    data["criteria_priority"] = ["nonexistent", *data["criteria_priority"]]
    data["strength_scale"] = [s for s in data["strength_scale"] if s["value"] != 3]
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_validate_lists_every_problem_in_one_run(tmp_path):
    result = CliRunner().invoke(main, ["rubric", "validate", str(broken_rubric(tmp_path))])
    assert result.exit_code == 2
    fields = [line.split(": ")[1] for line in result.stderr.splitlines() if line.startswith(str(tmp_path))]
    assert "criteria[0].weight" in fields
    assert {"criteria", "criteria_priority", "strength_scale"} <= set(fields)


def test_validate_never_says_nothing_was_written(tmp_path):
    result = CliRunner().invoke(main, ["rubric", "validate", str(broken_rubric(tmp_path))])
    assert "error: 4 problems in the input." in result.stderr
    assert "written" not in result.stderr


def test_validate_checks_every_rubric_given_and_lists_the_problems_of_each(tmp_path):
    result = CliRunner().invoke(main, ["rubric", "validate", str(HHH), str(broken_rubric(tmp_path))])
    assert result.exit_code == 2
    assert result.stdout.startswith(f"{HHH}: ok (hhh v1.0")
    assert str(broken_rubric(tmp_path)) + ":" in result.stderr


def test_validate_a_good_rubric_prints_its_identity():
    result = CliRunner().invoke(main, ["rubric", "validate", str(HHH)])
    assert result.exit_code == 0 and ": ok (hhh v1.0, 6 criteria, hash " in result.stdout


def test_the_rubric_group_help_has_examples():
    result = CliRunner().invoke(main, ["rubric", "--help"])
    assert "rationale rubric validate rubrics/hhh.yaml" in result.stdout


def test_show_takes_format_json_and_json_as_its_alias():
    by_format = CliRunner().invoke(main, ["rubric", "show", str(HHH), "--format", "json"])
    by_flag = CliRunner().invoke(main, ["rubric", "show", str(HHH), "--json"])
    assert by_format.exit_code == by_flag.exit_code == 0
    assert json.loads(by_format.stdout) == json.loads(by_flag.stdout)
    assert json.loads(by_flag.stdout)["id"] == "hhh"


def test_json_with_another_format_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["progress", "x", "--format", "html", "--json", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "--json and --format html ask for different formats" in result.stderr
