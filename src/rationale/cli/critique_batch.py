"""`rationale critique --batch` / `--collect`: the options and the runner of provider batch jobs."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click

from .common import EXIT_INTERRUPTED, report_input_errors

BATCH_OPTIONS = [
    click.option("--batch", "batch_submit", is_flag=True,
                 help="Submit the requests as provider batch jobs (OpenAI: half price, done within 24 h) instead of"
                      " sending them one by one; a re-run also collects. See README, Batch jobs."),
    click.option("--collect", "batch_collect", is_flag=True,
                 help="Poll the submitted batch jobs, read the finished ones and store their critiques; submit nothing."),
    click.option("--repair", "batch_repair", type=click.Choice(["sync", "batch"]), default="sync", show_default=True,
                 help="With --batch/--collect: send an invalid reply's one repair at once (sync) or in a new batch job."),
    click.option("--wait", "batch_wait", is_flag=True,
                 help="With --batch/--collect: keep polling until every batch job has finished."),
    click.option("--poll-interval", "batch_poll_interval", type=click.FloatRange(min=0.01), default=30.0,
                 show_default=True, help="With --wait: seconds between polls."),
]


def batch_job_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(BATCH_OPTIONS):
        fn = option(fn)
    return fn


def wants_batch_jobs(params: dict[str, Any]) -> bool:
    """Whether the batch options ask for batch jobs; a usage error when they contradict each other."""
    if params["batch_submit"] and params["batch_collect"]:
        raise click.UsageError("--batch submits (and collects); --collect only collects: give one of them")
    if params["evaluate"] and (params["batch_submit"] or params["batch_collect"]):
        raise click.UsageError("--evaluate reads stored critiques: run it without --batch once the batch jobs are collected")
    if params["batch_wait"] and not (params["batch_submit"] or params["batch_collect"]):
        raise click.UsageError("--wait is for --batch or --collect")
    return bool(params["batch_submit"] or params["batch_collect"])


def run_batch_command(options, db_path: str, as_json: bool, params: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    from ..critique.batch import CritiqueSetupError
    from ..critique.provider_batch import BatchJobOptions, run_batch_jobs
    from ..llm.batches import BatchJobError
    from ..llm.client import LLMSetupError
    from ..render.batch_jobs import render_batch_jobs

    jobs = BatchJobOptions(submit=params["batch_submit"], repair=params["batch_repair"], wait=params["batch_wait"],
                           poll_interval=params["batch_poll_interval"])

    def progress(line: str) -> None:
        click.echo(line, err=True)

    try:
        report = report_input_errors(lambda: run_batch_jobs(db_path, options, jobs, progress=progress))
    except (LLMSetupError, CritiqueSetupError, BatchJobError) as exc:
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt:
        click.echo("\ninterrupted: every batch submitted is recorded; run `rationale critique --collect` to collect it.",
                   err=True)
        sys.exit(EXIT_INTERRUPTED)
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
        return
    click.echo("\n".join(render_batch_jobs(report)))
