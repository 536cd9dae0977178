"""The second reviewer's tables: `critiques` and the `llm_cache` of replies."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlite_utils

from ..models import Critique
from .common import LATEST_VERSION, rows, utc_now
from .db import writing


def judgments_to_critique(
    db: sqlite_utils.Database,
    *,
    annotator: str | None = None,
    run_id: int | None = None,
    only_items_with_gold: bool = False,
    judgment_hashes: Sequence[str] | None = None,
    pairs: Sequence[tuple[str, str]] | None = None,
) -> list[dict[str, Any]]:
    """The latest version of each (annotator, item) answer that has a rationale, filtered."""
    where = ["j.rationale is not null"]
    params: list[Any] = []
    if annotator:
        where.append("j.annotator = ?")
        params.append(annotator)
    if run_id is not None:
        where.append("(j.run_id = ? or j.hash in (select judgment_hash from grades where run_id = ?))")
        params += [run_id, run_id]
    if only_items_with_gold:
        where.append("exists (select 1 from gold g where g.item_id = j.item_id)")
    if judgment_hashes is not None:
        hashes = list(judgment_hashes)
        if not hashes:
            return []
        where.append(f"j.hash in ({','.join('?' * len(hashes))})")
        params += hashes
    if pairs is not None:
        # A temporary table rather than bound parameters: a graded batch can exceed SQLite's parameter limit.
        db.conn.execute("create temp table if not exists critique_pairs (annotator text, item_id text)")
        db.conn.execute("delete from critique_pairs")
        db.conn.executemany("insert into critique_pairs values (?, ?)", list(pairs))
        where.append("exists (select 1 from critique_pairs p where p.annotator = j.annotator and p.item_id = j.item_id)")
    return rows(
        db,
        f"""
        select j.* from judgments j
        {LATEST_VERSION}
        where {' and '.join(where)}
        order by j.annotator, j.item_id
        """,
        params,
    )


def rubric_hashes_for(db: sqlite_utils.Database, judgment_hash: str, run_id: int | None) -> list[str]:
    """Candidate rubrics for a judgment, best first: those it was graded under, its run's, the only stored one."""
    found = rows(
        db,
        """
        select rubric_hash from grades where judgment_hash = ? and rubric_hash is not null
        union all select rubric_hash from runs where id = ? and rubric_hash is not null
        union all select hash from rubrics where (select count(*) from rubrics) = 1
        """,
        (judgment_hash, run_id),
    )
    return [row["rubric_hash"] for row in found]


def critique_statuses(db: sqlite_utils.Database, model: str) -> dict[str, str]:
    """{critique row id: ok | failed} for every stored critique by `model`."""
    return {r["id"]: r["status"] for r in rows(db, "select id, status from critiques where model = ?", (model,))}


def save_critique(
    db: sqlite_utils.Database, row_id: str, critique: Critique, gold_hash: str | None, swapped: bool, run_id: int | None
) -> None:
    """Store (or replace) one critique and commit at once: an interrupted batch keeps every finished one."""
    body = critique.model_dump(mode="json")
    row = {
        "id": row_id,
        "judgment_hash": critique.judgment_hash,
        "item_id": critique.item_id,
        "annotator": critique.annotator,
        "model": critique.model,
        "template_version": critique.template_version,
        "rubric_hash": critique.rubric_hash,
        "gold_hash": gold_hash,
        "with_gold": int(critique.with_gold),
        "swapped": int(swapped),
        "status": critique.status,
        "failure_reason": critique.failure_reason,
        "preference": critique.preference,
        "strength": critique.strength,
        "verdict_ab": critique.verdict_ab.preference if critique.verdict_ab else None,
        "verdict_ba": critique.verdict_ba.preference if critique.verdict_ba else None,
        "consistent": None if critique.consistent_across_orders is None else int(critique.consistent_across_orders),
        "supports_choice": None if critique.supports_choice is None else int(critique.supports_choice),
        "confidence": critique.confidence,
        "escalate": int(critique.escalate),
        "escalation_reasons": json.dumps(critique.escalation_reasons, ensure_ascii=False),
        "injection_attempt": int(any(i.kind == "injection_attempt" for i in critique.issues)),
        "tokens_in": critique.tokens_in,
        "tokens_out": critique.tokens_out,
        "cost": critique.cost,
        "latency": critique.latency_seconds,
        "body": json.dumps(body, ensure_ascii=False),
        "run_id": run_id,
        "created_at": utc_now(),
    }
    # Plain SQL rather than sqlite-utils' upsert, which re-reads the table's schema on every call.
    with writing(db):
        db.conn.execute(
            f"insert or replace into critiques ({', '.join(row)}) values ({', '.join('?' * len(row))})",
            list(row.values()),
        )


def cached_reply(db: sqlite_utils.Database, key: str) -> dict[str, Any] | None:
    """The `llm_cache` row of a request already answered, or None."""
    found = rows(db, "select * from llm_cache where key = ?", (key,))
    return found[0] if found else None


def cached_keys(db: sqlite_utils.Database) -> set[str]:
    return {r["key"] for r in rows(db, "select key from llm_cache")}


def cache_reply(
    db: sqlite_utils.Database,
    key: str,
    *,
    model: str,
    kind: str,
    template_version: str,
    response: str,
    raw: str,
    tokens_in: int,
    tokens_out: int,
    cost: float | None,
    latency: float,
) -> None:
    """Keep a validated reply under its request key, committed at once; that request is never sent again."""
    with writing(db):
        db.conn.execute(
            "insert or replace into llm_cache (key, model, kind, template_version, response, raw, tokens_in,"
            " tokens_out, cost, latency, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (key, model, kind, template_version, response, raw, tokens_in, tokens_out, cost, latency, utc_now()),
        )


def newest_critique_body(db: sqlite_utils.Database, judgment_hash: str, model: str) -> dict[str, Any] | None:
    """The body of the newest critique of one answer by one model (ok or failed)."""
    row = db.execute(
        "select body from critiques where judgment_hash = ? and model = ? order by created_at desc limit 1",
        [judgment_hash, model],
    ).fetchone()
    return json.loads(row[0]) if row else None


def latest_ok_critique(db: sqlite_utils.Database, judgment_hash: str) -> dict[str, Any] | None:
    """The newest successful critique of a judgment version, when the second reviewer has run."""
    if "critiques" not in db.table_names():
        return None
    columns = {c.name for c in db["critiques"].columns}
    if "judgment_hash" not in columns:
        return None
    order = "rowid desc"
    status_filter = "and status = 'ok'" if "status" in columns else ""
    row = db.execute(
        f"select * from critiques where judgment_hash = ? {status_filter} order by {order} limit 1", [judgment_hash]
    ).fetchone()
    if row is None:
        return None
    record = dict(zip([d[0] for d in db.conn.execute("select * from critiques limit 0").description], row))
    body_column = next((c for c in ("critique", "body", "parsed") if c in record and record[c]), None)
    body = json.loads(record[body_column]) if body_column else {}
    body.setdefault("model", record.get("model"))
    return body

