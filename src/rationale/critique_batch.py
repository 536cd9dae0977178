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
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from . import store
from .critique import (
    CritiqueTask,
    InvalidReply,
    ReviewSetup,
    build_critique,
    critique_messages,
    failed_critique,
    parse_critique,
    parse_verdict,
    repair_messages,
    critique_schema,
    verdict_schema,
    verdict_messages,
)
from .models import Critique, GoldAnswer, Item, Judgment, Rubric


class CritiqueSetupError(Exception):
    """The batch cannot start (no rubric stored, no judgments); a one-line message for the CLI."""


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


@dataclass
class CritiqueBatchReport:
    model: str
    selected: int = 0  # judgments with a rationale matching the filters
    already_done: int = 0  # critiqued before under the same setup
    skipped_failed: int = 0  # failed before; retried only with --retry-failed
    to_do: int = 0
    succeeded: int = 0
    failed: int = 0
    not_started: int = 0  # left for a later run because the budget ran out
    calls_sent: int = 0  # requests that reached the model (repairs included, retries not)
    calls_cached: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost: float = 0.0
    cost_known: bool = True
    stopped: str | None = None
    dry_run: bool = False
    estimated_calls: int = 0
    estimated_prompt_tokens: int = 0
    max_output_tokens: int = 0
    static_prefix_share: float | None = None
    failures: list[dict[str, str]] = field(default_factory=list)
    escalations: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    reviewed: list[dict[str, Any]] = field(default_factory=list)  # one short summary per critique made this run

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


# --------------------------------------------------------------------------- reading the store


def _judgment_from_row(row: dict[str, Any]) -> Judgment:
    return Judgment(
        item_id=row["item_id"],
        annotator=row["annotator"],
        preference=row["preference"],
        strength=row["strength"],
        criteria=json.loads(row["criteria"]) if row["criteria"] else [],
        rationale=row["rationale"],
    )


