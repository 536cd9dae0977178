"""`rationale critique`: the LLM second reviewer over stored judgments (also run by `grade --critique`)."""

from __future__ import annotations

import json
import sys

import click

from .common import EXIT_INTERRUPTED, db_option, report_input_errors
from .critique_batch import batch_job_options, run_batch_command, wants_batch_jobs


def check_critique_key(model: str, api_base: str | None) -> None:
    """Stop before any work when the model's API key is missing."""
    from ..llm.client import LLMSetupError, call_credentials

    try:
        call_credentials(model, api_base or None)
    except LLMSetupError as exc:
        raise click.ClickException(str(exc)) from None


def critique_after_grade(options, db_path: str):  # type: ignore[no-untyped-def]
    """`grade --critique`: critique the judgments this grading run stored or graded."""
    from ..critique.batch import CritiqueSetupError, critique_stored
    from ..llm.client import LLMSetupError

    try:
        return critique_stored(db_path, options, progress=_critique_progress(True), events=_say)
    except (LLMSetupError, CritiqueSetupError) as exc:
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt:
        click.echo("\ninterrupted: the grades and every critique finished so far are saved;"
                   " run `rationale critique` to resume.", err=True)
        sys.exit(EXIT_INTERRUPTED)


def _say(message: str) -> None:
    """A retry, timeout, failure or the batch's plan: one line on stderr, as it happens."""
    from ..redact import redact

    if sys.stderr.isatty():
        sys.stderr.write("\r\x1b[K")  # clear a progress line being rewritten in place
    click.echo(redact(message), err=True)


def both_grades(options, db_path: str):  # type: ignore[no-untyped-def]
    """`grade --critique`: the grader's grade and the reviewed grade of each judgment this run graded."""
    from ..critique.reviewed_grade import reviewed_grades_report

    return reviewed_grades_report(db_path, options.model, list(options.pairs or []))


def _critique_progress(enabled: bool):  # type: ignore[no-untyped-def]
    """A one-line progress display on stderr: rewritten in place on a terminal, every 10% otherwise."""
    from ..render.critique import progress_line

    err = sys.stderr
    tty = err.isatty()
    state = {"shown": -1}

    def show(report) -> None:  # type: ignore[no-untyped-def]
        if not enabled:
            return
        done = report.succeeded + report.failed
        if tty:
            err.write("\r" + progress_line(report) + "\x1b[K")
            if done == report.to_do:
                err.write("\n")
            err.flush()
            return
        tenth = (10 * done) // max(report.to_do, 1)
        if tenth != state["shown"]:
            state["shown"] = tenth
            click.echo(progress_line(report), err=True)

    return show


