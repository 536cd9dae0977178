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
import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from .. import store
from ..llm.parsing import InvalidReply, parse_critique, parse_verdict
from ..llm.prompts import (
    critique_messages,
    critique_schema,
    repair_messages,
    reply_token_cap,
    verdict_messages,
    verdict_schema,
)
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
    item_ids: Sequence[str] | None = None
    judgment_prefixes: Sequence[str] | None = None  # answer hashes or their first characters: those exact versions
    limit: int | None = None  # at most this many answers, in (annotator, item) order
    only_items_with_gold: bool = False
    rubric_path: str | None = None
    concurrency: int | None = None  # None: 4, or what a local server says it serves at once (1 if it does not say)
    budget: float | None = None
    dry_run: bool = False
    with_gold: bool = False
    swap: bool = True
    retry_failed: bool = False
    timeout: float | None = None  # None: 120 s, or 600 s for a server on this machine (see resolve_timeout)
    max_attempts: int = 4
    backoff_base: float = 0.5
    max_tokens: int | None = None  # None: sized to each reply's schema (`reply_token_cap`)
    output_mode: str = "auto"
    resend_timed_out: bool | None = None  # None: re-send a timed-out request to a remote server only


DEFAULT_CONCURRENCY = 4
DEFAULT_TIMEOUT = 120.0
LOCAL_TIMEOUT = 600.0  # a CPU server answers one request at a time and a long reply takes minutes


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

    def __init__(
        self,
        db: sqlite_utils.Database,
        client: Any,
        report: Any,
        template_version: str = TEMPLATE_VERSION,
        max_tokens: int | None = None,
    ):
        self.db = db
        self.client = client
        self.report = report  # counts calls_sent and calls_cached (a critique or a gold-draft report)
        self.template_version = template_version
        self.max_tokens = max_tokens
        self.inflight: dict[str, asyncio.Future[CallOutcome]] = {}
        # The keys cached when the batch started, read once (a key not in it costs no query); replies received
        # during the batch are kept in `replies`, and written with the next finished critique (`take_pending`).
        self.cached: set[str] = store.critiques.cached_keys(db)
        self.replies: dict[str, CallOutcome] = {}
        self.pending: list[dict[str, Any]] = []
        self._caps: dict[int, int] = {}

    def take_pending(self) -> list[dict[str, Any]]:
        """The validated replies not yet written, for the next commit (one transaction with a critique)."""
        rows, self.pending = self.pending, []
        return rows

    def token_cap(self, schema: dict[str, Any]) -> int:
        """The reply-token cap: the user's, else sized to the reply's schema (computed once per schema)."""
        if self.max_tokens:
            return self.max_tokens
        if id(schema) not in self._caps:
            self._caps[id(schema)] = reply_token_cap(schema)
        return self._caps[id(schema)]

    def _from_cache(self, key: str, parse: Callable[[str], Any]) -> CallOutcome | None:
        if key in self.replies:
            return dataclasses.replace(self.replies[key], cached=True)
        if key not in self.cached:
            return None  # not cached when the batch started: no query
        row = store.critiques.cached_reply(self.db, key)
        if row is None:
            return None
        return CallOutcome(parse(row["response"]), [row["raw"]], row["tokens_in"], row["tokens_out"], row["cost"],
                           row["latency"], cached=True)

    async def call(self, key: str, kind: str, model: str, messages: list[dict[str, str]],
                   schema: dict[str, Any], parse: Callable[[str], Any], label: str = "") -> CallOutcome:
        if key in self.inflight:  # its twin is being sent: wait for that answer rather than send it again
            self.report.calls_cached += 1
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
            outcome = await self._send(key, kind, model, messages, schema, parse, label or kind)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # mark retrieved: waiters re-raise it themselves
            raise
        finally:
            self.inflight.pop(key, None)
        future.set_result(outcome)
        return outcome

    async def _send(self, key: str, kind: str, model: str, messages: list[dict[str, str]], schema: dict[str, Any],
                    parse: Callable[[str], Any], label: str) -> CallOutcome:
        from ..llm.client import CallFailed

        response_format = self.client.response_format(kind, schema)
        cap = self.token_cap(schema)
        raw: list[str] = []
        tokens_in = tokens_out = 0
        cost: float | None = 0.0
        latency = 0.0
        conversation = messages
        problem = ""
        for attempt in ("first", "repair"):
            try:
                completion = await self.client.complete(conversation, response_format, max_tokens=cap,
                                                        label=f"{label} ({attempt} reply)" if attempt == "repair" else label)
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
            self.pending.append(dict(
                key=key, model=model, kind=kind, template_version=self.template_version,
                response=parsed.model_dump_json(), raw=completion.text, tokens_in=tokens_in, tokens_out=tokens_out,
                cost=cost, latency=latency,
            ))
            outcome = CallOutcome(parsed, raw, tokens_in, tokens_out, cost, latency, cached=False)
            self.replies[key] = outcome
            return outcome
        raise ReplyFailed(f"{kind} reply still invalid after one repair: {problem}", raw, tokens_in, tokens_out, cost)


