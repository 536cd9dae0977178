"""`rationale critique` end to end through Click, against the in-process fake server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from fake_openai import FakeOpenAI
from rationale.cli import main

pytestmark = pytest.mark.usefixtures("loopback_only")


@pytest.fixture
def fake():
    with FakeOpenAI() as server:
        yield server


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_critique_reports_done_failed_tokens_and_escalations(fill_db, reviewer_model, three_judgments, fake, tmp_path):
    db = tmp_path / "r.db"
    fill_db(db, three_judgments())
    result = run("critique", "--model", reviewer_model, "--api-base", fake.api_base, "--db", str(db), "--timeout", "2")
    assert result.exit_code == 0, result.output
    assert "critiqued 3/3 · ok 3 · failed 0" in result.output
    assert "ana / q2: reviewer B +1 (confidence 0.80); rationale supports the choice; honesty 4, helpfulness 4;" \
        " issues: vague (minor)" in result.output
    assert "Escalations for a lead (1):" in result.output
    assert "ana / q2: disagrees_with_trainee: reviewer B, trainee A" in result.output


def test_model_and_api_base_default_from_the_environment(fill_db, reviewer_model, three_judgments, fake, tmp_path):
    db = tmp_path / "r.db"
    fill_db(db, three_judgments())
    env = {"RATIONALE_MODEL": reviewer_model, "RATIONALE_API_BASE": fake.api_base}
    result = run("critique", "--db", str(db), "--json", env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["succeeded"] == 3


def test_no_model_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["critique", "--db", str(tmp_path / "r.db")], env={"RATIONALE_MODEL": ""})
    assert result.exit_code == 2 and "no model" in result.output


def test_a_missing_key_is_a_one_line_error_and_exit_1(fill_db, three_judgments, tmp_path, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    db = tmp_path / "r.db"
    fill_db(db, three_judgments())
    result = CliRunner().invoke(main, ["critique", "--model", "anthropic/claude-3-5-haiku-20241022", "--db", str(db)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: ANTHROPIC_API_KEY is not set: model anthropic/claude-3-5-haiku-20241022 needs it (export ANTHROPIC_API_KEY=...)"
    ]


def test_dry_run_prints_calls_and_token_estimate_and_sends_nothing(fill_db, reviewer_model, three_judgments, fake, tmp_path):
    db = tmp_path / "r.db"
    fill_db(db, three_judgments())
    result = run("critique", "--model", reviewer_model, "--api-base", fake.api_base, "--db", str(db), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "requests to send: 6" in result.output and "prompt tokens: about" in result.output
    assert fake.calls() == 0


def test_evaluate_prints_agreement_consistency_and_kappa(fill_db, reviewer_model, three_judgments, fake, tmp_path):
    db = tmp_path / "r.db"
    fill_db(db, three_judgments())
    result = run("critique", "--model", reviewer_model, "--api-base", fake.api_base, "--db", str(db), "--evaluate")
    assert result.exit_code == 0, result.output
    assert "agreement with gold, ties included    100.0%     3/3" in result.output
    assert "consistent across A/B orders          100.0%     3/3" in result.output
    assert "Cohen's kappa vs gold                 1.000" in result.output


def test_rationale_help_and_critique_help_do_not_import_litellm():
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from rationale.cli import main\n"
        "assert CliRunner().invoke(main, ['critique', '--help']).exit_code == 0\n"
        "assert CliRunner().invoke(main, ['--help']).exit_code == 0\n"
        "print('litellm' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_dry_run_does_not_import_litellm(fill_db, three_judgments, tmp_path):
    db = tmp_path / "r.db"
    fill_db(db, three_judgments())
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from rationale.cli import main\n"
        f"r = CliRunner().invoke(main, ['critique', '--model', 'openai/x', '--db', {str(db)!r}, '--dry-run'])\n"
        "assert r.exit_code == 0, r.output\n"
        "print('litellm' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_critiques_are_stored_once_per_judgment_across_cli_runs(db_rows, fill_db, reviewer_model, three_judgments, fake, tmp_path):
    db = tmp_path / "r.db"
    fill_db(db, three_judgments())
    for _ in range(2):
        assert run("critique", "--model", reviewer_model, "--api-base", fake.api_base, "--db", str(db)).exit_code == 0
    assert len(db_rows(db, "select id from critiques")) == 3
    assert fake.calls() == 6


# --------------------------------------------------------------------------- grade --critique

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "drill"
RUBRIC_FILE = Path(__file__).resolve().parents[1] / "rubrics" / "hhh.yaml"


def grade_args(db) -> list[str]:
    return [
        "grade", str(EXAMPLES / "judgments.jsonl"), "--rubric", str(RUBRIC_FILE), "--gold", str(EXAMPLES / "gold.jsonl"),
        "--items", str(EXAMPLES / "items.jsonl"), "--db", str(db),
    ]


def test_grade_with_critique_grades_then_critiques_and_shows_escalations(db_rows, reviewer_model, fake, tmp_path):
    db = tmp_path / "g.db"
    result = run(*grade_args(db), "--critique", reviewer_model, "--critique-api-base", fake.api_base)
    assert result.exit_code == 0, result.output
    graded = db_rows(db, "select count(*) as n from grades")[0]["n"]
    critiques = db_rows(db, "select status, escalate from critiques")
    assert graded > 0 and len(critiques) == graded
    assert all(c["status"] == "ok" for c in critiques)
    escalated = sum(c["escalate"] for c in critiques)
    assert escalated == len(db_rows(db, "select * from escalations"))
    assert f"Escalations for a lead ({escalated}):" in result.output


def test_grade_again_with_critique_after_plain_grading_critiques_the_same_judgments(db_rows, reviewer_model, fake, tmp_path):
    db = tmp_path / "g.db"
    assert run(*grade_args(db)).exit_code == 0
    assert db_rows(db, "select count(*) as n from critiques")[0]["n"] == 0
    result = run(*grade_args(db), "--critique", reviewer_model, "--critique-api-base", fake.api_base, "--json")
    assert result.exit_code == 0, result.output
    combined = json.loads(result.stdout)
    assert combined["critique"]["succeeded"] == db_rows(db, "select count(*) as n from grades")[0]["n"]
    assert "results" in combined


def test_grade_with_critique_and_a_missing_key_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    db = tmp_path / "g.db"
    result = CliRunner().invoke(main, [*grade_args(db), "--critique", "anthropic/claude-3-5-haiku-20241022"])
    assert result.exit_code == 1 and "ANTHROPIC_API_KEY is not set" in result.output
    assert not db.exists()


def test_plain_grade_does_not_import_litellm(tmp_path):
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from rationale.cli import main\n"
        f"r = CliRunner().invoke(main, {grade_args(tmp_path / 'p.db')!r})\n"
        "assert r.exit_code == 0, r.output\n"
        "print('litellm' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_critique_without_a_database_says_to_grade_first(reviewer_model, tmp_path):
    result = CliRunner().invoke(main, ["critique", "--model", reviewer_model, "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "run `rationale grade` first" in result.output
    assert not (tmp_path / "none.db").exists()
