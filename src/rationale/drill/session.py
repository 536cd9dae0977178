"""A drill session: its plan (stored before the first item is shown) and the recording of each answer.

`DrillSession.record()` grades an answer with `rationale.grading.Grader`,
saves judgment, grade and findings, the presentation and the item's Leitner
box, all in one commit per answer. An interrupted session stays open; the
next `rationale drill` for the same annotator carries on with its remaining
items.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import sqlite_utils

from .. import store
from ..grading import Grader
from ..models import Finding, GoldAnswer, Grade, Item, Judgment, Rubric, swap_side
from . import scheduling
from .answers import ShownAnswer

# Finding codes that are about quoting the responses (shown as the evidence check);
# every other finding is shown as a lint finding.
EVIDENCE_CODE_PATTERN = re.compile(r"quote|evidence", re.IGNORECASE)
# Already told in the verdict and key-point lines of the feedback.
SHOWN_ELSEWHERE_CODES = frozenset({"wrong_preference", "missed_key_point", "key_point_partly_made"})


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


@dataclass(frozen=True)
class Slot:
    position: int
    item_id: str
    swapped: bool


@dataclass(frozen=True)
class Plan:
    """How a session was planned: what a resumed session keeps, whatever the new run asks."""

    number: int
    n: int
    order: str
    seed: int | None


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
        plan: Plan,
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
        self.plan = plan
        self.grader = grader or Grader(rubric)

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
        inputs = dict(inputs or {})
        with store.recording_run(
            db, "drill", dict(inputs, annotator=annotator), rubric=rubric, items=items,
            gold={k: v for k, v in gold.items() if k in items}, finish=False,
        ) as recording:
            pass

        def session(session_id: int, plan: Plan, *, resumed: bool) -> "DrillSession":
            return cls(
                db, rubric=rubric, items=items, gold=gold, annotator=annotator, session_id=session_id, number=plan.number,
                run_id=recording.run_id, item_hashes=recording.item_hashes, resumed=resumed, plan=plan, grader=grader,
            )

        resumable = cls._resumable(db, annotator, drillable)
        if resumable is not None:
            return session(resumable[0], resumable[1], resumed=True)
        number = store.drill.next_session_number(db, annotator)
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
            with store.writing(db):
                store.finish_run(db, recording.run_id, {"answered": 0})
            return None
        with store.writing(db):
            session_id = store.drill.create_session(
                db, annotator=annotator, number=number, order=order, requested=n, seed=seed, inputs=inputs,
                rubric_hash=recording.rubric_hash or "", run_id=recording.run_id,
                plan=[(p.item_id, p.swapped) for p in plan],
            )
        return session(session_id, Plan(number, n, order, seed), resumed=False)

    @staticmethod
    def _resumable(db: sqlite_utils.Database, annotator: str, drillable: list[str]) -> tuple[int, Plan] | None:
        """(id, plan) of the unfinished session with items still to serve; one with none left is closed."""
        open_row = store.drill.open_session(db, annotator)
        if open_row is None:
            return None
        session_id, number, order, requested, seed = open_row
        if store.drill.unanswered_count(db, session_id, drillable):
            return session_id, Plan(number, requested, order, seed)
        with store.writing(db):
            store.drill.finish_session(db, session_id)
        return None

    @staticmethod
    def set_aside(db: sqlite_utils.Database, annotator: str) -> int | None:
        """Close the annotator's unfinished session, answered or not (`drill --new`); its number, or None."""
        open_row = store.drill.open_session(db, annotator)
        if open_row is None:
            return None
        with store.writing(db):
            store.drill.finish_session(db, open_row[0])
        return int(open_row[1])

    # ----------------------------------------------------------------- serving

    @property
    def total(self) -> int:
        return store.drill.presentation_count(self.db, self.session_id)

    def pending(self) -> list[Slot]:
        """The unanswered presentations, in plan order (items no longer in the files are skipped)."""
        return [
            Slot(pos, item_id, swapped)
            for pos, item_id, swapped in store.drill.unanswered(self.db, self.session_id)
            if item_id in self.items and item_id in self.gold
        ]

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
        shown_judgment = Judgment(
            item_id=slot.item_id,
            annotator=self.annotator,
            preference=answer.preference,
            strength=answer.strength,
            criteria=answer.criteria,
            rationale=answer.rationale,
            confidence=answer.confidence,
            flags=list(answer.flags),
            flag_note=answer.flag_note,
            seconds=None if seconds is None else round(seconds, 1),
            timestamp=datetime.now(timezone.utc),
        )
        shown_grade: Grade = self.grader.grade(shown_judgment, shown_item, shown_gold)
        earlier = self._earlier_preference(slot.item_id) if slot.swapped else None
        entry = scheduling.load_schedule(self.db, self.annotator).get(slot.item_id)
        new_entry = scheduling.after_answer(entry, slot.item_id, passed=shown_grade.passed, session_number=self.number)
        with store.writing(self.db):
            stored_hash = self._save(slot, answer, shown_item, shown_gold, shown_judgment, shown_grade)
            scheduling.save_entry(self.db, self.annotator, new_entry)
        return Feedback(
            item=shown_item,
            gold=shown_gold,
            answer=answer,
            grade=shown_grade,
            swapped=slot.swapped,
            consistent_with=earlier,
            original_preference=swap_side(answer.preference) if slot.swapped else answer.preference,
            judgment_hash=stored_hash,
        )

    def _save(
        self, slot: Slot, answer: ShownAnswer, shown_item: Item, shown_gold: GoldAnswer, judgment: Judgment, grade: Grade
    ) -> str:
        """Store the answer as shown with its grade and presentation; return the stored judgment's hash."""
        if slot.swapped:
            # Stored as shown, so the rationale, findings and key points agree with the stored
            # choice: the swapped pair and its gold are item and gold versions of their own.
            item_hash = store.save_items(self.db, [shown_item])[slot.item_id]
            store.save_gold(self.db, {slot.item_id: shown_gold}, {slot.item_id: item_hash})
        else:
            item_hash = self.item_hashes[slot.item_id]
        key = store.judgment_key(self.db, judgment, item_hash)
        stored = grade.model_copy(update={"judgment_hash": key}) if key != grade.judgment_hash else grade
        gid = store.grade_id(stored.judgment_hash, stored.gold_hash, stored.rubric_hash)
        store.save_judgments_and_grades(self.db, [store.GradedJudgment(judgment, item_hash, stored)], self.run_id)
        store.drill.record_answer(
            self.db, self.session_id, slot.position, preference=answer.preference, strength=answer.strength,
            judgment_hash=stored.judgment_hash, grade_id=gid, preference_correct=grade.preference_correct,
            passed=grade.passed, score=grade.score, seconds=judgment.seconds,
        )
        return stored.judgment_hash

    # ----------------------------------------------------------------- closing

    def summary(self) -> SessionSummary:
        rows = store.drill.session_answers(self.db, self.session_id)
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
        with store.writing(self.db):
            if not self.pending():
                store.drill.finish_session(self.db, self.session_id)
            store.finish_run(self.db, self.run_id, {"answered": summary.answered, "remaining": summary.remaining})
        return summary