def _rows(db: sqlite_utils.Database, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cursor = db.conn.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def select_judgments(db: sqlite_utils.Database, options: CritiqueOptions) -> list[dict[str, Any]]:
    """The latest version of each (annotator, item) answer that has a rationale, filtered."""
    where = ["j.rationale is not null"]
    params: list[Any] = []
    if options.annotator:
        where.append("j.annotator = ?")
        params.append(options.annotator)
    if options.run_id is not None:
        where.append("(j.run_id = ? or j.hash in (select judgment_hash from grades where run_id = ?))")
        params += [options.run_id, options.run_id]
    if options.only_items_with_gold:
        where.append("exists (select 1 from gold g where g.item_id = j.item_id)")
    if options.judgment_hashes is not None:
        hashes = list(options.judgment_hashes)
        if not hashes:
            return []
        where.append(f"j.hash in ({','.join('?' * len(hashes))})")
        params += hashes
    if options.pairs is not None:
        # A temporary table rather than bound parameters: a graded batch can exceed SQLite's parameter limit.
        db.conn.execute("create temp table if not exists critique_pairs (annotator text, item_id text)")
        db.conn.execute("delete from critique_pairs")
        db.conn.executemany("insert into critique_pairs values (?, ?)", list(options.pairs))
        where.append("exists (select 1 from critique_pairs p where p.annotator = j.annotator and p.item_id = j.item_id)")
    return _rows(
        db,
        f"""
        select j.* from judgments j
        join (select annotator, item_id, max(version) as version from judgments group by annotator, item_id) latest
          on latest.annotator = j.annotator and latest.item_id = j.item_id and latest.version = j.version
        where {' and '.join(where)}
        order by j.annotator, j.item_id
        """,
        params,
    )


def _rubric_for(db: sqlite_utils.Database, judgment_row: dict[str, Any], cache: dict[str, Rubric]) -> Rubric | None:
    """The rubric the judgment was last graded under, else its run's rubric, else the only stored rubric."""
    candidates = _rows(
        db,
        """
        select rubric_hash from grades where judgment_hash = ? and rubric_hash is not null
        union all select rubric_hash from runs where id = ? and rubric_hash is not null
        union all select hash from rubrics where (select count(*) from rubrics) = 1
        """,
        (judgment_row["hash"], judgment_row["run_id"]),
    )
    for row in candidates:
        rubric_hash = row["rubric_hash"]
        if rubric_hash in cache:
            return cache[rubric_hash]
        found = _rows(db, "select body from rubrics where hash = ?", (rubric_hash,))
        if found:
            cache[rubric_hash] = Rubric.model_validate_json(found[0]["body"])
            return cache[rubric_hash]
    return None


def build_tasks(db: sqlite_utils.Database, options: CritiqueOptions) -> list[tuple[Rubric, CritiqueTask]]:
    fixed_rubric: Rubric | None = None
    if options.rubric_path:
        from .loaders import load_rubric

        fixed_rubric = load_rubric(options.rubric_path)
    rubrics: dict[str, Rubric] = {}
    items: dict[str, Item] = {}
    golds: dict[str, tuple[GoldAnswer | None, str | None]] = {}
    tasks = []
    for row in select_judgments(db, options):
        rubric = fixed_rubric or _rubric_for(db, row, rubrics)
        if rubric is None:
            raise CritiqueSetupError(
                f"no rubric is stored for {row['annotator']}'s answer to {row['item_id']}: grade it first or pass --rubric"
            )
        item_hash = row["item_hash"]
        if item_hash not in items:
            found = _rows(db, "select * from items where hash = ?", (item_hash,))
            if not found:
                raise CritiqueSetupError(f"item {row['item_id']} ({item_hash}) is missing from the database")
            items[item_hash] = store.item_from_row(found[0])
        if item_hash not in golds:
            gold_rows = _rows(
                db,
                "select hash, body from gold where item_id = ? order by (item_hash = ?) desc, rowid desc limit 1",
                (row["item_id"], item_hash),
            )
            golds[item_hash] = (
                (GoldAnswer.model_validate_json(gold_rows[0]["body"]), gold_rows[0]["hash"]) if gold_rows else (None, None)
            )
        gold, gold_hash = golds[item_hash]
        task = CritiqueTask(row["hash"], _judgment_from_row(row), items[item_hash], item_hash, gold, gold_hash)
        tasks.append((rubric, task))
    return tasks


# --------------------------------------------------------------------------- writing


def save_critique(db: sqlite_utils.Database, row_id: str, critique: Critique, gold_hash: str | None, swapped: bool,
                  run_id: int | None) -> None:
    from .store import utc_now

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
    with db.conn:
        db.conn.execute(
            f"insert or replace into critiques ({', '.join(row)}) values ({', '.join('?' * len(row))})",
            list(row.values()),
        )


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
        rows = _rows(self.db, "select * from llm_cache where key = ?", (key,))
        if not rows:
            return None
        row = rows[0]
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
        from .llm import CallFailed
        from .store import utc_now

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
            canonical = parsed.model_dump_json()
            with self.db.conn:
                self.db.conn.execute(
                    "insert or replace into llm_cache (key, model, kind, template_version, response, raw, tokens_in,"
                    " tokens_out, cost, latency, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (key, model, kind, _template(), canonical, completion.text, tokens_in, tokens_out, cost, latency,
                     utc_now()),
                )
            return CallOutcome(parsed, raw, tokens_in, tokens_out, cost, latency, cached=False)
        raise ReplyFailed(f"{kind} reply still invalid after one repair: {problem}", raw, tokens_in, tokens_out, cost)


def _template() -> str:
    from .critique import TEMPLATE_VERSION

    return TEMPLATE_VERSION


