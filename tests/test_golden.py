"""`rationale grade --json` on the shipped example drill matches a checked-in golden file.

Any change to the examples, the rubric or the grader changes this output on
purpose; when it does, read the diff, and if it is what you meant, regenerate:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py

Volatile fields (run id, database path, timestamps, duration) are removed
before comparing.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from rationale.cli import main

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden" / "grade_examples.json"
VOLATILE_RUN_FIELDS = ("id", "db", "started", "finished", "seconds")


def stable(document: dict) -> dict:
    for name in VOLATILE_RUN_FIELDS:
        document["run"].pop(name)
    return document


def test_grading_the_example_drill_matches_the_golden_file(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)  # relative paths, so the recorded inputs do not depend on the checkout's location
    result = CliRunner().invoke(
        main,
        [
            "grade", "examples/drill/judgments.jsonl",
            "--rubric", "rubrics/hhh.yaml",
            "--gold", "examples/drill/gold.jsonl",
            "--items", "examples/drill/items.jsonl",
            "--db", str(tmp_path / "golden.db"),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    actual = stable(json.loads(result.stdout))
    text = json.dumps(actual, indent=2, ensure_ascii=False) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), text.splitlines(keepends=True), "golden", "actual", n=2
            )
        )
        pytest.fail(f"grade --json on the examples changed (UPDATE_GOLDEN=1 regenerates if intended):\n{diff[:6000]}")
