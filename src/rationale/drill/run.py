"""Running a drill: ask the four questions for every pending item, record, teach; the `drill` workflow.

The questions are asked through a `DrillIO` front end (the CLI has one for a
terminal and one for scripted input); this module knows nothing of either.
With a `critic`, each saved answer is also sent to the LLM second reviewer.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

from .. import store
from ..errors import InputError, InputProblem
from ..models import Rubric
from ..render.drill import render_feedback, render_item, render_rubric_help, render_summary
from ..render.formatters import plural
from . import scheduling
from .answers import (
    BACK,
    CONFIDENCE_PROMPT,
    EDITOR,
    END_OF_RATIONALE,
    FLAG,
    FLAGS_PROMPT,
    HELP,
    NOTE_PROMPT,
    FIRST_KEYS_HINT,
    KEYS_HINT,
    MORE_KEYS_HINT,
    PAIR,
    QUIT,
    SKIP,
    AnswerInvalid,
    BackRequested,
    EndOfInput,
    ShownAnswer,
    SkipRequested,
    StopRequested,
    UnfinishedAnswer,
    check_note,
    check_rationale,
    criteria_prompt,
    parse_confidence,
    parse_criteria,
    parse_flags,
    parse_preference,
    parse_strength,
    strength_prompt,
)
from .session import DrillSession, Feedback, Plan


class DrillIO(Protocol):
    """What the session loop needs from a front end.

    `ask`, `ask_line` and `pause` raise `EndOfInput` when scripted input runs
    out, and KeyboardInterrupt when the trainee interrupts.
    """

    interactive: bool  # True: a person at a terminal ($EDITOR available, pauses after feedback)
    colour: bool  # True: rendered text may carry ANSI colour

    @property
    def width(self) -> int: ...
    def show(self, text: str) -> None: ...
    def show_screen(self, text: str) -> None: ...  # a screenful or more: a terminal shows it a page at a time
    def problem(self, text: str) -> None: ...  # why an answer was refused
    def ask(self, label: str) -> str: ...  # one answer line for a question
    def ask_line(self) -> str: ...  # one more line of a multi-line answer
    def pause(self, label: str) -> str: ...  # wait for the trainee to read; "" at once when no one is reading
    def edit(self, text: str) -> str | None: ...  # $EDITOR; None when unavailable or abandoned


class Screens:
    """What the keys at any prompt do besides answering: show the rubric (`?`) and the pair (`p`), flag the pair (`f`).

    The flags and note given with `f` belong to the pair being answered (`flags`, `flag_note`).
    """

    def __init__(self, io: DrillIO, rubric: Rubric):
        self.io = io
        self.rubric = rubric
        self.pair: str | None = None
        self.flags: tuple[str, ...] = ()
        self.flag_note: str | None = None

    def show(self, key: str) -> bool:
        """Do what `key` asks for; False when it is not one of these keys."""
        if key == HELP:
            self.io.show_screen(render_rubric_help(self.rubric, self.io.width, self.io.colour))
        elif key == PAIR and self.pair is not None:
            self.io.show_screen(self.pair)
        elif key == FLAG:
            self._flag()
        else:
            return False
        return True

    def _flag(self) -> None:
        """Ask which flags and why; then the question that was being answered is asked again."""
        self.flags = self._until_valid(FLAGS_PROMPT, parse_flags)
        if not self.flags:
            self.flag_note = None
            self.io.show("No flag on this pair.")
            return
        self.flag_note = self._until_valid(NOTE_PROMPT, check_note)
        self.io.show(f"Flagged: {', '.join(self.flags)}. Now answer the pair as well as you can.")

    def _until_valid(self, label: str, parse: Callable[[str], Any]) -> Any:
        while True:
            try:
                return parse(self.io.ask(label))
            except AnswerInvalid as exc:
                self.io.problem(str(exc))


def _ask_until_valid(io: DrillIO, screens: Screens, label: str, parse: Callable[[str], Any], keys: str = MORE_KEYS_HINT) -> Any:
    while True:
        raw = io.ask(f"{label}  [{keys}]")
        key = raw.strip().lower()
        if screens.show(key):
            continue
        _obey(key)
        try:
            return parse(raw)
        except AnswerInvalid as exc:
            io.problem(str(exc))


def _obey(key: str) -> None:
    """Raise the request a navigation key makes (the callers catch them); nothing for an answer."""
    if key == QUIT:
        raise StopRequested
    if key == SKIP:
        raise SkipRequested
    if key == BACK:
        raise BackRequested


EDITOR_TEMPLATE = "\n\n# Write your rationale above. Lines starting with # are dropped.\n"


def _rationale_text(io: DrillIO, screens: Screens) -> str:
    """Lines up to a line '.'; or, when the first line is 'e' at a terminal, what was written in $EDITOR."""
    lines: list[str] = []
    while True:
        line = io.ask_line()
        stripped = line.strip()
        if stripped == END_OF_RATIONALE:
            return "\n".join(lines)
        if screens.show(stripped.lower()):
            continue
        if not lines:  # the keys work on the first line only: later, 'q' or 's' may be the trainee's words
            _obey(stripped.lower())
            if stripped.lower() == EDITOR:
                if not io.interactive:
                    io.problem("the editor needs a terminal; write the rationale here and end it with a line '.'.")
                    continue
                edited = io.edit(EDITOR_TEMPLATE) or ""
                return "\n".join(l for l in edited.splitlines() if not l.startswith("#"))
        lines.append(line)


def _ask_rationale(io: DrillIO, screens: Screens) -> str:
    hint = "end with a line '.'" + (", or type 'e' to write it in $EDITOR" if io.interactive else "")
    while True:
        io.show(f"Rationale ({hint})  [{MORE_KEYS_HINT}]:")
        try:
            return check_rationale(_rationale_text(io, screens))
        except AnswerInvalid as exc:
            io.problem(str(exc))


QUESTIONS = ("preference", "strength", "criteria", "rationale")
WITH_CONFIDENCE = (*QUESTIONS, "confidence")


def ask_answer(
    io: DrillIO, rubric: Rubric, screens: Screens | None = None, item_id: str = "this pair", confidence: bool = False
) -> ShownAnswer:
    """Ask the four questions (five with `confidence`), each until it is valid; `<` goes back one question.

    `f` at any prompt flags the pair (see :class:`Screens`). Raises StopRequested (q),
    SkipRequested (s), and UnfinishedAnswer when scripted input ends after the first
    question was answered.
    """
    screens = screens or Screens(io, rubric)
    screens.flags, screens.flag_note = (), None
    questions = WITH_CONFIDENCE if confidence else QUESTIONS
    given: dict[str, Any] = {}
    step = 0
    while step < len(questions):
        question = questions[step]
        if question == "strength" and given["preference"] == "tie":
            given["strength"] = 0  # a tie has no strength to ask
            step += 1
            continue
        try:
            given[question] = _ask(io, rubric, screens, question, given)
        except BackRequested:
            step = _previous(step, given)
            if step < 0:
                io.problem("this is the first question: answer A, B or tie.")
                step = 0
            continue
        except EndOfInput:
            if step > 0:
                raise UnfinishedAnswer(item_id, f"at the {question}") from None
            raise
        step += 1
    return ShownAnswer(
        given["preference"], given["strength"], given["criteria"], given["rationale"],
        confidence=given.get("confidence"), flags=screens.flags, flag_note=screens.flag_note,
    )


def _previous(step: int, given: dict[str, Any]) -> int:
    back = step - 1
    if back >= 0 and QUESTIONS[back] == "strength" and given.get("preference") == "tie":
        back -= 1  # the strength of a tie was never asked
    return back


def _ask(io: DrillIO, rubric: Rubric, screens: Screens, question: str, given: dict[str, Any]) -> Any:
    if question == "preference":
        return _ask_until_valid(io, screens, "Which is better? A, B or tie", parse_preference, FIRST_KEYS_HINT)
    if question == "strength":
        preference = given["preference"]
        return _ask_until_valid(io, screens, strength_prompt(rubric, preference), lambda t: parse_strength(t, rubric, preference))
    if question == "criteria":
        return _ask_until_valid(io, screens, criteria_prompt(rubric), lambda t: parse_criteria(t, rubric))
    if question == "confidence":
        return _ask_until_valid(io, screens, CONFIDENCE_PROMPT, parse_confidence)
    return _ask_rationale(io, screens)


EXIT_INTERRUPTED = 130
EXIT_UNFINISHED = 1
PAUSE_HINT = "Enter: {next} · p the pair again · ? rubric · q stop"


def run_session(
    session: DrillSession, io: DrillIO, critic: Callable[[Feedback], str | None] | None = None, confidence: bool = False
) -> int:
    """Serve every pending item; return the exit code.

    0 when the session ran to its end or the trainee stopped it; 1 when
    scripted input ended in the middle of an answer (that answer is lost);
    130 when interrupted by Ctrl-C. Every finished answer is saved either way.
    """
    total = session.total
    screens = Screens(io, session.rubric)
    if session.resumed:
        io.show(f"Resuming session {session.number}: {len(session.pending())} of {total} {plural(total, 'item')} left."
                f" At any prompt: {KEYS_HINT}.")
    else:
        io.show(f"Session {session.number}: {total} {plural(total, 'item')}. At any prompt: {KEYS_HINT}.")
    queue = deque(session.pending())
    skipped: set[int] = set()
    code = 0
    try:
        while queue:
            slot = queue.popleft()
            item, _ = session.shown(slot)
            screens.pair = render_item(item, slot.position, total, io.width, io.colour)
            io.show_screen(screens.pair)
            started = time.monotonic()
            try:
                answer = ask_answer(io, session.rubric, screens, slot.item_id, confidence)
            except SkipRequested:
                if slot.position in skipped:
                    io.show(f"Skipped {slot.item_id} again: it stays unanswered for your next session.")
                else:
                    skipped.add(slot.position)
                    queue.append(slot)
                    io.show(f"Skipped {slot.item_id}: it comes back at the end of this session.")
                continue
            feedback = session.record(slot, answer, time.monotonic() - started)
            if critic is not None:
                feedback.critique = critic(feedback)
            io.show_screen(render_feedback(feedback, session.rubric, io.width, io.colour))
            _pause(io, screens, "the next pair" if queue else "the session summary")
    except KeyboardInterrupt:
        io.show("\nInterrupted. Every answer you finished is saved.")
        code = EXIT_INTERRUPTED
    except StopRequested:
        io.show("Stopped. Every answer you finished is saved.")
    except UnfinishedAnswer as exc:
        io.problem(f"{exc}. Every answer before it is saved.")
        code = EXIT_UNFINISHED
    except EndOfInput:
        io.show("Input ended. Every answer you finished is saved.")
    io.show(render_summary(session.close(), io.width, io.colour))
    return code


def _pause(io: DrillIO, screens: Screens, next_thing: str) -> None:
    """Hold the feedback on screen until the trainee asks for what comes next."""
    while True:
        key = io.pause(PAUSE_HINT.format(next=next_thing)).strip().lower()
        if screens.show(key):
            continue
        if key == QUIT:
            raise StopRequested
        return


def drill(
    *,
    items_path: str,
    gold_path: str,
    rubric_path: str,
    annotator: str,
    db_path: str | None,
    io: DrillIO,
    n: int | None = None,
    order: scheduling.Order | None = None,
    seed: int | None = None,
    new: bool = False,
    critique_model: str | None = None,
    api_base: str | None = None,
    confidence: bool = False,
) -> int:
    """Load the files (InputError on bad input, before anything is written), then run a session.

    `n`, `order` and `seed` plan a new session (None: 10 items, mixed order, a
    random seed); an unfinished session is resumed as it was planned, and when
    they ask for something else the trainee is told so. `new` sets an
    unfinished session aside (its answers are kept) and plans a fresh one.
    `confidence` asks how sure the trainee is after each rationale.
    With `critique_model`, a missing API key raises `LLMSetupError` before anything is written.
    """
    from ..io import load_references
    from .reviewer import second_reviewer

    if not annotator.strip():
        raise InputError([InputProblem("--annotator", None, "annotator", "must not be blank")])
    rubric, items, gold = load_references(rubric_path, items_path, gold_path)
    assert gold is not None
    critic = second_reviewer(db_path, critique_model, api_base, annotator) if critique_model else None
    planned_order: scheduling.Order = order or "mixed"
    planned_n = n or DEFAULT_N
    without_gold = [item_id for item_id in items if item_id not in gold]
    if without_gold:  # a gold file that covers part of the items: say so rather than serve fewer without a word
        io.problem(
            f"{len(without_gold)} of the {len(items)} items have no gold answer in {gold_path} and cannot be drilled"
            f" (first: {without_gold[0]})."
        )
    db = store.open_db(db_path)
    try:
        if new:
            set_aside = DrillSession.set_aside(db, annotator)
            if set_aside is not None:
                io.show(f"Session {set_aside} set aside (its answers are kept); starting a new one.")
        session = DrillSession.open(
            db,
            rubric=rubric,
            items=items,
            gold=gold,
            annotator=annotator,
            order=planned_order,
            n=planned_n,
            seed=seed,
            inputs={"items": str(items_path), "gold": str(gold_path), "rubric": str(rubric_path), "order": planned_order,
                    "n": planned_n, "seed": seed},
        )
        if session is None:
            what = {"new": "new items", "missed": "missed items due", "mixed": "items"}[planned_order]
            io.show(f"No {what} left for {annotator}. Try --order mixed, or add items.")
            return 0
        if session.resumed:
            note = resume_note(session.plan, n=n, order=order, seed=seed)
            if note:
                io.problem(note)
        return run_session(session, io, critic, confidence)
    finally:
        db.close()


DEFAULT_N = 10


def resume_note(plan: Plan, *, n: int | None, order: str | None, seed: int | None) -> str | None:
    """What a resumed session does not take from this run's options, and how to get it; None when nothing."""
    ignored = [
        f"{flag} {asked}"
        for flag, asked, planned in (("--n", n, plan.n), ("--order", order, plan.order), ("--seed", seed, plan.seed))
        if asked is not None and asked != planned
    ]
    if not ignored:
        return None
    was = " ".join(f"{flag} {value}" for flag, value in (("--n", plan.n), ("--order", plan.order), ("--seed", plan.seed)) if value is not None)
    return (
        f"This resumes session {plan.number}, planned with {was}: {', '.join(ignored)} will plan your next session."
        " To start fresh now, run again with --new (the answers you gave are kept)."
    )
