"""The bad-input corpus: one file per case in tests/data/bad/, with the exact messages in expected.json.

A file's name says which input it is (`judgments-`, `items-`, `gold-`,
`rubric-`); the other inputs come from the small good set in tests/data/good/.
Paths are given relative to tests/data/bad/ so messages show the bare file name.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rationale import io as loaders
from rationale.cli import main
from rationale.store import open_db
from rationale.errors import InputError, InputProblem

DATA = Path(__file__).parent / "data"
BAD = DATA / "bad"
GOOD = Path("..") / "good"  # relative to BAD, where the tests run
EXPECTED: dict[str, list[str]] = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))
CASES = sorted(EXPECTED)


def _kind(case: str) -> str:
    return case.split("-", 1)[0]


def _load_case(case: str) -> list[InputProblem]:
    rubric = loaders.load_rubric(GOOD / "rubric.yaml")
    items = loaders.load_items(GOOD / "items.jsonl")
    problems: list[InputProblem] = []
    try:
        if _kind(case) == "judgments":
            list(loaders.iter_judgments([case], items, rubric, problems))
        elif _kind(case) == "items":
            loaders.load_items(case)
        elif _kind(case) == "gold":
            loaders.load_gold(case, items, rubric)
        elif _kind(case) == "rubric":
            loaders.load_rubric(case)
        else:
            raise AssertionError(f"no loader for {case}")
    except InputError as exc:
        problems = exc.problems
    return problems


def _grade_args(case: str | None, db: Path) -> list[str]:
    inputs = {
        "judgments": str(GOOD / "judgments.jsonl"),
        "rubric": str(GOOD / "rubric.yaml"),
        "gold": str(GOOD / "gold.jsonl"),
        "items": str(GOOD / "items.jsonl"),
    }
    if case is not None:
        inputs[_kind(case)] = case
    return [
        "grade",
        inputs["judgments"],
        "--rubric",
        inputs["rubric"],
        "--gold",
        inputs["gold"],
        "--items",
        inputs["items"],
        "--db",
        str(db),
    ]


def _database_bytes(db: Path) -> bytes:
    digest = hashlib.sha256()
    for part in (db, db.with_name(db.name + "-wal")):
        if part.exists():
            digest.update(part.name.encode() + b"\0" + part.read_bytes())
    return digest.digest()


def test_corpus_has_at_least_twenty_cases_each_with_a_file():
    assert len(CASES) >= 20
    for case in CASES:
        assert (BAD / case).is_file(), case
        assert EXPECTED[case], f"{case} lists no expected message"


def test_every_file_in_the_corpus_has_expected_messages():
    files = {p.name for p in BAD.iterdir() if p.name != "expected.json"}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("case", CASES)
def test_loader_reports_exact_messages(case, monkeypatch):
    monkeypatch.chdir(BAD)
    assert [str(p) for p in _load_case(case)] == EXPECTED[case]


@pytest.mark.parametrize("case", CASES)
def test_grade_exits_2_with_exact_messages_and_leaves_database_unchanged(case, monkeypatch, tmp_path):
    db_path = tmp_path / "rationale.db"
    open_db(db_path).conn.close()
    before = _database_bytes(db_path)
    monkeypatch.chdir(BAD)

    result = CliRunner().invoke(main, _grade_args(case, db_path))

    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert lines[:-1] == EXPECTED[case]
    count = len(EXPECTED[case])
    assert lines[-1].startswith(f"error: {count} problem")
    assert result.stdout == ""
    assert _database_bytes(db_path) == before


def test_database_fingerprint_changes_when_grade_writes(monkeypatch, tmp_path):
    # The control for the test above: good input does change the bytes we compare.
    db_path = tmp_path / "rationale.db"
    open_db(db_path).conn.close()
    before = _database_bytes(db_path)
    monkeypatch.chdir(BAD)

    result = CliRunner().invoke(main, _grade_args(None, db_path))

    assert result.exit_code == 0, result.output
    assert _database_bytes(db_path) != before


@pytest.mark.parametrize("command", [["progress", "tara"], ["export", "--format", "jsonl", "-o", "-"], ["calibrate", "--history", "tara"]])
def test_a_db_that_is_not_a_database_exits_2_with_one_line_not_a_traceback(command, tmp_path):
    notes = tmp_path / "notes.md"
    notes.write_text("# my notes\n" * 20, encoding="utf-8")
    result = CliRunner().invoke(main, [*command, "--db", str(notes)])
    assert result.exit_code == 2, result.output
    assert result.output.splitlines()[0] == f"{notes}: --db: is not a rationale database (SQLite: file is not a database); give another --db"
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", ["grade", "calibrate"])
def test_a_bad_items_file_does_not_hide_a_gold_or_judgments_file_that_is_missing(command, tmp_path):
    empty = tmp_path / "items.jsonl"
    empty.write_text("", encoding="utf-8")
    gold, judgments = tmp_path / "no-gold.jsonl", tmp_path / "no-judgments.jsonl"
    result = CliRunner().invoke(main, [command, str(judgments), "--rubric", str(DATA / "good" / "rubric.yaml"),
                                       "--items", str(empty), "--gold", str(gold), "--db", str(tmp_path / "r.db")])
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        f"{empty}: (file): file holds no records",
        f"{gold}: (file): file not found",
        f"{judgments}: (file): file not found",
        "error: 3 problems in the input; nothing was written.",
    ]
    assert not (tmp_path / "r.db").exists()