def run_critique_command(options, db_path: str, as_json: bool, evaluate: bool, show_progress: bool = True) -> None:  # type: ignore[no-untyped-def]
    """Run the batch, print the report (and the evaluation), exit 1 on setup errors."""
    from ..critique.batch import CritiqueSetupError, critique_stored
    from ..llm.client import LLMSetupError
    from ..render.critique import render_report
    from ..render.evaluation import render_evaluation

    try:
        report = report_input_errors(lambda: critique_stored(db_path, options, progress=_critique_progress(show_progress),
                                                             events=_say if show_progress else None))
    except (LLMSetupError, CritiqueSetupError) as exc:
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt:
        click.echo("\ninterrupted: every critique finished so far is saved; run the same command again to resume.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    evaluation = None
    if evaluate and not options.dry_run:
        from ..critique.evaluation import evaluate_reviewer

        evaluation = evaluate_reviewer(db_path, model=options.model, annotator=options.annotator)
    from ..redact import redact, redact_data

    if as_json:
        payload = report.to_json()
        if evaluation is not None:
            payload["evaluation"] = evaluation.to_json()
        click.echo(json.dumps(redact_data(payload), indent=2, ensure_ascii=False))
        return
    click.echo(redact("\n".join(render_report(report))))
    if evaluation is not None:
        click.echo("\n".join(render_evaluation(evaluation)))


def print_evaluation(db_path: str, model: str | None, annotator: str | None, as_json: bool) -> None:
    """`--evaluate-only`: the evaluation of the critiques already stored; no request, no key."""
    from ..critique.evaluation import evaluate_reviewer
    from ..render.evaluation import render_evaluation

    evaluation = evaluate_reviewer(db_path, model=model, annotator=annotator)
    if as_json:
        click.echo(json.dumps({"evaluation": evaluation.to_json()}, indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(render_evaluation(evaluation)))


def _model_or_fail(model: str | None) -> str:
    if not model:
        raise click.UsageError("no model: pass --model (a litellm name such as openai/gpt-4o-mini) or set RATIONALE_MODEL")
    return model


@click.command("critique")
@click.option("--model", envvar="RATIONALE_MODEL", help="litellm model name, e.g. openai/gpt-4o-mini, anthropic/..., ollama/..., or openai/NAME with --api-base (env RATIONALE_MODEL).")
@click.option("--api-base", envvar="RATIONALE_API_BASE", help="Base URL of an OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1 (env RATIONALE_API_BASE).")
@db_option
@click.option("--annotator", help="Only this annotator's judgments.")
@click.option("--run", "run_id", type=int, help="Only the answers run N graded (new or already stored), in the versions it graded; run ids are in the `runs` table.")
@click.option("--item", "item_ids", multiple=True, help="Only answers to this item id (repeatable).")
@click.option("--judgment", "judgment_prefixes", multiple=True, help="Only this answer: its hash or its first characters, as in the `judgments` table (repeatable).")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many answers (in annotator, item order): try the reviewer on a few first.")
@click.option("--rubric", "rubric_path", type=click.Path(dir_okay=False), help="Review under this rubric instead of the one each judgment was graded with.")
@click.option("--concurrency", type=click.IntRange(1, 256), help="Requests in flight at once [default: 4; for a server on this machine, the slots it reports (llama.cpp's /props), else 1].")
@click.option("--budget", type=click.FloatRange(min=0), help="Stop before spending more than this many USD (priced models only).")
@click.option("--timeout", type=click.FloatRange(min=0.01), help="Seconds per request before it is retried [default: 120; 600 for a server on this machine, where a timed-out request is not re-sent but fails with advice].")
@click.option("--dry-run", is_flag=True, help="Count the requests and estimate tokens; send nothing.")
@click.option("--with-gold", is_flag=True, help="Show the reviewer the lead's gold answer (by default it judges independently).")
@click.option("--no-swap", is_flag=True, help="Ask the reviewer's own verdict in the given A/B order only (half the requests).")
@click.option("--retry-failed", is_flag=True, help="Retry critiques that failed before (they are otherwise skipped).")
@click.option("--output-mode", type=click.Choice(["auto", "schema", "json", "grammar"]), default="auto", show_default=True, help="How to ask for JSON: auto (schema where litellm says the model supports it; with --api-base, grammar; else json), schema, json, or grammar (JSON mode with the schema attached, which llama.cpp's server enforces).")
@click.option("--max-tokens", type=click.IntRange(min=16), help="Reply-token cap per request [default: sized to each reply's schema].")
@click.option("--evaluate", is_flag=True, help="Critique the judgments of items with gold, then say whether the model is fit to review: failure rate, agreement with gold, order consistency, first-position rate, Cohen's kappa, each with n and a 95% interval, beside always-A, always-B and majority-class baselines.")
@click.option("--evaluate-only", is_flag=True, help="The --evaluate report over the critiques already stored (of --model, else of every model); sends nothing, needs no key.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout.")
@batch_job_options
def critique_cmd(model, api_base, db_path, annotator, run_id, item_ids, judgment_prefixes, limit, rubric_path,
                 concurrency, budget, timeout, dry_run, with_gold, no_swap, retry_failed, output_mode, max_tokens,
                 evaluate, evaluate_only, as_json, **batch) -> None:
    """Critique stored rationales with an LLM as a second reviewer.

    For each stored judgment with a rationale, the model scores the rationale
    on every rubric criterion, lists issues and strengths, gives its own
    verdict (asked with A and B in both orders unless --no-swap) and suggests a
    better rationale. Where gold names key points it also reads each one (made,
    contradicted or absent), the argument and the evidence, and stores the
    grade that reading reaches beside the grader's (table reviewed_grades).
    Disagreements with the trainee or gold or between the two grades, unsure
    or order-inconsistent verdicts and injection attempts are escalated for a
    lead (see the `escalations` view, which also lists reviews that failed and
    why). Requests are cached in the database: a re-run sends nothing new, an
    interrupted run resumes. Every retry, timeout and failure is shown on
    stderr as it happens. Keys come from the provider's usual environment
    variable (e.g. OPENAI_API_KEY) and are never stored or printed.

    \b
    Example:
      rationale critique --model openai/gpt-4o-mini --annotator trainee-tara --budget 0.50
      rationale critique --model openai/smollm2 --api-base http://127.0.0.1:8080/v1 --limit 3
      rationale critique --model openai/gpt-4o-mini --item drill-04 --item drill-05 --dry-run
      rationale critique --model openai/gpt-4o-mini --evaluate
      rationale critique --model openai/gpt-4o-mini --batch      # provider batch jobs
      rationale critique --model openai/gpt-4o-mini --collect    # later: store their critiques
      rationale critique --model openai/gpt-4o-mini --cancel     # stop them (what finished is kept)
      rationale critique --model openai/gpt-4o-mini --evaluate-only
    """
    from pathlib import Path

    from ..critique.batch import CritiqueOptions

    if not evaluate_only:
        model = _model_or_fail(model)
    if not Path(db_path).exists():
        raise click.ClickException(f"no database at {db_path}: run `rationale grade` first")
    if evaluate_only:
        print_evaluation(db_path, model or None, annotator, as_json)
        return
    options = CritiqueOptions(
        model=model,
        api_base=api_base or None,
        annotator=annotator,
        run_id=run_id,
        item_ids=list(item_ids) or None,
        judgment_prefixes=list(judgment_prefixes) or None,
        limit=limit,
        max_tokens=max_tokens,
        only_items_with_gold=evaluate,
        rubric_path=rubric_path,
        concurrency=concurrency,
        budget=budget,
        dry_run=dry_run,
        with_gold=with_gold,
        swap=not no_swap,
        retry_failed=retry_failed,
        timeout=timeout,
        output_mode=output_mode,
    )
    if wants_batch_jobs({**batch, "evaluate": evaluate}):
        run_batch_command(options, db_path, as_json, batch)
        return
    run_critique_command(options, db_path, as_json, evaluate)
