"""The ranking drill: serve pairs, take the trainee's answer, grade it, teach.

Two layers, kept apart so the logic is testable without a terminal:

* `DrillSession` holds the session's plan (written to the database before the
  first item is shown) and `record()`s each answer: it grades the answer with
  `rationale.grader.Grader`, saves judgment, grade and findings through
  `rationale.store`, and moves the item's Leitner box, all in one commit per
  answer. An interrupted session stays open; the next `rationale drill` for
  the same annotator carries on with its remaining items.
* Front ends ask the questions. `TerminalIO` (stdin is a terminal) wraps text
  to the terminal width, pages long screens with `click.echo_via_pager`, and
  opens `$EDITOR` for the rationale on request. `ScriptedIO` (stdin is not a
  terminal) reads the answers line by line, so a drill can be scripted.

Scripted line format
--------------------
For each item served, in this order, one answer per line:

1. preference: ``A``, ``B`` or ``tie`` (case-insensitive; ``t`` and ``=``
   also mean tie). ``q`` stops the session here; it can be resumed.
2. strength, asked only when the preference is A or B: the signed value on
   the rubric's scale (``-2``) or just its size (``2``), which takes the side
   of the preference. A tie is strength 0 and this line is not read.
3. criteria: rubric criterion numbers or ids, separated by commas or spaces
   (``1,3`` or ``honesty, clarity``); an empty line or ``-`` for none.
4. rationale: any number of lines, ended by a line holding a single ``.``.

At any prompt a line ``?`` shows the rubric's criteria, level descriptors and
strength scale (never the gold) and the question is asked again. An invalid
line is explained and the next line is read as a new try at the same
question, exactly as in the terminal. When input ends mid-session, the
answers given so far are kept and the session stays open for resuming.

Example for two items (a strong B, then a tie)::

    B
    2
    honesty,2
    B gives the right date ("1969") while A says 1972, which is wrong.
    .
    tie
    -
    Both answers say "Canberra" and are equally short and clear.
    .
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import sys
import textwrap
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Protocol

import click
import sqlite_utils

from . import scheduling, store
from .errors import InputError, InputProblem
from .models import Finding, GoldAnswer, Grade, Item, Judgment, Rubric, strength_side

if TYPE_CHECKING:
    from .grader import Grader

HELP = "?"
QUIT = "q"
END_OF_RATIONALE = "."
EDITOR = "e"

# Finding codes that are about quoting the responses (shown as the evidence check);
# every other finding is shown as a lint finding.
EVIDENCE_CODE_PATTERN = re.compile(r"quote|evidence", re.IGNORECASE)
# Already told in the verdict and key-point lines of the feedback.
SHOWN_ELSEWHERE_CODES = frozenset({"wrong_preference", "missed_key_point"})


class AnswerInvalid(ValueError):
    """An answer the trainee must give again; the message says why."""


class EndOfInput(Exception):
    """Scripted input ran out."""


class StopRequested(Exception):
    """The trainee typed `q`."""


# --------------------------------------------------------------------------- answers


@dataclass(frozen=True)
class ShownAnswer:
    """An answer as the trainee gave it, in the orientation they saw."""

    preference: str
    strength: int
    criteria: list[str]
    rationale: str


def parse_preference(text: str) -> str:
    value = text.strip().lower()
    if value == "a":
        return "A"
    if value == "b":
        return "B"
    if value in ("tie", "t", "="):
        return "tie"
    raise AnswerInvalid(f"{text.strip()!r} is not a preference: answer A, B or tie (? for the rubric, q to stop).")


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


# --------------------------------------------------------------------------- rendering


def terminal_width() -> int:
    return max(40, min(shutil.get_terminal_size((80, 24)).columns, 120))


def wrap(text: str, width: int, indent: str = "  ") -> str:
    """Wrap each line of `text` to `width`, keeping blank lines and each line's own indent."""
    out = []
    for line in text.splitlines() or [""]:
        if not line.strip():
            out.append("")
            continue
        own = line[: len(line) - len(line.lstrip())]
        out.append(
            textwrap.fill(
                line.strip(),
                width=width,
                initial_indent=indent + own,
                subsequent_indent=indent + own,
                break_long_words=True,
                break_on_hyphens=False,
            )
        )
    return "\n".join(out)


