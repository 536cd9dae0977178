"""Critique runs on the providers' batch endpoints: submit JSONL, poll, collect, repair, build critiques.

`rationale critique --batch` selects judgments exactly as the synchronous run
does (`batch._select`), builds each critique's requests with the same code
(`batch.review_requests`, `LLMClient.request_body`), and writes every request
not yet answered as one JSONL line whose `custom_id` is its `llm_cache` key.
The lines are split at the provider's limits (OpenAI: 50,000 requests and
200 MB a file), uploaded with litellm's `create_file(purpose="batch")` and
submitted with `create_batch`; each file, batch and request key is recorded in
`llm_batches` / `llm_batch_requests` before the next step, so a process
killed at any point resumes.

`rationale critique --collect` (and any `--batch` re-run) polls the open
batches with `retrieve_batch`, reads finished ones' output and error files with
`file_content`, validates each reply with the synchronous path's parsers and
fills `llm_cache`. An invalid reply gets one repair round (the synchronous
path's repair prompt), sent at once or in a new batch (`repair="batch"`).
Error lines and requests an expired or failed batch never ran become failed
requests with their reason. Every selected critique whose requests are all
answered or failed is then built and stored by the synchronous path's own
`_critique_from`.

`rationale critique --cancel` asks the provider to cancel every open batch of
the model (`cancel_batch`; the same batches `--collect` polls). A batch goes
cancelling, then cancelled; what finished before keeps its output. When it is
cancelled (at once, or at a later `--collect`), the lines that ran are read as
above and each request that never ran is marked `cancelled`: its critique is
stored as failed with that reason, and a later `--batch` submits it again
(without `--retry-failed`: a cancel is the lead's decision, not a failure of
the request). A file uploaded whose batch was never created is cancelled here
without asking the provider. `--cancel` sends nothing else: no repair, no new
batch.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from .. import store
from ..llm.batches import (
    ENDPOINT,
    OPENAI_MAX_BYTES,
    OPENAI_MAX_REQUESTS,
    TERMINAL,
    BatchJobError,
    BatchPrices,
    ProviderBatches,
    check_provider,
)
from ..llm.parsing import InvalidReply
from ..llm.prompts import repair_messages, reply_token_cap
from ..models import BatchCancel, BatchJob, BatchJobsReport, CritiqueBatchReport
from .batch import CallOutcome, CritiqueOptions, ReplyFailed, ReviewRequest, _client, _critique_from, _select, review_requests
from .review import TEMPLATE_VERSION, CritiqueTask, ReviewSetup

@dataclass
class BatchJobOptions:
    submit: bool = True  # --batch; False for --collect, which only polls and collects
    cancel: bool = False  # --cancel (with submit False): cancel every open batch of the model first
    repair: str = "sync"  # sync | batch: how invalid replies get their one repair
    wait: bool = False  # poll until every open batch has been collected
    poll_interval: float = 30.0
    max_wait: float | None = None  # seconds; None waits as long as the batches run
    max_requests: int = OPENAI_MAX_REQUESTS
    max_bytes: int = OPENAI_MAX_BYTES


# --------------------------------------------------------------------------- reading result lines


def _line_error(line: dict[str, Any]) -> str | None:
    """Why a result line carries no reply (an error line, or a response that is not HTTP 200), else None."""
    error = line.get("error")
    if error:
        if isinstance(error, dict):
            return f"{error.get('code') or 'error'}: {error.get('message') or 'no message'}"
        return str(error)
    response = line.get("response") or {}
    status = response.get("status_code")
    if status != 200:
        body = response.get("body") or {}
        inner = body.get("error") if isinstance(body, dict) else None
        if isinstance(inner, dict):
            return f"HTTP {status}: {inner.get('code') or 'error'}: {inner.get('message') or 'no message'}"
        return f"HTTP {status}: no reply"
    return None


def _reply_of(line: dict[str, Any]) -> tuple[str, int, int]:
    body = line["response"].get("body") or {}
    text = body["choices"][0]["message"].get("content") or ""
    usage = body.get("usage") or {}
    return text, int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)


def _result_lines(text: str) -> dict[str, dict[str, Any]]:
    found = {}
    for raw in text.splitlines():
        if raw.strip():
            line = json.loads(raw)
            found[str(line.get("custom_id"))] = line
    return found


def _no_result_reason(batch: dict[str, Any], status: str) -> str:
    if status == "expired":
        return f"batch {batch['batch_id']} expired (24 h window) before this request ran"
    if status == "cancelled":
        return f"batch {batch['batch_id'] or '(never created)'} was cancelled before this request ran"
    return f"batch {batch['batch_id']} ended {status} before this request ran"


# --------------------------------------------------------------------------- the run


@dataclass
class _Run:
    db: sqlite_utils.Database
    options: CritiqueOptions
    jobs: BatchJobOptions
    client: Any  # LLMClient: request bodies, response formats and synchronous repairs
    api: ProviderBatches
    prices: BatchPrices
    report: BatchJobsReport
    run_id: int | None
    progress: Callable[[str], None] | None = None
    rubrics: dict[str, Any] = field(default_factory=dict)
    golds: dict[str | None, Any] = field(default_factory=dict)
    seen: dict[int, BatchJob] = field(default_factory=dict)
    provider_model: str = ""
    cancelled_critiques: int = 0  # critiques stored failed because a cancelled batch never ran a request of theirs

    # ---------------------------------------------------------------- one line of a batch file

    def line(self, request: ReviewRequest, messages: list[dict[str, str]]) -> bytes:
        """One JSONL line: `messages` (the request's own, or its repair turn) in the synchronous path's body."""
        cap = self.options.max_tokens or reply_token_cap(request.schema)  # the synchronous path's cap
        body = self.client.request_body(messages, self.client.response_format(request.kind, request.schema), cap)
        body["model"] = self.provider_model  # the provider's own name, without litellm's "openai/" prefix
        record = {"custom_id": request.key, "method": "POST", "url": ENDPOINT, "body": body}
        return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")

    # ---------------------------------------------------------------- submitting

    def submit(self, entries: list[tuple[str, str, str, str | None, bytes, int]], purpose: str) -> list[str]:
        """Upload and create batches for (key, kind, rubric hash, gold hash of a reading, line, prompt chars);
        return the keys submitted.

        Stops adding lines when the budget would be exceeded at batch prices.
        """
        kept: list[tuple[str, str, str, str | None, bytes, float]] = []
        spent = self.report.estimated_cost or 0.0
        budget = self.options.budget
        for key, kind, rubric_hash, gold_hash, line, chars in entries:
            estimate = self.prices.estimate(chars, json.loads(line)["body"]["max_tokens"])
            if budget is not None and estimate is not None and spent + estimate > budget:
                self.report.requests_not_submitted += len(entries) - len(kept)
                self.report.critique.stopped = (
                    f"budget ${budget:.4f}: the requests submitted are estimated at ${spent:.4f} at batch prices;"
                    f" the next could cost ${estimate:.4f}"
                )
                break
            spent += estimate or 0.0
            kept.append((key, kind, rubric_hash, gold_hash, line, estimate or 0.0))
        if self.prices.known:
            self.report.estimated_cost = spent
        chunks = list(self._chunks(kept))
        self.report.files += len(chunks)
        if self.options.dry_run:
            self.report.requests_submitted += len(kept)
            return [k for k, *_ in kept]
        for chunk in chunks:
            data = b"".join(entry[4] for entry in chunk)
            file_id = self.api.upload(data, f"rationale-{purpose}-{int(time.time())}.jsonl")
            local_id = store.batches.record_upload(
                self.db, provider=self.api.provider, model=self.options.model, api_base=self.options.api_base,
                purpose=purpose, input_file_id=file_id, requests=[entry[:4] for entry in chunk], size=len(data),
                estimated_cost=sum(entry[5] for entry in chunk) if self.prices.known else None, run_id=self.run_id,
            )
            self._create(local_id, file_id)
            self.report.submitted.append(self.seen[local_id])
            self.report.requests_submitted += len(chunk)
        return [k for k, *_ in kept]

    def _chunks(self, lines: list[tuple[str, str, str, str | None, bytes, float]]) -> Iterable[list[tuple[str, str, str, str | None, bytes, float]]]:
        """Consecutive runs of lines within the provider's limits on requests and bytes per file."""
        chunk: list[tuple[str, str, str, str | None, bytes, float]] = []
        size = 0
        for entry in lines:
            if chunk and (len(chunk) >= self.jobs.max_requests or size + len(entry[4]) > self.jobs.max_bytes):
                yield chunk
                chunk, size = [], 0
            chunk.append(entry)
            size += len(entry[4])
        if chunk:
            yield chunk

    def _create(self, local_id: int, file_id: str) -> None:
        created = self.api.create(file_id)
        store.batches.record_created(self.db, local_id, str(created.id), str(created.status))
        self._note(store.batches.batches_by_id(self.db, [local_id])[0], created)

    def _note(self, row: dict[str, Any], polled: Any = None) -> None:
        """Keep the batch's last known state for the report; say it on the progress line when it changed."""
        counts = getattr(polled, "request_counts", None)
        done = None
        if counts is not None:
            done = int(getattr(counts, "completed", 0) or 0) + int(getattr(counts, "failed", 0) or 0)
        job = BatchJob(
            batch_id=row["batch_id"], provider=row["provider"], purpose=row["purpose"], status=row["status"],
            requests=row["requests"], bytes=row["bytes"], done=done, estimated_cost=row["estimated_cost"],
            collected=row["collected_at"] is not None, cancelled_at=row.get("cancelled_at"),
        )
        before = self.seen.get(row["id"])
        self.seen[row["id"]] = job
        if self.progress is not None and (before is None or (before.status, before.done) != (job.status, job.done)):
            self.progress(f"batch {job.batch_id or '(not created)'} ({job.purpose}): {job.status}"
                          + (f", {done}/{job.requests} done" if done is not None else ""))

    # ---------------------------------------------------------------- polling and collecting

    def collect_open(self) -> int:
        """Poll every open batch of the model; read the finished ones. Returns how many are still open."""
        still_open = 0
        for row in store.batches.open_batches(self.db, self.options.model):
            if row["batch_id"] is None:  # uploaded, then the process stopped before the batch was created
                self._create(row["id"], row["input_file_id"])
                still_open += 1
                continue
            try:
                polled = self.api.retrieve(row["batch_id"])
            except BatchJobError as exc:
                if not self.jobs.wait:
                    raise
                # Waiting for hours: one failed poll (a 5xx, a dropped connection) is tried again at the next.
                if self.progress is not None:
                    self.progress(f"{exc}; polling again in {self.jobs.poll_interval:g} s")
                still_open += 1
                continue
            status, output_id, error_id = self._record(row["id"], polled)
            row = {**row, "status": status, "output_file_id": output_id, "error_file_id": error_id}
            if status in TERMINAL:
                self._ingest(row, polled)
                row["collected_at"] = "now"
            else:
                still_open += 1
            self._note(row, polled)
        return still_open

    # ---------------------------------------------------------------- cancelling

    def cancel_open(self) -> None:
        """Ask the provider to cancel every open batch of the model; read at once the ones it says are cancelled.

        A batch the provider refuses to cancel, or cannot be reached about, is recorded as it was.
        """
        for row in store.batches.open_batches(self.db, self.options.model):
            if self.options.dry_run:
                self._cancel_outcome(row, "would_cancel", f"would ask {self.api.provider} to cancel it"
                                     f" ({row['status']} when last seen)")
                continue
            if row["batch_id"] is None:  # uploaded, never created: nothing to ask the provider
                reason = _no_result_reason(row, "cancelled")
                results = [{**self._failed(r, None, reason), "status": "cancelled"}
                           for r in store.batches.batch_requests(self.db, row["id"])]
                store.batches.save_collected(self.db, row["id"], results, [], cancelled=True)
                self._cancel_outcome(self._reread(row), "not_created",
                                     "its file was uploaded but the batch never created: it will not be submitted")
                continue
            try:
                polled = self.api.retrieve(row["batch_id"])
                if str(polled.status) not in TERMINAL | {"cancelling"}:
                    polled = self._cancel_or_finished(row["batch_id"])
            except BatchJobError as exc:
                self._cancel_outcome(row, "refused", f"{exc}; the batch is recorded as it was")
                continue
            self._cancelled(row, polled)

    def _cancel_or_finished(self, batch_id: str) -> Any:
        """The batch as the provider answers the cancel; or, when it refuses because the batch ended between the
        look and the cancel (a provider may answer that with an error rather than the batch), the ended batch."""
        try:
            return self.api.cancel(batch_id)
        except BatchJobError:
            again = self.api.retrieve(batch_id)
            if str(again.status) in TERMINAL:
                return again
            raise

    def _cancelled(self, row: dict[str, Any], polled: Any) -> None:
        """Record what the provider says of a batch asked to cancel (or found finished); read it if cancelled."""
        status = str(polled.status)
        if status in TERMINAL and status != "cancelled":
            self._record(row["id"], polled)
            row = self._reread(row)
            self._note(row, polled)
            self._cancel_outcome(row, "finished", f"it already ended {status}, nothing to cancel:"
                                 f" `rationale critique --collect --model {self.options.model}` reads its results")
            return
        already = row["status"] == "cancelling"
        store.batches.record_cancel(self.db, row["id"], status)
        if status != "cancelled":
            row = self._reread(row)
            self._note(row, polled)
            self._cancel_outcome(row, "already_cancelling" if already else "cancelling", (
                "the provider is cancelling it: requests already running may still finish (and be billed);"
                f" `rationale critique --collect --model {self.options.model}` reads what ran once it is cancelled"))
            return
        self._record(row["id"], polled)
        never_ran = self._ingest(self._reread(row), polled)
        row = self._reread(row)
        self._note(row, polled)
        self._cancel_outcome(row, "cancelled", f"cancelled: {row['requests'] - never_ran} requests that finished are"
                             f" read, {never_ran} that never ran fail as cancelled")

    def _record(self, row_id: int, polled: Any) -> tuple[str, str | None, str | None]:
        """Store what the provider says of a batch: its status and its output and error files (ids)."""
        status = str(polled.status)
        output_id, error_id = getattr(polled, "output_file_id", None), getattr(polled, "error_file_id", None)
        store.batches.update_status(self.db, row_id, status, output_id, error_id)
        return status, output_id, error_id

    def _reread(self, row: dict[str, Any]) -> dict[str, Any]:
        return store.batches.batches_by_id(self.db, [row["id"]])[0]

    def _cancel_outcome(self, row: dict[str, Any], outcome: str, message: str) -> None:
        self.report.cancels.append(BatchCancel(batch_id=row["batch_id"], outcome=outcome, status=row["status"],
                                               message=message))

    # ---------------------------------------------------------------- reading a finished batch

    def _ingest(self, batch: dict[str, Any], polled: Any) -> int:
        """Read a finished batch's output and error files into request states; return how many requests never ran."""
        lines: dict[str, dict[str, Any]] = {}
        for file_id in (batch["output_file_id"], batch["error_file_id"]):
            if file_id:
                lines.update(_result_lines(self.api.content(file_id)))
        status = batch["status"]
        batch_errors = getattr(polled, "errors", None)
        repairing = store.batches.awaiting_repair(self.db, self.options.model) if batch["purpose"] == "repair" else {}
        results, replies = [], []
        never_ran = 0
        for request in store.batches.batch_requests(self.db, batch["id"]):
            prior = repairing.get(request["key"])  # the invalid reply this line repairs
            line = lines.get(request["key"])
            if line is None:
                never_ran += 1
                reason = _no_result_reason(batch, status)
                if status == "failed" and batch_errors:
                    reason += f" ({' '.join(str(batch_errors).split())[:200]})"
                result = self._failed(request, prior, reason)
                if status == "cancelled":  # not the request's failure: a later --batch sends it again
                    result["status"] = "cancelled"
            else:
                self.report.requests_collected += 1
                result, cached = self._read(request, prior, line)
                if cached is not None:
                    replies.append(cached)
            results.append(result)
            if prior is not None:
                results.append({**prior, "status": "repaired", "batch": prior["batch"]})
        self.report.critique.calls_sent += len(lines)
        store.batches.save_collected(self.db, batch["id"], results, replies)
        return never_ran

    def _failed(self, request: dict[str, Any], prior: dict[str, Any] | None, reason: str,
                raw: list[str] | None = None, tokens: tuple[int, int] = (0, 0), cost: float | None = 0.0) -> dict[str, Any]:
        before = json.loads(prior["raw"]) if prior and prior["raw"] else []
        return {"key": request["key"], "status": "failed", "problem": f"{request['kind']} request: {reason}",
                "raw": json.dumps(before + (raw or [])), "tokens_in": tokens[0], "tokens_out": tokens[1], "cost": cost}

    def _read(self, request: dict[str, Any], prior: dict[str, Any] | None,
              line: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
        """One result line: (the request's new state, its llm_cache reply when valid)."""
        error = _line_error(line)
        if error is not None:
            return self._failed(request, prior, error), None
        try:
            text, tokens_in, tokens_out = _reply_of(line)
        except (KeyError, IndexError, TypeError):
            return self._failed(request, prior, "the result line has no message content"), None
        return self._answered(request, prior, text, tokens_in, tokens_out, self.prices.cost(tokens_in, tokens_out))

    def _answered(self, request: dict[str, Any], prior: dict[str, Any] | None, text: str, tokens_in: int,
                  tokens_out: int, cost: float | None) -> tuple[dict[str, Any], dict[str, Any] | None]:
        raws = (json.loads(prior["raw"]) if prior and prior["raw"] else []) + [text]
        if prior is not None:  # the usage of the reply being repaired counts too, as in the synchronous path
            tokens_in += prior["tokens_in"] or 0
            tokens_out += prior["tokens_out"] or 0
            cost = None if cost is None or prior["cost"] is None else cost + prior["cost"]
        state = {"key": request["key"], "raw": json.dumps(raws), "tokens_in": tokens_in, "tokens_out": tokens_out,
                 "cost": cost}
        try:
            parsed = self._parser(request)(text)
        except InvalidReply as exc:
            if prior is not None:
                return {**state, "status": "failed",
                        "problem": f"{request['kind']} reply still invalid after one repair: {exc}"}, None
            return {**state, "status": "invalid", "problem": str(exc)}, None
        cached = {"key": request["key"], "model": self.options.model, "kind": request["kind"],
                  "template_version": TEMPLATE_VERSION, "response": parsed.model_dump_json(), "raw": text,
                  "tokens_in": tokens_in, "tokens_out": tokens_out, "cost": cost, "latency": 0.0}
        return {**state, "status": "ok", "problem": None}, cached

    def _parser(self, request: dict[str, Any]) -> Callable[[str], Any]:
        """What reads a reply of this request's kind: the rubric for a critique or verdict, the gold for a reading."""
        from ..llm.parsing import parse_critique, parse_verdict
        from ..llm.reading import parse_reading

        if request["kind"] == "reading":
            gold_hash = request["gold_hash"]
            if gold_hash not in self.golds:
                self.golds[gold_hash] = store.references.gold_by_hash(self.db, gold_hash) if gold_hash else None
            gold = self.golds[gold_hash]
            if gold is None:
                raise InvalidReply(f"gold {gold_hash} is no longer stored")
            return lambda text: parse_reading(text, gold)
        rubric_hash = request["rubric_hash"]
        if rubric_hash not in self.rubrics:
            self.rubrics[rubric_hash] = store.references.rubric_by_hash(self.db, rubric_hash)
        rubric = self.rubrics[rubric_hash]
        if rubric is None:
            raise InvalidReply(f"rubric {rubric_hash} is no longer stored")
        parse = {"critique": parse_critique, "verdict": parse_verdict}[request["kind"]]
        return lambda text: parse(text, rubric)

    # ---------------------------------------------------------------- repairs

    def repair(self, requests: dict[str, tuple[ReviewRequest, str]]) -> int:
        """Send every invalid reply of a selected request back once: now, or in a repair batch (counted)."""
        states = store.batches.request_states(self.db, self.options.model)
        invalid = [s for key, s in states.items() if s["status"] == "invalid" and key in requests]
        if not invalid or self.options.dry_run:
            return 0
        conversations = []
        for state in invalid:
            request, _ = requests[state["key"]]
            raws = json.loads(state["raw"])
            conversations.append((state, repair_messages(request.messages, raws[-1], state["problem"])))
        self.report.repairs_sent += len(conversations)
        if self.jobs.repair == "batch":
            entries = [(s["key"], s["kind"], s["rubric_hash"], s["gold_hash"], self.line(requests[s["key"]][0], messages),
                        sum(len(m["content"]) for m in messages)) for s, messages in conversations]
            submitted = set(self.submit(entries, "repair"))
            marked = [{**s, "status": "repairing"} for s, _ in conversations if s["key"] in submitted]
            for s in marked:
                store.batches.save_request_results(self.db, s["batch"], [s])
            return 1 if marked else 0
        asyncio.run(self._repair_now(conversations, requests))
        return 0

    async def _repair_now(self, conversations: list[tuple[dict[str, Any], list[dict[str, str]]]],
                          requests: dict[str, tuple[ReviewRequest, str]]) -> None:
        from ..llm.client import BudgetExhausted, CallFailed

        async def one(state: dict[str, Any], messages: list[dict[str, str]]) -> None:
            request = requests[state["key"]][0]
            try:
                completion = await self.client.complete(messages, self.client.response_format(request.kind, request.schema))
            except BudgetExhausted as exc:
                self.report.critique.stopped = str(exc)
                return  # stays invalid: a later run repairs it
            except CallFailed as exc:
                result = self._failed(state, state, f"repair: {exc.reason}")
                store.batches.save_request_results(self.db, state["batch"], [result])
                return
            self.report.critique.calls_sent += 1
            result, cached = self._answered(state, state, completion.text, completion.tokens_in, completion.tokens_out,
                                            completion.cost)
            store.batches.save_request_results(self.db, state["batch"], [result], [cached] if cached else [])

        await asyncio.gather(*(one(state, messages) for state, messages in conversations))

    # ---------------------------------------------------------------- critiques

    def outcome(self, request: ReviewRequest, state: dict[str, Any] | None, retry: bool) -> Any:
        """A CallOutcome or ReplyFailed for the request, "waiting" while a batch holds it, None if never sent."""
        row = store.critiques.cached_reply(self.db, request.key)
        if row is not None:
            raw = json.loads(state["raw"]) if state is not None and state["status"] == "ok" else [row["raw"]]
            return CallOutcome(request.parse(row["response"]), raw, row["tokens_in"], row["tokens_out"], row["cost"],
                               row["latency"], cached=True)
        if state is None:
            return None
        if state["status"] == "cancelled":  # never ran: --batch sends it again; otherwise the critique fails, saying so
            if self.jobs.submit:
                return None
            return ReplyFailed(state["problem"], json.loads(state["raw"] or "[]"), 0, 0, 0.0)
        if state["status"] == "failed":
            if retry and state["run_id"] != self.run_id:
                return None  # --retry-failed: send it again
            return ReplyFailed(state["problem"], json.loads(state["raw"] or "[]"), state["tokens_in"] or 0,
                               state["tokens_out"] or 0, state["cost"])
        return "waiting"

    def build(self, todo: list[tuple[ReviewSetup, CritiqueTask, list[ReviewRequest], bool]], save: bool = True):  # type: ignore[no-untyped-def]
        """Store every critique whose requests are all answered or failed; return the rest and the unsent requests."""
        states = store.batches.request_states(self.db, self.options.model)
        left, unsent = [], {}
        for setup, task, requests, retry in todo:
            results = [self.outcome(r, states.get(r.key), retry) for r in requests]
            if not save or any(r is None or isinstance(r, str) for r in results):
                left.append((setup, task, requests, retry))
                unsent.update({r.key: (r, setup.rubric_hash) for r, res in zip(requests, results) if res is None})
                continue
            critique, reviewed = _critique_from(setup, task, results, self.report.critique)
            if any(states.get(r.key, {}).get("status") == "cancelled" for r in requests):
                self.cancelled_critiques += 1
            if critique.escalate:
                self.report.critique.escalations.append({"annotator": task.judgment.annotator, "item_id": task.item.id,
                                                         "reasons": critique.escalation_reasons})
            if reviewed is not None:  # saved first, as the synchronous path does
                store.reviewed_grades.save_reviewed_grade(self.db, setup.row_id(task), reviewed, self.run_id)
            store.critiques.save_critique(self.db, setup.row_id(task), critique, task.gold_hash, setup.swap, self.run_id)
            self.report.critique.tokens_in += critique.tokens_in
            self.report.critique.tokens_out += critique.tokens_out
            if critique.cost is None:
                self.report.critique.cost_known = False
            else:
                self.report.critique.cost += critique.cost
        return left, unsent


def run_batch_jobs(
    db_path: str | Path | None,
    options: CritiqueOptions,
    jobs: BatchJobOptions,
    progress: Callable[[str], None] | None = None,
) -> BatchJobsReport:
    """Submit (`jobs.submit`) and collect provider batches for the selected critiques; see the module docstring.

    Raises LLMSetupError (a missing key, a provider without batches) before
    touching anything, BatchJobError when the provider's API refuses, and
    CritiqueSetupError when the selection cannot be built.
    """
    from ..llm.client import call_credentials

    provider = check_provider(options.model)
    extra = {} if options.dry_run else call_credentials(options.model, options.api_base)
    command = "critique --batch" if jobs.submit else "critique --cancel" if jobs.cancel else "critique --collect"
    report = BatchJobsReport(model=options.model, provider=provider, dry_run=options.dry_run,
                             critique=CritiqueBatchReport(model=options.model, dry_run=options.dry_run))
    api = ProviderBatches(provider, options.api_base, extra)
    if jobs.submit and not options.dry_run:
        api.check_server()
    db = store.open_db(db_path)
    store.db.commit_without_fsync(db)
    run_id = None
    started = time.monotonic()
    try:
        setups, selected = _selection(db, options, report.critique, resubmit_cancelled=jobs.submit)
        client = _client(options, extra)
        prices = BatchPrices.of(api.litellm, options.model)
        report.price_source = prices.source
        if options.budget is not None and not prices.known:
            report.critique.notes.append(
                f"--budget cannot be enforced: {options.model} is not priced in litellm's list, so its cost is unknown"
            )
        if not options.dry_run:
            inputs = {k: v for k, v in asdict(options).items() if k not in {"judgment_hashes", "pairs"}}
            inputs.update(batch=jobs.submit, cancel=jobs.cancel, repair=jobs.repair)
            rubric_hash = next(iter(setups.values())).rubric_hash if setups else None
            with db.conn:
                run_id = store.start_run(db, command, inputs, rubric_hash)
        run = _Run(db, options, jobs, client, api, prices, report, run_id, progress,
                   provider_model=api.model_name(options.model))
        _drive(run, selected)
    finally:
        if run_id is not None:
            with db.conn:
                store.finish_run(db, run_id, {
                    "succeeded": report.critique.succeeded, "failed": report.critique.failed,
                    "requests_submitted": report.requests_submitted, "requests_collected": report.requests_collected,
                    "critiques_waiting": report.critiques_waiting, "seconds": round(time.monotonic() - started, 3),
                })
        db.conn.close()
    return report


def _selection(db: sqlite_utils.Database, options: CritiqueOptions, report: CritiqueBatchReport,
               resubmit_cancelled: bool) -> tuple[dict[str, ReviewSetup], list[tuple[ReviewSetup, CritiqueTask]]]:
    """The synchronous run's selection; for `--batch`, also the critiques that failed only because a batch was cancelled.

    A failed critique is otherwise left out unless `--retry-failed`; one with a request a cancelled batch never
    ran is the lead's stopped work, which `--batch` submits again.
    """
    if options.retry_failed or not resubmit_cancelled:
        return _select(db, options, report)
    setups, todo = _select(db, dataclasses.replace(options, retry_failed=True), report)
    known = store.critiques.critique_statuses(db, options.model)
    states = store.batches.request_states(db, options.model)
    kept = []
    for setup, task in todo:
        if known.get(setup.row_id(task)) == "failed" and not any(
            states.get(r.key, {}).get("status") == "cancelled" for r in review_requests(setup, task)
        ):
            report.skipped_failed += 1
            continue
        kept.append((setup, task))
    report.to_do = len(kept)
    return setups, kept


def _drive(run: _Run, selected: list[tuple[ReviewSetup, CritiqueTask]]) -> None:
    """Collect, repair, build, submit once; with `wait`, poll until no batch is open.

    `--cancel` cancels first, then builds what that let it read; it polls again only with `wait`, and sends
    no repair (an invalid reply waits for a later `--collect`).
    """
    known = store.critiques.critique_statuses(run.db, run.options.model)
    todo = []
    by_key: dict[str, tuple[ReviewRequest, str]] = {}
    for setup, task in selected:
        requests = review_requests(setup, task)
        by_key.update({r.key: (r, setup.rubric_hash) for r in requests})
        todo.append((setup, task, requests, known.get(setup.row_id(task)) == "failed"))
    deadline = None if run.jobs.max_wait is None else time.monotonic() + run.jobs.max_wait
    submitted = not run.jobs.submit
    submitted_keys: set[str] = set()
    unsent: dict[str, tuple[ReviewRequest, str]] = {}
    if run.jobs.cancel:
        run.cancel_open()
    while True:
        polling = not run.options.dry_run and (run.jobs.wait or not run.jobs.cancel)
        still_open = run.collect_open() if polling else 0
        if not run.jobs.cancel:
            still_open += run.repair(by_key)
        todo, unsent = run.build(todo, save=not run.options.dry_run)
        if not submitted:
            submitted = True
            entries = []
            for key, (request, rubric_hash) in unsent.items():
                line = run.line(request, request.messages)
                entries.append((key, request.kind, rubric_hash, request.gold_hash, line,
                                sum(len(m["content"]) for m in request.messages)))
            submitted_keys = set(run.submit(entries, "first"))
            if submitted_keys and not run.options.dry_run:
                still_open += 1
        if not run.jobs.wait or still_open == 0 or run.options.dry_run:
            break
        if deadline is not None and time.monotonic() > deadline:
            run.report.critique.notes.append(f"stopped waiting after {run.jobs.max_wait:g} s; batches are still open")
            break
        time.sleep(run.jobs.poll_interval)
    not_sent = {key for key in unsent if key not in submitted_keys}
    run.report.critique.not_started = sum(1 for _, _, requests, _ in todo if any(r.key in not_sent for r in requests))
    run.report.critiques_waiting = 0 if run.options.dry_run else len(todo) - run.report.critique.not_started
    run.report.batches = list(run.seen.values())
    if run.cancelled_critiques:
        run.report.critique.notes.append(
            f"{run.cancelled_critiques} critique(s) failed because a cancelled batch never ran their requests:"
            f" `rationale critique --batch --model {run.options.model}` submits them again"
        )