def _add_cost(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a + b


# --------------------------------------------------------------------------- one critique


@dataclass
class ReviewRequest:
    """One request a critique needs: its cache key, kind, prompt, reply schema and reply parser."""

    key: str
    kind: str
    messages: list[dict[str, str]]
    schema: dict[str, Any]
    parse: Callable[[str], Any]
    label: str = "request"  # how progress lines name it
    gold_hash: str | None = None  # a reading's reply is read against this gold's key points


def review_requests(setup: ReviewSetup, task: CritiqueTask) -> list[ReviewRequest]:
    """The critique request (and, unless --no-swap, the swapped verdict request), in that order.

    The one place a critique's requests are built: the synchronous path sends
    them, a provider batch (`provider_batch`) writes them as JSONL lines.
    """
    rubric = setup.rubric
    gold = task.gold if setup.with_gold else None
    who = f"{task.judgment.annotator} / {task.item.id}"
    requests = [
        ReviewRequest(setup.critique_key(task), "critique", critique_messages(rubric, task.item, task.judgment, gold),
                      critique_schema(rubric), lambda text: parse_critique(text, rubric), f"{who} critique request"),
    ]
    if setup.swap:
        requests.append(
            ReviewRequest(setup.verdict_key(task), "verdict", verdict_messages(rubric, task.item, swapped=True),
                          verdict_schema(rubric), lambda text: parse_verdict(text, rubric), f"{who} verdict request")
        )
    if wants_reading(task):  # the reading the reviewed grade follows; always the last request
        key, kind, messages, schema, parse = reading_request(setup, task)
        requests.append(ReviewRequest(key, kind, messages, schema, parse, f"{who} reading request", task.gold_hash))
    return requests


async def _review(caller: CachedCaller, setup: ReviewSetup, task: CritiqueTask) -> list[Any]:
    """The critique request, the swapped verdict request and the reading: outcomes, ReplyFailed or other exceptions."""
    calls = [caller.call(r.key, r.kind, setup.model, r.messages, r.schema, r.parse, label=r.label)
             for r in review_requests(setup, task)]
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
                     progress: Callable[[CritiqueBatchReport], None] | None,
                     events: Callable[[str], None] | None = None, max_tokens: int | None = None) -> None:
    from ..llm.client import BudgetExhausted

    caller = CachedCaller(db, client, report, max_tokens)
    started = time.monotonic()

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
        if critique.status == "failed" and events is not None:
            events(f"FAILED {task.judgment.annotator} / {task.item.id}: {report.failures[-1]['reason']}")
        if critique.escalate:
            report.escalations.append({"annotator": task.judgment.annotator, "item_id": task.item.id,
                                       "reasons": critique.escalation_reasons})
        if reviewed is not None:  # saved first: a critique found done on resume always has its reviewed grade
            store.reviewed_grades.save_reviewed_grade(db, setup.row_id(task), reviewed, run_id)
        # Committed at once, with the replies received so far (one transaction): an interrupted batch keeps every
        # critique finished so far.
        store.critiques.save_critique(db, setup.row_id(task), critique, task.gold_hash, setup.swap, run_id,
                                      cached_replies=caller.take_pending())
        report.tokens_in, report.tokens_out = client.spend.tokens_in, client.spend.tokens_out
        report.cost, report.cost_known = client.spend.cost, client.priced and client.spend.priced
        report.seconds = round(time.monotonic() - started, 3)
        if progress is not None:
            progress(report)

    # Only a few more critiques in progress than requests allowed in flight: a batch of 100,000 judgments
    # does not build 100,000 prompts up front, and critiques finish (and are saved) in order.
    active = asyncio.Semaphore(2 * client.concurrency + 2)

    async def gated(setup: ReviewSetup, task: CritiqueTask) -> None:
        async with active:
            await review(setup, task)

    try:
        async with client.pooled():  # the connection pool keeps the concurrency limit (see LLMClient.pooled)
            await asyncio.gather(*(gated(setup, task) for setup, task in todo))
    finally:
        store.critiques.cache_replies(db, caller.take_pending())  # replies of critiques left unfinished


