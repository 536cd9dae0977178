"""Database migrations: an ordered list of small named functions.

Each migration runs once and is recorded in `_migrations`, as simonw/llm does.
Never edit a migration that has shipped; append a new one instead.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = []


def migration(fn: Callable[[sqlite_utils.Database], None]) -> Callable[[sqlite_utils.Database], None]:
    MIGRATIONS.append(fn)
    return fn


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply every migration not yet recorded; return the names applied."""
    if "_migrations" not in db.table_names():
        db["_migrations"].create({"name": str, "applied_at": str}, pk="name")
    done = {row["name"] for row in db["_migrations"].rows}
    applied = []
    for fn in MIGRATIONS:
        if fn.__name__ in done:
            continue
        with db.conn:
            fn(db)
            db.execute(
                "insert into _migrations (name, applied_at) values (?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))",
                [fn.__name__],
            )
        applied.append(fn.__name__)
    return applied


@migration
def m001_foundation(db: sqlite_utils.Database) -> None:
    db["runs"].create(
        {
            "id": int,
            "command": str,
            "inputs": str,  # JSON: the files and options the command was given
            "rubric_hash": str,
            "started": str,
            "finished": str,
            "counts": str,  # JSON: what was read, written, graded
        },
        pk="id",
    )
    db["rubrics"].create(
        {"hash": str, "id": str, "title": str, "version": str, "body": str, "first_seen": str},
        pk="hash",
    )
    db["items"].create(
        {
            "hash": str,
            "id": str,
            "prompt": str,  # a string, or JSON chat turns
            "response_a": str,
            "response_b": str,
            "source": str,
            "domain": str,
            "tags": str,  # JSON list
        },
        pk="hash",
    )
    db["items"].create_index(["id"])
    db["gold"].create(
        {
            "hash": str,
            "item_id": str,
            "item_hash": str,
            "preference": str,
            "strength": int,
            "difficulty": str,
            "tags": str,
            "body": str,  # the whole GoldAnswer as JSON
        },
        pk="hash",
        foreign_keys=[("item_hash", "items", "hash")],
    )
    db["gold"].create_index(["item_id"])
    db["judgments"].create(
        {
            "hash": str,
            "item_id": str,
            "item_hash": str,
            "annotator": str,
            "version": int,  # 1 for the first answer of (annotator, item); a changed answer adds a version
            "preference": str,
            "strength": int,
            "criteria": str,  # JSON list
            "rationale": str,
            "seconds": float,
            "timestamp": str,
            "run_id": int,
        },
        pk="hash",
        foreign_keys=[("item_hash", "items", "hash"), ("run_id", "runs", "id")],
    )
    db["judgments"].create_index(["annotator", "item_id"])
    db["judgments"].create_index(["item_id"])
    db["grades"].create(
        {
            "id": str,  # hash of (judgment, gold, rubric): the same grading is never stored twice
            "judgment_hash": str,
            "gold_hash": str,
            "rubric_hash": str,
            "item_id": str,
            "annotator": str,
            "score": float,
            "passed": int,
            "preference_correct": int,
            "strength_distance": int,
            "criteria_precision": float,
            "criteria_recall": float,
            "components": str,  # JSON
            "key_points_made": str,  # JSON list
            "key_points_missed": str,  # JSON list
            "run_id": int,
            "graded_at": str,
        },
        pk="id",
        foreign_keys=[
            ("judgment_hash", "judgments", "hash"),
            ("gold_hash", "gold", "hash"),
            ("rubric_hash", "rubrics", "hash"),
            ("run_id", "runs", "id"),
        ],
    )
    db["grades"].create_index(["annotator"])
    db["grades"].create_index(["item_id"])
    db["grades"].create_index(["judgment_hash"])
    db["findings"].create(
        {
            "id": int,
            "grade_id": str,
            "code": str,
            "severity": str,
            "message": str,
            "span": str,
            "criterion": str,
            "key_point": str,
        },
        pk="id",
        foreign_keys=[("grade_id", "grades", "id")],
    )
    db["findings"].create_index(["grade_id"])
    db["findings"].create_index(["code"])
    db.create_view(
        "feedback",
        """
        select
            j.annotator, j.item_id, j.version, j.preference, j.strength, j.criteria, j.rationale,
            g.score, g.passed, g.preference_correct, g.strength_distance,
            g.key_points_made, g.key_points_missed, g.rubric_hash, g.graded_at,
            (select json_group_array(json_object('code', f.code, 'severity', f.severity, 'message', f.message))
               from findings f where f.grade_id = g.id) as findings
        from judgments j join grades g on g.judgment_hash = j.hash
        """,
    )