def bullet(mark: str, text: str, width: int) -> str:
    """`  mark text`, continuation lines aligned under the text."""
    return textwrap.fill(
        " ".join(text.split()), width=width, initial_indent=f"  {mark} ", subsequent_indent=" " * (len(mark) + 3)
    )


def rule(title: str, width: int, char: str = "─") -> str:
    if not title:
        return char * width
    head = f"{char * 3} {title} "
    return head + char * max(0, width - len(head))


def render_item(item: Item, position: int, total: int, width: int) -> str:
    parts = [
        rule(f"Item {position} of {total} · {item.id}", width, "═"),
        "PROMPT",
        wrap(item.prompt_text, width),
        "",
        rule("RESPONSE A", width, "━"),
        wrap(item.response_a, width, "A │ "),
        "",
        rule("RESPONSE B", width, "━"),
        wrap(item.response_b, width, "B │ "),
        rule("", width, "━"),
    ]
    return "\n".join(parts)


def render_rubric_help(rubric: Rubric, width: int) -> str:
    lines = [rule(f"Rubric: {rubric.title} (v{rubric.version})", width)]
    for number, c in enumerate(rubric.criteria, 1):
        lines.append(f"{number}. {c.id} — {c.name}")
        lines.append(wrap(c.description.strip(), width, "   "))
        for level in ("5", "4", "3", "2", "1"):
            lines.append(wrap(f"{level}: {c.levels[level]}", width, "     "))
    if rubric.criteria_priority:
        lines.append("When criteria conflict, the earlier wins: " + " > ".join(rubric.criteria_priority))
    lines.append("Strength scale:")
    for s in sorted(rubric.strength_scale, key=lambda s: s.value):
        lines.append(f"  {s.value:+d}  {s.label}")
    req = rubric.rationale
    needs = [f"{req.min_words}-{req.max_words} words"]
    if req.must_cite_criterion:
        needs.append("name the criteria you rely on")
    if req.must_quote_evidence:
        needs.append('quote the responses ("...")')
    lines.append(wrap("Rationale: " + "; ".join(needs) + ".", width, ""))
    lines.append(rule("", width))
    return "\n".join(lines)


def strength_prompt(rubric: Rubric, preference: str) -> str:
    steps = side_steps(rubric, preference)
    return "Strength — " + ", ".join(f"{abs(v)} {label}" for v, label in steps)


def criteria_prompt(rubric: Rubric) -> str:
    return "Criteria you relied on — " + ", ".join(f"{n} {c}" for n, c in enumerate(rubric.criterion_ids, 1))


def describe_strength(rubric: Rubric, value: int) -> str:
    try:
        return f"{value:+d} ({rubric.strength_label(value)})"
    except KeyError:
        return f"{value:+d}"


@dataclass
class Feedback:
    """What the trainee is shown after one answer (in the orientation they saw)."""

    item: Item  # as shown
    gold: GoldAnswer  # as shown
    answer: ShownAnswer
    grade: Grade
    swapped: bool
    consistent_with: str | None = None  # the earlier (original-orientation) preference, for a swapped re-serve
    original_preference: str = ""  # this answer's choice mapped to the original order
    judgment_hash: str = ""  # of the answer as stored (in the orientation shown)
    critique: str | None = None

    @property
    def evidence_findings(self) -> list[Finding]:
        return [f for f in self.grade.findings if EVIDENCE_CODE_PATTERN.search(f.code)]

    @property
    def lint_findings(self) -> list[Finding]:
        return [
            f
            for f in self.grade.findings
            if not EVIDENCE_CODE_PATTERN.search(f.code) and f.code not in SHOWN_ELSEWHERE_CODES
        ]


def _key_point_text(gold: GoldAnswer, key_id: str) -> str:
    for k in gold.key_points:
        if k.id == key_id:
            return k.text
    return key_id


