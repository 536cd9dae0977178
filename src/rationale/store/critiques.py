"""The second reviewer's tables: `critiques` and the `llm_cache` of replies."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import sqlite_utils

from ..models import Critique
from ..redact import redact, redact_data, secret_values
from .common import LATEST_VERSION, replace_row, rows, utc_now
from .db import writing


def judgments_to_critique(
    db: sqlite_utils.Database,
    *,
    annotator: str | None = None,
    run_id: int | None = None,
    only_items_with_gold: bool = False,
    judgment_hashes: Sequence[str] | None = None,
    pairs: Sequence[tuple[str, str]] | None = None,
    item_ids: Sequence[str] | None = None,
    hash_prefixes: Sequence[str] | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Stored answers with a rationale, filtered, in (annotator, item) order.

    The latest version of each (annotator, item) answer, except that a run
    (`run_id`: what that run graded, whether its grades were new or not) or
    answer hashes (`judgment_hashes`, `hash_prefixes`) name exact versions.
    """
    where = ["j.rationale is not null"]
    params: list[Any] = []
    exact = run_id is not None or judgment_hashes is not None or bool(hash_prefixes)
    if annotator:
        where.append("j.annotator = ?")
        params.append(annotator)
    if run_id is not None:
        where.append("(j.hash in (select judgment_hash from run_judgments where run_id = ?) or j.run_id = ?"
                     " or j.hash in (select judgment_hash from grades where run_id = ?))")
        params += [run_id, run_id, run_id]
    if only_items_with_gold:
        where.append("exists (select 1 from gold g where g.item_id = j.item_id)")
    if item_ids:
        where.append(f"j.item_id in ({','.join('?' * len(item_ids))})")
        params += list(item_ids)
    if hash_prefixes:
        where.append("(" + " or ".join("j.hash like ? || '%'" for _ in hash_prefixes) + ")")
        params += [p.lower() for p in hash_prefixes]
    if judgment_hashes is not None:
        hashes = list(judgment_hashes)
        if not hashes:
            return []
        where.append(f"j.hash in ({','.join('?' * len(hashes))})")
        params += hashes
    if pairs is not None:
        # A temporary table rather than bound parameters: a graded batch can exceed SQLite's parameter limit.
        # Committed at once (it touches only this connection's temp schema), so no transaction stays open for
        # the short write transactions that follow (`writing` begins its own).
        with db.conn:
            db.conn.execute("create temp table if not exists critique_pairs (annotator text, item_id text)")
            db.conn.execute("delete from critique_pairs")
            db.conn.executemany("insert into critique_pairs values (?, ?)", list(pairs))
        where.append("exists (select 1 from critique_pairs p where p.annotator = j.annotator and p.item_id = j.item_id)")
    sql = f"""
        select j.* from judgments j
        {'' if exact else LATEST_VERSION}
        where {' and '.join(where)}
        order by j.annotator, j.item_id, j.version
    """
    if limit is not None:
        sql += " limit ?"
        params.append(limit)
    return rows(db, sql, params)


def rubric_hashes_for(db: sqlite_utils.Database, judgment_hash: str, run_id: int | None) -> list[str]:
    """Candidate rubrics for a judgment, best first: those it was graded under (the latest grading first),
    its run's, the only stored one."""
    graded = rows(
        db,
        "select rubric_hash from grades where judgment_hash = ? and rubric_hash is not null"
        " order by graded_at desc, rowid desc",
        (judgment_hash,),
    )
    fallback = rows(
        db,
        """
        select rubric_hash from runs where id = ? and rubric_hash is not null
        union all select hash from rubrics where (select count(*) from rubrics) = 1
        """,
        (run_id,),
    )
    return [row["rubric_hash"] for row in [*graded, *fallback]]


def critique_statuses(db: sqlite_utils.Database, model: str) -> dict[str, str]:
    """{critique row id: ok | failed} for every stored critique by `model`."""
    return {r["id"]: r["status"] for r in rows(db, "select id, status from critiques where model = ?", (model,))}


