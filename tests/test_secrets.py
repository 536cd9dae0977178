"""API keys never reach the database, the terminal, a log, an export or a cassette.

A fake provider on 127.0.0.1 echoes the key it was sent, in a 401 error (as
OpenAI's "Incorrect API key provided: sk-..." does) and in a model's reply;
the whole command line runs in a subprocess whose stdout and stderr are kept as
log files; then every file the run left behind is searched for the key.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fake_openai import FakeOpenAI
from rationale.redact import REDACTED, redact, redact_url

pytestmark = pytest.mark.usefixtures("loopback_only")

ROOT = Path(__file__).resolve().parents[1]
# Not shaped like any provider's key: only the environment tells that it is secret.
TEAM_KEY = "team-7f3a9c2e4b1d8f6a0c5e9d2b"
SK_KEY = "sk-proj-Zq8xW3vT9kLm2Np5Rs7Yb4Hc6Jd1Fg0"


def rationale_cli(*args: str, env: dict[str, str], logs: Path) -> subprocess.CompletedProcess:
    """Run the installed CLI in its own process, its stdout and stderr kept in `logs` like a user's log files."""
    result = subprocess.run([sys.executable, "-c", "from rationale.cli import main; main()", *args], env=env,
                            capture_output=True, text=True, timeout=120)
    logs.mkdir(exist_ok=True)
    name = args[0]
    (logs / f"{name}.{len(list(logs.iterdir()))}.out").write_text(result.stdout, encoding="utf-8")
    (logs / f"{name}.{len(list(logs.iterdir()))}.err").write_text(result.stderr, encoding="utf-8")
    return result


def files_containing(needle: str, *roots: Path) -> list[str]:
    found = []
    for root in roots:
        for path in [root] if root.is_file() else root.rglob("*"):
            if path.is_file() and needle.encode() in path.read_bytes():
                found.append(str(path))
    return found


def echoing_run(critique_judgment, fill_db, reviewer_model, tmp_path: Path, key: str):  # type: ignore[no-untyped-def]
    """A critique run whose provider echoes the key in a 401 and in a reply, then exports, all on disk in tmp_path."""

    def run(key: str, env_name: str = "OPENAI_API_KEY") -> tuple[Path, list[subprocess.CompletedProcess]]:
        db = tmp_path / "r.db"
        fill_db(db, [
            critique_judgment("q1", "FAULT:401echo-always A is correct: 2+2 is 4.", annotator="ana"),
            critique_judgment("q2", "FAULT:echokey-always B answers the question, A does not.", annotator="bob",
                              preference="B", strength=1),
        ])
        env = {**os.environ, env_name: key}
        with FakeOpenAI() as fake:
            api_base = fake.api_base
            results = [
                rationale_cli("critique", "--model", reviewer_model, "--api-base", api_base, "--db", str(db),
                              "--timeout", "10", env=env, logs=tmp_path / "logs"),
                rationale_cli("critique", "--model", reviewer_model, "--api-base", api_base, "--db", str(db),
                              "--json", "--retry-failed", env=env, logs=tmp_path / "logs"),
            ]
            sent = [r.headers.get("authorization", "") for r in fake.requests]
        out = tmp_path / "out"
        results.append(rationale_cli("export", "--db", str(db), "--format", "jsonl", "--with-critique", "-o",
                                     str(out / "examples.jsonl"), env=env, logs=tmp_path / "logs"))
        results.append(rationale_cli("export", "--db", str(db), "--format", "html", "--with-critique", "-o",
                                     str(out / "portfolio.html"), env=env, logs=tmp_path / "logs"))
        assert sent and all(key in header for header in sent), "the fake provider was not sent the key"
        return db, results

    return run(key)


@pytest.fixture(scope="module")
def team_key_run(critique_judgment, fill_db, reviewer_model, tmp_path_factory):  # type: ignore[no-untyped-def]
    tmp = tmp_path_factory.mktemp("team-key")
    db, results = echoing_run(critique_judgment, fill_db, reviewer_model, tmp, TEAM_KEY)
    return tmp, db, results


def test_a_key_known_only_from_the_environment_is_in_no_file_after_a_provider_echoed_it(team_key_run):
    tmp, db, results = team_key_run
    assert [r.returncode for r in results] == [0, 0, 0, 0], [r.stderr for r in results]
    assert "Incorrect API key provided: [REDACTED]" in results[0].stdout  # the failure is shown, the key is not
    assert files_containing(TEAM_KEY, tmp, ROOT / "cassettes") == []
    assert (tmp / "out" / "examples.jsonl").exists() and (tmp / "out" / "portfolio.html").exists()