def render_feedback(fb: Feedback, rubric: Rubric, width: int) -> str:
    g = fb.grade
    lines = [rule("Feedback", width)]
    verdict = "RIGHT" if g.preference_correct else "WRONG"
    lines.append(
        f"{verdict}: you chose {fb.answer.preference} {describe_strength(rubric, fb.answer.strength)};"
        f" the gold is {fb.gold.preference} {describe_strength(rubric, fb.gold.strength)}."
    )
    if fb.swapped:
        lines.append(
            "This pair was shown with A and B swapped: it was graded and saved as you saw it."
            " In the lead's key points and reference below, A and B are the original sides (what you saw as A is B)."
        )
        if fb.consistent_with is not None:
            same = fb.original_preference == fb.consistent_with
            lines.append(
                f"Consistency: your earlier answer on the original order was {fb.consistent_with};"
                f" this one maps to {fb.original_preference} — {'consistent' if same else 'INCONSISTENT'}."
            )
    lines.append(f"Score {g.score:.0f}/100 — {'passed' if g.passed else 'not passed'} (pass mark {rubric.scoring.pass_mark:g}).")
    if fb.gold.decisive_criteria:
        cited = set(fb.answer.criteria)
        marks = [f"{c}{' ✓' if c in cited else ' ✗'}" for c in fb.gold.decisive_criteria]
        lines.append("Decisive criteria: " + ", ".join(marks))
    if g.key_points_made:
        lines.append("Key points you made:")
        lines += [bullet("✓", _key_point_text(fb.gold, k), width) for k in g.key_points_made]
    if g.key_points_missed:
        lines.append("Key points you missed:")
        lines += [bullet("✗", _key_point_text(fb.gold, k), width) for k in g.key_points_missed]
    evidence = g.components.get("evidence")
    lines.append("Evidence check: " + ("skipped" if evidence is None else f"{evidence * 100:.0f}%"))
    lines += [bullet(f"[{f.severity.value}]", f.message, width) for f in fb.evidence_findings]
    lint = fb.lint_findings
    lines.append("Strength and rationale findings:" if lint else "Strength and rationale findings: none.")
    lines += [bullet(f"[{f.severity.value}]", f.message, width) for f in lint]
    lines.append("Reference rationale (the lead's):")
    lines.append(wrap(fb.gold.reference_rationale.strip(), width))
    if fb.critique:
        lines.append("Second reviewer:")
        lines.append(wrap(fb.critique, width))
    lines.append(rule("", width))
    return fit(lines, width)


def fit(lines: list[str], width: int) -> str:
    """Join lines, wrapping any still wider than the terminal (keeping its indent)."""
    out = []
    for line in "\n".join(lines).split("\n"):
        out.append(wrap(line, width, "") if len(line) > width else line)
    return "\n".join(out)


# --------------------------------------------------------------------------- session


@dataclass(frozen=True)
class Slot:
    position: int
    item_id: str
    swapped: bool


@dataclass
class SessionSummary:
    session_id: int
    number: int
    planned: int
    answered: int
    right: int
    passed: int
    mean_score: float | None
    missed: list[str]
    swaps: int
    swaps_consistent: int
    remaining: int

    def render(self, width: int) -> str:
        lines = [rule(f"Session {self.number} summary", width)]
        if not self.answered:
            lines.append("No answers in this session yet.")
        else:
            lines.append(f"Answered {self.answered} of {self.planned}.")
            lines.append(f"Preference right: {self.right}/{self.answered} ({self.right / self.answered:.0%}).")
            lines.append(f"Passed: {self.passed}/{self.answered}; mean score {self.mean_score:.0f}/100.")
            if self.swaps:
                lines.append(f"Swapped re-serves: {self.swaps_consistent}/{self.swaps} consistent with your earlier answer.")
            if self.missed:
                lines.append(wrap("Coming back next session: " + ", ".join(self.missed), width, ""))
        if self.remaining:
            lines.append(f"{self.remaining} item(s) left: run `rationale drill` again to carry on.")
        lines.append(rule("", width))
        return fit(lines, width)


def utc_now() -> str:
    return store.utc_now()