# --------------------------------------------------------------------------- the command's function


def critique_stored(
    db_path: str | Path | None,
    options: CritiqueOptions,
    progress: Callable[[CritiqueBatchReport], None] | None = None,
    events: Callable[[str], None] | None = None,
) -> CritiqueBatchReport:
    """Critique the selected stored judgments with `options.model`; see the module docstring.

    `events` (if given) is told in one line each what the batch is about to do
    (model, server, concurrency, timeout, output mode, token caps) and every
    retry, timeout and failure as it happens. Raises LLMSetupError (a missing
    key) before touching anything, and CritiqueSetupError when the batch cannot
    be built.
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
        from ..llm.client import shipped_price

        report.cost_known = shipped_price(options.model) is not None  # nothing sent: "not priced", never "$0"
        if options.dry_run:
            _estimate(db, todo, report, options)
        db.conn.close()
        return report

    concurrency, why = resolve_concurrency(options)
    options = dataclasses.replace(options, concurrency=concurrency, timeout=resolve_timeout(options))
    client = _client(options, extra, events)
    report.cost_known = client.priced  # an unpriced model's cost is unknown even when every reply is cached
    if options.budget is not None and not client.priced:
        report.notes.append(
            f"--budget cannot be enforced: {options.model} is not priced in litellm's list, so its cost is unknown"
        )
    if events is not None:
        events(_plan_line(options, client, setups, len(todo), why))
    inputs = {k: v for k, v in asdict(options).items() if k not in {"judgment_hashes", "pairs"}}
    with store.writing(db):
        run_id = store.start_run(db, "critique", inputs, next(iter(setups.values())).rubric_hash if setups else None)
    started = time.monotonic()
    try:
        asyncio.run(_run_batch(db, todo, client, report, run_id, progress, events, options.max_tokens))
    finally:
        report.seconds = round(time.monotonic() - started, 3)
        with store.writing(db):
            store.finish_run(db, run_id, {"succeeded": report.succeeded, "failed": report.failed,
                                          "not_started": report.not_started, "calls_sent": report.calls_sent,
                                          "seconds": report.seconds})
        db.conn.close()
    return report


def resolve_concurrency(options: CritiqueOptions) -> tuple[int, str]:
    """Requests in flight: the user's number, else what a local server says it serves at once, else 4 (1 locally)."""
    from ..llm.client import is_local_api_base, server_parallelism

    if options.concurrency is not None:
        return options.concurrency, "--concurrency"
    if not is_local_api_base(options.api_base):
        return DEFAULT_CONCURRENCY, "the default"
    slots = server_parallelism(options.api_base or "")
    if slots is not None:
        return slots, f"the server has {slots} slot{'s' if slots != 1 else ''}"
    return 1, "a local server that does not say how many requests it serves at once; pass --concurrency N if it serves more"


def resolve_timeout(options: CritiqueOptions) -> float:
    """Seconds per request: the user's, else 600 for a server on this machine, else 120."""
    from ..llm.client import is_local_api_base

    if options.timeout is not None:
        return options.timeout
    return LOCAL_TIMEOUT if is_local_api_base(options.api_base) else DEFAULT_TIMEOUT


