"""The texts that graded the work: rubrics, items and gold answers, each keyed by its content hash."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import sqlite_utils

from ..models import GoldAnswer, Item, Rubric
from .common import dicts, rows, to_json, utc_now


def save_rubric(db: sqlite_utils.Database, rubric: Rubric) -> str:
    """Store the rubric under its content hash; return the hash."""
    rubric_hash = rubric.content_hash
    db.conn.execute(
        "insert or ignore into rubrics (hash, id, title, version, body, first_seen) values (?, ?, ?, ?, ?, ?)",
        (rubric_hash, rubric.id, rubric.title, rubric.version, to_json(rubric.model_dump(mode="json")), utc_now()),
    )
    return rubric_hash


def _item_row(item: Item, item_hash: str) -> tuple[Any, ...]:
    prompt = item.prompt if isinstance(item.prompt, str) else to_json([t.model_dump() for t in item.prompt])
    return (item_hash, item.id, prompt, item.response_a, item.response_b, item.source, item.domain, to_json(item.tags))


def save_items(db: sqlite_utils.Database, items: Mapping[str, Item] | Iterable[Item]) -> dict[str, str]:
    """Store items by content hash; return {item id: item hash}."""
    values = items.values() if isinstance(items, Mapping) else items
    hashes: dict[str, str] = {}
    rows = []
    for item in values:
        item_hash = item.content_hash
        hashes[item.id] = item_hash
        rows.append(_item_row(item, item_hash))
    db.conn.executemany(
        "insert or ignore into items (hash, id, prompt, response_a, response_b, source, domain, tags)"
        " values (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return hashes


def save_gold(
    db: sqlite_utils.Database, gold: Mapping[str, GoldAnswer], items: Mapping[str, Item] | Mapping[str, str]
) -> dict[str, str]:
    """Store gold answers by content hash, linked to their item's hash; return {item id: gold hash}.

    `items` maps item id to the Item, or directly to its hash (as `save_items` returns).
    The items must already be saved: gold points at them by foreign key.
    """
    hashes: dict[str, str] = {}
    rows = []
    for item_id, answer in gold.items():
        target = items[item_id]
        item_hash = target if isinstance(target, str) else target.content_hash
        gold_hash = answer.content_hash
        hashes[item_id] = gold_hash
        rows.append(
            (
                gold_hash,
                answer.item_id,
                item_hash,
                answer.preference,
                answer.strength,
                answer.difficulty,
                to_json(answer.tags),
                to_json(answer.model_dump(mode="json")),
            )
        )
    db.conn.executemany(
        "insert or ignore into gold (hash, item_id, item_hash, preference, strength, difficulty, tags, body)"
        " values (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return hashes


def item_from_row(row: Mapping[str, Any]) -> Item:
    """Rebuild an Item from its `items` row.

    A chat prompt is stored as JSON turns; a plain prompt that merely starts
    with "[" stays text.
    """
    prompt: Any = row["prompt"]
    if isinstance(prompt, str) and prompt.startswith("["):
        try:
            turns = json.loads(prompt)
        except json.JSONDecodeError:
            turns = None
        if isinstance(turns, list) and turns and all(isinstance(t, dict) and "role" in t for t in turns):
            prompt = turns
    return Item(
        id=row["id"],
        prompt=prompt,
        response_a=row["response_a"],
        response_b=row["response_b"],
        source=row["source"],
        domain=row["domain"],
        tags=json.loads(row["tags"]) if row["tags"] else [],
    )


def load_item(db: sqlite_utils.Database, item_hash: str) -> Item | None:
    """The exact item version stored under this content hash."""
    rows = dicts(db.conn.execute("select * from items where hash = ?", (item_hash,)))
    return item_from_row(rows[0]) if rows else None


def rubric_by_hash(db: sqlite_utils.Database, rubric_hash: str) -> Rubric | None:
    """The rubric stored under this content hash."""
    found = rows(db, "select body from rubrics where hash = ?", (rubric_hash,))
    return Rubric.model_validate_json(found[0]["body"]) if found else None


def gold_by_hash(db: sqlite_utils.Database, gold_hash: str) -> GoldAnswer | None:
    """The gold answer stored under this content hash."""
    found = rows(db, "select body from gold where hash = ?", (gold_hash,))
    return GoldAnswer.model_validate_json(found[0]["body"]) if found else None


def gold_for_item(db: sqlite_utils.Database, item_id: str, item_hash: str) -> tuple[GoldAnswer | None, str | None]:
    """(gold, its hash) for an item: the gold of this item version if stored, else the newest for its id."""
    found = rows(
        db,
        "select hash, body from gold where item_id = ? order by (item_hash = ?) desc, rowid desc limit 1",
        (item_id, item_hash),
    )
    if not found:
        return None, None
    return GoldAnswer.model_validate_json(found[0]["body"]), found[0]["hash"]


def body_by_hash(db: sqlite_utils.Database, table: str, key: str | None) -> dict[str, Any] | None:
    """The JSON `body` of a rubric or gold row, as stored (no validation: exports show what was graded)."""
    if key is None:
        return None
    row = db.execute(f"select body from {table} where hash = ?", [key]).fetchone()
    return json.loads(row[0]) if row else None
