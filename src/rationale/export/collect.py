"""Collecting the examples an export shows: each (annotator, item version) answer with its grading.

Everything comes from the database, so an export shows exactly what was
graded: each example carries the content hashes of its item and rubric.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from .. import store
from ..models import ReviewedGrade
from ..store.common import loads as _json


@dataclass
class Version:
    """One version of an annotator's answer with its latest grade."""

    hash: str
    version: int
    preference: str
    strength: int | None
    criteria: list[str]
    rationale: str | None
    timestamp: str | None
    score: float | None = None
    passed: bool | None = None
    components: dict[str, Any] = field(default_factory=dict)
    key_points_made: list[str] = field(default_factory=list)
    key_points_missed: list[str] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    rubric_hash: str | None = None
    gold_hash: str | None = None
    confidence: int | None = None
    flags: list[str] = field(default_factory=list)
    flag_note: str | None = None
    escalation: str | None = None  # hit | miss | false_alarm, against the gold's edge-case marking


@dataclass
class Example:
    annotator: str
    item: dict[str, Any]
    gold: dict[str, Any] | None
    rubric: dict[str, Any] | None
    original: Version
    revised: Version | None
    critique: dict[str, Any] | None = None
    reviewed: dict[str, Any] | None = None  # the grade the critique's reading reaches (`reviewed_record`), if any
    swapped: bool = False  # a drill re-serve of the pair with A and B swapped, stored as shown
    variant: str = ""  # tells apart examples of one (item, annotator): "swapped", or an item version

    @property
    def latest(self) -> Version:
        return self.revised or self.original

    @property
    def is_edge_case(self) -> bool:
        tags = set(self.item.get("tags") or []) | set((self.gold or {}).get("tags") or [])
        gold = self.gold or {}
        return "edge-case" in tags or gold.get("difficulty") == "hard" or gold.get("edge_case") is not None

    @property
    def escalated(self) -> bool:
        """The answer flagged the pair for the lead: "edge cases I escalated, and why"."""
        return bool(self.latest.flags)

    @property
    def lead_edge_case(self) -> str | None:
        """The gold's reason for marking the item as an edge case, when it does."""
        return ((self.gold or {}).get("edge_case") or {}).get("reason")

    @property
    def slug(self) -> str:
        """A file- and anchor-safe name for this example."""
        return _example_slug(self)

    @property
    def gold_agrees(self) -> bool | None:
        if not self.gold:
            return None
        acceptable = {self.gold["preference"], *((self.gold.get("acceptable") or {}).get("preferences") or [])}
        return self.latest.preference in acceptable

    def strength_label(self, value: int | None) -> str:
        if value is None:
            return "not given"
        for step in (self.rubric or {}).get("strength_scale", []):
            if step["value"] == value:
                return f"{value:+d} ({step['label']})"
        return f"{value:+d}"


@dataclass
class ExportResult:
    paths: list[Path]
    examples: int
    skipped_ties: int = 0
    messages: list[str] = field(default_factory=list)
    critiqued: int = 0  # examples shown with the second reviewer's critique


def collect_examples(
    db: sqlite_utils.Database,
    *,
    annotator: str | None = None,
    min_score: float | None = None,
    tags: tuple[str, ...] = (),
    item_ids: tuple[str, ...] = (),
    with_critique: bool = False,
    on_progress: Callable[[int, int | None], None] | None = None,
) -> list[Example]:
    """Every (annotator, item version) answer in the database that passes the filters.

    Versions are grouped by the item's content hash, not its id: a drill pair
    re-served with A and B swapped is stored as shown, under the swapped pair's
    own hash, so it is an example of its own (marked `swapped`), never a
    "revision" of the answer on the original order, whose "A" is the other
    response. Within a group the first version is the original answer; the
    newest, when there is more than one, is the revision a portfolio shows as
    "after".
    """
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in store.export.answers_with_latest_grade(db, annotator=annotator, item_ids=item_ids):
        grouped.setdefault((row["annotator"], row["item_hash"]), []).append(row)
    swapped_pairs = store.drill.swapped_pairs(db)
    groups_per_item: Counter[tuple[str, str]] = Counter()
    bodies = _Bodies(db)
    examples = []
    for done, ((who, item_hash), rows) in enumerate(grouped.items(), 1):
        if on_progress is not None:
            on_progress(done, len(grouped))
        swapped = (who, item_hash) in swapped_pairs
        groups_per_item[(who, rows[0]["item_id"])] += 1
        if swapped:
            variant = "swapped"
        elif groups_per_item[(who, rows[0]["item_id"])] > 1:
            variant = item_hash[:8]  # a later version of the item's content
        else:
            variant = ""
        example = _example(db, who, rows, bodies, swapped, variant)
        if _wanted(example, min_score, tags):
            if with_critique:
                example.critique = store.critiques.latest_ok_critique(db, example.latest.hash)
                example.reviewed = reviewed_record(store.export.reviewed_grade_of_latest_critique(db, example.latest.hash))
            examples.append(example)
    return examples