def _plan_line(options: CritiqueOptions, client: Any, setups: dict[str, ReviewSetup], to_do: int, why: str) -> str:
    from ..redact import redact_url

    caps = []
    for setup in list(setups.values())[:1]:
        caps.append(f"critique {options.max_tokens or reply_token_cap(critique_schema(setup.rubric))}")
        if setup.swap:
            caps.append(f"verdict {options.max_tokens or reply_token_cap(verdict_schema(setup.rubric))}")
    where = f" at {redact_url(options.api_base)}" if options.api_base else ""
    return (f"critiquing {to_do} answer{'s' if to_do != 1 else ''} with {options.model}{where}:"
            f" concurrency {client.concurrency} ({why}), timeout {options.timeout:g} s,"
            f" up to {options.max_attempts} attempts, output {client.mode}, reply cap {' / '.join(caps)} tokens")


def _select(
    db: sqlite_utils.Database, options: CritiqueOptions, report: CritiqueBatchReport
) -> tuple[dict[str, ReviewSetup], list[tuple[ReviewSetup, CritiqueTask]]]:
    """Every selected judgment's review setup; those still to critique (done ones and, unless retried, failed ones left out)."""
    setups: dict[str, ReviewSetup] = {}
    todo: list[tuple[ReviewSetup, CritiqueTask]] = []
    known = store.critiques.critique_statuses(db, options.model)
    by_object: dict[int, ReviewSetup] = {}  # build_tasks shares one object per rubric: hash each once
    for rubric, task in build_tasks(db, options):
        setup = by_object.get(id(rubric))
        if setup is None:
            setup = ReviewSetup(options.model, rubric, with_gold=options.with_gold, swap=options.swap)
            setup = by_object[id(rubric)] = setups.setdefault(setup.rubric_hash, setup)
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


def _client(options: CritiqueOptions, extra: dict[str, str], events: Callable[[str], None] | None = None):  # type: ignore[no-untyped-def]
    from ..llm.client import LLMClient

    return LLMClient(
        on_event=events,
        resend_timed_out=options.resend_timed_out,
        model=options.model,
        api_base=options.api_base,
        concurrency=options.concurrency,
        timeout=options.timeout,
        max_attempts=options.max_attempts,
        backoff_base=options.backoff_base,
        max_tokens=options.max_tokens or 1200,
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
    caps: list[int] = []
    for setup, task in todo:
        gold = task.gold if setup.with_gold else None
        wanted = [(setup.critique_key(task), critique_messages(setup.rubric, task.item, task.judgment, gold),
                   critique_schema(setup.rubric))]
        if setup.swap:
            wanted.append((setup.verdict_key(task), verdict_messages(setup.rubric, task.item, swapped=True),
                           verdict_schema(setup.rubric)))
        if wants_reading(task):
            key, _, messages, schema, _ = reading_request(setup, task)
            wanted.append((key, messages, schema))
        for key, messages, schema in wanted:
            if key in cached or key in seen:
                continue
            seen.add(key)
            chars = sum(len(m["content"]) for m in messages)
            total_chars += chars
            static_chars += len(messages[0]["content"])
            caps.append(options.max_tokens or reply_token_cap(schema))
    report.estimated_calls = len(seen)
    report.estimated_prompt_tokens = total_chars // 4
    report.max_output_tokens = sum(caps)
    report.static_prefix_share = (static_chars / total_chars) if total_chars else None
    report.estimated_cost = _price(options.model, report.estimated_prompt_tokens, report.max_output_tokens)
    report.cost_known = report.estimated_cost is not None


def _price(model: str, prompt_tokens: int, completion_tokens: int) -> float | None:
    """At most what litellm's price list says these tokens cost; None when the model is not priced.

    Read from the price list litellm ships, without importing litellm: a dry run stays fast.
    """
    from ..llm.client import shipped_price

    price = shipped_price(model)
    if price is None:
        return None
    per_in, per_out = price
    return prompt_tokens * per_in + completion_tokens * per_out
