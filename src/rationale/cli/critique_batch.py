"""`rationale critique --batch` / `--collect` / `--cancel`: the options and the runner of provider batch jobs."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click

from .common import EXIT_INTERRUPTED, EXIT_NOTHING_FOUND, report_input_errors

BATCH_OPTIONS = [
    click.option("--batch", "batch_submit", is_flag=True,
                 help="Submit the requests as provider batch jobs (OpenAI: half price, done within 24 h) instead of"
                      " sending them one by one; a re-run also collects. See README, Batch jobs."),
    click.option("--collect", "batch_collect", is_flag=True,
                 help="Poll the submitted batch jobs, read the finished ones and store their critiques; submit nothing."),
    click.option("--cancel", "batch_cancel", is_flag=True,
                 help="Cancel every open batch job of --model (the ones --collect polls): the provider stops them;"
                      " what already finished is kept (and billed) and is read, with --wait or a later --collect;"
                      " what never ran fails as cancelled, and --batch submits it again. With --dry-run, lists them."),
    click.option("--repair", "batch_repair", type=click.Choice(["sync", "batch"]), default="sync", show_default=True,
                 help="With --batch/--collect: send an invalid reply's one repair at once (sync) or in a new batch job."),
    click.option("--wait", "batch_wait", is_flag=True,
                 help="With --batch/--collect/--cancel: keep polling until every batch job has finished."),
    click.option("--poll-interval", "batch_poll_interval", type=click.FloatRange(min=0.01), default=30.0,
                 show_default=True, help="With --wait: seconds between polls."),
]


def batch_job_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(BATCH_OPTIONS):
        fn = option(fn)
    return fn


def wants_batch_jobs(params: dict[str, Any]) -> bool:
    """Whether the batch options ask for batch jobs; a usage error when they contradict each other."""
    given = [flag for flag, name in (("--batch", "batch_submit"), ("--collect", "batch_collect"),
                                     ("--cancel", "batch_cancel")) if params[name]]
    if len(given) > 1:
        raise click.UsageError(f"{' and '.join(given)}: --batch submits (and collects), --collect only collects,"
                               " --cancel stops the open batch jobs: give one of them")
    if params["evaluate"] and given:
        raise click.UsageError(f"--evaluate reads stored critiques: run it without {given[0]} once the batch jobs are collected")
    if params["batch_wait"] and not given:
        raise click.UsageError("--wait is for --batch, --collect or --cancel")
    return bool(given)


def run_batch_command(options, db_path: str, as_json: bool, params: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    from ..critique.batch import CritiqueSetupError
    from ..critique.provider_batch import BatchJobOptions, run_batch_jobs
    from ..llm.batches import BatchJobError
    from ..llm.client import LLMSetupError
    from ..render.batch_jobs import render_batch_jobs

    jobs = BatchJobOptions(submit=params["batch_submit"], cancel=params["batch_cancel"], repair=params["batch_repair"],
                           wait=params["batch_wait"], poll_interval=params["batch_poll_interval"])

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
    if jobs.cancel and not report.cancels:
        click.echo(f"error: --cancel: no open batch job of {options.model} to cancel (every one recorded is collected);"
                   f" nothing was sent", err=True)
        sys.exit(EXIT_NOTHING_FOUND)
    if as_json:
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(render_batch_jobs(report)))
    refused = [c for c in report.cancels if c.outcome == "refused"]
    if refused:
        raise click.ClickException(f"{len(refused)} of {len(report.cancels)} batch job(s) could not be cancelled: "
                                   + "; ".join(c.message for c in refused))