def test_a_provider_shaped_key_is_in_no_file_either(critique_judgment, fill_db, reviewer_model, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from rationale.cli import main

    monkeypatch.setenv("OPENAI_API_KEY", SK_KEY)
    db = tmp_path / "r.db"
    fill_db(db, [critique_judgment("q1", "FAULT:401echo-always A is correct.", annotator="ana"),
                 critique_judgment("q2", "FAULT:echokey-always B is right.", annotator="bob", preference="B", strength=1)])
    with FakeOpenAI() as fake:
        runs = [CliRunner().invoke(main, ["critique", "--model", reviewer_model, "--api-base", fake.api_base, "--db", str(db)]),
                CliRunner().invoke(main, ["export", "--db", str(db), "--format", "jsonl", "--with-critique", "-o",
                                          str(tmp_path / "examples.jsonl")])]
        assert all(SK_KEY in r.headers.get("authorization", "") for r in fake.requests)
    for n, result in enumerate(runs):
        assert result.exit_code == 0, result.output
        (tmp_path / f"log{n}.txt").write_text(result.output, encoding="utf-8")
    assert files_containing(SK_KEY, tmp_path, ROOT / "cassettes") == []


def test_what_the_key_was_echoed_in_is_kept_redacted(db_rows, team_key_run):
    _, db, _ = team_key_run
    rows = {r["annotator"]: r for r in db_rows(db, "select * from critiques")}
    assert rows["ana"]["status"] == "failed" and f"provided: {REDACTED}" in rows["ana"]["failure_reason"]
    assert rows["bob"]["status"] == "ok"
    assert json.loads(rows["bob"]["body"])["suggested_rationale"].startswith(f"Use the key {REDACTED} to be sure.")


def test_a_key_in_the_api_base_url_is_not_recorded(critique_judgment, critique_options, db_rows, fill_db, fake_server, tmp_path):
    from rationale.critique.batch import critique_stored

    db = tmp_path / "r.db"
    fill_db(db, [critique_judgment("q1", "A is correct.")])
    host = fake_server.api_base.split("://", 1)[1]
    for api_base in (f"http://reviewer:{TEAM_KEY}@{host}", f"{fake_server.api_base}?api_key={TEAM_KEY}"):
        critique_stored(db, critique_options(api_base, swap=False, max_attempts=1, retry_failed=True))
    recorded = [json.loads(r["inputs"])["api_base"] for r in db_rows(db, "select inputs from runs where command = 'critique'")]
    assert recorded == [fake_server.api_base, f"{fake_server.api_base}?api_key={REDACTED}"]
    assert files_containing(TEAM_KEY, tmp_path) == []


@pytest.fixture
def fake_server():
    with FakeOpenAI() as server:
        yield server


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Incorrect API key provided: sk-abc123def456ghi789.", f"Incorrect API key provided: {REDACTED}."),
        ("Authorization: Bearer abcdefgh12345678", f"Authorization: Bearer {REDACTED}"),
        ("http://user:hunter2secret@example.test/v1", f"http://{REDACTED}@example.test/v1"),
        ("https://host.test/v1?api_key=abcdef123456&x=1", f"https://host.test/v1?api_key={REDACTED}&x=1"),
        ('{"api_key": "abcdef123456"}', f'{{"api_key": "{REDACTED}"}}'),
        ("AIzaSyA1234567890abcdefghijklmnopqrstu", REDACTED),
        ("A is correct: it says 2+2 is 4 and B says 5.", "A is correct: it says 2+2 is 4 and B says 5."),
        ("the cache key 3f2a9c1b0d4e5f67 of a request", "the cache key 3f2a9c1b0d4e5f67 of a request"),
    ],
)
def test_credential_shapes_are_redacted_and_ordinary_text_is_not(text, expected, monkeypatch):
    for name in list(os.environ):
        if "KEY" in name or "TOKEN" in name:
            monkeypatch.delenv(name)
    assert redact(text) == expected


def test_a_url_is_recorded_without_its_credentials():
    assert redact_url("http://me:pw12345678@127.0.0.1:8080/v1?api_key=abc123xyz&model=m") == (
        f"http://127.0.0.1:8080/v1?api_key={REDACTED}&model=m"
    )


def test_short_or_path_like_environment_values_are_not_treated_as_secrets(monkeypatch):
    monkeypatch.setenv("DEBUG_TOKEN", "1")
    monkeypatch.setenv("SSL_KEY_FILE", "/etc/ssl/private/server.key")
    assert redact("level 1 at /etc/ssl/private/server.key") == "level 1 at /etc/ssl/private/server.key"


# Every credential shape, in the cases and spellings its pattern accepts (a case-insensitive pattern also matches
# the dotless ı and the Kelvin sign K), inside ordinary text and inside JSON.
_SHAPES = [
    "sk-ant-api03-abcdefgh12345678", "AIzaSyA1234567890abcdefghijklmnopqrstu", "AKIAABCDEFGHIJKLMNOP",
    "ASIAABCDEFGHIJKLMNOP", "hf_abcdefghijklmnopqrstuvwxyz", "ghp_abcdefghijklmnopqrstuvwxyz",
    "gho_abcdefghijklmnopqrstuvwxyz", "xoxb-1234567890-abcdef", "Authorization: Bearer abcdefgh12345678",
    "authorization: bearer abcdefgh12345678", "Authorization: Basic dXNlcjpwYXNzd29yZA==", "BASİC dXNlcjpwYXNzd29yZA==",
    "https://user:hunter2secret@example.test/v1", "https://host.test/v1?api_key=abcdef123456&x=1",
    "https://host.test/v1?x=1&TOKEN=abcdef123456", "https://host.test/v1;passwd=abcdef123456",
    "https://host.test/v1?\u212aey=abcdef123456", '{"api_key": "abcdef123456"}', "API-KEY: abcdef123456",
    "access_token=abcdef123456", "Auth-Token: abcdef123456", "secret = abcdef123456", "PASSWORD: 'abcdef123456'",
    "apikey:abcdef123456", "\u0131 ap\u0131key: abcdef123456", "s\u212ay: ApiKey=abcdef123456", "\u017fecret: abcdef123456",
]


@pytest.mark.parametrize("shape", _SHAPES)
@pytest.mark.parametrize("around", ["{}", "The reply said {} and then stopped.", '{{"raw": "{}", "tokens_in": 12}}'])
def test_the_shortcut_past_patterns_a_text_cannot_match_never_changes_what_is_redacted(shape, around, monkeypatch):
    from rationale import redact as module

    for name in list(os.environ):
        if "KEY" in name or "TOKEN" in name:
            monkeypatch.delenv(name)
    text = around.format(shape)
    every_pattern = text
    for pattern, _ in module._PATTERNS:
        every_pattern = module._pattern_sub(pattern, every_pattern)
    assert every_pattern != text, "each shape is one the patterns redact"
    assert redact(text) == every_pattern
