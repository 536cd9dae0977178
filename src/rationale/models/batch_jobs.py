"""`rationale critique --batch` / `--collect`: the provider batch jobs a run submitted, polled and collected."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .reports import CritiqueBatchReport, Output


class BatchJob(Output):
    """One provider batch (one uploaded JSONL file) as this run last saw it."""

    batch_id: str | None  # null while the file is uploaded but the batch not yet created
    provider: str
    purpose: str  # first | repair
    status: str  # uploaded, or the provider's: validating, in_progress, finalizing, completed, expired, failed, cancelling, cancelled
    requests: int
    bytes: int
    done: int | None = None  # the provider's count of requests finished (completed + failed), when it says
    estimated_cost: float | None = None  # USD at batch prices when submitted; null for an unpriced model
    collected: bool = False  # its output and error files have been read into the database
    cancelled_at: str | None = None  # when `critique --cancel` asked for its cancellation (UTC); null if never


class BatchCancel(Output):
    """What `critique --cancel` did to one open batch."""

    batch_id: str | None  # null for a file uploaded whose batch was never created
    outcome: str  # cancelling | cancelled | already_cancelling | finished | not_created | refused | would_cancel (dry run)
    status: str  # the batch's status after the attempt (the provider's, or the recorded one when it refused)
    message: str  # one sentence for the lead


class BatchJobsReport(Output):
    """What a `--batch` or `--collect` run did; `critique` counts the critiques it made, as the synchronous run does."""

    model: str
    provider: str
    dry_run: bool = False
    critique: CritiqueBatchReport
    submitted: list[BatchJob] = Field(default_factory=list)  # batches this run created
    batches: list[BatchJob] = Field(default_factory=list)  # every batch this run polled or created
    requests_submitted: int = 0  # first requests and batched repairs this run put in batches (or would, in a dry run)
    files: int = 0  # JSONL files (one batch each) those requests took, split at the provider's limits
    requests_collected: int = 0  # result lines read from output and error files this run
    repairs_sent: int = 0  # invalid replies sent back for repair this run (synchronously or in a batch)
    requests_not_submitted: int = 0  # left out because the budget ran out
    critiques_waiting: int = 0  # selected critiques whose requests are still in an open batch
    estimated_cost: float | None = None  # of what this run submitted, at batch prices
    price_source: str | None = None  # which litellm prices the estimate used
    cancels: list[BatchCancel] = Field(default_factory=list)  # --cancel: each open batch and what became of it

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
