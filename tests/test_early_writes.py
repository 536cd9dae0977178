"""`grade` writes while it grades once a second reading has found the whole input valid, and never before."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from rationale.errors import InputError
from rationale.grading import pipeline
from rationale.grading.pipeline import InputCheck, grade_files
from rationale.io import load_references

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "drill"
RUBRIC = ROOT / "rubrics" / "hhh.yaml"


def _grade(judgments: Path, db: Path, **options):
    return grade_files([judgments], rubric_path=RUBRIC, gold_path=EXAMPLES / "gold.jsonl",
                       items_path=EXAMPLES / "items.jsonl", db_path=db, workers=1, **options)


def _grades_stored(db: Path) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(db)
    try:
        return conn.execute("select count(*) from grades").fetchone()[0]
    except sqlite3.OperationalError:  # no tables yet
        return 0
    finally:
        conn.close()


@pytest.fixture
def checked_at_once(monkeypatch):
    """The check runs to its end as soon as it is started, and batches (of grades and of links) are 5 judgments."""
    monkeypatch.setattr(pipeline, "WRITE_BATCH", 5)
    monkeypatch.setattr(pipeline, "LINK_BATCH", 5)
    monkeypatch.setattr(pipeline, "InputCheck", lambda *args, **kwargs: InputCheck(*args, **kwargs, background=False))


def _references():
    return load_references(RUBRIC, EXAMPLES / "items.jsonl", EXAMPLES / "gold.jsonl")


def test_grades_are_written_before_grading_ends_once_the_input_is_known_valid(tmp_path, checked_at_once):
    db = tmp_path / "r.db"
    stored_when_last_graded = []

    def on_progress(graded: int, _total) -> None:
        if graded == 26:
            stored_when_last_graded.append(_grades_stored(db))

    report = _grade(EXAMPLES / "judgments.jsonl", db, on_progress=on_progress)
    assert stored_when_last_graded and stored_when_last_graded[0] >= 20  # five batches of five were written already
    assert report.run.counts["grades_new"] == _grades_stored(db) == 26


def test_a_bad_line_at_the_end_still_leaves_the_database_untouched(tmp_path, checked_at_once):
    lines = (EXAMPLES / "judgments.jsonl").read_text(encoding="utf-8").splitlines()
    bad = json.loads(lines[0]) | {"annotator": "late", "strength": 7}
    judgments = tmp_path / "judgments.jsonl"
    judgments.write_text("\n".join([*lines, json.dumps(bad)]) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        _grade(judgments, tmp_path / "r.db")
    assert any(p.line == 27 and p.field == "strength" for p in raised.value.problems)
    assert _grades_stored(tmp_path / "r.db") == 0


def _checked(paths: list[str], gold=None) -> InputCheck:
    rubric, items, all_gold = _references()
    check = InputCheck(paths, items, all_gold if gold is None else gold, rubric, None, background=False)
    check.start()
    return check


def test_the_check_passes_a_valid_file():
    assert _checked([str(EXAMPLES / "judgments.jsonl")]).passed


def test_the_check_does_nothing_until_started():
    rubric, items, gold = _references()
    assert not InputCheck([str(EXAMPLES / "judgments.jsonl")], items, gold, rubric, None, background=False).passed


def test_a_rerun_with_every_grade_stored_never_starts_the_check(tmp_path, monkeypatch, checked_at_once):
    _grade(EXAMPLES / "judgments.jsonl", tmp_path / "r.db")
    monkeypatch.setattr(InputCheck, "start", lambda self: pytest.fail("a re-run with nothing new read its input twice"))
    assert _grade(EXAMPLES / "judgments.jsonl", tmp_path / "r.db").run.counts["grades_new"] == 0


def test_stdin_cannot_be_read_twice_so_it_is_never_passed():
    assert not _checked(["-"]).passed


def test_a_file_changed_while_it_was_checked_is_not_passed(monkeypatch):
    stamps = iter([[(1, 1, 1)], [(2, 2, 1)]])  # as found before the check, then after it
    monkeypatch.setattr(pipeline, "_file_stamps", lambda paths: next(stamps))
    assert not _checked([str(EXAMPLES / "judgments.jsonl")]).passed


def test_input_with_no_gold_for_any_judgment_is_not_passed():
    assert not _checked([str(EXAMPLES / "judgments.jsonl")], gold={}).passed