class DrillSession:
    """One drill session: its plan, and the recording of each answer."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        *,
        rubric: Rubric,
        items: Mapping[str, Item],
        gold: Mapping[str, GoldAnswer],
        annotator: str,
        session_id: int,
        number: int,
        run_id: int,
        item_hashes: Mapping[str, str],
        resumed: bool,
        grader: Grader | None = None,
    ):
        self.db = db
        self.rubric = rubric
        self.items = items
        self.gold = gold
        self.annotator = annotator
        self.session_id = session_id
        self.number = number
        self.run_id = run_id
        self.item_hashes = item_hashes
        self.resumed = resumed
        if grader is None:
            from .grader import Grader

            grader = Grader(rubric)
        self.grader = grader

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(
        cls,
        db: sqlite_utils.Database,
        *,
        rubric: Rubric,
        items: Mapping[str, Item],
        gold: Mapping[str, GoldAnswer],
        annotator: str,
        order: scheduling.Order = "mixed",
        n: int = 10,
        seed: int | None = None,
        inputs: Mapping[str, Any] | None = None,
        grader: Grader | None = None,
    ) -> "DrillSession | None":
        """Resume the annotator's unfinished session, or plan a new one; None when nothing is left to serve."""
        drillable = [i for i in items if i in gold]
        with db.conn:
            rubric_hash = store.save_rubric(db, rubric)
            item_hashes = store.save_items(db, items)
            store.save_gold(db, {k: v for k, v in gold.items() if k in items}, item_hashes)
            run_id = store.start_run(db, "drill", dict(inputs or {}, annotator=annotator), rubric_hash)

        def session(session_id: int, number: int, *, resumed: bool) -> "DrillSession":
            return cls(
                db,
                rubric=rubric,
                items=items,
                gold=gold,
                annotator=annotator,
                session_id=session_id,
                number=number,
                run_id=run_id,
                item_hashes=item_hashes,
                resumed=resumed,
                grader=grader,
            )

        open_row = db.execute(
            "select id, number from drill_sessions where annotator = ? and finished is null order by id desc limit 1",
            [annotator],
        ).fetchone()
        if open_row is not None:
            session_id, number = open_row
            left = db.execute(
                "select count(*) from drill_presentations where session_id = ? and answered_at is null"
                f" and item_id in ({','.join('?' * len(drillable)) or 'null'})",
                [session_id, *drillable],
            ).fetchone()[0]
            if left:
                return session(session_id, number, resumed=True)
            with db.conn:
                db.execute("update drill_sessions set finished = ? where id = ?", [utc_now(), session_id])

        number = (
            db.execute("select coalesce(max(number), 0) from drill_sessions where annotator = ?", [annotator]).fetchone()[0]
            + 1
        )
        plan = scheduling.plan_session(
            drillable,
            scheduling.load_schedule(db, annotator),
            session_number=number,
            order=order,
            n=n,
            rng=random.Random(seed),
            times_swapped=scheduling.load_times_swapped(db, annotator),
        )
        if not plan:
            with db.conn:
                store.finish_run(db, run_id, {"answered": 0})
            return None
        with db.conn:
            cursor = db.conn.execute(
                "insert into drill_sessions (annotator, number, item_order, requested, seed, items_path, gold_path,"
                " rubric_hash, run_id, started) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    annotator,
                    number,
                    order,
                    n,
                    seed,
                    (inputs or {}).get("items"),
                    (inputs or {}).get("gold"),
                    rubric_hash,
                    run_id,
                    utc_now(),
                ],
            )
            session_id = int(cursor.lastrowid)
            db.conn.executemany(
                "insert into drill_presentations (session_id, position, item_id, swapped) values (?, ?, ?, ?)",
                [(session_id, pos, p.item_id, int(p.swapped)) for pos, p in enumerate(plan, 1)],
            )
        return session(session_id, number, resumed=False)

    # ----------------------------------------------------------------- serving

    @property
    def total(self) -> int:
        return self.db.execute(
            "select count(*) from drill_presentations where session_id = ?", [self.session_id]
        ).fetchone()[0]

    def pending(self) -> list[Slot]:
        """The unanswered presentations, in plan order (items no longer in the files are skipped)."""
        rows = self.db.execute(
            "select position, item_id, swapped from drill_presentations"
            " where session_id = ? and answered_at is null order by position",
            [self.session_id],
        ).fetchall()
        return [Slot(pos, item_id, bool(sw)) for pos, item_id, sw in rows if item_id in self.items and item_id in self.gold]

    def shown(self, slot: Slot) -> tuple[Item, GoldAnswer]:
        """The item and gold in the orientation the trainee sees."""
        item, gold = self.items[slot.item_id], self.gold[slot.item_id]
        if slot.swapped:
            return scheduling.swap_item(item), scheduling.swap_gold(gold)
        return item, gold

    def _earlier_preference(self, item_id: str) -> str | None:
        """The annotator's latest stored answer to `item_id`, in the original A/B order."""
        versions = scheduling.original_order_preferences(self.db, self.annotator, item_id)
        return versions[max(versions)] if versions else None

    # ----------------------------------------------------------------- recording

    def record(self, slot: Slot, answer: ShownAnswer, seconds: float | None = None) -> Feedback:
        """Grade one answer and save it (judgment, grade, findings, presentation, schedule) in one commit."""
        shown_item, shown_gold = self.shown(slot)
        timestamp = datetime.now(timezone.utc)
        shown_judgment = Judgment(
            item_id=slot.item_id,
            annotator=self.annotator,
            preference=answer.preference,
            strength=answer.strength,
            criteria=answer.criteria,
            rationale=answer.rationale,
            seconds=None if seconds is None else round(seconds, 1),
            timestamp=timestamp,
        )
        shown_grade: Grade = self.grader.grade(shown_judgment, shown_item, shown_gold)
        earlier = self._earlier_preference(slot.item_id) if slot.swapped else None
        entry = scheduling.load_schedule(self.db, self.annotator).get(slot.item_id)
        new_entry = scheduling.after_answer(entry, slot.item_id, passed=shown_grade.passed, session_number=self.number)
        with self.db.conn:
            if slot.swapped:
                # Stored as shown, so the rationale, findings and key points agree with the stored
                # choice: the swapped pair and its gold are item and gold versions of their own.
                item_hash = store.save_items(self.db, [shown_item])[slot.item_id]
                store.save_gold(self.db, {slot.item_id: shown_gold}, {slot.item_id: item_hash})
            else:
                item_hash = self.item_hashes[slot.item_id]
            key = store.judgment_key(self.db, shown_judgment, item_hash)
            stored_grade = shown_grade.model_copy(update={"judgment_hash": key}) if key != shown_grade.judgment_hash else shown_grade
            gid = store.grade_id(stored_grade.judgment_hash, stored_grade.gold_hash, stored_grade.rubric_hash)
            store.save_judgments_and_grades(
                self.db, [store.GradedJudgment(shown_judgment, item_hash, stored_grade)], self.run_id
            )
            self.db.conn.execute(
                "update drill_presentations set shown_preference = ?, shown_strength = ?, judgment_hash = ?,"
                " grade_id = ?, preference_correct = ?, passed = ?, score = ?, seconds = ?, answered_at = ?"
                " where session_id = ? and position = ?",
                [
                    answer.preference,
                    answer.strength,
                    stored_grade.judgment_hash,
                    gid,
                    int(shown_grade.preference_correct),
                    int(shown_grade.passed),
                    shown_grade.score,
                    shown_judgment.seconds,
                    utc_now(),
                    self.session_id,
                    slot.position,
                ],
            )
            scheduling.save_entry(self.db, self.annotator, new_entry)
        return Feedback(
            item=shown_item,
            gold=shown_gold,
            answer=answer,
            grade=shown_grade,
            swapped=slot.swapped,
            consistent_with=earlier,
            original_preference=scheduling.swap_preference(answer.preference) if slot.swapped else answer.preference,
            judgment_hash=stored_grade.judgment_hash,
        )

    # ----------------------------------------------------------------- closing

    def summary(self) -> SessionSummary:
        rows = self.db.execute(
            "select p.item_id, p.swapped, p.preference_correct, p.passed, p.score, p.answered_at, j.version"
            " from drill_presentations p left join judgments j on j.hash = p.judgment_hash"
            " where p.session_id = ? order by p.position",
            [self.session_id],
        ).fetchall()
        answered = [r for r in rows if r[5] is not None]
        versions = scheduling.original_order_preferences(self.db, self.annotator) if any(r[1] for r in answered) else {}
        # (this answer, the one before it), both in the original A/B order
        swaps = [
            (versions[(r[0], r[6])], earlier)
            for r in answered
            if r[1] and (earlier := scheduling.earlier_preference(versions, r[0], r[6])) is not None
        ]
        return SessionSummary(
            session_id=self.session_id,
            number=self.number,
            planned=len(rows),
            answered=len(answered),
            right=sum(r[2] for r in answered),
            passed=sum(r[3] for r in answered),
            mean_score=(sum(r[4] for r in answered) / len(answered)) if answered else None,
            missed=[r[0] for r in answered if not r[3]],
            swaps=len(swaps),
            swaps_consistent=sum(1 for this, earlier in swaps if this == earlier),
            remaining=len(rows) - len(answered),
        )

    def close(self) -> SessionSummary:
        """Mark the session finished when every item is answered; close the run either way."""
        summary = self.summary()
        with self.db.conn:
            if not self.pending():
                self.db.conn.execute("update drill_sessions set finished = ? where id = ?", [utc_now(), self.session_id])
            store.finish_run(self.db, self.run_id, {"answered": summary.answered, "remaining": summary.remaining})
        return summary


