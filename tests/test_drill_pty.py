"""`rationale drill` in a real pseudo-terminal: a person typing, a mistake, the keys, pauses, Ctrl-C, the resume."""

from __future__ import annotations

import io
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
STYLE = r"(?:\x1b\[[0-9;]*m)*"  # the terminal's colour codes between words
ITEM_HEADER = rf"Item (\d) of 3 · (\w+){STYLE} {STYLE}═"  # the rule after the id: never a partial read of it
PREFERENCE_PROMPT = r"Which is better\? A, B or tie"
NEXT_PAIR = "Enter: the next pair"


def terminal_env(**extra: str) -> dict[str, str]:
    # The terminal's own size must decide the layout, so no COLUMNS/LINES from the test runner.
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    env.update(TERM="xterm", **extra)
    return env


def spawn(db: Path, *extra: str, annotator: str = "pat", rows: int = 60, columns: int = 90) -> pexpect.spawn:
    args = [
        "drill",
        "--items", str(DATA / "items.jsonl"),
        "--gold", str(DATA / "gold.jsonl"),
        "--rubric", str(DATA / "rubric.yaml"),
        "--annotator", annotator,
        "--n", "3",
        "--seed", "5",
        "--db", str(db),
        *extra,
    ]
    return pexpect.spawn(str(RATIONALE), args, env=terminal_env(), encoding="utf-8", timeout=30, dimensions=(rows, columns))


def answer(child: pexpect.spawn, item_id: str) -> None:
    """Answer the pair on screen right, read the feedback, and stay at the pause after it."""
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
    child.expect("RIGHT")
    child.expect(": you chose")
    child.expect("Reference rationale")
    child.expect("Enter: the (next pair|session summary)")


def interrupt_at_the_question(child: pexpect.spawn) -> None:
    """Ctrl-C once the preference is asked (not while the screen is still being drawn), and wait for the exit."""
    child.expect(PREFERENCE_PROMPT)
    child.sendintr()
    child.expect(pexpect.EOF)


def test_a_full_session_in_a_terminal_survives_a_mistake_help_ctrl_c_and_resumes(tmp_path):
    db = tmp_path / "drill.db"
    child = spawn(db)
    child.expect("Session 1: 3 item")
    child.expect(ITEM_HEADER)
    first = child.match.group(2)
    child.expect("Response A")
    child.expect("Response B")

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
    child.sendline("")

    child.expect(ITEM_HEADER)
    second = child.match.group(2)
    child.expect(PREFERENCE_PROMPT)
    child.sendintr()
    child.expect("Interrupted. Every answer you finished is saved.")
    child.expect(r"2 items left")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130

    with sqlite3.connect(db) as conn:
        assert [r[0] for r in conn.execute("select item_id from judgments where annotator = 'pat'")] == [first]

    child = spawn(db)
    child.expect(r"Resuming session 1: 2 of 3 items left\.")
    child.expect(ITEM_HEADER)
    assert child.match.group(2) == second
    answer(child, second)
    child.sendline("")
    child.expect(ITEM_HEADER)
    third = child.match.group(2)
    answer(child, third)
    child.sendline("")
    child.expect("Session 1 summary")
    child.expect(rf"Preference right: {STYLE}3/3")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert {first, second, third} == set(ANSWERS)
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from judgments where annotator = 'pat'").fetchone()[0] == 3
        assert conn.execute("select count(*) from drill_sessions where finished is not null").fetchone()[0] == 1


def one_pair_up_to_the_editor(tmp_path, editor: str) -> pexpect.spawn:
    """A drill of the moon pair with $EDITOR set, answered up to the rationale, where 'e' has just been typed."""
    items, gold = tmp_path / "items.jsonl", tmp_path / "gold.jsonl"
    items.write_text((DATA / "items.jsonl").read_text().splitlines()[0] + "\n")
    gold.write_text((DATA / "gold.jsonl").read_text().splitlines()[0] + "\n")
    env = terminal_env(EDITOR=editor)
    env.pop("VISUAL", None)
    args = ["drill", "--items", str(items), "--gold", str(gold), "--rubric", str(DATA / "rubric.yaml"),
            "--annotator", "eve", "--db", str(tmp_path / "drill.db")]
    child = pexpect.spawn(str(RATIONALE), args, env=env, encoding="utf-8", timeout=30, dimensions=(60, 90))
    for prompt, line in ((PREFERENCE_PROMPT, "B"), ("Strength — ", "2"), ("Criteria you relied on", "honesty")):
        child.expect(prompt)
        child.sendline(line)
    child.expect("or type 'e' to write it in \\$EDITOR")
    child.sendline("e")
    return child


def finish_the_one_pair(child: pexpect.spawn) -> None:
    child.expect("The lead's key points:")
    child.expect("Enter: the session summary")
    child.sendline("")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


MOON_RATIONALE = 'A says "walked on the Moon in 1972", which is wrong; B says "in 1969, during Apollo 11".'


def test_typing_e_writes_the_rationale_in_the_editor(tmp_path):
    editor = tmp_path / "editor.sh"
    editor.write_text(f"#!/bin/sh\nprintf '%s\\n' '{MOON_RATIONALE}' > \"$1\"\n")
    editor.chmod(0o755)
    finish_the_one_pair(one_pair_up_to_the_editor(tmp_path, str(editor)))
    with sqlite3.connect(tmp_path / "drill.db") as conn:
        (rationale,) = conn.execute("select rationale from judgments").fetchone()
    assert rationale == MOON_RATIONALE


