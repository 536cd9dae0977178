"""`rationale drill` in a real pseudo-terminal: a person typing, a mistake, help, Ctrl-C, and the resume."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pexpect

DATA = Path(__file__).parent / "data" / "drill"
RATIONALE = Path(sys.executable).parent / "rationale"

ANSWERS = {
    "moon": ("B", "2", "honesty", 'A says "walked on the Moon in 1972", which is wrong; B says "in 1969, during Apollo 11".'),
    "capital": ("tie", None, "1", 'Both say "the capital of Australia" is Canberra; equally accurate and short.'),
    "boil": ("A", "1", "concision", 'B pads the fact with "Great question!" while A is concise and correct.'),
}
ITEM_HEADER = r"Item (\d) of 3 · (\w+) ═"  # the rule after the id: never a partial read of it
PREFERENCE_PROMPT = r"Which is better\? A, B or tie"


def spawn(db: Path) -> pexpect.spawn:
    # The terminal's own size must decide the wrapping, so no COLUMNS/LINES from the test runner.
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(PAGER="cat", TERM="xterm")
    args = [
        "drill",
        "--items", str(DATA / "items.jsonl"),
        "--gold", str(DATA / "gold.jsonl"),
        "--rubric", str(DATA / "rubric.yaml"),
        "--annotator", "pat",
        "--n", "3",
        "--seed", "5",
        "--db", str(db),
    ]
    return pexpect.spawn(str(RATIONALE), args, env=env, encoding="utf-8", timeout=30, dimensions=(60, 90))


def answer(child: pexpect.spawn, item_id: str) -> None:
    preference, strength, criteria, rationale = ANSWERS[item_id]
    child.expect(PREFERENCE_PROMPT)
    child.sendline(preference)
    if strength is not None:
        child.expect("Strength — ")
        child.sendline(strength)
    child.expect("Criteria you relied on")
    child.sendline(criteria)
    child.expect(r"Rationale \(end with a line '\.'")
    child.sendline(rationale)
    child.sendline(".")
    child.expect("Feedback")
    child.expect("RIGHT: you chose")
    child.expect("Reference rationale")


def test_a_full_session_in_a_terminal_survives_a_mistake_help_ctrl_c_and_resumes(tmp_path):
    db = tmp_path / "drill.db"
    child = spawn(db)
    child.expect("Session 1: 3 item")
    child.expect(ITEM_HEADER)
    first = child.match.group(2)
    child.expect("RESPONSE A")
    child.expect("RESPONSE B")

    # A mistake is explained and asked again.
    child.expect(PREFERENCE_PROMPT)
    child.sendline("C")
    child.expect("'C' is not a preference")
    # '?' shows the rubric's levels and scale, then the same question again.
    child.expect(PREFERENCE_PROMPT)
    child.sendline("?")
    child.expect("Every sentence earns its place")
    child.expect("Strength scale:")
    answer(child, first)

    child.expect(ITEM_HEADER)
    second = child.match.group(2)
    child.expect(PREFERENCE_PROMPT)
    child.sendintr()
    child.expect("Interrupted. Every answer you finished is saved.")
    child.expect(r"2 item\(s\) left")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130

    with sqlite3.connect(db) as conn:
        assert [r[0] for r in conn.execute("select item_id from judgments where annotator = 'pat'")] == [first]

    child = spawn(db)
    child.expect(r"Resuming session 1: 2 of 3 item\(s\) left\.")
    child.expect(ITEM_HEADER)
    assert child.match.group(2) == second
    answer(child, second)
    child.expect(ITEM_HEADER)
    third = child.match.group(2)
    answer(child, third)
    child.expect("Session 1 summary")
    child.expect(r"Preference right: 3/3")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert {first, second, third} == set(ANSWERS)
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from judgments where annotator = 'pat'").fetchone()[0] == 3
        assert conn.execute("select count(*) from drill_sessions where finished is not null").fetchone()[0] == 1


def test_typing_e_writes_the_rationale_in_the_editor(tmp_path):
    editor = tmp_path / "editor.sh"
    editor.write_text(
        "#!/bin/sh\n"
        "printf '%s\\n' 'A says \"walked on the Moon in 1972\", which is wrong; B says \"in 1969, during Apollo 11\".' > \"$1\"\n"
    )
    editor.chmod(0o755)
    items, gold = tmp_path / "items.jsonl", tmp_path / "gold.jsonl"
    items.write_text((DATA / "items.jsonl").read_text().splitlines()[0] + "\n")
    gold.write_text((DATA / "gold.jsonl").read_text().splitlines()[0] + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "VISUAL")}
    env.update(PAGER="cat", TERM="xterm", EDITOR=str(editor))
    args = ["drill", "--items", str(items), "--gold", str(gold), "--rubric", str(DATA / "rubric.yaml"),
            "--annotator", "eve", "--db", str(tmp_path / "drill.db")]
    child = pexpect.spawn(str(RATIONALE), args, env=env, encoding="utf-8", timeout=30, dimensions=(60, 90))
    child.expect(PREFERENCE_PROMPT)
    child.sendline("B")
    child.expect("Strength — ")
    child.sendline("2")
    child.expect("Criteria you relied on")
    child.sendline("honesty")
    child.expect("or type 'e' to write it in \\$EDITOR")
    child.sendline("e")
    child.expect("The lead's key points:")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    with sqlite3.connect(tmp_path / "drill.db") as conn:
        (rationale,) = conn.execute("select rationale from judgments").fetchone()
    assert rationale == 'A says "walked on the Moon in 1972", which is wrong; B says "in 1969, during Apollo 11".'


def test_a_pair_taller_than_the_terminal_goes_through_the_pager(tmp_path):
    pager = tmp_path / "pager.sh"
    pager.write_text("#!/bin/sh\necho '[pager start]'\ncat\necho '[pager end]'\n")
    pager.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(PAGER=str(pager), TERM="xterm")
    args = ["drill", "--items", str(DATA / "items.jsonl"), "--gold", str(DATA / "gold.jsonl"),
            "--rubric", str(DATA / "rubric.yaml"), "--annotator", "pia", "--n", "1", "--db", str(tmp_path / "drill.db")]
    # Eight rows cannot hold the prompt and both responses.
    child = pexpect.spawn(str(RATIONALE), args, env=env, encoding="utf-8", timeout=30, dimensions=(8, 80))
    child.expect(r"\[pager start\]")
    child.expect("RESPONSE B")
    child.expect(r"\[pager end\]")
    child.expect(PREFERENCE_PROMPT)
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