def save_critique(
    db: sqlite_utils.Database, row_id: str, critique: Critique, gold_hash: str | None, swapped: bool, run_id: int | None,
    cached_replies: Sequence[dict[str, Any]] = (),
) -> None:
    """Store (or replace) one critique, and the replies `cached_replies` (see `cache_replies`), in one commit:
    an interrupted batch keeps every finished critique.

    Every text is redacted first (`rationale.redact`): a reply or error that echoes a key is stored without it.
    """
    body = _redacted_body(critique)
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
        "failure_reason": body["failure_reason"],
        "preference": critique.preference,
        "strength": critique.strength,
        "verdict_ab": critique.verdict_ab.preference if critique.verdict_ab else None,
        "verdict_ba": critique.verdict_ba.preference if critique.verdict_ba else None,
        "consistent": None if critique.consistent_across_orders is None else int(critique.consistent_across_orders),
        "supports_choice": None if critique.supports_choice is None else int(critique.supports_choice),
        "confidence": critique.confidence,
        "escalate": int(critique.escalate),
        "escalation_reasons": json.dumps(body["escalation_reasons"], ensure_ascii=False),
        "injection_attempt": int(any(i.kind == "injection_attempt" for i in critique.issues)),
        "tokens_in": critique.tokens_in,
        "tokens_out": critique.tokens_out,
        "cost": critique.cost,
        "latency": critique.latency_seconds,
        "body": body["_json"],
        "run_id": run_id,
        "created_at": utc_now(),
    }
    with writing(db):
        replace_row(db, "critiques", row)
        insert_replies(db, cached_replies)


def _redacted_body(critique: Critique) -> dict[str, Any]:
    """The critique as JSON-able data with every text redacted, and its JSON text under `_json`.

    Redacted as one JSON text (one pass, not one per string); the patterns never cut a JSON escape, and the
    result is checked to parse, else each string is redacted on its own.
    """
    data = critique.model_dump(mode="json")
    text = json.dumps(data, ensure_ascii=False)
    cleaned = redact(text)
    if cleaned != text:
        try:
            data = json.loads(cleaned)
        except ValueError:
            data = redact_data(data)
            cleaned = json.dumps(data, ensure_ascii=False)
    return {**data, "_json": cleaned}


def cached_reply(db: sqlite_utils.Database, key: str) -> dict[str, Any] | None:
    """The `llm_cache` row of a request already answered, or None."""
    found = rows(db, "select * from llm_cache where key = ?", (key,))
    return found[0] if found else None


def cached_keys(db: sqlite_utils.Database) -> set[str]:
    return {r["key"] for r in rows(db, "select key from llm_cache")}


_CACHE_COLUMNS = ("key", "model", "kind", "template_version", "response", "raw", "tokens_in", "tokens_out", "cost",
                  "latency")


def cache_replies(db: sqlite_utils.Database, replies: Sequence[dict[str, Any]]) -> None:
    """Keep validated replies under their request keys, committed at once; those requests are never sent again.

    Each reply is a dict with `_CACHE_COLUMNS`; texts are redacted first.
    """
    if replies:
        with writing(db):
            insert_replies(db, replies)


def insert_replies(db: sqlite_utils.Database, replies: Sequence[dict[str, Any]]) -> None:
    """Write replies (dicts with `_CACHE_COLUMNS`) inside the caller's transaction, texts redacted."""
    if not replies:
        return
    secrets = secret_values()
    now = utc_now()
    db.conn.executemany(
        CACHE_INSERT,
        [[redact(r[c], secrets) if c in ("response", "raw") else r[c] for c in _CACHE_COLUMNS] + [now] for r in replies],
    )


CACHE_INSERT = (
    "insert or replace into llm_cache (key, model, kind, template_version, response, raw, tokens_in,"
    " tokens_out, cost, latency, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
"""One `llm_cache` row (`insert_replies` writes them, texts redacted)."""


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

