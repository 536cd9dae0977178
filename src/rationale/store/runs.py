"""The `runs` table, and `recording_run`: how every command that writes records itself."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from ..models import GoldAnswer, Item, Rubric
from .common import chunks, dicts, to_json, utc_now
from .db import writing
from .references import save_gold, save_items, save_rubric


def start_run(db: sqlite_utils.Database, command: str, inputs: Mapping[str, Any], rubric_hash: str | None) -> int:
    cursor = db.conn.execute(
        "insert into runs (command, inputs, rubric_hash, started) values (?, ?, ?, ?)",
        (command, to_json(dict(inputs)), rubric_hash, utc_now()),
    )
    return int(cursor.lastrowid)


def finish_run(db: sqlite_utils.Database, run_id: int, counts: Mapping[str, Any]) -> None:
    db.conn.execute(
        "update runs set finished = ?, counts = ? where id = ?",
        (utc_now(), to_json(dict(counts)), run_id),
    )


def get_run(db: sqlite_utils.Database, run_id: int) -> dict[str, Any] | None:
    rows = dicts(db.conn.execute("select * from runs where id = ?", (run_id,)))
    if not rows:
        return None
    run = rows[0]
    run["inputs"] = json.loads(run["inputs"]) if run["inputs"] else None
    run["counts"] = json.loads(run["counts"]) if run["counts"] else None
    return run


@dataclass
class Recording:
    """What `recording_run` stored before the command's own writes, and the counts it will record."""

    run_id: int
    rubric_hash: str | None
    item_hashes: dict[str, str] = field(default_factory=dict)
    gold_hashes: dict[str, str] = field(default_factory=dict)
    counts: dict[str, Any] = field(default_factory=dict)


@contextmanager
def recording_run(
    db: sqlite_utils.Database,
    command: str,
    inputs: Mapping[str, Any],
    *,
    rubric: Rubric | None = None,
    rubric_hash: str | None = None,
    items: Mapping[str, Item] | None = None,
    gold: Mapping[str, GoldAnswer] | None = None,
    finish: bool = True,
) -> Iterator[Recording]:
    """Record one command's run in one transaction (`db.writing`: waits while another command writes).

    Begin; store the rubric, start the run, store the items and the gold;
    yield a `Recording` for the command's own writes; then finish the run with
    `recording.counts` and commit. Any exception rolls every write back, so
    bad input leaves the database as it was. With `finish=False` the run stays
    open (a drill session finishes it when the session closes).
    """
    with writing(db):
        if rubric is not None:
            rubric_hash = save_rubric(db, rubric)
        run_id = start_run(db, command, inputs, rubric_hash)
        item_hashes = save_items(db, items) if items is not None else {}
        gold_hashes = save_gold(db, gold, item_hashes) if gold else {}
        recording = Recording(run_id, rubric_hash, item_hashes, gold_hashes)
        yield recording
        if finish:
            finish_run(db, run_id, recording.counts)


def start_recording(
    db: sqlite_utils.Database,
    command: str,
    inputs: Mapping[str, Any],
    *,
    rubric: Rubric,
    items: Mapping[str, Item],
    gold: Mapping[str, GoldAnswer],
    batch_size: int,
) -> Recording:
    """Start a run in short transactions: the rubric and the run, then the items and the gold `batch_size` at a time.

    For a command with much to write (`grade`): no transaction holds the
    write lock for long, so other commands writing beside it only wait a
    moment. The caller writes its own rows in batches too and finishes the
    run with `finish_recording`; a run that never finishes (Ctrl-C) keeps
    what it wrote, which a re-run finds already stored.
    """
    with writing(db):
        rubric_hash = save_rubric(db, rubric)
        run_id = start_run(db, command, inputs, rubric_hash)
    item_hashes: dict[str, str] = {}
    for part in chunks(list(items.values()), batch_size):
        with writing(db):
            item_hashes.update(save_items(db, part))
    gold_hashes: dict[str, str] = {}
    for part in chunks(list(gold.items()), batch_size):
        with writing(db):
            gold_hashes.update(save_gold(db, dict(part), item_hashes))
    return Recording(run_id, rubric_hash, item_hashes, gold_hashes)


def finish_recording(db: sqlite_utils.Database, recording: Recording) -> None:
    with writing(db):
        finish_run(db, recording.run_id, recording.counts)
