"""The drill's tables: sessions, what each session shows (`drill_presentations`), and the Leitner schedule."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlite_utils

from .common import utc_now

SCHEDULE_COLUMNS = ("item_id", "box", "due_session", "times_seen", "times_passed", "last_passed", "last_session")


def open_session(db: sqlite_utils.Database, annotator: str) -> tuple[int, int, str, int, int | None] | None:
    """(id, number, order, requested, seed) of the annotator's newest unfinished session, or None."""
    return db.execute(
        "select id, number, item_order, requested, seed from drill_sessions"
        " where annotator = ? and finished is null order by id desc limit 1",
        [annotator],
    ).fetchone()


def unanswered_count(db: sqlite_utils.Database, session_id: int, item_ids: Sequence[str]) -> int:
    """How many of the session's presentations of these items are still unanswered."""
    return db.execute(
        "select count(*) from drill_presentations where session_id = ? and answered_at is null"
        f" and item_id in ({','.join('?' * len(item_ids)) or 'null'})",
        [session_id, *item_ids],
    ).fetchone()[0]


def finish_session(db: sqlite_utils.Database, session_id: int) -> None:
    db.conn.execute("update drill_sessions set finished = ? where id = ?", [utc_now(), session_id])


def next_session_number(db: sqlite_utils.Database, annotator: str) -> int:
    """The annotator's session clock: one more than their sessions so far."""
    return db.execute("select coalesce(max(number), 0) from drill_sessions where annotator = ?", [annotator]).fetchone()[0] + 1


def create_session(
    db: sqlite_utils.Database,
    *,
    annotator: str,
    number: int,
    order: str,
    requested: int,
    seed: int | None,
    inputs: Mapping[str, Any],
    rubric_hash: str,
    run_id: int,
    plan: Sequence[tuple[str, bool]],
) -> int:
    """Insert a session and its plan of (item id, swapped) presentations; return the session id."""
    cursor = db.conn.execute(
        "insert into drill_sessions (annotator, number, item_order, requested, seed, items_path, gold_path,"
        " rubric_hash, run_id, started) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [annotator, number, order, requested, seed, inputs.get("items"), inputs.get("gold"), rubric_hash, run_id, utc_now()],
    )
    session_id = int(cursor.lastrowid)
    db.conn.executemany(
        "insert into drill_presentations (session_id, position, item_id, swapped) values (?, ?, ?, ?)",
        [(session_id, pos, item_id, int(swapped)) for pos, (item_id, swapped) in enumerate(plan, 1)],
    )
    return session_id


def presentation_count(db: sqlite_utils.Database, session_id: int) -> int:
    return db.execute("select count(*) from drill_presentations where session_id = ?", [session_id]).fetchone()[0]


def unanswered(db: sqlite_utils.Database, session_id: int) -> list[tuple[int, str, bool]]:
    """(position, item id, swapped) of the session's unanswered presentations, in plan order."""
    found = db.execute(
        "select position, item_id, swapped from drill_presentations"
        " where session_id = ? and answered_at is null order by position",
        [session_id],
    ).fetchall()
    return [(pos, item_id, bool(swapped)) for pos, item_id, swapped in found]


def record_answer(
    db: sqlite_utils.Database,
    session_id: int,
    position: int,
    *,
    preference: str,
    strength: int,
    judgment_hash: str,
    grade_id: str,
    preference_correct: bool,
    passed: bool,
    score: float,
    seconds: float | None,
) -> None:
    """Fill in the answer columns of one presentation."""
    db.conn.execute(
        "update drill_presentations set shown_preference = ?, shown_strength = ?, judgment_hash = ?,"
        " grade_id = ?, preference_correct = ?, passed = ?, score = ?, seconds = ?, answered_at = ?"
        " where session_id = ? and position = ?",
        [preference, strength, judgment_hash, grade_id, int(preference_correct), int(passed), score, seconds,
         utc_now(), session_id, position],
    )


def session_answers(db: sqlite_utils.Database, session_id: int) -> list[tuple[Any, ...]]:
    """(item id, swapped, preference correct, passed, score, answered at, judgment version) per presentation."""
    return db.execute(
        "select p.item_id, p.swapped, p.preference_correct, p.passed, p.score, p.answered_at, j.version"
        " from drill_presentations p left join judgments j on j.hash = p.judgment_hash"
        " where p.session_id = ? order by p.position",
        [session_id],
    ).fetchall()


def schedule_rows(db: sqlite_utils.Database, annotator: str) -> list[tuple[Any, ...]]:
    """The annotator's schedule, one row of `SCHEDULE_COLUMNS` per item."""
    return db.execute(
        f"select {', '.join(SCHEDULE_COLUMNS)} from drill_schedule where annotator = ?", [annotator]
    ).fetchall()


def save_schedule_row(db: sqlite_utils.Database, annotator: str, values: Sequence[Any]) -> None:
    """Insert or replace one item's schedule: `values` in `SCHEDULE_COLUMNS` order."""
    db.execute(
        "insert or replace into drill_schedule"
        " (annotator, item_id, box, due_session, times_seen, times_passed, last_passed, last_session)"
        " values (?, ?, ?, ?, ?, ?, ?, ?)",
        [annotator, *values],
    )


def times_swapped(db: sqlite_utils.Database, annotator: str) -> dict[str, int]:
    """How often each item was served to the annotator with A and B swapped."""
    found = db.execute(
        "select p.item_id, count(*) from drill_presentations p join drill_sessions s on s.id = p.session_id"
        " where s.annotator = ? and p.swapped = 1 group by p.item_id",
        [annotator],
    ).fetchall()
    return {item_id: count for item_id, count in found}


def swapped_item_hashes(db: sqlite_utils.Database, annotator: str) -> set[str]:
    """The item versions (content hashes) this annotator answered with A and B swapped.

    A judgment on one of these versions (a swapped drill answer, or a later
    revision of it) names the sides as shown, the reverse of the original order.
    """
    found = db.execute(
        "select distinct j.item_hash from drill_presentations p join drill_sessions s on s.id = p.session_id"
        " join judgments j on j.hash = p.judgment_hash where s.annotator = ? and p.swapped = 1",
        [annotator],
    ).fetchall()
    return {r[0] for r in found}


def swapped_pairs(db: sqlite_utils.Database) -> set[tuple[str, str]]:
    """(annotator, item hash) of every item version some annotator was shown with A and B swapped."""
    return {
        (who, item_hash)
        for who, item_hash in db.execute(
            "select distinct s.annotator, j.item_hash from drill_presentations p"
            " join drill_sessions s on s.id = p.session_id join judgments j on j.hash = p.judgment_hash"
            " where p.swapped = 1"
        ).fetchall()
    }


def answers_as_stored(
    db: sqlite_utils.Database, annotator: str, item_id: str | None = None
) -> list[tuple[str, int, str, str]]:
    """(item id, version, preference, item hash) of the annotator's stored answers."""
    sql = "select item_id, version, preference, item_hash from judgments where annotator = ?"
    params: list[str] = [annotator]
    if item_id is not None:
        sql += " and item_id = ?"
        params.append(item_id)
    return db.execute(sql, params).fetchall()
