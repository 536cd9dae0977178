"""Several people on one database: real processes writing at once, a long write, Ctrl-C.

Each command here runs as its own OS process, as it would for several users
sharing a file, so SQLite's locking is the real one.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fake_openai import FakeOpenAI

ROOT = Path(__file__).resolve().parent.parent
DRILL = ROOT / "examples" / "drill"
RUBRIC = ROOT / "rubrics" / "hhh.yaml"
REFERENCES = ["--rubric", str(RUBRIC), "--gold", str(DRILL / "gold.jsonl"), "--items", str(DRILL / "items.jsonl")]
CLI = [sys.executable, "-c", "from rationale.cli import main; main()"]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RATIONALE_", "OPENAI_"))}
    env.update(extra)
    return env


def _start(*args: str, stdin: str | None = None, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [*CLI, *args], stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(**env), cwd=ROOT,
    )


def _finish(process: subprocess.Popen, stdin: str | None = None, timeout: float = 240) -> tuple[int, str, str]:
    out, err = process.communicate(stdin, timeout=timeout)
    return process.returncode, out, err


def _judgments(path: Path, annotators: list[str]) -> Path:
    """Every drill item answered by each annotator with the example trainee's words."""
    rows = [json.loads(line) for line in (DRILL / "judgments.jsonl").read_text(encoding="utf-8").splitlines()]
    with path.open("w", encoding="utf-8") as out:
        for name in annotators:
            for row in rows:
                out.write(json.dumps({**row, "annotator": name}) + "\n")
    return path


def _count(db: Path, sql: str, params: tuple = ()) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, params).fetchone()[0]


@pytest.fixture
def graded_db(tmp_path: Path) -> Path:
    """A database where trainee-tara's drill answers are graded: what revise, critique and drill start from."""
    db = tmp_path / "shared.db"
    code, out, err = _finish(_start("grade", str(DRILL / "judgments.jsonl"), *REFERENCES, "--db", str(db), "--quiet"))
    assert code == 0, err
    return db