def reviewed_record(body: str | None) -> dict[str, Any] | None:
    """What an export shows of a reviewed grade: both grades, every difference and why, the escalation."""
    if body is None:
        return None
    reviewed = ReviewedGrade.model_validate_json(body)
    return {
        "model": reviewed.model,
        "score": reviewed.grade.score,
        "passed": reviewed.grade.passed,
        "grader_score": reviewed.deterministic_score,
        "grader_passed": reviewed.deterministic_passed,
        "differences": [d.model_dump(mode="json") for d in reviewed.differences],
        "escalate": reviewed.escalate,
        "escalation_reasons": reviewed.escalation_reasons,
    }


class _Bodies:
    """Items, gold answers and rubrics by hash, each read from the database once."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self.items: dict[str, dict[str, Any]] = {}
        self.gold: dict[str | None, dict[str, Any] | None] = {}
        self.rubrics: dict[str | None, dict[str, Any] | None] = {}

    def item(self, item_hash: str) -> dict[str, Any]:
        if item_hash not in self.items:
            item = store.load_item(self.db, item_hash)
            assert item is not None
            self.items[item_hash] = {"hash": item_hash, **item.model_dump(mode="json")}
        return self.items[item_hash]

    def gold_answer(self, gold_hash: str | None) -> dict[str, Any] | None:
        if gold_hash not in self.gold:
            self.gold[gold_hash] = store.references.body_by_hash(self.db, "gold", gold_hash)
        return self.gold[gold_hash]

    def rubric(self, rubric_hash: str | None) -> dict[str, Any] | None:
        if rubric_hash not in self.rubrics:
            self.rubrics[rubric_hash] = store.references.body_by_hash(self.db, "rubrics", rubric_hash)
            if self.rubrics[rubric_hash] is not None:
                self.rubrics[rubric_hash]["hash"] = rubric_hash  # type: ignore[index]
        return self.rubrics[rubric_hash]


def _example(
    db: sqlite_utils.Database, who: str, rows: list[dict[str, Any]], bodies: _Bodies, swapped: bool, variant: str
) -> Example:
    latest_row = rows[-1]
    return Example(
        annotator=who,
        item=bodies.item(latest_row["item_hash"]),
        gold=bodies.gold_answer(latest_row["gold_hash"]),
        rubric=bodies.rubric(latest_row["rubric_hash"]),
        original=_version(db, rows[0]),
        revised=_version(db, rows[-1]) if len(rows) > 1 else None,
        swapped=swapped,
        variant=variant,
    )


def _wanted(example: Example, min_score: float | None, tags: tuple[str, ...]) -> bool:
    if min_score is not None and (example.latest.score is None or example.latest.score < min_score):
        return False
    if tags:
        have = set(example.item.get("tags") or []) | set((example.gold or {}).get("tags") or [])
        if not have.intersection(tags):
            return False
    return True


def _version(db: sqlite_utils.Database, row: dict[str, Any]) -> Version:
    findings = store.export.grade_findings(db, row["grade_id"]) if row.get("grade_id") else []
    return Version(
        hash=row["hash"],
        version=row["version"],
        preference=row["preference"],
        strength=row["strength"],
        criteria=_json(row["criteria"], []),
        rationale=row["rationale"],
        timestamp=row["timestamp"],
        score=row["score"],
        passed=None if row["passed"] is None else bool(row["passed"]),
        components=_json(row["components"], {}),
        key_points_made=_json(row["key_points_made"], []),
        key_points_missed=_json(row["key_points_missed"], []),
        findings=findings,
        rubric_hash=row["rubric_hash"],
        gold_hash=row["gold_hash"],
        confidence=row.get("confidence"),
        flags=_json(row.get("flags"), []),
        flag_note=row.get("flag_note"),
        escalation=row.get("escalation"),
    )


SLUG_CHARS = 120


def _example_slug(example: Example) -> str:
    """`item--annotator[--variant]` where that is already a safe name; otherwise its safe part and a hash of it whole.

    Replacing characters or cutting a long name short could make two examples one name (`b/o/b` and `b:o:b`
    both become `b-o-b`): the hash keeps them apart, so no export file overwrites another.
    """
    raw = f"{example.item['id']}--{example.annotator}" + (f"--{example.variant}" if example.variant else "")
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", raw).strip("-")
    if safe == raw and len(raw) <= SLUG_CHARS and not raw.startswith("."):
        return raw
    digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()[:10]
    return f"{safe[: SLUG_CHARS - 11].rstrip('-.')}-{digest}".lstrip(".")
