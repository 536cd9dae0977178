"""The report of `rationale critique --batch` / `--collect`, for people."""

from __future__ import annotations

from ..models import BatchJobsReport
from .critique import render_report


def render_batch_jobs(report: BatchJobsReport) -> list[str]:
    c = report.critique
    verb = "dry run, nothing sent: would submit" if report.dry_run else "submitted"
    lines = [
        f"batch jobs with {report.model} (provider {report.provider}): {c.selected} judgments selected,"
        f" {c.already_done} already critiqued, {c.to_do} to critique",
    ]
    for cancel in report.cancels:
        lines.append(f"  cancel batch {cancel.batch_id or '(file uploaded, batch not created)'}: {cancel.message}")
    cost = "" if report.estimated_cost is None else f", estimated ${report.estimated_cost:.4f} ({report.price_source})"
    if report.requests_submitted or report.dry_run:
        lines.append(f"  {verb} {report.requests_submitted} requests in {report.files} batch job(s){cost}")
    elif not report.batches and not report.cancels:
        lines.append("  no batch job is open and nothing is left to submit")
    if report.requests_not_submitted:
        lines.append(f"  {report.requests_not_submitted} requests not submitted: {c.stopped}")
    for job in report.batches:
        done = f", {job.done}/{job.requests} done" if job.done is not None else f", {job.requests} requests"
        state = "collected" if job.collected else "open"
        lines.append(f"  batch {job.batch_id or '(file uploaded, batch not created)'} ({job.purpose}): {job.status}{done}; {state}")
    if report.requests_collected or report.repairs_sent:
        lines.append(f"  result lines read {report.requests_collected}; invalid replies sent for repair {report.repairs_sent}")
    if report.critiques_waiting:
        lines.append(
            f"  {report.critiques_waiting} critiques wait for open batch jobs:"
            f" run `rationale critique --collect --model {report.model}` later (or add --wait)"
        )
    if c.succeeded or c.failed or c.failures or c.notes or c.skipped_failed:
        lines.extend(render_report(c)[1:])
    return lines
