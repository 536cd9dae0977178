"""What a critique batch reviews: the selected stored judgments, each with its item, gold and rubric."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from .. import store
from ..models import GoldAnswer, Item, Judgment, Rubric
from .review import CritiqueTask


class CritiqueSetupError(Exception):
    """The batch cannot start (no rubric stored, no judgments); a one-line message for the CLI."""


def _judgment_from_row(row: dict[str, Any]) -> Judgment:
    return Judgment(**store.judgments.judgment_fields(row))


def _rubric_for(db: sqlite_utils.Database, judgment_row: dict[str, Any], cache: dict[str, Rubric],
                selected_run: int | None = None) -> Rubric | None:
    """The rubric of the run selected with `--run`, else the one the judgment was last graded under, else its
    run's rubric, else the only stored rubric."""
    candidates = store.critiques.rubric_hashes_for(db, judgment_row["hash"], judgment_row["run_id"])
    run = store.runs.get_run(db, selected_run) if selected_run is not None else None
    if run is not None and run["rubric_hash"]:
        candidates = [run["rubric_hash"], *candidates]
    for rubric_hash in candidates:
        if rubric_hash in cache:
            return cache[rubric_hash]
        found = store.references.rubric_by_hash(db, rubric_hash)
        if found is not None:
            cache[rubric_hash] = found
            return found
    return None


def build_tasks(db: sqlite_utils.Database, options: Any) -> list[tuple[Rubric, CritiqueTask]]:
    fixed_rubric: Rubric | None = None
    if options.rubric_path:
        from ..io import load_rubric

        fixed_rubric = load_rubric(options.rubric_path)
    if options.run_id is not None and store.runs.get_run(db, options.run_id) is None:
        raise CritiqueSetupError(f"there is no run {options.run_id}: run ids are in the `runs` table")
    rubrics: dict[str, Rubric] = {}
    items: dict[str, Item] = {}
    golds: dict[str, tuple[GoldAnswer | None, str | None]] = {}
    tasks = []
    selected = store.critiques.judgments_to_critique(
        db, annotator=options.annotator, run_id=options.run_id, only_items_with_gold=options.only_items_with_gold,
        judgment_hashes=options.judgment_hashes, pairs=options.pairs, item_ids=options.item_ids,
        hash_prefixes=options.judgment_prefixes, limit=options.limit,
    )
    for row in selected:
        rubric = fixed_rubric or _rubric_for(db, row, rubrics, options.run_id)
        if rubric is None:
            raise CritiqueSetupError(
                f"no rubric is stored for {row['annotator']}'s answer to {row['item_id']}: grade it first or pass --rubric"
            )
        item_hash = row["item_hash"]
        if item_hash not in items:
            item = store.references.load_item(db, item_hash)
            if item is None:
                raise CritiqueSetupError(f"item {row['item_id']} ({item_hash}) is missing from the database")
            items[item_hash] = item
        if item_hash not in golds:
            golds[item_hash] = store.references.gold_for_item(db, row["item_id"], item_hash)
        gold, gold_hash = golds[item_hash]
        task = CritiqueTask(row["hash"], _judgment_from_row(row), items[item_hash], item_hash, gold, gold_hash)
        tasks.append((rubric, task))
    return tasks


