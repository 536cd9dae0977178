"""A trainee's answer to one drill item, read and checked one question at a time.

Each parser takes one line and returns the value or raises `AnswerInvalid`
whose message says what to type instead; the front end asks again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import FLAGS, Rubric, strength_side

HELP = "?"  # show the rubric, then ask again
PAIR = "p"  # show the pair again, then ask again
SKIP = "s"  # leave this pair for the end of the session
BACK = "<"  # back to the previous question of this pair
QUIT = "q"  # stop; every finished answer is kept
END_OF_RATIONALE = "."
EDITOR = "e"
FLAG = "f"  # flag the pair for escalation, with a note
KEYS_HINT = "? rubric · p pair · f flag · < back · s skip · q stop"
FIRST_KEYS_HINT = "? rubric · p pair · f flag · s skip · q stop"  # nothing to go back to yet
MORE_KEYS_HINT = "< back · ? · p · f · s · q"


class AnswerInvalid(ValueError):
    """An answer the trainee must give again; the message says why."""


class EndOfInput(Exception):
    """Scripted input ran out."""


class UnfinishedAnswer(Exception):
    """Scripted input ran out in the middle of an answer: that answer cannot be saved."""

    def __init__(self, item_id: str, asked: str):
        super().__init__(f"input ended while answering {item_id} ({asked}); that answer was not saved")
        self.item_id = item_id
        self.asked = asked


class StopRequested(Exception):
    """The trainee typed `q`."""


class SkipRequested(Exception):
    """The trainee typed `s`: this pair later."""


class BackRequested(Exception):
    """The trainee typed `<`: the previous question again."""


@dataclass(frozen=True)
class ShownAnswer:
    """An answer as the trainee gave it, in the orientation they saw."""

    preference: str
    strength: int
    criteria: list[str]
    rationale: str
    confidence: int | None = None
    flags: tuple[str, ...] = ()
    flag_note: str | None = None


def parse_preference(text: str) -> str:
    value = text.strip().lower()
    if value == "a":
        return "A"
    if value == "b":
        return "B"
    if value in ("tie", "t", "="):
        return "tie"
    raise AnswerInvalid(f"{text.strip()!r} is not a preference: answer A, B or tie ({FIRST_KEYS_HINT}).")


def side_steps(rubric: Rubric, preference: str) -> list[tuple[int, str]]:
    """The strength steps that agree with `preference`, mildest first."""
    steps = sorted(((s.value, s.label) for s in rubric.strength_scale), key=lambda s: abs(s[0]))
    if preference == "A":
        return [s for s in steps if s[0] < 0]
    if preference == "B":
        return [s for s in steps if s[0] > 0]
    return [s for s in steps if s[0] == 0]


def parse_strength(text: str, rubric: Rubric, preference: str) -> int:
    steps = side_steps(rubric, preference)
    allowed = ", ".join(f"{abs(v)} ({label})" for v, label in steps)
    raw = text.strip()
    if not re.fullmatch(r"[+-]?\d+", raw):
        raise AnswerInvalid(f"{raw!r} is not a number: choose one of {allowed}.")
    value = int(raw)
    if not raw.startswith(("+", "-")):
        value = -value if preference == "A" else value
    if value == 0 and preference != "tie":
        raise AnswerInvalid(f"0 means a tie, but you preferred {preference}: choose one of {allowed}.")
    if preference != "tie" and strength_side(value) != preference:
        raise AnswerInvalid(f"{value:+d} favours {strength_side(value)}, but you preferred {preference}: choose one of {allowed}.")
    if value not in {v for v, _ in steps}:
        raise AnswerInvalid(f"{raw} is off the rubric's scale: choose one of {allowed}.")
    return value


def parse_criteria(text: str, rubric: Rubric) -> list[str]:
    raw = text.strip()
    if raw in ("", "-"):
        return []
    ids = rubric.criterion_ids
    by_id = {i.lower(): i for i in ids}
    chosen: list[str] = []
    unknown: list[str] = []
    for token in re.split(r"[,\s]+", raw):
        if not token:
            continue
        if token.isdigit() and 1 <= int(token) <= len(ids):
            criterion = ids[int(token) - 1]
        elif token.lower() in by_id:
            criterion = by_id[token.lower()]
        else:
            unknown.append(token)
            continue
        if criterion not in chosen:
            chosen.append(criterion)
    if unknown:
        choices = ", ".join(f"{n} {i}" for n, i in enumerate(ids, 1))
        raise AnswerInvalid(f"not a criterion: {', '.join(unknown)}. Use numbers or ids from: {choices}.")
    return chosen


def check_rationale(text: str) -> str:
    cleaned = text.strip("\n")
    if not cleaned.strip():
        raise AnswerInvalid("the rationale is empty: say why, quoting the responses, then end with a line '.'.")
    return cleaned


def strength_prompt(rubric: Rubric, preference: str) -> str:
    steps = side_steps(rubric, preference)
    return "Strength — " + ", ".join(f"{abs(v)} {label}" for v, label in steps)


def criteria_prompt(rubric: Rubric) -> str:
    return "Criteria you relied on — " + ", ".join(f"{n} {c}" for n, c in enumerate(rubric.criterion_ids, 1))


CONFIDENCE_PROMPT = "How sure are you? 1 a guess, 2 unsure, 3 fairly sure, 4 sure, 5 certain"
FLAGS_PROMPT = "Flag this pair — " + ", ".join(f"{n} {flag}" for n, flag in enumerate(FLAGS, 1)) + " (- to remove the flag)"
NOTE_PROMPT = "Why? One line for the lead (Enter for no note)"


def parse_confidence(text: str) -> int:
    raw = text.strip()
    if raw in {"1", "2", "3", "4", "5"}:
        return int(raw)
    raise AnswerInvalid(f"{raw!r} is not a confidence: answer 1 (a guess) to 5 (certain).")


def parse_flags(text: str) -> tuple[str, ...]:
    """Flags by number or name; "-" (or nothing) removes the flag."""
    raw = text.strip().lower()
    if raw in ("", "-"):
        return ()
    chosen: list[str] = []
    unknown: list[str] = []
    for token in re.split(r"[,\s]+", raw):
        if not token:
            continue
        flag = FLAGS[int(token) - 1] if token.isdigit() and 1 <= int(token) <= len(FLAGS) else token if token in FLAGS else None
        if flag is None:
            unknown.append(token)
        elif flag not in chosen:
            chosen.append(flag)
    if unknown:
        raise AnswerInvalid(f"not a flag: {', '.join(unknown)}. Use numbers or names from: " + ", ".join(
            f"{n} {flag}" for n, flag in enumerate(FLAGS, 1)) + ".")
    return tuple(chosen)


def check_note(text: str) -> str | None:
    from ..models.base import FLAG_NOTE_MAX

    note = text.strip()
    if len(note) > FLAG_NOTE_MAX:
        raise AnswerInvalid(f"the note has {len(note)} characters; keep it under {FLAG_NOTE_MAX}.")
    return note or None
