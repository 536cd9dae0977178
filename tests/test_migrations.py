"""Migrations: names sort in the order they run, and a database made by release 0.1.0 upgrades in place."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from rationale.cli import main
from rationale.store import open_db
from rationale.store.migrations import LEGACY_NAMES, MIGRATIONS

RELEASE_DUMP = Path(__file__).parent / "data" / "release-0.1.0.sql"
RELEASE_NAMES = ["m001_foundation", "m030_drill", "m040_settings_and_revisions", "m010_critiques", "m020_calibration"]


def names() -> list[str]:
    return [fn.__name__ for fn in MIGRATIONS]


@pytest.fixture
def release_db(tmp_path: Path) -> Path:
    """A database file exactly as release 0.1.0 left it (from the committed dump)."""
    path = tmp_path / "release.db"
    conn = sqlite3.connect(path)
    conn.executescript(RELEASE_DUMP.read_text(encoding="utf-8"))
    conn.close()
    return path


def snapshot(path: Path) -> dict[str, object]:
    conn = sqlite3.connect(path)
    tables = [r[0] for r in conn.execute("select name from sqlite_master where type = 'table' and name != '_migrations'")]
    found = {
        "schema": sorted(conn.execute("select type, name, sql from sqlite_master where name != '_migrations'").fetchall()),
        "rows": {t: sorted(map(repr, conn.execute(f'select * from "{t}"').fetchall())) for t in tables},
        "migrations": dict(conn.execute("select name, applied_at from _migrations").fetchall()),
    }
    conn.close()
    return found


def test_migration_names_sort_in_the_order_they_run():
    assert names() == sorted(names())
    assert len(set(names())) == len(names())


def test_every_migration_is_named_m_three_digits_and_what_it_does():
    assert all(n[0] == "m" and n[1:4].isdigit() and n[4] == "_" for n in names())


def test_each_legacy_name_maps_to_a_migration_that_exists():
    assert set(LEGACY_NAMES.values()) <= set(names())
    assert set(LEGACY_NAMES) | {"m001_foundation"} == set(RELEASE_NAMES)


def test_the_release_database_records_its_migrations_under_the_old_names(release_db):
    assert list(snapshot(release_db)["migrations"]) == RELEASE_NAMES  # in the order they ran


AFTER_RELEASE = [n for n in names() if n[:4] > "m005"]
"""Migrations added since release 0.1.0: they run once on its databases."""


def test_opening_a_release_database_runs_no_migration_again_and_keeps_every_row(release_db):
    before = snapshot(release_db)
    db = open_db(release_db)
    db.conn.close()
    after = snapshot(release_db)
    assert {name for _, name, _ in after["schema"]} >= {name for _, name, _ in before["schema"]}
    assert {t: rows for t, rows in after["rows"].items() if t in before["rows"]}.keys() == before["rows"].keys()
    renamed = {LEGACY_NAMES.get(name, name): applied for name, applied in before["migrations"].items()}
    assert {n: a for n, a in after["migrations"].items() if n in renamed} == renamed  # the same applied_at: nothing ran again
    assert sorted(after["migrations"]) == names()
    assert sorted(set(after["migrations"]) - set(renamed)) == AFTER_RELEASE


def test_a_release_databases_grades_keep_their_values_and_gain_empty_version_two_columns(release_db):
    conn = sqlite3.connect(release_db)
    before = conn.execute("select id, score, passed, components from grades order by id").fetchall()
    conn.close()
    open_db(release_db).conn.close()
    conn = sqlite3.connect(release_db)
    after = conn.execute("select id, score, passed, components, verdict_score, reasoning_score from grades order by id").fetchall()
    conn.close()
    assert [row[:4] for row in after] == before
    assert all(row[4:] == (None, None) for row in after)


def test_opening_an_upgraded_database_again_changes_nothing(release_db):
    open_db(release_db).conn.close()
    once = snapshot(release_db)
    open_db(release_db).conn.close()
    assert snapshot(release_db) == once


def test_the_commands_read_a_release_database(release_db, tmp_path):
    db = str(release_db)
    progress = CliRunner().invoke(main, ["progress", "ana", "--db", db])
    assert progress.exit_code == 0, progress.output
    assert "Progress of ana: 3 graded answers in 1 session" in progress.output  # graded; the revision is no session
    assert "Revised: 1 answer; mean score" in progress.output
    history = CliRunner().invoke(main, ["calibrate", "--history", "careful", "--db", db])
    assert history.exit_code == 0, history.output
    assert "release" in history.output
    out = tmp_path / "examples.jsonl"
    exported = CliRunner().invoke(main, ["export", "--format", "jsonl", "-o", str(out), "--db", db])
    assert exported.exit_code == 0, exported.output
    assert len(out.read_text(encoding="utf-8").splitlines()) == 89  # 90 answers; the revision shows with its original


def test_grading_into_a_release_database_adds_to_it(release_db):
    tiny = Path(__file__).parent / "data" / "tiny"
    result = CliRunner().invoke(
        main,
        ["grade", str(tiny / "judgments.jsonl"), "--rubric", str(tiny / "rubric.yaml"), "--gold", str(tiny / "gold.jsonl"),
         "--items", str(tiny / "items.jsonl"), "--db", str(release_db)],
    )
    assert result.exit_code == 0, result.output
    assert "0 new judgments" in result.output  # graded by the release already: nothing to add
