"""The `gold_drafts` table: gold an LLM drafted, waiting for (or after) a lead's review.

A draft is never gold: nothing reads this table to grade. `rationale gold review`
turns an accepted draft into an ordinary gold file and records here who accepted
it, when, and whether it was edited.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlite_utils

from ..redact import redact
from .common import rows, to_json, utc_now
from .critiques import insert_replies
from .db import writing

DRAFT, FAILED, ACCEPTED, REJECTED = "draft", "failed", "accepted", "rejected"


def draft_statuses(db: sqlite_utils.Database, ids: Sequence[str]) -> dict[str, str]:
    """The status of each stored draft among `ids`."""
    found: dict[str, str] = {}
    for start in range(0, len(ids), 450):
        chunk = list(ids[start : start + 450])
        marks = ",".join("?" * len(chunk))
        found.update(db.conn.execute(f"select id, status from gold_drafts where id in ({marks})", chunk).fetchall())
    return found


def save_draft(
    db: sqlite_utils.Database,
    draft_id: str,
    *,
    item_id: str,
    item_hash: str,
    rubric_hash: str,
    model: str,
    template_version: str,
    based_on: str | None,
    body: dict[str, Any] | None,
    lint: list[dict[str, Any]],
    failure_reason: str | None,
    tokens_in: int,
    tokens_out: int,
    cost: float | None,
    run_id: int | None,
    cached_replies: Sequence[dict[str, Any]] = (),
) -> None:
    """Store a draft (or a failed attempt, with its reason) and the replies it took, committed at once."""
    with writing(db):
        db.conn.execute(
            "insert or replace into gold_drafts (id, item_id, item_hash, rubric_hash, model, template_version, based_on,"
            " status, body, lint, failure_reason, tokens_in, tokens_out, cost, run_id, created_at)"
            " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                draft_id, item_id, item_hash, rubric_hash, model, template_version, based_on,
                FAILED if body is None else DRAFT, None if body is None else to_json(body), to_json(lint),
                None if failure_reason is None else redact(failure_reason), tokens_in, tokens_out, cost, run_id,
                utc_now(),
            ),
        )
        insert_replies(db, cached_replies)


def drafts_for(db: sqlite_utils.Database, item_hashes: Sequence[str], statuses: Sequence[str]) -> list[dict[str, Any]]:
    """Drafts of these item versions with one of `statuses`, in the order of `item_hashes` (the items file's
    order, so a lead reviews in a stable order whatever order the drafts finished in), oldest first within an item."""
    if not item_hashes or not statuses:
        return []
    found: list[dict[str, Any]] = []
    status_marks = ",".join("?" * len(statuses))
    for start in range(0, len(item_hashes), 400):
        chunk = list(item_hashes[start : start + 400])
        found += rows(
            db,
            f"select * from gold_drafts where item_hash in ({','.join('?' * len(chunk))}) and status in ({status_marks})",
            [*chunk, *statuses],
        )
    place = {item_hash: n for n, item_hash in enumerate(item_hashes)}
    return sorted(found, key=lambda r: (place[r["item_hash"]], r["created_at"], r["id"]))


def record_review(
    db: sqlite_utils.Database, draft_id: str, *, status: str, reviewer: str, accepted: dict[str, Any] | None, edited: bool
) -> None:
    """A lead's decision on a draft, committed at once (a review can stop at any point and resume)."""
    with writing(db):
        db.conn.execute(
            "update gold_drafts set status = ?, reviewed_by = ?, reviewed_at = ?, accepted = ?, edited = ? where id = ?",
            (status, reviewer, utc_now(), None if accepted is None else to_json(accepted), int(edited), draft_id),
        )


def set_lint(db: sqlite_utils.Database, draft_id: str, warnings: list[dict[str, Any]]) -> None:
    """The `gold lint` warnings on a draft, read beside the gold it joins."""
    with writing(db):
        db.conn.execute("update gold_drafts set lint = ? where id = ?", (to_json(warnings), draft_id))
