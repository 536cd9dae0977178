"""What `rationale export` reads: each answer with its newest grading, findings, names; and settings."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlite_utils

from .db import writing


def answers_with_latest_grade(
    db: sqlite_utils.Database, *, annotator: str | None = None, item_ids: Sequence[str] = ()
) -> list[dict[str, Any]]:
    """Every stored answer (all versions) with its newest grading, by annotator, item and version."""
    where, params = [], []
    if annotator:
        where.append("j.annotator = ?")
        params.append(annotator)
    if item_ids:
        where.append(f"j.item_id in ({','.join('?' * len(item_ids))})")
        params.extend(item_ids)
    sql = f"""
        select j.*, g.id as grade_id, g.score, g.passed, g.components, g.key_points_made,
               g.key_points_missed, g.rubric_hash, g.gold_hash, g.escalation
        from judgments j
        left join grades g on g.id = (
            select g2.id from grades g2 where g2.judgment_hash = j.hash
            order by g2.graded_at desc, g2.rowid desc limit 1)
        {"where " + " and ".join(where) if where else ""}
        order by j.annotator, j.item_id, j.version
    """
    return list(db.query(sql, params))


def grade_findings(db: sqlite_utils.Database, grade_id: str) -> list[dict[str, Any]]:
    """A grade's findings as shown in exports, in the order they were given."""
    return list(
        db.query(
            "select code, severity, message, span, criterion, key_point from findings where grade_id = ? order by id",
            [grade_id],
        )
    )


def annotator_names(db: sqlite_utils.Database) -> list[str]:
    """Every annotator name the database knows: judgments first, then calibration votes."""
    names = []
    for table in ("judgments", "calibration_votes"):
        if table in db.table_names():
            names += [name for (name,) in db.execute(f"select distinct annotator from {table}").fetchall()]
    return names


def get_setting(db: sqlite_utils.Database, name: str) -> str | None:
    row = db.execute("select value from settings where name = ?", [name]).fetchone()
    return row[0] if row else None


def save_setting(db: sqlite_utils.Database, name: str, value: str) -> None:
    """Store a per-database setting and commit."""
    with writing(db):
        db.execute("insert into settings (name, value) values (?, ?)", [name, value])


def reviewed_grade_of_latest_critique(db: sqlite_utils.Database, judgment_hash: str) -> str | None:
    """The stored ReviewedGrade (JSON) of the critique an export shows (the newest ok one), when it reached one.

    The reviewed grade shares its critique's row id, so the grade shown is the one that critique's reading reached.
    """
    row = db.execute(
        """
        select r.body from reviewed_grades r
        where r.id = (select c.id from critiques c where c.judgment_hash = ? and c.status = 'ok'
                      order by c.rowid desc limit 1)
        """,
        [judgment_hash],
    ).fetchone()
    return row[0] if row else None
