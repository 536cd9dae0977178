"""Choosing what the reviewer reviews, under which rubric, and what a lead sees afterwards.

`--item`, `--limit`, `--judgment` and `--run N` (what run N graded, even when
its grades were already stored); the latest rubric a judgment was graded
under; failed reviews in the `escalations` view with their reason and rubric;
"not priced" rather than "$0"; the elapsed time; the defaults chosen for a
server on this machine.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from fake_openai import FakeOpenAI
from rationale.cli import main
from rationale.critique.batch import CritiqueOptions, critique_stored, resolve_concurrency, resolve_timeout

pytestmark = pytest.mark.usefixtures("loopback_only")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "drill"
RUBRIC_FILE = ROOT / "rubrics" / "hhh.yaml"


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def grade(db: Path, rubric: Path = RUBRIC_FILE, judgments: Path = EXAMPLES / "judgments.jsonl"):
    result = run("grade", str(judgments), "--rubric", str(rubric), "--gold", str(EXAMPLES / "gold.jsonl"),
                 "--items", str(EXAMPLES / "items.jsonl"), "--db", str(db), "--json")
    assert result.exit_code == 0, result.output
    return result


def dry_run(db: Path, *args: str) -> dict:
    result = run("critique", "--model", "openai/fake-reviewer", "--api-base", "http://127.0.0.1:9/v1", "--db", str(db),
                 "--dry-run", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def graded_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("sel") / "r.db"
    grade(db)
    return db


def test_limit_reviews_only_the_first_answers(graded_db):
    assert dry_run(graded_db, "--limit", "3")["selected"] == 3


def test_item_selects_the_answers_to_those_items(graded_db):
    assert dry_run(graded_db, "--item", "drill-04", "--item", "drill-05")["selected"] == 2


def test_judgment_selects_one_answer_by_the_first_characters_of_its_hash(graded_db, db_rows):
    (row,) = db_rows(graded_db, "select hash from judgments where item_id = 'drill-07'")
    assert dry_run(graded_db, "--judgment", row["hash"][:10])["selected"] == 1


def test_run_selects_what_that_run_graded_even_when_every_grade_was_already_stored(tmp_path, db_rows):
    db = tmp_path / "r.db"
    grade(db)
    few = tmp_path / "few.jsonl"
    few.write_text("".join((EXAMPLES / "judgments.jsonl").read_text(encoding="utf-8").splitlines(True)[:4]),
                   encoding="utf-8")
    grade(db, judgments=few)  # the same four answers again: nothing new is stored
    (second,) = db_rows(db, "select max(id) as id from runs where command = 'grade'")
    assert db_rows(db, "select count(*) as n from grades where run_id = ?", (second["id"],))[0]["n"] == 0
    assert dry_run(db, "--run", str(second["id"]))["selected"] == 4


def test_an_unknown_run_is_a_one_line_error(graded_db):
    result = run("critique", "--model", "openai/fake-reviewer", "--api-base", "http://127.0.0.1:9/v1",
                 "--db", str(graded_db), "--dry-run", "--run", "999")
    assert result.exit_code == 1 and "there is no run 999" in result.output


def edited_rubric(tmp_path: Path) -> Path:
    body = yaml.safe_load(RUBRIC_FILE.read_text(encoding="utf-8"))
    body["version"] = str(body["version"]) + "-edited"
    body["title"] = body["title"] + " (edited)"
    path = tmp_path / "edited.yaml"
    path.write_text(yaml.safe_dump(body), encoding="utf-8")
    return path


def test_after_regrading_under_an_edited_rubric_the_reviewer_uses_the_latest_one(tmp_path, db_rows, reviewer_model,
                                                                                  critique_options):
    db = tmp_path / "r.db"
    grade(db)
    with FakeOpenAI() as fake:
        first = critique_stored(db, critique_options(fake.api_base, swap=False, item_ids=["drill-01", "drill-02"]))
        grade(db, rubric=edited_rubric(tmp_path))
        again = critique_stored(db, critique_options(fake.api_base, swap=False, item_ids=["drill-01", "drill-02"]))
    assert first.succeeded == 2 and again.to_do == 2 and again.already_done == 0
    used = db_rows(db, "select r.version from critiques c join rubrics r on r.hash = c.rubric_hash"
                       " where c.run_id = (select max(run_id) from critiques)")
    assert {u["version"] for u in used} == {yaml.safe_load(RUBRIC_FILE.read_text())["version"] + "-edited"}
    # The lead sees each answer once, with the rubric of its newest critique.
    view = db_rows(db, "select item_id, rubric_version from escalations")
    assert len(view) == len({v["item_id"] for v in view})


def test_a_failed_review_reaches_the_escalations_view_with_its_reason_and_rubric(critique_judgment, critique_options,
                                                                              db_rows, fill_db, tmp_path):
    db = tmp_path / "r.db"
    fill_db(db, [critique_judgment("q1", "FAULT:500-always A is right.")])
    with FakeOpenAI() as fake:
        critique_stored(db, critique_options(fake.api_base, swap=False))
    (row,) = db_rows(db, "select * from escalations")
    assert row["status"] == "failed" and row["rubric_id"] == "tiny" and row["rubric_version"] == "1"
    assert json.loads(row["escalation_reasons"]) == [f"review_failed: {row['failure_reason']}"]
    assert "HTTP 500" in row["failure_reason"]


def test_a_dry_run_of_an_unpriced_model_says_not_priced(graded_db):
    result = run("critique", "--model", "openai/fake-reviewer", "--api-base", "http://127.0.0.1:9/v1",
                 "--db", str(graded_db), "--dry-run", "--limit", "2")
    assert "cost: not priced (openai/fake-reviewer is not in litellm's price list)" in result.output
    assert "$0" not in result.output


def test_a_dry_run_of_a_priced_model_gives_an_upper_bound(graded_db, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "test-not-a-real-key")
    report = dry_run(graded_db, "--limit", "2")
    assert report["estimated_cost"] is None and report["cost_known"] is False
    priced = run("critique", "--model", "openai/gpt-4o-mini", "--db", str(graded_db), "--dry-run", "--json", "--limit", "2")
    body = json.loads(priced.stdout)
    assert body["cost_known"] is True and 0 < body["estimated_cost"] < 0.05


def test_the_report_and_progress_show_elapsed_time_and_never_a_zero_cost_for_an_unpriced_model(fill_db, three_judgments,
                                                                                            reviewer_model, tmp_path):
    db = tmp_path / "r.db"
    fill_db(db, three_judgments())
    with FakeOpenAI() as fake:
        args = ["critique", "--model", reviewer_model, "--api-base", fake.api_base, "--db", str(db), "--timeout", "5"]
        first, again = run(*args), run(*args)
    for result in (first, again):  # the re-run sends nothing and still does not claim "$0.0000"
        assert "cost: not priced" in result.output and "$0" not in result.output
    assert " s\n" in first.output.split("critiqued 3/3")[1].split("requests sent")[0]


class SlotsServer:
    """A stand-in for llama.cpp's own server: it reports its slots at /props."""

    def __init__(self, slots: int):
        body = json.dumps({"total_slots": slots}).encode()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                self.send_response(200 if self.path == "/props" else 404)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.api_base = f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_requests_in_flight_follow_what_a_local_server_says_it_serves_at_once():
    server = SlotsServer(3)
    try:
        assert resolve_concurrency(CritiqueOptions(model="m", api_base=server.api_base))[0] == 3
        assert resolve_concurrency(CritiqueOptions(model="m", api_base=server.api_base, concurrency=8))[0] == 8
    finally:
        server.close()


def test_a_local_server_that_does_not_say_gets_one_request_at_a_time_and_a_long_timeout(fake_server):
    concurrency, why = resolve_concurrency(CritiqueOptions(model="m", api_base=fake_server.api_base))
    assert concurrency == 1 and "--concurrency N" in why
    assert resolve_timeout(CritiqueOptions(model="m", api_base=fake_server.api_base)) == 600
    assert resolve_timeout(CritiqueOptions(model="m", api_base="https://api.example.test/v1")) == 120
    assert resolve_concurrency(CritiqueOptions(model="m", api_base="https://api.example.test/v1"))[0] == 4


def test_the_plan_is_on_stderr_before_the_first_request(fill_db, three_judgments, reviewer_model, fake_server, tmp_path):
    db = tmp_path / "r.db"
    fill_db(db, three_judgments())
    result = CliRunner().invoke(main, ["critique", "--model", reviewer_model, "--api-base",
                                                       fake_server.api_base, "--db", str(db)])
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"critiquing 3 answers with {reviewer_model} at {fake_server.api_base}: concurrency 1")
    assert "timeout 600 s" in first and "output grammar" in first and "reply cap critique" in first


@pytest.fixture
def fake_server():
    with FakeOpenAI() as server:
        yield server
