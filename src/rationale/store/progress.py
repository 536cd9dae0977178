"""What `rationale progress` reads: every graded answer of one annotator, drilled or graded from files."""

from __future__ import annotations

from collections import Counter
from typing import Any

import sqlite_utils

from .common import rows

_COLUMNS = (
    "j.hash as judgment_hash, g.id as grade_id, g.score, g.verdict_score, g.reasoning_score, g.passed,"
    " g.preference_correct, g.components, g.key_points_missed, g.key_points,"
    " j.item_id, j.version, j.preference, j.criteria, gd.body as gold_body,"
    " length(it.response_a) as len_a, length(it.response_b) as len_b,"
    " j.confidence, j.flags, j.flag_note, g.escalation"
)
_GOLD_AND_ITEM = " join gold gd on gd.hash = g.gold_hash join items it on it.hash = j.item_hash"
# A revision (`rationale revise`) belongs to the answer it revises: it is no answer, and no session, of its own.
_NOT_A_REVISION = " and g.judgment_hash not in (select judgment_hash from revisions)"


def drilled_answers(db: sqlite_utils.Database, annotator: str) -> list[dict[str, Any]]:
    """The annotator's answered drill presentations with grade, judgment, gold and response lengths, in order."""
    return rows(
        db,
        f"select {_COLUMNS}, s.number, s.started, p.swapped, p.shown_preference, p.answered_at"
        " from drill_presentations p join drill_sessions s on s.id = p.session_id"
        " join grades g on g.id = p.grade_id join judgments j on j.hash = p.judgment_hash"
        f"{_GOLD_AND_ITEM}"
        " where s.annotator = ? and p.answered_at is not null order by p.answered_at, p.position",
        [annotator],
    )


def graded_answers(db: sqlite_utils.Database, annotator: str) -> list[dict[str, Any]]:
    """The annotator's grades that did not come from a drill, with their run, in the order they started."""
    return rows(
        db,
        f"select {_COLUMNS}, g.run_id, coalesce(r.started, g.graded_at) as started"
        " from grades g join judgments j on j.hash = g.judgment_hash"
        f"{_GOLD_AND_ITEM}"
        " left join runs r on r.id = g.run_id"
        " where g.annotator = ? and g.id not in"
        "   (select grade_id from drill_presentations where grade_id is not null)"
        f"{_NOT_A_REVISION}"
        " order by started, g.rowid",
        [annotator],
    )


def finding_counts(db: sqlite_utils.Database, annotator: str, leave_out: tuple[str, ...]) -> Counter[str]:
    """How often each finding code was given to the annotator, codes in `leave_out` excepted."""
    marks = ", ".join("?" * len(leave_out))
    return Counter(
        code
        for (code,) in db.conn.execute(
            "select f.code from findings f join grades g on g.id = f.grade_id where g.annotator = ?"
            f" and f.code not in ({marks}){_NOT_A_REVISION}",
            [annotator, *leave_out],
        )
    )


def revisions(db: sqlite_utils.Database, annotator: str) -> list[dict[str, Any]]:
    """The annotator's revisions, oldest first: each with the newest score of it and of the version it revised."""
    newest_score = "(select g.score from grades g where g.judgment_hash = {} order by g.graded_at desc, g.rowid desc limit 1)"
    return rows(
        db,
        f"select r.judgment_hash, r.previous_hash, r.item_id, {newest_score.format('r.judgment_hash')} as score,"
        f" {newest_score.format('r.previous_hash')} as previous_score"
        " from revisions r where r.annotator = ? order by r.revised_at, r.rowid",
        [annotator],
    )


def annotators(db: sqlite_utils.Database) -> list[str]:
    """Every annotator with a graded answer, alphabetically."""
    return [name for (name,) in db.execute("select distinct annotator from grades order by annotator")]
