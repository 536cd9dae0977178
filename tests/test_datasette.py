"""The shipped Datasette metadata loads in the real `datasette` package, and every canned query runs."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from rationale.cli import main
from rationale.store.datasette import QUERIES, TABLES, metadata

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def graded_db(tmp_path_factory) -> Path:
    """The shipped drill graded, and the shipped calibration batch calibrated, into rationale.db."""
    folder = tmp_path_factory.mktemp("datasette")
    db = folder / "rationale.db"
    refs = ["--rubric", str(ROOT / "rubrics/hhh.yaml"), "--gold", str(ROOT / "examples/drill/gold.jsonl"),
            "--items", str(ROOT / "examples/drill/items.jsonl"), "--db", str(db)]
    assert CliRunner().invoke(main, ["grade", str(ROOT / "examples/drill/judgments.jsonl"), *refs]).exit_code == 0
    return db


def get(db: Path, path: str) -> tuple[int, dict]:
    from datasette.app import Datasette

    async def fetch():
        ds = Datasette([str(db)], metadata=metadata(db.stem))
        await ds.invoke_startup()
        response = await ds.client.get(path)
        return response.status_code, response.json()

    return asyncio.run(fetch())


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_each_canned_query_runs_in_datasette(graded_db, name):
    params = {"weakest_criteria": "?annotator=trainee-tara", "trainee_history": "?annotator=trainee-tara",
              "search_rationales": "?text=canberra"}.get(name, "")
    status, body = get(graded_db, f"/rationale/{name}.json{params}&_shape=objects".replace(".json&", ".json?"))
    assert status == 200, body
    assert "rows" in body and (name == "open_escalations" or body["rows"])


def test_the_weakest_criteria_count_misses_where_the_criterion_decided(graded_db):
    _, body = get(graded_db, "/rationale/weakest_criteria.json?annotator=trainee-tara&_shape=objects")
    rows = {r["criterion"]: r for r in body["rows"]}
    assert rows["instruction_following"]["missed_where_decisive"] >= 1
    assert all(r["annotator"] == "trainee-tara" for r in body["rows"])


def test_the_judgments_table_has_full_text_search_on_rationales(graded_db):
    status, body = get(graded_db, "/rationale/judgments.json?_search=Canberra&_shape=objects")
    assert status == 200
    assert body["rows"] and all("canberra" in r["rationale"].lower() for r in body["rows"])


def test_the_search_index_follows_every_new_answer(graded_db, tmp_path):
    import shutil
    import sqlite3

    db = tmp_path / "rationale.db"
    shutil.copy(graded_db, db)
    with sqlite3.connect(db) as conn:
        conn.execute("update judgments set rationale = 'zanzibar' where rowid = 1")
    _, body = get(db, "/rationale/search_rationales.json?text=zanzibar&_shape=objects")
    assert len(body["rows"]) == 1 and body["rows"][0]["match"] == "[zanzibar]"


@pytest.mark.parametrize("text", ["O(n)", "isn't", "c++ a-b"])
def test_the_rationale_search_takes_punctuation_as_typed_not_as_fts5_syntax(graded_db, text):
    status, body = get(graded_db, f"/rationale/search_rationales.json?text={quote(text)}&_shape=objects")
    assert status == 200, body
    assert body["ok"] is True


def test_the_rationale_search_finds_a_word_typed_with_punctuation(graded_db):
    _, body = get(graded_db, f"/rationale/search_rationales.json?text={quote('O(n)')}&_shape=objects")
    assert body["rows"] and all("o(n)" in r["rationale"].lower() for r in body["rows"])


def test_table_descriptions_and_units_reach_datasette(graded_db):
    _, body = get(graded_db, "/-/metadata.json")
    tables = body["databases"]["rationale"]["tables"]
    assert tables["grades"]["columns"]["score"].startswith("0-100 points")
    assert tables["judgments"]["units"] == {"seconds": "s"}
    assert set(tables) == set(TABLES)


def test_every_described_table_exists_in_a_migrated_database(graded_db):
    import sqlite3

    with sqlite3.connect(graded_db) as conn:
        names = {r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view')")}
    assert set(TABLES) <= names


def test_browse_prints_the_metadata_for_the_database_it_names(tmp_path):
    result = CliRunner().invoke(main, ["browse", "--metadata", "--db", str(tmp_path / "team.db")])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert set(document["databases"]) == {"team"} and set(document["databases"]["team"]["queries"]) == set(QUERIES)


def test_every_table_a_lead_can_open_has_a_description(graded_db):
    import sqlite3

    with sqlite3.connect(graded_db) as conn:
        names = {r[0] for r in conn.execute("select name from sqlite_master where type in ('table', 'view')")}
    # SQLite's own tables, the migration log and the full-text index's shadow tables are Datasette's to show, not ours.
    ours = {n for n in names if not n.startswith(("sqlite_", "_migrations", "judgments_fts"))}
    assert ours - set(TABLES) == set()


def test_browse_stopped_with_sigterm_stops_datasette_and_removes_its_metadata_folder(graded_db, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    # A stand-in for Datasette that says where it is and serves until killed.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "datasette"
    fake.write_text(f"#!{sys.executable}\nimport os, sys, time\n"
                    f"open({str(tmp_path / 'started')!r}, 'w').write(f'{{os.getpid()}} {{sys.argv[3]}}')\ntime.sleep(60)\n")
    fake.chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    rationale = Path(sys.executable).parent / "rationale"
    browse = subprocess.Popen([str(rationale), "browse", "--db", str(graded_db)], env=env, stderr=subprocess.PIPE)
    started = tmp_path / "started"
    deadline = time.monotonic() + 30
    while not (started.exists() and started.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    pid, meta = started.read_text().split()
    gone = False
    try:
        browse.send_signal(signal.SIGTERM)
        assert browse.wait(timeout=30) == 130
        deadline = time.monotonic() + 10
        while not gone and time.monotonic() < deadline:
            try:
                os.kill(int(pid), 0)
                time.sleep(0.05)
            except ProcessLookupError:
                gone = True
        assert gone, "Datasette outlived `rationale browse`"
        assert not Path(meta).parent.exists()
    finally:  # a failure must not leave the stand-in running
        if browse.poll() is None:
            browse.kill()
        if not gone:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass
