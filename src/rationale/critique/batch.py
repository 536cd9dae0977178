"""Critiquing stored judgments in a batch: selection, cache, concurrency, budget, resumability.

`critique_stored(...)` is what `rationale critique` and `rationale grade --critique`
call. It reads judgments, items, gold and rubrics from the database, sends only
requests whose key is not in the `llm_cache` table, and commits each finished
critique at once, so an interrupted batch loses nothing and the next run
resumes. Failed critiques are stored with their reason and retried only with
`retry_failed`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from .. import store
from ..llm.parsing import InvalidReply, parse_critique, parse_verdict
from ..llm.prompts import critique_messages, critique_schema, repair_messages, verdict_messages, verdict_schema
from ..models import CritiqueBatchReport
from .review import TEMPLATE_VERSION, CritiqueTask, ReviewSetup, build_critique, failed_critique
from .reviewed_grade import reading_request, wants_reading, with_reviewed_grade
from .tasks import CritiqueSetupError, build_tasks

__all__ = ["CritiqueOptions", "CritiqueSetupError", "build_tasks", "critique_stored"]


@dataclass
class CritiqueOptions:
    model: str
    api_base: str | None = None
    annotator: str | None = None
    run_id: int | None = None
    judgment_hashes: Sequence[str] | None = None
    pairs: Sequence[tuple[str, str]] | None = None  # (annotator, item id): their latest answers, as graded
    only_items_with_gold: bool = False
    rubric_path: str | None = None
    concurrency: int = 4
    budget: float | None = None
    dry_run: bool = False
    with_gold: bool = False
    swap: bool = True
    retry_failed: bool = False
    timeout: float = 120.0
    max_attempts: int = 4
    backoff_base: float = 0.5
    max_tokens: int = 1200
    output_mode: str = "auto"


# --------------------------------------------------------------------------- calling


@dataclass
class CallOutcome:
    parsed: Any
    raw: list[str]
    tokens_in: int
    tokens_out: int
    cost: float | None
    latency: float
    cached: bool


class ReplyFailed(Exception):
    def __init__(self, reason: str, raw: list[str], tokens_in: int = 0, tokens_out: int = 0, cost: float | None = None):
        self.reason, self.raw, self.tokens_in, self.tokens_out, self.cost = reason, raw, tokens_in, tokens_out, cost
        super().__init__(reason)


class CachedCaller:
    """Sends each distinct request once: the SQLite cache across runs, in-flight futures within a run."""

    def __init__(self, db: sqlite_utils.Database, client: Any, report: CritiqueBatchReport):
        self.db = db
        self.client = client
        self.report = report
        self.inflight: dict[str, asyncio.Future[CallOutcome]] = {}

    def _from_cache(self, key: str, parse: Callable[[str], Any]) -> CallOutcome | None:
        row = store.critiques.cached_reply(self.db, key)
        if row is None:
            return None
        return CallOutcome(parse(row["response"]), [row["raw"]], row["tokens_in"], row["tokens_out"], row["cost"],
                           row["latency"], cached=True)

    async def call(self, key: str, kind: str, model: str, messages: list[dict[str, str]],
                   schema: dict[str, Any], parse: Callable[[str], Any]) -> CallOutcome:
        if key in self.inflight:
            outcome = await asyncio.shield(self.inflight[key])
            return CallOutcome(outcome.parsed, outcome.raw, outcome.tokens_in, outcome.tokens_out, outcome.cost,
                               outcome.latency, cached=True)
        cached = self._from_cache(key, parse)
        if cached is not None:
            self.report.calls_cached += 1
            return cached
        future: asyncio.Future[CallOutcome] = asyncio.get_running_loop().create_future()
        self.inflight[key] = future
        try:
            outcome = await self._send(key, kind, model, messages, schema, parse)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: waiters re-raise it themselves
            raise
        finally:
            self.inflight.pop(key, None)
        future.set_result(outcome)
        return outcome

    async def _send(self, key: str, kind: str, model: str, messages: list[dict[str, str]], schema: dict[str, Any],
                    parse: Callable[[str], Any]) -> CallOutcome:
        from ..llm.client import CallFailed

        response_format = self.client.response_format(kind, schema)
        raw: list[str] = []
        tokens_in = tokens_out = 0
        cost: float | None = 0.0
        latency = 0.0
        conversation = messages
        problem = ""
        for attempt in ("first", "repair"):
            try:
                completion = await self.client.complete(conversation, response_format)
            except CallFailed as exc:
                raise ReplyFailed(f"{kind} request: {exc.reason}", raw, tokens_in, tokens_out, cost) from None
            self.report.calls_sent += 1
            raw.append(completion.text)
            tokens_in += completion.tokens_in
            tokens_out += completion.tokens_out
            cost = None if cost is None or completion.cost is None else cost + completion.cost
            latency += completion.latency
            try:
                parsed = parse(completion.text)
            except InvalidReply as exc:
                problem = str(exc)
                conversation = repair_messages(messages, completion.text, problem)
                continue
            store.critiques.cache_reply(
                self.db, key, model=model, kind=kind, template_version=TEMPLATE_VERSION,
                response=parsed.model_dump_json(), raw=completion.text, tokens_in=tokens_in, tokens_out=tokens_out,
                cost=cost, latency=latency,
            )
            return CallOutcome(parsed, raw, tokens_in, tokens_out, cost, latency, cached=False)
        raise ReplyFailed(f"{kind} reply still invalid after one repair: {problem}", raw, tokens_in, tokens_out, cost)


def _add_cost(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a + b


# --------------------------------------------------------------------------- one critique


async def _review(caller: CachedCaller, setup: ReviewSetup, task: CritiqueTask) -> list[Any]:
    """The critique request (and the swapped verdict request): outcomes, ReplyFailed or other exceptions."""
    rubric = setup.rubric
    gold = task.gold if setup.with_gold else None
    calls = [
        caller.call(setup.critique_key(task), "critique", setup.model,
                    critique_messages(rubric, task.item, task.judgment, gold), critique_schema(rubric),
                    lambda text: parse_critique(text, rubric)),
    ]
    if setup.swap:
        calls.append(
            caller.call(setup.verdict_key(task), "verdict", setup.model,
                        verdict_messages(rubric, task.item, swapped=True), verdict_schema(rubric),
                        lambda text: parse_verdict(text, rubric))
        )
    if wants_reading(task):  # the reading the reviewed grade follows; always the last result
        key, kind, messages, schema, parse = reading_request(setup, task)
        calls.append(caller.call(key, kind, setup.model, messages, schema, parse))
    return await asyncio.gather(*calls, return_exceptions=True)


def _critique_from(setup: ReviewSetup, task: CritiqueTask, results: list[Any], report: CritiqueBatchReport):  # type: ignore[no-untyped-def]
    """The critique the replies make (a failed one if any request failed), counted in the report."""
    failures = [r for r in results if isinstance(r, ReplyFailed)]
    oks = [r for r in results if isinstance(r, CallOutcome)]
    cost: float | None = 0.0
    for part in [*oks, *failures]:
        cost = _add_cost(cost, part.cost)
    usage = {
        "tokens_in": sum(o.tokens_in for o in oks) + sum(f.tokens_in for f in failures),
        "tokens_out": sum(o.tokens_out for o in oks) + sum(f.tokens_out for f in failures),
        "cost": cost,
        "latency": max((o.latency for o in oks), default=0.0),
        "raw": [t for o in oks for t in o.raw] + [t for f in failures for t in f.raw],
    }
    # The reading (always the last request) makes the reviewed grade even when another request failed.
    reading = results[-1] if wants_reading(task) and isinstance(results[-1], CallOutcome) else None
    if failures:
        critique = failed_critique(setup, task, "; ".join(f.reason for f in failures), **usage)
        report.failed += 1
        report.failures.append({"annotator": task.judgment.annotator, "item_id": task.item.id,
                                "reason": critique.failure_reason or ""})
    else:
        critique = build_critique(setup, task, oks[0].parsed, oks[1].parsed if setup.swap else None, **usage)
        report.succeeded += 1
    if reading is None:
        reviewed = None
    else:
        critique, reviewed = with_reviewed_grade(setup, task, critique, reading.parsed)
    if not failures:
        report.reviewed.append(_summary(task, critique))
    return critique, reviewed


def _summary(task: CritiqueTask, critique: Any) -> dict[str, Any]:
    """One line of the report per critique made."""
    return {
        "annotator": task.judgment.annotator,
        "item_id": task.item.id,
        "preference": critique.preference,
        "strength": critique.strength,
        "confidence": critique.confidence,
        "supports_choice": critique.supports_choice,
        "scores": {c.criterion: c.score for c in critique.criteria},
        "issues": [f"{i.kind} ({i.severity.value})" for i in critique.issues],
    }


async def _run_batch(db: sqlite_utils.Database, todo: list[tuple[ReviewSetup, CritiqueTask]], client: Any,
                     report: CritiqueBatchReport, run_id: int | None,
                     progress: Callable[[CritiqueBatchReport], None] | None) -> None:
    from ..llm.client import BudgetExhausted

    caller = CachedCaller(db, client, report)

    async def review(setup: ReviewSetup, task: CritiqueTask) -> None:
        results = await _review(caller, setup, task)
        for r in results:
            if isinstance(r, BudgetExhausted):
                report.not_started += 1
                report.stopped = str(r)
                return
            if isinstance(r, BaseException) and not isinstance(r, ReplyFailed):
                raise r
        critique, reviewed = _critique_from(setup, task, results, report)
        if critique.escalate:
            report.escalations.append({"annotator": task.judgment.annotator, "item_id": task.item.id,
                                       "reasons": critique.escalation_reasons})
        if reviewed is not None:  # saved first: a critique found done on resume always has its reviewed grade
            store.reviewed_grades.save_reviewed_grade(db, setup.row_id(task), reviewed, run_id)
        # Committed at once: an interrupted batch keeps every critique finished so far.
        store.critiques.save_critique(db, setup.row_id(task), critique, task.gold_hash, setup.swap, run_id)
        report.tokens_in, report.tokens_out = client.spend.tokens_in, client.spend.tokens_out
        report.cost, report.cost_known = client.spend.cost, client.spend.priced
        if progress is not None:
            progress(report)

    # Only a few more critiques in progress than requests allowed in flight: a batch of 100,000 judgments
    # does not build 100,000 prompts up front, and critiques finish (and are saved) in order.
    active = asyncio.Semaphore(2 * client.concurrency + 2)

    async def gated(setup: ReviewSetup, task: CritiqueTask) -> None:
        async with active:
            await review(setup, task)

    await asyncio.gather(*(gated(setup, task) for setup, task in todo))


# --------------------------------------------------------------------------- the command's function


def critique_stored(
    db_path: str | Path | None,
    options: CritiqueOptions,
    progress: Callable[[CritiqueBatchReport], None] | None = None,
) -> CritiqueBatchReport:
    """Critique the selected stored judgments with `options.model`; see the module docstring.

    Raises LLMSetupError (a missing key) before touching anything, and
    CritiqueSetupError when the batch cannot be built.
    """
    extra: dict[str, str] = {}
    if not options.dry_run:
        from ..llm.client import call_credentials

        extra = call_credentials(options.model, options.api_base)

    report = CritiqueBatchReport(model=options.model, dry_run=options.dry_run)
    db = store.open_db(db_path)
    store.db.commit_without_fsync(db)  # one commit per finished critique
    setups, todo = _select(db, options, report)
    if options.dry_run or not todo:
        if options.dry_run:
            _estimate(db, todo, report, options)
        db.conn.close()
        return report

    client = _client(options, extra)
    if options.budget is not None and not client.priced:
        report.notes.append(
            f"--budget cannot be enforced: {options.model} is not priced in litellm's list, so its cost is unknown"
        )
    inputs = {k: v for k, v in asdict(options).items() if k not in {"judgment_hashes", "pairs"}}
    with db.conn:
        run_id = store.start_run(db, "critique", inputs, next(iter(setups.values())).rubric_hash if setups else None)
    started = time.monotonic()
    try:
        asyncio.run(_run_batch(db, todo, client, report, run_id, progress))
    finally:
        with db.conn:
            store.finish_run(db, run_id, {"succeeded": report.succeeded, "failed": report.failed,
                                          "not_started": report.not_started, "calls_sent": report.calls_sent,
                                          "seconds": round(time.monotonic() - started, 3)})
        db.conn.close()
    return report


def _select(
    db: sqlite_utils.Database, options: CritiqueOptions, report: CritiqueBatchReport
) -> tuple[dict[str, ReviewSetup], list[tuple[ReviewSetup, CritiqueTask]]]:
    """Every selected judgment's review setup; those still to critique (done ones and, unless retried, failed ones left out)."""
    setups: dict[str, ReviewSetup] = {}
    todo: list[tuple[ReviewSetup, CritiqueTask]] = []
    known = store.critiques.critique_statuses(db, options.model)
    for rubric, task in build_tasks(db, options):
        setup = setups.setdefault(
            rubric.content_hash, ReviewSetup(options.model, rubric, with_gold=options.with_gold, swap=options.swap)
        )
        report.selected += 1
        existing = known.get(setup.row_id(task))
        if existing == "ok":
            report.already_done += 1
            continue
        if existing and not options.retry_failed:
            report.skipped_failed += 1
            continue
        todo.append((setup, task))
    report.to_do = len(todo)
    return setups, todo