def test_an_editor_that_cannot_run_is_explained_and_the_answer_goes_on(tmp_path):
    child = one_pair_up_to_the_editor(tmp_path, str(tmp_path / "no-such-editor"))
    child.expect("the editor did not run")
    child.sendline(MOON_RATIONALE)
    child.sendline(".")
    finish_the_one_pair(child)
    with sqlite3.connect(tmp_path / "drill.db") as conn:
        assert conn.execute("select count(*) from judgments").fetchone()[0] == 1


def test_a_pair_taller_than_the_terminal_is_shown_a_screen_at_a_time_and_nothing_is_skipped(tmp_path):
    # Eight rows cannot hold the prompt and both responses: each screenful waits for Enter.
    child = spawn(tmp_path / "drill.db", rows=8, columns=80)
    child.logfile_read = seen = io.StringIO()
    screens = 0
    while child.expect([r"lines \d+–\d+ of \d+: Enter for more", PREFERENCE_PROMPT]) == 0:
        screens += 1
        child.sendline("")
    assert screens >= 1
    shown = seen.getvalue()
    assert shown.index("Response A") < shown.index("Response B") < shown.index("Which is better?")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130


def test_feedback_stays_on_screen_until_enter(tmp_path):
    child = spawn(tmp_path / "drill.db")
    child.expect(ITEM_HEADER)
    answer(child, child.match.group(2))
    # Nothing more comes until the trainee presses Enter.
    assert child.expect([ITEM_HEADER, pexpect.TIMEOUT], timeout=2) == 1
    child.sendline("")
    child.expect(ITEM_HEADER)
    interrupt_at_the_question(child)


def test_p_shows_the_pair_again_and_s_serves_it_at_the_end(tmp_path):
    child = spawn(tmp_path / "drill.db")
    child.expect(ITEM_HEADER)
    first = child.match.group(2)
    child.expect(PREFERENCE_PROMPT)
    child.sendline("p")
    child.expect(rf"Item 1 of 3 · {first}{STYLE} {STYLE}═")
    child.expect("Response B")
    child.expect(PREFERENCE_PROMPT)
    child.sendline("s")
    child.expect(f"Skipped {first}: it comes back at the end of this session.")
    child.expect(ITEM_HEADER)
    assert child.match.group(2) != first
    interrupt_at_the_question(child)


def test_back_returns_to_the_previous_question(tmp_path):
    child = spawn(tmp_path / "drill.db")
    child.expect(PREFERENCE_PROMPT)
    child.sendline("A")
    child.expect("Strength — 1 A is slightly better")
    child.sendline("<")
    child.expect(PREFERENCE_PROMPT)
    child.sendline("B")
    child.expect("Strength — 1 B is slightly better")
    child.sendintr()
    child.expect(pexpect.EOF)


def answered_once(tmp_path: Path, **env: str) -> str:
    """Everything the terminal received while one pair was answered right."""
    args = ["drill", "--items", str(DATA / "items.jsonl"), "--gold", str(DATA / "gold.jsonl"), "--rubric",
            str(DATA / "rubric.yaml"), "--annotator", "pat", "--n", "3", "--seed", "5", "--db", str(tmp_path / "drill.db")]
    child = pexpect.spawn(str(RATIONALE), args, env=terminal_env(**env), encoding="utf-8", timeout=30, dimensions=(60, 90))
    child.logfile_read = seen = io.StringIO()
    child.expect(ITEM_HEADER)
    answer(child, child.match.group(2))
    child.sendintr()
    child.expect(pexpect.EOF)
    return seen.getvalue()


def test_right_is_shown_in_green(tmp_path):
    assert "\x1b[32mRIGHT" in answered_once(tmp_path)


def test_no_color_turns_the_colour_off(tmp_path):
    shown = answered_once(tmp_path, NO_COLOR="1")
    assert "RIGHT" in shown and "\x1b[32m" not in shown and "\x1b[31m" not in shown


def test_a_resumed_session_says_which_new_options_it_ignores_and_new_starts_fresh(tmp_path):
    db = tmp_path / "drill.db"
    child = spawn(db)
    child.expect(ITEM_HEADER)
    answer(child, child.match.group(2))
    child.sendline("q")
    child.expect(pexpect.EOF)

    child = spawn(db, "--n", "2")
    child.expect(r"This resumes session 1, planned with --n 3 --order mixed --seed 5: --n 2 will plan your next session")
    child.expect(r"Resuming session 1: 2 of 3 items left")
    child.sendline("q")
    child.expect(pexpect.EOF)

    child = spawn(db, "--n", "2", "--new")
    child.expect(r"Session 1 set aside \(its answers are kept\); starting a new one\.")
    child.expect(r"Session 2: 2 items")
    child.sendline("q")
    child.expect(pexpect.EOF)


def _threads(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/task"))


def test_while_the_drill_waits_for_an_answer_no_other_thread_can_take_a_ctrl_c(tmp_path):
    # The kernel hands a Ctrl-C to any thread that does not block it; one taken by a numerical library's
    # worker thread never reaches the prompt the main thread waits at, and the drill sat there (a flaky hang).
    child = spawn(tmp_path / "drill.db")
    child.expect(ITEM_HEADER)
    answer(child, child.match.group(2))  # grading ran: numpy's products, the tokenizer; now it waits for Enter
    assert _threads(child.pid) == 1
    child.sendintr()
    child.expect(pexpect.EOF)