# --------------------------------------------------------------------------- front ends


class DrillIO(Protocol):
    """What the session loop needs from a front end."""

    interactive: bool  # True: a person at a terminal ($EDITOR available)

    @property
    def width(self) -> int: ...
    def show(self, text: str) -> None: ...
    def show_long(self, text: str) -> None: ...  # may page
    def problem(self, text: str) -> None: ...  # why an answer was refused
    def ask(self, label: str) -> str: ...  # one answer line for a question
    def ask_line(self) -> str: ...  # one more line of a multi-line answer
    def edit(self, text: str) -> str | None: ...  # $EDITOR; None when unavailable or abandoned


class TerminalIO:
    """A person at a terminal: wrapped text, a pager for long screens, $EDITOR on request."""

    interactive = True

    @property
    def width(self) -> int:
        return terminal_width()

    def show(self, text: str) -> None:
        click.echo(text)

    def show_long(self, text: str) -> None:
        rows = shutil.get_terminal_size((80, 24)).lines
        if text.count("\n") + 1 > rows - 2:
            # less -X leaves the pair on screen after quitting, so it can be read while answering;
            # -F skips the pager when it fits after all. A trainee's own LESS wins.
            os.environ.setdefault("LESS", "FRX")
            click.echo_via_pager(text + "\n")
        else:
            click.echo(text)

    def problem(self, text: str) -> None:
        click.secho("  ! " + text, fg="yellow")

    def ask(self, label: str) -> str:
        return click.prompt(click.style(label, bold=True), default="", show_default=False, prompt_suffix="\n> ")

    def ask_line(self) -> str:
        return click.prompt("", default="", show_default=False, prompt_suffix="> ")

    def edit(self, text: str) -> str | None:
        return click.edit(text, extension=".md")