def _client(options: CritiqueOptions, extra: dict[str, str]):  # type: ignore[no-untyped-def]
    from ..llm.client import LLMClient

    return LLMClient(
        model=options.model,
        api_base=options.api_base,
        concurrency=options.concurrency,
        timeout=options.timeout,
        max_attempts=options.max_attempts,
        backoff_base=options.backoff_base,
        max_tokens=options.max_tokens,
        budget=options.budget,
        output_mode=options.output_mode,
        extra=extra,
    )


def _estimate(db: sqlite_utils.Database, todo: list[tuple[ReviewSetup, CritiqueTask]], report: CritiqueBatchReport,
              options: CritiqueOptions) -> None:
    """Count the requests a run would send and estimate their prompt tokens at ~4 characters a token.

    A character count, not a tokenizer: it needs no download and no provider,
    and is within about 20% for English text.
    """
    seen: set[str] = set()
    cached = store.critiques.cached_keys(db)
    static_chars = total_chars = 0
    for setup, task in todo:
        gold = task.gold if setup.with_gold else None
        wanted = [(setup.critique_key(task), critique_messages(setup.rubric, task.item, task.judgment, gold))]
        if setup.swap:
            wanted.append((setup.verdict_key(task), verdict_messages(setup.rubric, task.item, swapped=True)))
        if wants_reading(task):
            key, _, messages, _, _ = reading_request(setup, task)
            wanted.append((key, messages))
        for key, messages in wanted:
            if key in cached or key in seen:
                continue
            seen.add(key)
            chars = sum(len(m["content"]) for m in messages)
            total_chars += chars
            static_chars += len(messages[0]["content"])
    report.estimated_calls = len(seen)
    report.estimated_prompt_tokens = total_chars // 4
    report.max_output_tokens = len(seen) * options.max_tokens
    report.static_prefix_share = (static_chars / total_chars) if total_chars else None