def _add_cost(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a + b


async def _run_batch(db: sqlite_utils.Database, todo: list[tuple[ReviewSetup, CritiqueTask]], client: Any,
                     report: CritiqueBatchReport, run_id: int | None,
                     progress: Callable[[CritiqueBatchReport], None] | None) -> None:
    from .llm import BudgetExhausted

    caller = CachedCaller(db, client, report)

    async def review(setup: ReviewSetup, task: CritiqueTask) -> None:
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
        results = await asyncio.gather(*calls, return_exceptions=True)
        for r in results:
            if isinstance(r, BudgetExhausted):
                report.not_started += 1
                report.stopped = str(r)
                return
            if isinstance(r, BaseException) and not isinstance(r, ReplyFailed):
                raise r
        failures = [r for r in results if isinstance(r, ReplyFailed)]
        oks = [r for r in results if isinstance(r, CallOutcome)]
        tokens_in = sum(o.tokens_in for o in oks) + sum(f.tokens_in for f in failures)
        tokens_out = sum(o.tokens_out for o in oks) + sum(f.tokens_out for f in failures)
        cost: float | None = 0.0
        for part in [*oks, *failures]:
            cost = _add_cost(cost, part.cost)
        latency = max((o.latency for o in oks), default=0.0)
        raw = [t for o in oks for t in o.raw] + [t for f in failures for t in f.raw]
        if failures:
            critique = failed_critique(setup, task, "; ".join(f.reason for f in failures), tokens_in=tokens_in,
                                       tokens_out=tokens_out, cost=cost, latency=latency, raw=raw)
            report.failed += 1
            report.failures.append({"annotator": task.judgment.annotator, "item_id": task.item.id,
                                    "reason": critique.failure_reason or ""})
        else:
            critique = build_critique(setup, task, oks[0].parsed, oks[1].parsed if setup.swap else None,
                                      tokens_in=tokens_in, tokens_out=tokens_out, cost=cost, latency=latency, raw=raw)
            report.succeeded += 1
            report.reviewed.append(
                {
                    "annotator": task.judgment.annotator,
                    "item_id": task.item.id,
                    "preference": critique.preference,
                    "strength": critique.strength,
                    "confidence": critique.confidence,
                    "supports_choice": critique.supports_choice,
                    "scores": {c.criterion: c.score for c in critique.criteria},
                    "issues": [f"{i.kind} ({i.severity.value})" for i in critique.issues],
                }
            )
        if critique.escalate:
            report.escalations.append({"annotator": task.judgment.annotator, "item_id": task.item.id,
                                       "reasons": critique.escalation_reasons})
        # Committed at once: an interrupted batch keeps every critique finished so far.
        save_critique(db, setup.row_id(task), critique, task.gold_hash, setup.swap, run_id)
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
    from .db import open_db

    extra: dict[str, str] = {}
    if not options.dry_run:
        from .llm import call_credentials

        extra = call_credentials(options.model, options.api_base)

    report = CritiqueBatchReport(model=options.model, dry_run=options.dry_run)
    db = open_db(db_path)
    # One commit per finished critique: in WAL mode `normal` keeps every commit safe from a crash or
    # Ctrl-C of this process (only a power cut can lose the last ones) without an fsync each time.
    db.execute("pragma synchronous = normal")
    setups: dict[str, ReviewSetup] = {}
    todo: list[tuple[ReviewSetup, CritiqueTask]] = []
    known = {r["id"]: r["status"] for r in _rows(db, "select id, status from critiques where model = ?", (options.model,))}
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

    if options.dry_run:
        _estimate(db, todo, report, options)
        db.conn.close()
        return report
    if not todo:
        db.conn.close()
        return report

    from .llm import LLMClient
    from .store import finish_run, start_run

    client = LLMClient(
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
    if options.budget is not None and not client.priced:
        report.notes.append(
            f"--budget cannot be enforced: {options.model} is not priced in litellm's list, so its cost is unknown"
        )
    inputs = {k: v for k, v in asdict(options).items() if k not in {"judgment_hashes", "pairs"}}
    with db.conn:
        run_id = start_run(db, "critique", inputs, next(iter(setups.values())).rubric_hash if setups else None)
    started = time.monotonic()
    try:
        asyncio.run(_run_batch(db, todo, client, report, run_id, progress))
    finally:
        with db.conn:
            finish_run(db, run_id, {"succeeded": report.succeeded, "failed": report.failed,
                                    "not_started": report.not_started, "calls_sent": report.calls_sent,
                                    "seconds": round(time.monotonic() - started, 3)})
        db.conn.close()
    return report


def _estimate(db: sqlite_utils.Database, todo: list[tuple[ReviewSetup, CritiqueTask]], report: CritiqueBatchReport,
              options: CritiqueOptions) -> None:
    """Count the requests a run would send and estimate their prompt tokens at ~4 characters a token.

    A character count, not a tokenizer: it needs no download and no provider,
    and is within about 20% for English text.
    """
    seen: set[str] = set()
    cached = {r["key"] for r in _rows(db, "select key from llm_cache")}
    static_chars = total_chars = 0
    for setup, task in todo:
        gold = task.gold if setup.with_gold else None
        wanted = [(setup.critique_key(task), critique_messages(setup.rubric, task.item, task.judgment, gold))]
        if setup.swap:
            wanted.append((setup.verdict_key(task), verdict_messages(setup.rubric, task.item, swapped=True)))
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


# --------------------------------------------------------------------------- reporting


def progress_line(report: CritiqueBatchReport) -> str:
    done = report.succeeded + report.failed
    cost = f"${report.cost:.4f}" if report.cost_known else "cost n/a (model not priced)"
    return (
        f"critiqued {done}/{report.to_do} · ok {report.succeeded} · failed {report.failed}"
        f" · tokens {report.tokens_in:,} in / {report.tokens_out:,} out · {cost}"
    )


def render_report(report: CritiqueBatchReport) -> list[str]:
    if report.dry_run:
        share = "n/a" if report.static_prefix_share is None else f"{100 * report.static_prefix_share:.0f}%"
        return [
            f"dry run with {report.model}: nothing sent.",
            f"  judgments selected {report.selected}; already critiqued {report.already_done};"
            f" failed before (skipped without --retry-failed) {report.skipped_failed}; to critique {report.to_do}",
            f"  requests to send: {report.estimated_calls} (cached requests are not counted)",
            f"  prompt tokens: about {report.estimated_prompt_tokens:,} (characters / 4, no tokenizer);"
            f" output at most {report.max_output_tokens:,} (max tokens per request)",
            f"  shared static prefix (instructions + rubric): {share} of the prompt characters",
        ]
    lines = [
        f"critique with {report.model}: {report.selected} judgments selected, {report.already_done} already critiqued,"
        f" {report.to_do} to critique",
        "  " + progress_line(report),
        f"  requests sent {report.calls_sent}, answered from cache {report.calls_cached}",
    ]
    for r in sorted(report.reviewed, key=lambda r: (r["annotator"], r["item_id"])):
        verdict = r["preference"] + (f" {r['strength']:+d}" if r["strength"] else "")
        scores = ", ".join(f"{k} {v}" for k, v in r["scores"].items())
        lines.append(
            f"  {r['annotator']} / {r['item_id']}: reviewer {verdict} (confidence {r['confidence']:.2f});"
            f" rationale {'supports' if r['supports_choice'] else 'does not support'} the choice; {scores}"
            + (f"; issues: {', '.join(r['issues'])}" if r["issues"] else "")
        )
    if report.skipped_failed:
        lines.append(f"  {report.skipped_failed} failed before and were skipped: re-run with --retry-failed")
    if report.stopped:
        lines.append(f"  stopped: {report.stopped}; {report.not_started} left for a later run")
    lines.extend(f"  note: {n}" for n in report.notes)
    for f in report.failures:
        lines.append(f"  FAILED {f['annotator']} / {f['item_id']}: {f['reason']}")
    if report.escalations:
        lines.append(f"Escalations for a lead ({len(report.escalations)}):")
        for e in report.escalations:
            lines.append(f"  {e['annotator']} / {e['item_id']}: " + "; ".join(e["reasons"]))
    return lines
