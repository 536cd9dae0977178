"""What every table family's module shares: timestamps, compact JSON, chunked IN lists, row dicts.

Every function in `rationale.store` takes an open `sqlite_utils.Database`
and leaves transaction control to its caller (or to `runs.recording_run`):
a command opens one transaction, calls these, and commits or rolls back as a
whole. That is why the writes go through `db.conn.execute`/`executemany` and
never through sqlite-utils' table methods, which commit on their own
(sqlite-utils still owns the schema, in `migrations.py`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

import sqlite_utils

from ..models import Severity

# Severity is a str Enum: this maps the enum and its plain text alike to the text.
SEVERITY_TEXT: dict[str, str] = {s: s.value for s in Severity}


# Well under SQLite's limit on bound parameters (32766 since 3.32, 999 before).
_IN_CHUNK = 450


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def to_json(value: Any) -> str:
    return _encode(value)


# Criteria and key-point lists repeat across thousands of judgments: encode each distinct list once.
_list_cache: dict[tuple[str, ...], str] = {}


def json_list(values: Sequence[str]) -> str:
    key = tuple(values)
    text = _list_cache.get(key)
    if text is None:
        if len(_list_cache) > 50_000:
            _list_cache.clear()
        text = _list_cache[key] = _encode(list(values))
    return text


def json_credits(components: Mapping[str, float | None]) -> str:
    """A grade's component credits as JSON, without the general encoder's overhead (keys are fixed names)."""
    return "{" + ",".join(f'"{k}":{"null" if v is None else repr(float(v))}' for k, v in components.items()) + "}"


def json_key_points(results: Sequence[Any]) -> str:
    """A grade's key-point results as a JSON list of objects."""
    return _encode([r.model_dump(mode="json") if hasattr(r, "model_dump") else dict(r) for r in results])


def insert_sql(table: str, columns: Sequence[str], verb: str = "insert") -> str:
    """`VERB into TABLE (columns...) values (?, ...)`, one placeholder per column."""
    return f"{verb} into {table} ({', '.join(columns)}) values ({', '.join('?' * len(columns))})"


def replace_row(db: sqlite_utils.Database, table: str, row: Mapping[str, Any]) -> None:
    """Insert `row` (column -> value), replacing the row with the same key. Plain SQL rather than sqlite-utils'
    upsert, which re-reads the table's schema on every call."""
    db.conn.execute(insert_sql(table, list(row), "insert or replace"), list(row.values()))


def chunks(seq: Sequence[Any], size: int = _IN_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(seq), size):
        yield seq[start : start + size]


def dicts(cursor: Any) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def rows(db: sqlite_utils.Database, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    """The rows of a query as dicts keyed by column name."""
    return dicts(db.conn.execute(sql, list(params)))


def loads(text: str | None, default: Any) -> Any:
    """A JSON column's value, or `default` where it is empty."""
    return json.loads(text) if text else default


LATEST_VERSION = """join (select annotator, item_id, max(version) as version from judgments group by annotator, item_id) latest
              on latest.annotator = j.annotator and latest.item_id = j.item_id and latest.version = j.version"""
"""Joined to `judgments j`, keeps the highest version of each (annotator, item) answer: the rule in one place."""