class ScriptedIO:
    """Answers read line by line from a non-terminal stdin; the transcript goes to stdout."""

    interactive = False

    def __init__(self, lines: Iterator[str] | None = None):
        if lines is None and hasattr(sys.stdin, "reconfigure"):
            # Undecodable bytes become U+FFFD and are refused as an answer, not a traceback.
            sys.stdin.reconfigure(errors="replace")
        stream = lines if lines is not None else iter(sys.stdin)
        self._lines = stream

    @property
    def width(self) -> int:
        return terminal_width()

    def show(self, text: str) -> None:
        click.echo(text)

    show_long = show

    def problem(self, text: str) -> None:
        click.echo("! " + text)

    def _next(self) -> str:
        try:
            return next(self._lines).rstrip("\r\n")
        except StopIteration:
            raise EndOfInput from None

    def ask(self, label: str) -> str:
        value = self._next()
        click.echo(f"{label}\n> {value}")
        return value

    def ask_line(self) -> str:
        value = self._next()
        click.echo(f"> {value}")
        return value

    def edit(self, text: str) -> str | None:
        return None


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
    except (KeyboardInterrupt, click.exceptions.Abort):
        io.show("\nInterrupted. Every answer you finished is saved.")
        code = EXIT_INTERRUPTED
    except StopRequested:
        io.show("Stopped. Every answer you finished is saved.")
    except EndOfInput:
        io.show("Input ended. Every answer you finished is saved.")
    io.show(session.close().render(io.width))
    return code


