"""`rationale drill --critique MODEL`: the second reviewer after each answer, against a local fake server."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from fake_openai import FakeOpenAI
from rationale.cli import main

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

DATA = Path(__file__).parent / "data" / "drill"
MOON = ["B", "2", "honesty", 'A says "walked on the Moon in 1972", which is wrong; B says "in 1969, during Apollo 11".', "."]


def drill(tmp_path: Path, *extra: str, stdin: str):
    args = [
        "drill",
        "--items", str(DATA / "items.jsonl"),
        "--gold", str(DATA / "gold.jsonl"),
        "--rubric", str(DATA / "rubric.yaml"),
        "--annotator", "tara",
        "--db", str(tmp_path / "drill.db"),
        "--order", "new",
        "--n", "1",
        *extra,
    ]
    return CliRunner().invoke(main, args, input=stdin)


def test_each_answer_gets_the_second_reviewers_critique_after_the_reference(tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    only_moon, moon_gold = tmp_path / "items.jsonl", tmp_path / "gold.jsonl"
    only_moon.write_text((DATA / "items.jsonl").read_text().splitlines()[0] + "\n")
    moon_gold.write_text((DATA / "gold.jsonl").read_text().splitlines()[0] + "\n")
    with FakeOpenAI() as server:
        result = CliRunner().invoke(
            main,
            [
                "drill", "--items", str(only_moon), "--gold", str(moon_gold), "--rubric", str(DATA / "rubric.yaml"),
                "--annotator", "tara", "--db", str(tmp_path / "drill.db"), "--n", "1",
                "--critique", "openai/fake-reviewer", "--api-base", server.api_base,
            ],
            input="\n".join(MOON) + "\n",
        )
        calls = server.calls()
    assert result.exit_code == 0, result.output
    assert result.output.index("Reference rationale") < result.output.index("Second reviewer:")
    assert "Its own verdict:" in result.output
    assert calls >= 1
    with sqlite3.connect(tmp_path / "drill.db") as conn:
        stored = conn.execute("select c.status from critiques c join judgments j on j.hash = c.judgment_hash").fetchall()
    assert stored == [("ok",)]


def test_a_missing_api_key_stops_before_anything_is_written(tmp_path, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    result = drill(tmp_path, "--critique", "openai/gpt-4o-mini", stdin="")
    assert result.exit_code == 1
    assert "OPENAI_API_KEY" in result.output
    assert not (tmp_path / "drill.db").exists()
