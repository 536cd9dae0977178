"""README.md cannot drift: its command outputs are generated (cog) and its command table is the CLI's."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from rationale.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_output_shown_is_what_the_command_prints_now():
    # `make readme` rewrites them; cog runs docs/readme_outputs.py on the shipped examples.
    done = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "README.md"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"README.md outputs are stale: run `make readme`\n{done.stdout}{done.stderr}"


def test_the_outputs_are_generated_not_written_by_hand():
    assert README.count("[[[cog") == README.count("[[[end]]]") >= 7
    consoles = re.findall(r"```console\n(.*?)```", README, re.S)
    generated = re.findall(r"\]\]\] -->\n```console\n", README)
    assert len(generated) == len(consoles) >= 6  # each console block sits inside a cog block


def test_the_command_table_lists_every_command_of_rationale_help():
    table = README.split("| command | for | what it does |", 1)[1].split("\n\n", 1)[0]
    named = set(re.findall(r"`([a-z]+)(?: [a-z]+)?`", table))
    assert named == set(main.commands)