def choose_io() -> DrillIO:
    return TerminalIO() if sys.stdin.isatty() else ScriptedIO()


def drill(
    *,
    items_path: str,
    gold_path: str,
    rubric_path: str,
    annotator: str,
    db_path: str | None,
    n: int = 10,
    order: scheduling.Order = "mixed",
    seed: int | None = None,
    critique_model: str | None = None,
    api_base: str | None = None,
    io: DrillIO | None = None,
) -> int:
    """Load the files (InputError on bad input, before anything is written), then run a session.

    With `critique_model`, a missing API key raises `LLMSetupError` before anything is written.
    """
    from .db import open_db
    from .loaders import load_references

    if not annotator.strip():
        raise InputError([InputProblem("--annotator", None, "annotator", "must not be blank")])
    rubric, items, gold = load_references(rubric_path, items_path, gold_path)
    critic = second_reviewer(db_path, critique_model, api_base, annotator) if critique_model else None
    io = io or choose_io()
    db = open_db(db_path)
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


def second_reviewer(
    db_path: str | None, model: str, api_base: str | None, annotator: str
) -> Callable[[Feedback], str | None]:
    """A critic that asks the LLM second reviewer (`rationale.critique_batch`) about each saved answer.

    The critique is stored in the `critiques` table like any other, so
    `rationale export --with-critique` shows it. A swapped re-serve is not
    sent to the reviewer. (It is stored as shown, swapped pair and gold, so
    `critique_stored` would see the sides its rationale speaks of; sending it
    is left for when that path is tested.)
    """
    from .llm import call_credentials

    call_credentials(model, api_base)  # a missing key fails here, before the session starts

    def critic(fb: Feedback) -> str | None:
        from .critique_batch import CritiqueOptions, critique_stored
        from .db import open_db

        if fb.swapped:
            return "Not asked for a pair re-served with A and B swapped."
        critique_stored(
            db_path,
            CritiqueOptions(model=model, api_base=api_base, annotator=annotator, judgment_hashes=[fb.judgment_hash], concurrency=1),
        )
        db = open_db(db_path)
        try:
            row = db.execute(
                "select body from critiques where judgment_hash = ? and model = ? order by created_at desc limit 1",
                [fb.judgment_hash, model],
            ).fetchone()
        finally:
            db.close()
        if row is None:
            return "The second reviewer gave no critique."
        return render_critique(json.loads(row[0]))

    return critic


def render_critique(body: Mapping[str, Any]) -> str:
    if body.get("status") != "ok":
        return f"The second reviewer could not answer: {body.get('failure_reason') or 'unknown reason'}."
    lines = []
    if body.get("preference") is not None:
        confidence = body.get("confidence")
        lines.append(
            f"Its own verdict: {body['preference']} {body.get('strength', 0):+d}"
            + ("" if confidence is None else f" (confidence {confidence:.0%})")
            + ("; it thinks your rationale supports your choice." if body.get("supports_choice") else "; it thinks your rationale does not support your choice.")
        )
    for issue in body.get("issues", []):
        lines.append(f"[{issue['severity']}] {issue['kind']}: {issue['explanation']}")
    for strength in body.get("strengths", []):
        lines.append(f"+ {strength}")
    if body.get("suggested_rationale"):
        lines.append("Suggested rationale: " + body["suggested_rationale"])
    if body.get("escalate"):
        lines.append("Escalated to a lead: " + "; ".join(body.get("escalation_reasons", [])))
    return "\n".join(lines)
