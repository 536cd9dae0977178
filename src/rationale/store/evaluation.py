"""The reads `critique --evaluate` makes: each judgment's newest critique by a reviewer, with its gold."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from .common import rows


def newest_critiques_with_gold(
    db: sqlite_utils.Database, model: str | None = None, annotator: str | None = None
) -> tuple[list[dict[str, Any]], int, int]:
    """(rows, older critiques left out, critiques made with gold left out) for critiques whose item has gold.

    One row per (judgment version, model): its newest critique made without
    gold, ok or failed, so a judgment re-critiqued under another rubric version
    counts once. Each row has `judgment_hash`, `model`, `status`, `reviewer`
    (final verdict), `verdict_ab`, `verdict_ba` (mapped back), `consistent`
    and `gold` (gold's preference).
    """
    where = ["1 = 1"]
    params: list[Any] = []
    if model:
        where.append("c.model = ?")
        params.append(model)
    if annotator:
        where.append("c.annotator = ?")
        params.append(annotator)
    found = rows(
        db,
        f"""
        select c.judgment_hash, c.model, c.status, c.with_gold, c.preference as reviewer, c.verdict_ab, c.verdict_ba,
               c.consistent, g.preference as gold
        from critiques c join gold g on g.hash = c.gold_hash
        where {' and '.join(where)}
        order by c.created_at desc, c.rowid desc
        """,
        params,
    )
    with_gold = sum(1 for r in found if r["with_gold"])
    newest: dict[tuple[str, str], dict[str, Any]] = {}
    for r in found:
        if not r["with_gold"]:
            newest.setdefault((r["judgment_hash"], r["model"]), r)
    independent = len(found) - with_gold
    kept = sorted(newest.values(), key=lambda r: (r["model"], r["judgment_hash"]))
    return kept, independent - len(kept), with_gold


def ok_critique_bodies(db: sqlite_utils.Database, model: str) -> list[tuple[str, str, str]]:
    """(annotator, item id, body JSON) of the newest successful critique by `model` of each answer."""
    return [
        (r["annotator"], r["item_id"], r["body"])
        for r in rows(
            db,
            """
            select c.annotator, c.item_id, c.body from critiques c
            where c.model = ? and c.status = 'ok' and c.created_at = (
                select max(o.created_at) from critiques o
                where o.annotator = c.annotator and o.item_id = c.item_id and o.model = c.model and o.status = 'ok')
            """,
            (model,),
        )
    ]
