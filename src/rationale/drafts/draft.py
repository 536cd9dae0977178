"""`rationale gold draft`: LLM drafts of gold for the items whose gold has no key points.

Each item is one request (the static rubric prompt first, the pair in delimited
untrusted blocks). With gold that already names the winner (imported from a
data set's label, or made from votes) the lead's choice is fixed in the request
and in the reply's schema, and the model only explains it. Replies are cached
in `llm_cache` by request, so a second run sends nothing; each draft is
committed as it arrives, so an interrupted run keeps what was drafted. A reply
that does not fit the rubric is sent back once for repair, then stored as a
failed draft with its reason.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import sqlite_utils

from .. import store
from ..llm.parsing import draft_gold_answer, parse_gold_draft
from ..llm.prompts import DRAFT_TEMPLATE_VERSION, fixed_strengths, gold_draft_messages, gold_draft_schema
from ..models import GoldAnswer, GoldDraftReport, Item, Rubric, content_hash


@dataclass
class DraftOptions:
    model: str
    api_base: str | None = None
    budget: float | None = None
    concurrency: int = 2
    timeout: float = 120.0
    max_attempts: int = 4
    max_tokens: int = 1200
    output_mode: str = "auto"
    limit: int | None = None  # draft at most this many items this run
    retry_failed: bool = False


@dataclass
class DraftTask:
    item: Item
    item_hash: str
    fixed: GoldAnswer | None  # gold whose choice the draft keeps (no key points), or None
    key: str


def draft_key(item_hash: str, rubric: Rubric, model: str, fixed: GoldAnswer | None) -> str:
    """The identity of a draft (and of its request in the cache)."""
    return content_hash(
        {"kind": "gold_draft", "model": model, "template": DRAFT_TEMPLATE_VERSION, "rubric": rubric.content_hash,
         "item": item_hash, "fixed": fixed.content_hash if fixed is not None else None}
    )


def draft_gold(
    *,
    items_path: str | os.PathLike[str],
    rubric_path: str | os.PathLike[str],
    options: DraftOptions,
    gold_path: str | os.PathLike[str] | None = None,
    db_path: str | os.PathLike[str] | None = None,
    progress: Callable[[GoldDraftReport], None] | None = None,
) -> GoldDraftReport:
    """Draft gold for every item without key points; see the module docstring.

    Raises InputError (bad files) and LLMSetupError (a missing key) before anything is written or sent.
    """
    from ..io import load_references
    from ..llm.client import call_credentials

    rubric, items, gold = load_references(rubric_path, items_path, gold_path)
    extra = call_credentials(options.model, options.api_base)
    report = GoldDraftReport(model=options.model, items=len(items))
    db = store.open_db(db_path)
    try:
        with store.writing(db):
            store.save_rubric(db, rubric)
            hashes = store.save_items(db, items)
        tasks = _select(db, items, hashes, gold or {}, rubric, options, report)
        if not tasks:
            return report
        client = _client(options, extra)
        inputs = {k: v for k, v in asdict(options).items() if k != "api_base"} | {
            "items": os.fspath(items_path), "gold": os.fspath(gold_path) if gold_path else None}
        with store.writing(db):
            run_id = store.start_run(db, "gold-draft", inputs, rubric.content_hash)
        try:
            drafted = asyncio.run(_run(db, tasks, rubric, client, report, run_id, progress))
        finally:
            with store.writing(db):
                store.finish_run(db, run_id, {"drafted": report.drafted, "failed": report.failed,
                                              "not_started": report.not_started, "calls_sent": report.calls_sent})
        _lint(db, drafted, gold or {}, rubric, report)
    finally:
        db.close()
    return report


def _select(
    db: sqlite_utils.Database, items: dict[str, Item], hashes: dict[str, str], gold: dict[str, GoldAnswer],
    rubric: Rubric, options: DraftOptions, report: GoldDraftReport,
) -> list[DraftTask]:
    candidates = []
    for item_id, item in items.items():
        existing = gold.get(item_id)
        if existing is not None and existing.key_points:
            report.with_key_points += 1
            continue
        candidates.append(DraftTask(item, hashes[item_id], existing, draft_key(hashes[item_id], rubric, options.model, existing)))
    known = store.drafts.draft_statuses(db, [t.key for t in candidates])
    todo = []
    for task in candidates:
        status = known.get(task.key)
        if status is not None and not (status == store.drafts.FAILED and options.retry_failed):
            report.already_drafted += 1
            continue
        todo.append(task)
    if options.limit is not None:
        report.left_by_limit = max(0, len(todo) - options.limit)
        todo = todo[: options.limit]
    report.to_do = len(todo)
    return todo


def _client(options: DraftOptions, extra: dict[str, str]):  # type: ignore[no-untyped-def]
    from ..llm.client import LLMClient

    return LLMClient(
        model=options.model, api_base=options.api_base, concurrency=options.concurrency, timeout=options.timeout,
        max_attempts=options.max_attempts, max_tokens=options.max_tokens, budget=options.budget,
        output_mode=options.output_mode, extra=extra,
    )


async def _run(
    db: sqlite_utils.Database, tasks: list[DraftTask], rubric: Rubric, client: Any, report: GoldDraftReport,
    run_id: int, progress: Callable[[GoldDraftReport], None] | None,
) -> list[tuple[DraftTask, GoldAnswer]]:
    from ..critique.batch import CachedCaller, ReplyFailed
    from ..llm.client import BudgetExhausted

    caller = CachedCaller(db, client, report, DRAFT_TEMPLATE_VERSION)
    drafted: list[tuple[DraftTask, GoldAnswer]] = []

    async def one(task: DraftTask) -> None:
        fixed = task.fixed
        schema = gold_draft_schema(rubric, fixed.preference if fixed else None, fixed_strengths(fixed) if fixed else None)
        saved = {"item_id": task.item.id, "item_hash": task.item_hash, "rubric_hash": rubric.content_hash,
                 "model": client.model, "template_version": DRAFT_TEMPLATE_VERSION,
                 "based_on": fixed.content_hash if fixed else None, "lint": [], "run_id": run_id}
        try:
            outcome = await caller.call(task.key, "gold_draft", client.model, gold_draft_messages(rubric, task.item, fixed),
                                        schema, lambda text: parse_gold_draft(text, rubric, task.item.id, fixed))
        except BudgetExhausted as exc:
            report.not_started += 1
            report.stopped = str(exc)
            return
        except ReplyFailed as exc:
            report.failed += 1
            report.failures.append({"item_id": task.item.id, "reason": exc.reason})
            store.drafts.save_draft(db, task.key, body=None, failure_reason=exc.reason, tokens_in=exc.tokens_in,
                                    tokens_out=exc.tokens_out, cost=exc.cost,
                                    cached_replies=caller.take_pending(), **saved)
            return
        answer = draft_gold_answer(outcome.parsed, task.item.id, fixed)
        store.drafts.save_draft(db, task.key, body=answer.model_dump(mode="json", exclude_none=True), failure_reason=None,
                                tokens_in=outcome.tokens_in, tokens_out=outcome.tokens_out, cost=outcome.cost,
                                cached_replies=caller.take_pending(), **saved)
        drafted.append((task, answer))
        report.drafted += 1
        report.tokens_in, report.tokens_out = client.spend.tokens_in, client.spend.tokens_out
        report.cost, report.cost_known = client.spend.cost, client.spend.priced
        if progress is not None:
            progress(report)

    active = asyncio.Semaphore(2 * client.concurrency + 2)

    async def gated(task: DraftTask) -> None:
        async with active:
            await one(task)

    await asyncio.gather(*(gated(t) for t in tasks))
    return drafted


def _lint(
    db: sqlite_utils.Database, drafted: list[tuple[DraftTask, GoldAnswer]], gold: dict[str, GoldAnswer], rubric: Rubric,
    report: GoldDraftReport,
) -> None:
    """`gold lint` on the new drafts, read beside the gold they join (generic cues are judged across the whole set)."""
    from .review import lint_beside

    if not drafted:
        return
    new = {answer.item_id: (task, answer) for task, answer in drafted}
    by_item: dict[str, list[dict[str, Any]]] = {}
    for w in lint_beside([a for _, a in new.values()], gold, rubric):
        by_item.setdefault(w.item_id, []).append({"code": w.code, "message": w.message, "key_point": w.key_point})
    for item_id, (task, answer) in sorted(new.items()):
        warnings = by_item.get(item_id, [])
        store.drafts.set_lint(db, task.key, warnings)
        report.lint_warnings += len(warnings)
        report.drafts.append({"item_id": item_id, "draft_id": task.key, "preference": answer.preference,
                              "strength": answer.strength, "key_points": len(answer.key_points),
                              "warnings": [f"{w['code']}" + (f" ({w['key_point']})" if w["key_point"] else "") for w in warnings]})
