"""Running a drill: ask the four questions for every pending item, record, teach; the `drill` workflow.

The questions are asked through a `DrillIO` front end (the CLI has one for a
terminal and one for scripted input); this module knows nothing of either.
With a `critic`, each saved answer is also sent to the LLM second reviewer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

from .. import store
from ..errors import InputError, InputProblem
from ..models import Rubric
from ..render.drill import render_feedback, render_item, render_rubric_help, render_summary
from . import scheduling
from .answers import (
    EDITOR,
    END_OF_RATIONALE,
    HELP,
    QUIT,
    AnswerInvalid,
    EndOfInput,
    ShownAnswer,
    StopRequested,
    check_rationale,
    criteria_prompt,
    parse_criteria,
    parse_preference,
    parse_strength,
    strength_prompt,
)
from .session import DrillSession, Feedback


class DrillIO(Protocol):
    """What the session loop needs from a front end.

    `ask` and `ask_line` raise `EndOfInput` when scripted input runs out, and
    KeyboardInterrupt when the trainee interrupts.
    """

    interactive: bool  # True: a person at a terminal ($EDITOR available)

    @property
    def width(self) -> int: ...
    def show(self, text: str) -> None: ...
    def show_long(self, text: str) -> None: ...  # may page
    def problem(self, text: str) -> None: ...  # why an answer was refused
    def ask(self, label: str) -> str: ...  # one answer line for a question
    def ask_line(self) -> str: ...  # one more line of a multi-line answer
    def edit(self, text: str) -> str | None: ...  # $EDITOR; None when unavailable or abandoned


def _ask_until_valid(io: DrillIO, rubric: Rubric, label: str, parse: Callable[[str], Any], *, allow_quit: bool = False) -> Any:
    while True:
        raw = io.ask(label)
        if raw.strip() == HELP:
            io.show_long(render_rubric_help(rubric, io.width))
            continue
        if allow_quit and raw.strip().lower() == QUIT:
            raise StopRequested
        try:
            return parse(raw)
        except AnswerInvalid as exc:
            io.problem(str(exc))


EDITOR_TEMPLATE = "\n\n# Write your rationale above. Lines starting with # are dropped.\n"


def _rationale_text(io: DrillIO, rubric: Rubric) -> str:
    """Lines up to a line '.'; or, when the first line is 'e' at a terminal, what was written in $EDITOR."""
    lines: list[str] = []
    while True:
        line = io.ask_line()
        stripped = line.strip()
        if stripped == END_OF_RATIONALE:
            return "\n".join(lines)
        if stripped == HELP:
            io.show_long(render_rubric_help(rubric, io.width))
            continue
        if not lines and stripped.lower() == EDITOR:
            if not io.interactive:
                io.problem("the editor needs a terminal; write the rationale here and end it with a line '.'.")
                continue
            edited = io.edit(EDITOR_TEMPLATE) or ""
            return "\n".join(l for l in edited.splitlines() if not l.startswith("#"))
        lines.append(line)


def _ask_rationale(io: DrillIO, rubric: Rubric) -> str:
    hint = "end with a line '.'" + (", or type 'e' to write it in $EDITOR" if io.interactive else "")
    while True:
        io.show(f"Rationale ({hint}; ? for the rubric):")
        try:
            return check_rationale(_rationale_text(io, rubric))
        except AnswerInvalid as exc:
            io.problem(str(exc))


def ask_answer(io: DrillIO, rubric: Rubric) -> ShownAnswer:
    """Ask the four questions; re-ask each until it is valid."""
    preference = _ask_until_valid(io, rubric, "Which is better? A, B or tie (? rubric, q stop)", parse_preference, allow_quit=True)
    if preference == "tie":
        strength = 0
    else:
        strength = _ask_until_valid(io, rubric, strength_prompt(rubric, preference), lambda t: parse_strength(t, rubric, preference))
    criteria = _ask_until_valid(io, rubric, criteria_prompt(rubric), lambda t: parse_criteria(t, rubric))
    rationale = _ask_rationale(io, rubric)
    return ShownAnswer(preference=preference, strength=strength, criteria=criteria, rationale=rationale)


EXIT_INTERRUPTED = 130


def run_session(session: DrillSession, io: DrillIO, critic: Callable[[Feedback], str | None] | None = None) -> int:
    """Serve every pending item; return the exit code (0, or 130 when interrupted by Ctrl-C)."""
    total = session.total
    if session.resumed:
        io.show(f"Resuming session {session.number}: {len(session.pending())} of {total} item(s) left.")
    else:
        io.show(f"Session {session.number}: {total} item(s). Type ? at any prompt for the rubric.")
    code = 0
    try:
        for slot in session.pending():
            item, _ = session.shown(slot)
            io.show_long(render_item(item, slot.position, total, io.width))
            started = time.monotonic()
            answer = ask_answer(io, session.rubric)
            feedback = session.record(slot, answer, time.monotonic() - started)
            if critic is not None:
                feedback.critique = critic(feedback)
            io.show_long(render_feedback(feedback, session.rubric, io.width))
    except KeyboardInterrupt:
        io.show("\nInterrupted. Every answer you finished is saved.")
        code = EXIT_INTERRUPTED
    except StopRequested:
        io.show("Stopped. Every answer you finished is saved.")
    except EndOfInput:
        io.show("Input ended. Every answer you finished is saved.")
    io.show(render_summary(session.close(), io.width))
    return code


def drill(
    *,
    items_path: str,
    gold_path: str,
    rubric_path: str,
    annotator: str,
    db_path: str | None,
    io: DrillIO,
    n: int = 10,
    order: scheduling.Order = "mixed",
    seed: int | None = None,
    critique_model: str | None = None,
    api_base: str | None = None,
) -> int:
    """Load the files (InputError on bad input, before anything is written), then run a session.

    With `critique_model`, a missing API key raises `LLMSetupError` before anything is written.
    """
    from ..io import load_references
    from .reviewer import second_reviewer

    if not annotator.strip():
        raise InputError([InputProblem("--annotator", None, "annotator", "must not be blank")])
    rubric, items, gold = load_references(rubric_path, items_path, gold_path)
    assert gold is not None
    critic = second_reviewer(db_path, critique_model, api_base, annotator) if critique_model else None
    db = store.open_db(db_path)
    try:
        session = DrillSession.open(
            db,
            rubric=rubric,
            items=items,
            gold=gold,
            annotator=annotator,
            order=order,
            n=n,
            seed=seed,
            inputs={"items": str(items_path), "gold": str(gold_path), "rubric": str(rubric_path), "order": order, "n": n, "seed": seed},
        )
        if session is None:
            what = {"new": "new items", "missed": "missed items due", "mixed": "items"}[order]
            io.show(f"No {what} left for {annotator}. Try --order mixed, or add items.")
            return 0
        return run_session(session, io, critic)
    finally:
        db.close()
