"""The calibration tables: batches, their votes, per-item consensus and per-annotator figures."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

import sqlite_utils

from ..models import CalibrationReport, Judgment
from .common import rows, utc_now

_ANNOTATOR_COLUMNS = (
    "batch_id, annotator, judged, gold_items, correct, accuracy, accuracy_low, accuracy_high, verdict, mean_score,"
    " strength_credit, kappa_with_peers, agreement_with_peers, reliability, share_a, gold_share_a, tie_rate,"
    " gold_tie_rate, longer_rate, gold_longer_rate, consistency, biases"
)


def replace_batch(
    db: sqlite_utils.Database, report: CalibrationReport, judgments: Sequence[Judgment], run_id: int, report_json: str
) -> int:
    """Store a batch (replacing any earlier batch of the same name) with its votes, items and annotators."""
    conn = db.conn
    old = [row[0] for row in conn.execute("select id from calibration_batches where name = ?", (report.batch,))]
    for batch_id in old:
        for table in ("calibration_votes", "calibration_items", "calibration_annotators"):
            conn.execute(f"delete from {table} where batch_id = ?", (batch_id,))
        conn.execute("delete from calibration_batches where id = ?", (batch_id,))
    cursor = conn.execute(
        "insert into calibration_batches (name, run_id, rubric_hash, created, threshold, min_items, items,"
        " annotators, judgments, has_gold, report) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (report.batch, run_id, report.rubric["hash"], utc_now(), report.threshold, report.min_items, report.items,
         len(report.annotators), report.judgments, int(report.has_gold), report_json),
    )
    batch_id = int(cursor.lastrowid)
    conn.executemany(
        "insert into calibration_votes (batch_id, annotator, item_id, preference, strength, judgment_hash)"
        " values (?, ?, ?, ?, ?, ?)",
        [(batch_id, j.annotator, j.item_id, j.preference, j.strength, j.content_hash) for j in judgments],
    )
    conn.executemany(
        "insert into calibration_items (batch_id, item_id, votes, entropy, majority, dawid_skene, gold)"
        " values (?, ?, ?, ?, ?, ?, ?)",
        _item_rows(batch_id, report, judgments),
    )
    conn.executemany(
        f"insert into calibration_annotators ({_ANNOTATOR_COLUMNS}) values ({', '.join('?' * 22)})",
        _annotator_rows(batch_id, report),
    )
    return batch_id


def _item_rows(batch_id: int, report: CalibrationReport, judgments: Sequence[Judgment]) -> list[tuple[Any, ...]]:
    entropy = {c.item_id: c.entropy for c in report.contested}
    votes_per_item = Counter(j.item_id for j in judgments)
    return [
        (batch_id, row["item_id"], votes_per_item[row["item_id"]], entropy.get(row["item_id"], 0.0),
         row["majority"], row["dawid_skene"], row["gold"])
        for row in report.consensus["items"]
    ]


def _annotator_rows(batch_id: int, report: CalibrationReport) -> list[tuple[Any, ...]]:
    def rate(r: Any, name: str) -> tuple[float | None, float | None]:
        found = getattr(r, name)
        return (found.rate, found.gold_rate) if found else (None, None)

    return [
        (
            batch_id, r.name, r.judged, r.gold_items, r.correct, r.accuracy, r.accuracy_low, r.accuracy_high,
            r.verdict if report.has_gold else None, r.mean_score, r.strength_credit, r.kappa_with_peers,
            r.agreement_with_peers, r.reliability, *rate(r, "position"), *rate(r, "ties"), *rate(r, "length"),
            r.consistency_rate, json.dumps(r.biases, ensure_ascii=False),
        )
        for r in [*report.annotator_results, *report.judge_results]  # judges too, so --history finds them
    ]


def annotator_batches(db: sqlite_utils.Database, annotator: str) -> list[dict[str, Any]]:
    """The annotator's row in every stored batch with the batch's name and date, oldest first."""
    return rows(
        db,
        "select b.name, b.created, a.* from calibration_annotators a join calibration_batches b on b.id = a.batch_id"
        " where a.annotator = ? order by b.created, b.id",
        (annotator,),
    )


def calibrated_annotators(db: sqlite_utils.Database) -> list[str]:
    """Every annotator in a stored batch, by name."""
    return [r[0] for r in db.execute("select distinct annotator from calibration_annotators order by annotator").fetchall()]


def newest_batch(db: sqlite_utils.Database) -> tuple[str, dict[str, Any]] | None:
    """(name, stored report) of the newest calibration batch, or None when none was calibrated."""
    if "calibration_batches" not in db.table_names():
        return None
    row = db.execute("select name, report from calibration_batches order by id desc limit 1").fetchone()
    if row is None or not row[1]:
        return None
    return row[0], json.loads(row[1])
