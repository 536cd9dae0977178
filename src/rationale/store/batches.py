"""Provider batch jobs: the `llm_batches` submitted for `critique --batch` and the requests each carries.

Every write is one short transaction: a file's row and its requests as soon as
it is uploaded, the batch id as soon as it is created, and a finished batch's
replies (into `llm_cache`) together with its request states and
`collected_at`, so a process killed anywhere leaves a state the next run
resumes from.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import sqlite_utils

from .common import rows, utc_now
from .critiques import insert_replies
from .db import writing

REQUEST_FIELDS = ("status", "problem", "raw", "tokens_in", "tokens_out", "cost")


def record_upload(
    db: sqlite_utils.Database,
    *,
    provider: str,
    model: str,
    api_base: str | None,
    purpose: str,
    input_file_id: str,
    requests: Sequence[tuple[str, str, str, str | None]],  # (key, kind, rubric hash, gold hash of a reading)
    size: int,
    estimated_cost: float | None,
    run_id: int | None,
) -> int:
    """An uploaded input file and its requests (all pending); returns the local batch id."""
    with writing(db):
        cursor = db.conn.execute(
            "insert into llm_batches (provider, model, api_base, purpose, input_file_id, status, requests, bytes,"
            " estimated_cost, run_id, uploaded_at) values (?, ?, ?, ?, ?, 'uploaded', ?, ?, ?, ?, ?)",
            (provider, model, api_base, purpose, input_file_id, len(requests), size, estimated_cost, run_id, utc_now()),
        )
        local_id = int(cursor.lastrowid or 0)
        db.conn.executemany(
            "insert into llm_batch_requests (batch, key, kind, rubric_hash, gold_hash, status)"
            " values (?, ?, ?, ?, ?, 'pending')",
            [(local_id, *request) for request in requests],
        )
    return local_id


def record_created(db: sqlite_utils.Database, local_id: int, batch_id: str, status: str) -> None:
    with writing(db):
        db.conn.execute("update llm_batches set batch_id = ?, status = ? where id = ?", (batch_id, status, local_id))


def update_status(db: sqlite_utils.Database, local_id: int, status: str, output_file_id: str | None,
                  error_file_id: str | None) -> None:
    with writing(db):
        db.conn.execute(
            "update llm_batches set status = ?, output_file_id = ?, error_file_id = ? where id = ?",
            (status, output_file_id, error_file_id, local_id),
        )


def record_cancel(db: sqlite_utils.Database, local_id: int, status: str) -> None:
    """The provider accepted a cancel: its status now (cancelling or cancelled), and when it was asked (kept if set)."""
    with writing(db):
        db.conn.execute("update llm_batches set status = ?, cancelled_at = coalesce(cancelled_at, ?) where id = ?",
                        (status, utc_now(), local_id))


def open_batches(db: sqlite_utils.Database, model: str) -> list[dict[str, Any]]:
    """The model's batches not yet collected (uploaded, submitted or running), oldest first."""
    return rows(db, "select * from llm_batches where model = ? and collected_at is null order by id", (model,))


def batches_by_id(db: sqlite_utils.Database, local_ids: Iterable[int]) -> list[dict[str, Any]]:
    ids = list(local_ids)
    if not ids:
        return []
    return rows(db, f"select * from llm_batches where id in ({','.join('?' * len(ids))}) order by id", ids)


def batch_requests(db: sqlite_utils.Database, local_id: int) -> list[dict[str, Any]]:
    return rows(db, "select * from llm_batch_requests where batch = ?", (local_id,))


def request_states(db: sqlite_utils.Database, model: str) -> dict[str, dict[str, Any]]:
    """Each request key's newest row (the latest batch that carried it) for the model's batches."""
    return _requests_by_key(db, model, "")


def awaiting_repair(db: sqlite_utils.Database, model: str) -> dict[str, dict[str, Any]]:
    """The model's invalid replies whose repair is in a batch, by request key."""
    return _requests_by_key(db, model, "and r.status = 'repairing'")


def _requests_by_key(db: sqlite_utils.Database, model: str, condition: str) -> dict[str, dict[str, Any]]:
    found = rows(
        db,
        "select r.*, b.batch_id, b.status as batch_status, b.run_id from llm_batch_requests r"
        f" join llm_batches b on b.id = r.batch where b.model = ? {condition} order by r.batch",
        (model,),
    )
    return {row["key"]: row for row in found}


def save_collected(
    db: sqlite_utils.Database,
    local_id: int,
    results: Sequence[dict[str, Any]],
    replies: Sequence[dict[str, Any]],
    cancelled: bool = False,
) -> None:
    """A finished batch, in one transaction: its valid replies into `llm_cache`, every request's state, collected.

    `cancelled`: a file whose batch was never created, stopped by `critique --cancel` (status cancelled, cancelled_at).
    """
    with writing(db):
        insert_replies(db, replies)
        _set_requests(db, local_id, results)
        now = utc_now()
        db.conn.execute("update llm_batches set collected_at = ? where id = ?", (now, local_id))
        if cancelled:
            db.conn.execute("update llm_batches set status = 'cancelled', cancelled_at = ? where id = ?", (now, local_id))


def save_request_results(db: sqlite_utils.Database, local_id: int, results: Sequence[dict[str, Any]],
                         replies: Sequence[dict[str, Any]] = ()) -> None:
    """Change some requests' states (a repair sent or answered), with any replies it cached, in one transaction."""
    with writing(db):
        insert_replies(db, replies)
        _set_requests(db, local_id, results)


def _set_requests(db: sqlite_utils.Database, local_id: int, results: Sequence[dict[str, Any]]) -> None:
    db.conn.executemany(
        "update llm_batch_requests set status = ?, problem = ?, raw = ?, tokens_in = ?, tokens_out = ?, cost = ?"
        " where batch = ? and key = ?",
        [tuple(r.get(f) for f in REQUEST_FIELDS) + (r.get("batch", local_id), r["key"]) for r in results],
    )
