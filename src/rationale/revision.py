"""Revising a rationale: a new judgment version, re-graded against the same gold and rubric.

The item, gold answer and rubric are read back from the database, exactly as
they graded the previous version, so before and after are comparable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import sqlite_utils

from . import store
from .errors import InputError, InputProblem
from .grading import Grader
from .io.messages import validate
from .models import Grade, Judgment, Rubric


@dataclass
class RevisionResult:
    previous_version: int
    previous_score: float | None
    version: int | None  # None when the revision changed nothing
    grade: Grade | None
    answer: Judgment | None = None  # the revised answer as stored (choice, strength, criteria kept or changed)
    strength_moved: bool = False  # the side changed without --strength: the old strength's size went to the new side


def _problem(field: str, message: str) -> InputError:
    return InputError([InputProblem("revise", None, field, message)])


def previous_answer(db: sqlite_utils.Database, item_id: str, annotator: str) -> dict[str, Any]:
    versions = store.judgment_versions(db, annotator, item_id)
    if not versions:
        raise _problem("item", f"{annotator!r} has no stored answer to item {item_id!r}; grade or drill it first")
    return versions[-1]


def revise(
    db: sqlite_utils.Database,
    item_id: str,
    annotator: str,
    rationale: str,
    *,
    preference: str | None = None,
    strength: int | None = None,
    criteria: list[str] | None = None,
    note: str | None = None,
) -> RevisionResult:
    """Record a revised answer and grade it; one transaction, so a failure stores nothing."""
    old = previous_answer(db, item_id, annotator)
    grade_row = store.judgments.latest_grade_of(db, old["hash"])
    if grade_row is None:
        raise _problem("item", f"the answer of {annotator!r} to {item_id!r} was never graded, so there is nothing to compare")
    rubric_hash, gold_hash, old_score = grade_row
    rubric = store.references.rubric_by_hash(db, rubric_hash)
    gold = store.references.gold_by_hash(db, gold_hash)
    item = store.load_item(db, old["item_hash"])
    assert rubric is not None and gold is not None and item is not None
    judgment = _revised_judgment(old, item_id, annotator, rationale, preference, strength, criteria, rubric)
    # The same words can already be stored as an answer to another version of the item
    # (the pair re-served with A and B swapped): the key keeps this one on its own item.
    key = store.judgment_key(db, judgment, old["item_hash"])
    if key == old["hash"]:
        return RevisionResult(old["version"], old_score, None, None)

    grade = Grader(rubric).grade(judgment, item, gold)
    if key != grade.judgment_hash:
        grade = grade.model_copy(update={"judgment_hash": key})
    with store.recording_run(db, "revise", {"item": item_id, "annotator": annotator}, rubric_hash=rubric_hash) as recording:
        store.save_judgments_and_grades(db, [store.GradedJudgment(judgment, old["item_hash"], grade)], recording.run_id)
        store.judgments.save_revision(db, key, old["hash"], annotator, item_id, note)
        recording.counts = {"revised": 1}
    version = store.judgment_versions(db, annotator, item_id)[-1]["version"]
    moved = strength is None and judgment.preference != "tie" and judgment.strength != old["strength"]
    return RevisionResult(old["version"], old_score, version, grade, judgment, moved)


def _revised_judgment(
    old: dict[str, Any], item_id: str, annotator: str, rationale: str, preference: str | None, strength: int | None,
    criteria: list[str] | None, rubric: Rubric,
) -> Judgment:
    """The revised answer: what changed, the rest as before; InputError when it does not fit the rubric."""
    new_preference = preference or old["preference"]
    new_strength = _new_strength(old, preference, strength)
    if not rationale.strip():
        raise _problem("rationale", "is empty; write the revised rationale (the earlier versions are kept)")
    problems: list[InputProblem] = []
    judgment = validate(
        Judgment,
        {
            "item_id": item_id,
            "annotator": annotator,
            "preference": new_preference,
            "strength": new_strength,
            "criteria": criteria if criteria is not None else json.loads(old["criteria"] or "[]"),
            "rationale": rationale,
            "timestamp": datetime.now(timezone.utc),
            # what the trainee said of the pair besides the rationale stays as it was
            "confidence": old.get("confidence"),
            "flags": json.loads(old["flags"]) if old.get("flags") else [],
            "flag_note": old.get("flag_note"),
        },
        "revision",
        None,
        problems,
    )
    if judgment is None:
        raise InputError(problems)
    _check_against(judgment, rubric)
    return judgment


def _new_strength(old: dict[str, Any], preference: str | None, strength: int | None) -> int | None:
    """The strength given, else the old one; a changed side without a strength keeps the old size on the new side."""
    if strength is not None:
        return strength
    if preference and old["strength"] is not None and preference != old["preference"]:
        # The old strength points at the old choice; keep its size on the new side.
        magnitude = abs(old["strength"]) or 1
        return 0 if preference == "tie" else (-magnitude if preference == "A" else magnitude)
    return old["strength"]


def _check_against(judgment: Judgment, rubric: Rubric) -> None:
    """InputError when the revised answer cites criteria or a strength the rubric does not have."""
    unknown = [c for c in judgment.criteria if c not in rubric.criterion_ids]
    if unknown:
        raise InputError(
            [InputProblem("revision", None, "criteria", f"not in the rubric: {', '.join(unknown)} (allowed: {', '.join(rubric.criterion_ids)})")]
        )
    if judgment.strength is not None and abs(judgment.strength) > rubric.max_strength:
        raise InputError(
            [InputProblem("revision", None, "strength", f"{judgment.strength} is outside the rubric's scale -{rubric.max_strength}..{rubric.max_strength}")]
        )
