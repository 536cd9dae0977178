"""The `reviewed_grades` table: the grade the second reviewer's reading reaches, beside the deterministic one."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlite_utils

from ..models import ReviewedGrade
from .common import replace_row, rows, utc_now
from .db import writing


def save_reviewed_grade(db: sqlite_utils.Database, row_id: str, reviewed: ReviewedGrade, run_id: int | None) -> None:
    """Store (or replace) the reviewed grade of one critique, committed at once like the critique itself."""
    row = {
        "id": row_id,
        "judgment_hash": reviewed.judgment_hash,
        "item_id": reviewed.item_id,
        "annotator": reviewed.annotator,
        "model": reviewed.model,
        "rubric_hash": reviewed.rubric_hash,
        "gold_hash": reviewed.gold_hash,
        "score": reviewed.grade.score,
        "passed": int(reviewed.grade.passed),
        "deterministic_score": reviewed.deterministic_score,
        "deterministic_passed": int(reviewed.deterministic_passed),
        "differences": len(reviewed.differences),
        "escalate": int(reviewed.escalate),
        "escalation_reasons": json.dumps(reviewed.escalation_reasons, ensure_ascii=False),
        "body": reviewed.model_dump_json(),
        "run_id": run_id,
        "created_at": utc_now(),
    }
    with writing(db):
        replace_row(db, "reviewed_grades", row)


def reviewed_grades_for(
    db: sqlite_utils.Database, model: str, pairs: Sequence[tuple[str, str]] | None = None
) -> list[ReviewedGrade]:
    """The newest reviewed grade by `model` of each judgment version, optionally of the (annotator, item) pairs only."""
    found = rows(
        db,
        """
        select r.annotator, r.item_id, r.body from reviewed_grades r
        where r.model = ? and r.created_at = (
            select max(o.created_at) from reviewed_grades o where o.judgment_hash = r.judgment_hash and o.model = r.model)
        order by r.annotator, r.item_id
        """,
        (model,),
    )
    wanted = set(pairs) if pairs is not None else None
    return [
        ReviewedGrade.model_validate_json(r["body"])
        for r in found
        if wanted is None or (r["annotator"], r["item_id"]) in wanted
    ]


def pass_agreement(db: sqlite_utils.Database, model: str | None, judgment_hashes: Sequence[str]) -> tuple[int, int]:
    """(reviewed grades agreeing with the grader on pass/fail, reviewed grades) over the given judgments."""
    if not judgment_hashes:
        return 0, 0
    db.conn.execute("create temp table if not exists evaluated_judgments (hash text primary key)")
    db.conn.execute("delete from evaluated_judgments")
    db.conn.executemany("insert or ignore into evaluated_judgments values (?)", [(h,) for h in judgment_hashes])
    params: list[Any] = []
    model_filter = ""
    if model:
        model_filter = "and r.model = ?"
        params.append(model)
    found = rows(
        db,
        f"""
        select r.passed, r.deterministic_passed from reviewed_grades r
        where r.judgment_hash in (select hash from evaluated_judgments) {model_filter}
          and r.created_at = (select max(o.created_at) from reviewed_grades o
                              where o.judgment_hash = r.judgment_hash and o.model = r.model)
        """,
        params,
    )
    return sum(r["passed"] == r["deterministic_passed"] for r in found), len(found)
