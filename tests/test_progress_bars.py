"""Long commands draw a progress bar (counts, rate, time left) on stderr at a terminal, and nothing when piped."""

from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path

import pexpect
import pytest
from click.testing import CliRunner

from rationale.cli import main

ROOT = Path(__file__).resolve().parents[1]
RATIONALE = Path(sys.executable).parent / "rationale"
EXAMPLES = ["--items", str(ROOT / "examples/drill/items.jsonl"), "--rubric", str(ROOT / "rubrics/hhh.yaml"),
            "--gold", str(ROOT / "examples/drill/gold.jsonl")]
HH_SAMPLE = ROOT / "tests/data/import/hh_skips.jsonl"  # five rows, some skipped


def on_a_terminal(args: list[str]) -> str:
    """What a terminal shows on stderr while the command runs with its stdout sent to /dev/null, colour codes removed."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["TERM"] = "xterm"
    command = " ".join([str(RATIONALE), *args]) + " > /dev/null"
    child = pexpect.spawn("/bin/sh", ["-c", command], env=env, encoding="utf-8", timeout=120, dimensions=(24, 120))
    child.logfile_read = seen = io.StringIO()
    child.expect(pexpect.EOF)
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", seen.getvalue())


def commands(tmp_path: Path) -> dict[str, list[str]]:
    db = str(tmp_path / "r.db")
    return {
        "calibrate": ["calibrate", str(ROOT / "examples/calibration/judgments.jsonl"), *EXAMPLES, "--db", db],
        "import": ["import", "hh-rlhf", str(HH_SAMPLE), "-o", str(tmp_path / "imported")],
    }


@pytest.mark.parametrize(("name", "shown"), [("calibrate", r"calibrating: read, grade, analyse, store .* 4/4"),
                                              ("import", r"importing rows .* (\d+)/\1 .*ETA")])
def test_a_long_command_counts_on_stderr_at_a_terminal(tmp_path, name, shown):
    assert re.search(shown, on_a_terminal(commands(tmp_path)[name]))


def test_export_counts_the_examples_it_collects(tmp_path):
    db = str(tmp_path / "r.db")
    CliRunner().invoke(main, ["grade", str(ROOT / "examples/drill/judgments.jsonl"), *EXAMPLES, "--db", db])
    assert re.search(r"collecting examples .* 26/26", on_a_terminal(["export", "--format", "jsonl", "-o", str(tmp_path / "x.jsonl"), "--db", db]))


@pytest.mark.parametrize("name", ["calibrate", "import"])
def test_quiet_draws_no_bar(tmp_path, name):
    assert "━" not in on_a_terminal([*commands(tmp_path)[name], "--quiet"])


@pytest.mark.parametrize("name", ["calibrate", "import"])
def test_piped_stderr_gets_no_bar(tmp_path, name):
    result = CliRunner().invoke(main, commands(tmp_path)[name])
    assert result.exit_code == 0, result.output
    assert "━" not in result.stderr