def _hold_write_lock(db: Path, seconds: float) -> subprocess.Popen:
    """Another process that takes the write lock and keeps it `seconds` (longer than SQLite's 5 s busy timeout)."""
    code = (
        "import sqlite3, sys, time\n"
        f"conn = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
        "conn.execute('begin immediate')\n"
        "print('locked', flush=True)\n"
        f"time.sleep({seconds})\n"
        "conn.execute('commit')\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def test_a_grade_waits_out_a_write_longer_than_the_busy_timeout_and_says_so(graded_db, tmp_path):
    more = _judgments(tmp_path / "more.jsonl", ["waiting-will"])
    holder = _hold_write_lock(graded_db, 6.5)

    code, _, err = _finish(_start("grade", str(more), *REFERENCES, "--db", str(graded_db), "--quiet"))
    holder.wait(timeout=30)

    assert code == 0, err
    assert "is busy with another command's write; waiting for it" in err
    assert "Traceback" not in err
    assert _count(graded_db, "select count(*) from judgments where annotator = 'waiting-will'") == 26


def _revise_while_locked(db: Path, lock_seconds: float, busy_wait: str) -> tuple[int, str]:
    """A revision tried while another process holds the write lock; its exit code and stderr."""
    holder = _hold_write_lock(db, lock_seconds)
    code, _, err = _finish(_start("revise", "drill-07", "--annotator", "trainee-tara", "--rationale",
                                  "A keeps to exactly three bullets, as asked; B adds an intro.", "--db", str(db),
                                  RATIONALE_BUSY_WAIT=busy_wait))
    holder.wait(timeout=30)
    return code, err


def test_a_writer_that_cannot_wait_long_enough_exits_75_with_a_sentence_and_writes_nothing(graded_db):
    before = _count(graded_db, "select count(*) from revisions")

    code, err = _revise_while_locked(graded_db, 8, busy_wait="1")

    assert code == 75, err
    last = err.strip().splitlines()[-1]
    assert last.startswith("error: the database stayed busy with another command's write for ") and last.endswith(" s; try again")
    assert "Traceback" not in err
    assert _count(graded_db, "select count(*) from revisions") == before


def test_six_writers_at_once_all_finish_and_lose_no_rows(graded_db, tmp_path):
    big = _judgments(tmp_path / "big.jsonl", [f"big-{n:03d}" for n in range(60)])  # 1,560 judgments
    second = _judgments(tmp_path / "second.jsonl", [f"second-{n:03d}" for n in range(20)])  # 520
    drill_answers = "B\n2\n1\nB is more accurate and keeps to what was asked.\n.\n" * 2
    with FakeOpenAI() as fake:
        started = [
            (_start("grade", str(big), *REFERENCES, "--db", str(graded_db), "--quiet"), None),
            (_start("grade", str(second), *REFERENCES, "--db", str(graded_db), "--quiet"), None),
            (_start("critique", "--model", "openai/fake-reviewer", "--api-base", fake.api_base, "--annotator",
                    "trainee-tara", "--db", str(graded_db), OPENAI_API_KEY="sk-fake-key-for-tests"), None),
            (_start("drill", "--items", str(DRILL / "items.jsonl"), "--gold", str(DRILL / "gold.jsonl"), "--rubric",
                    str(RUBRIC), "--annotator", "drilling-dan", "--n", "2", "--seed", "1", "--db", str(graded_db),
                    stdin=drill_answers), drill_answers),
            (_start("calibrate", str(ROOT / "examples" / "calibration" / "judgments.jsonl"), *REFERENCES,
                    "--batch", "concurrent", "--db", str(graded_db)), None),
            (_start("revise", "drill-07", "--annotator", "trainee-tara", "--rationale",
                    "A keeps to exactly three bullets, as asked, while B opens with an intro the user ruled out.",
                    "--db", str(graded_db)), None),
        ]
        finished = [_finish(process, stdin) for process, stdin in started]

    for code, _, err in finished:
        assert code == 0, err
        assert "database is locked" not in err and "Traceback" not in err
    assert _count(graded_db, "select count(*) from judgments where annotator like 'big-%'") == 1560
    assert _count(graded_db, "select count(*) from judgments where annotator like 'second-%'") == 520
    assert _count(graded_db, "select count(*) from grades where annotator like 'big-%' or annotator like 'second-%'") == 2080
    assert _count(graded_db, "select count(*) from critiques where annotator = 'trainee-tara' and failure_reason is null") >= 26
    assert _count(graded_db, "select count(*) from judgments where annotator = 'drilling-dan'") == 2
    assert _count(graded_db, "select count(*) from calibration_batches where name = 'concurrent'") == 1
    assert _count(graded_db, "select count(*) from revisions where annotator = 'trainee-tara'") == 1
    assert _count(graded_db, "select count(*) from runs where finished is null and command != 'drill'") == 0
    with sqlite3.connect(graded_db) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"


def _interrupt_when(process: subprocess.Popen, ready, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the command never reached the point to interrupt"
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)


def test_ctrl_c_during_grade_exits_130_and_leaves_a_sound_database(graded_db, tmp_path):
    big = _judgments(tmp_path / "big.jsonl", [f"big-{n:03d}" for n in range(400)])  # 10,400: ten seconds or more
    grade = _start("grade", str(big), *REFERENCES, "--db", str(graded_db), "--quiet")
    time.sleep(1.5)  # into the reading and grading, long before the end
    grade.send_signal(signal.SIGINT)

    code, out, err = _finish(grade)

    assert code == 130, err
    assert err.strip().splitlines()[-1] == "interrupted: what was finished is kept"
    assert "Traceback" not in err
    with sqlite3.connect(graded_db) as conn:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"


def test_ctrl_c_during_import_exits_130_and_leaves_no_temporary_folder(tmp_path):
    source = tmp_path / "hh.jsonl"
    row = {"chosen": "\n\nHuman: Say hi.\n\nAssistant: Hi there! ", "rejected": "\n\nHuman: Say hi.\n\nAssistant: Go away."}
    with source.open("w", encoding="utf-8") as out:
        for n in range(200_000):
            out.write(json.dumps({"chosen": row["chosen"] + str(n), "rejected": row["rejected"]}) + "\n")
    target = tmp_path / "imported"
    process = _start("import", "hh-rlhf", str(source), "-o", str(target))

    _interrupt_when(process, lambda: any(tmp_path.glob(".imported.import-*")))
    code, _, err = _finish(process)

    assert code == 130, err
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hh.jsonl"]


@pytest.mark.parametrize("command", [["grade"], ["drill"], ["revise"], ["calibrate"], ["import"], ["gold", "draft"], ["gold", "review"],
                                     ["critique"], ["export"]])
def test_the_help_of_each_command_that_writes_names_exit_130_for_ctrl_c(command):
    from click.testing import CliRunner

    from rationale.cli import main

    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0 and "130" in result.output.split("Exit status", 1)[1]



def test_a_writer_told_to_wait_one_second_gives_up_before_sqlites_own_five_second_wait_would_end(graded_db):
    # The lock is let go after the 1 s limit, but before a 5 s busy timeout would end.
    code, err = _revise_while_locked(graded_db, 5, busy_wait="1")

    assert code == 75, err


def test_a_busy_wait_that_is_not_a_number_of_seconds_is_an_input_error(graded_db):
    code, err = _revise_while_locked(graded_db, 2, busy_wait="ten")

    assert code == 2, err
    assert "$RATIONALE_BUSY_WAIT: (environment): must be a number of seconds, 0 or more; got 'ten'" in err
    assert "Traceback" not in err
