"""The command line: each command parses options and calls a plain function.

Nothing here knows how grading, storing or reporting work; the functions it
calls know nothing of Click. Keep imports of heavy modules (litellm above all)
inside the commands that need them, so `rationale --help` starts fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from . import __version__
from .errors import InputError

T = TypeVar("T")

# Read from the shipped schema files, not from the models: importing the pydantic models costs
# ~150 ms that `rationale --help` should not pay (tests/test_schemas.py checks the two agree).
SCHEMA_NAMES = sorted(p.name.removesuffix(".schema.json") for p in (Path(__file__).parent / "schemas").glob("*.schema.json"))

EXIT_BAD_INPUT = 2


def report_input_errors(fn: Callable[[], T]) -> T:
    """Run `fn`; on bad input print every problem as FILE:LINE: field: message and exit 2."""
    try:
        return fn()
    except InputError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        count = len(exc.problems)
        click.echo(f"error: {count} problem{'s' if count != 1 else ''} in the input; nothing was written.", err=True)
        sys.exit(EXIT_BAD_INPUT)


db_option = click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    envvar="RATIONALE_DB",
    default="rationale.db",
    show_default=True,
    help="SQLite database file (env RATIONALE_DB).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="rationale")
def main() -> None:
    """Teach and check the people who write preference data for AI models.

    Grade pairwise judgments and their written rationales against a rubric
    and a lead's gold answers, critique them with an LLM as a second
    reviewer, calibrate annotators, drill, and export a portfolio. Every
    result lands in one SQLite file you can browse with Datasette.

    \b
    Example:
      rationale grade examples/drill/judgments.jsonl --rubric rubrics/hhh.yaml \\
          --gold examples/drill/gold.jsonl --items examples/drill/items.jsonl
    """


# --------------------------------------------------------------------------- schema


@main.command()
@click.argument("name", type=click.Choice(SCHEMA_NAMES))
def schema(name: str) -> None:
    """Print the JSON Schema of a file format.

    \b
    Example:
      rationale schema judgment > judgment.schema.json
    """
    from .schemas_gen import render

    click.echo(render(name), nl=False)


# --------------------------------------------------------------------------- rubric


@main.group()
def rubric() -> None:
    """Check and display annotation rubrics."""


@rubric.command("validate")
@click.argument("path", type=click.Path(dir_okay=False))
def rubric_validate(path: str) -> None:
    """Check a rubric file (YAML or JSON); exit 2 with every problem if it is invalid.

    \b
    Example:
      rationale rubric validate rubrics/hhh.yaml
    """
    from .loaders import load_rubric

    loaded = report_input_errors(lambda: load_rubric(path))
    click.echo(f"{path}: ok ({loaded.id} v{loaded.version}, {len(loaded.criteria)} criteria, hash {loaded.content_hash})")


@rubric.command("show")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the parsed rubric as JSON.")
def rubric_show(path: str, as_json: bool) -> None:
    """Show a rubric's criteria, level descriptors and strength scale.

    \b
    Example:
      rationale rubric show rubrics/code-review.yaml
    """
    from .loaders import load_rubric
    from .report import render_rubric

    loaded = report_input_errors(lambda: load_rubric(path))
    if as_json:
        click.echo(json.dumps(loaded.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        click.echo(render_rubric(loaded))


# --------------------------------------------------------------------------- grade


@main.command("grade")
@click.argument("judgments", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--rubric", "rubric_path", required=True, type=click.Path(dir_okay=False), help="Rubric file (YAML or JSON).")
@click.option("--gold", "gold_path", required=True, type=click.Path(dir_okay=False), help="The lead's gold answers (JSONL or CSV).")
@click.option("--items", "items_path", required=True, type=click.Path(dir_okay=False), help="The items judged (JSONL or CSV).")
@db_option
@click.option("--annotator", help="Grade only this annotator (and take records without an annotator to be theirs).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as one JSON document on stdout, nothing else.")
@click.option("--critique", "critique_model", help="Then critique the graded rationales with this LLM (a litellm model name) as a second reviewer; see `rationale critique`. Grading itself never calls an LLM.")
@click.option("--critique-api-base", envvar="RATIONALE_API_BASE", help="Base URL of an OpenAI-compatible server for --critique (env RATIONALE_API_BASE).")
@click.option("--critique-concurrency", type=click.IntRange(1, 256), default=4, show_default=True, help="Requests in flight at once for --critique.")
@click.option("--critique-budget", type=click.FloatRange(min=0), help="With --critique: stop before spending more than this many USD.")
def grade_cmd(judgments, rubric_path, gold_path, items_path, db_path, annotator, as_json, critique_model=None,
              critique_api_base=None, critique_concurrency=4, critique_budget=None) -> None:
    """Grade trainees' judgments and rationales against gold answers and store the feedback.

    Each judgment gets a 0-100 score, pass/fail against the rubric's pass mark
    and findings that explain every deduction; the summary shows accuracy,
    mean score, pass rate, the weakest criteria and the most-missed key
    points. Everything is stored in the database (re-running adds nothing;
    a changed rationale is kept as a new version). Exit 0 when grading ran,
    whatever the scores; 2 on bad input, with every problem listed and
    nothing written.

    \b
    Example:
      rationale grade examples/drill/judgments.jsonl --rubric rubrics/hhh.yaml \\
          --gold examples/drill/gold.jsonl --items examples/drill/items.jsonl
      rationale grade batch1.jsonl batch2.csv --rubric rubrics/hhh.yaml \\
          --gold gold.jsonl --items items.jsonl --annotator ana --json > ana.json
    """
    from .grading import grade_files
    from .report import iter_grading_text, write_grading_json

    if critique_model:
        _check_critique_key(critique_model, critique_api_base)  # before anything is graded or written
    report = report_input_errors(
        lambda: grade_files(
            list(judgments),
            rubric_path=rubric_path,
            gold_path=gold_path,
            items_path=items_path,
            db_path=db_path,
            annotator=annotator,
        )
    )
    critique_options = None
    if critique_model:
        from .critique_batch import CritiqueOptions

        critique_options = CritiqueOptions(model=critique_model, api_base=critique_api_base or None,
                                           pairs=[(r.annotator, r.item_id) for r in report.results],
                                           concurrency=critique_concurrency, budget=critique_budget)
    if as_json:
        if critique_options is not None:
            from .report import grading_json

            combined = json.loads(grading_json(report))
            combined["critique"] = _critique_after_grade(critique_options, db_path).to_json()
            click.echo(json.dumps(combined, indent=2, ensure_ascii=False))
            return
        write_grading_json(report, sys.stdout)
        return
    chunk: list[str] = []
    for line in iter_grading_text(report):
        chunk.append(line)
        if len(chunk) >= 1000:
            click.echo("\n".join(chunk))
            chunk.clear()
    if chunk:
        click.echo("\n".join(chunk))
    if critique_options is not None:
        from .critique_batch import render_report

        click.echo("")
        click.echo("\n".join(render_report(_critique_after_grade(critique_options, db_path))))


def _check_critique_key(model: str, api_base: str | None) -> None:
    from .llm import LLMSetupError, call_credentials

    try:
        call_credentials(model, api_base or None)
    except LLMSetupError as exc:
        raise click.ClickException(str(exc)) from None


def _critique_after_grade(options, db_path: str):  # type: ignore[no-untyped-def]
    """`grade --critique`: critique the judgments this grading run stored or graded."""
    from .critique_batch import CritiqueSetupError, critique_stored
    from .llm import LLMSetupError

    try:
        return critique_stored(db_path, options, progress=_critique_progress(True))
    except (LLMSetupError, CritiqueSetupError) as exc:
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt:
        click.echo("\ninterrupted: the grades and every critique finished so far are saved;"
                   " run `rationale critique` to resume.", err=True)
        sys.exit(130)


# --------------------------------------------------------------------------- critique (LLM second reviewer)


def _critique_progress(enabled: bool):  # type: ignore[no-untyped-def]
    """A one-line progress display on stderr: rewritten in place on a terminal, every 10% otherwise."""
    from .critique_batch import progress_line

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
    """Shared by `critique` and `grade --critique`: run the batch, print the report, exit 1 on setup errors."""
    from .critique_batch import CritiqueSetupError, critique_stored, render_report
    from .llm import LLMSetupError

    try:
        report = report_input_errors(lambda: critique_stored(db_path, options, progress=_critique_progress(show_progress)))
    except (LLMSetupError, CritiqueSetupError) as exc:
        raise click.ClickException(str(exc)) from None
    except KeyboardInterrupt:
        click.echo("\ninterrupted: every critique finished so far is saved; run the same command again to resume.", err=True)
        sys.exit(130)
    evaluation = None
    if evaluate and not options.dry_run:
        from .reviewer_eval import evaluate_reviewer

        evaluation = evaluate_reviewer(db_path, model=options.model, annotator=options.annotator)
    if as_json:
        payload = report.to_json()
        if evaluation is not None:
            payload["evaluation"] = evaluation.to_json()
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    click.echo("\n".join(render_report(report)))
    if evaluation is not None:
        from .reviewer_eval import render_evaluation

        click.echo("\n".join(render_evaluation(evaluation)))


def _model_or_fail(model: str | None) -> str:
    if not model:
        raise click.UsageError("no model: pass --model (a litellm name such as openai/gpt-4o-mini) or set RATIONALE_MODEL")
    return model


@main.command("critique")
@click.option("--model", envvar="RATIONALE_MODEL", help="litellm model name, e.g. openai/gpt-4o-mini, anthropic/..., ollama/..., or openai/NAME with --api-base (env RATIONALE_MODEL).")
@click.option("--api-base", envvar="RATIONALE_API_BASE", help="Base URL of an OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1 (env RATIONALE_API_BASE).")
@db_option
@click.option("--annotator", help="Only this annotator's judgments.")
@click.option("--run", "run_id", type=int, help="Only the judgments stored or graded by this run id.")
@click.option("--rubric", "rubric_path", type=click.Path(dir_okay=False), help="Review under this rubric instead of the one each judgment was graded with.")
@click.option("--concurrency", type=click.IntRange(1, 256), default=4, show_default=True, help="Requests in flight at once.")
@click.option("--budget", type=click.FloatRange(min=0), help="Stop before spending more than this many USD (priced models only).")
@click.option("--timeout", type=click.FloatRange(min=0.01), default=120.0, show_default=True, help="Seconds per request before it is retried.")
@click.option("--dry-run", is_flag=True, help="Count the requests and estimate tokens; send nothing.")
@click.option("--with-gold", is_flag=True, help="Show the reviewer the lead's gold answer (by default it judges independently).")
@click.option("--no-swap", is_flag=True, help="Ask the reviewer's own verdict in the given A/B order only (half the requests).")
@click.option("--retry-failed", is_flag=True, help="Retry critiques that failed before (they are otherwise skipped).")
@click.option("--output-mode", type=click.Choice(["auto", "schema", "json", "grammar"]), default="auto", show_default=True, help="How to ask for JSON: auto (schema where litellm says the model supports it, else json), schema, json, or grammar (llama.cpp's server: JSON mode constrained to the schema).")
@click.option("--evaluate", is_flag=True, help="On items with gold, report the reviewer's agreement with gold, order consistency and Cohen's kappa.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout.")
def critique_cmd(model, api_base, db_path, annotator, run_id, rubric_path, concurrency, budget, timeout, dry_run,
                 with_gold, no_swap, retry_failed, output_mode, evaluate, as_json) -> None:
    """Critique stored rationales with an LLM as a second reviewer.

    For each stored judgment with a rationale, the model scores the rationale
    on every rubric criterion, lists issues and strengths, gives its own
    verdict (asked with A and B in both orders unless --no-swap) and suggests a
    better rationale. Disagreements with the trainee or gold, unsure or
    order-inconsistent verdicts and injection attempts are escalated for a lead
    (see the `escalations` view). Requests are cached in the database: a
    re-run sends nothing new, an interrupted run resumes. Keys come from the
    provider's usual environment variable (e.g. OPENAI_API_KEY).

    \b
    Example:
      rationale critique --model openai/gpt-4o-mini --annotator trainee-tara --budget 0.50
      rationale critique --model openai/smollm2 --api-base http://127.0.0.1:8080/v1 --dry-run
      rationale critique --model openai/gpt-4o-mini --evaluate
    """
    from pathlib import Path

    from .critique_batch import CritiqueOptions

    model = _model_or_fail(model)
    if not Path(db_path).exists():
        raise click.ClickException(f"no database at {db_path}: run `rationale grade` first")
    options = CritiqueOptions(
        model=model,
        api_base=api_base or None,
        annotator=annotator,
        run_id=run_id,
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
    run_critique_command(options, db_path, as_json, evaluate)


# --------------------------------------------------------------------------- export and revise


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "jsonl", "dpo"]), required=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(), required=True, help="Output file (md: a .md file, or a directory for one file per example).")
@click.option("--annotator", help="Only this annotator's examples.")
@click.option("--min-score", type=click.FloatRange(0, 100), help="Only examples scoring at least this (0-100).")
@click.option("--tag", "tags", multiple=True, help="Only items or gold carrying this tag (repeatable).")
@click.option("--item", "item_ids", multiple=True, help="Only this item (repeatable).")
@click.option("--with-critique", is_flag=True, help="Include the second reviewer's critique where one exists.")
@click.option("--anonymize", is_flag=True, help="Replace annotator names with stable pseudonyms everywhere, file names included.")
@db_option
def export_cmd(fmt, output, annotator, min_score, tags, item_ids, with_critique, anonymize, db_path) -> None:
    """Export graded examples for a portfolio or as training data.

    \b
    Formats:
      md     readable Markdown (one file, or one per example into a directory)
      html   one self-contained page with a summary and charts, print-friendly
      jsonl  full records with schema version and content hashes
      dpo    prompt/chosen/rejected rows for TRL's DPO trainer (ties left out)

    \b
    Example:
      rationale export --format html --annotator trainee-tara --with-critique -o portfolio.html
    """
    from pathlib import Path

    from .db import open_db, resolve_db_path
    from .export import export

    if not resolve_db_path(db_path).exists():
        raise click.ClickException(f"no database at {db_path}: run `rationale grade` first")
    db = open_db(db_path)
    result = export(
        db,
        fmt,
        Path(output),
        annotator=annotator,
        min_score=min_score,
        tags=tuple(tags),
        item_ids=tuple(item_ids),
        with_critique=with_critique,
        anonymize_names=anonymize,
    )
    for message in result.messages:
        click.echo(message, err=True)
    where = result.paths[0] if len(result.paths) == 1 else f"{len(result.paths)} files in {output}"
    click.echo(f"exported {result.examples} example{'s' if result.examples != 1 else ''} to {where}", err=True)


@main.command("revise")
@click.argument("item_id")
@click.option("--annotator", required=True, help="Whose answer to revise.")
@click.option("--rationale", "text", help="The revised rationale (else --rationale-file, else $EDITOR).")
@click.option("--rationale-file", type=click.File("r", encoding="utf-8"), help="Read the revised rationale from a file ('-' for stdin).")
@click.option("--preference", type=click.Choice(["A", "B", "tie"]), help="A changed preference.")
@click.option("--strength", type=int, help="A changed signed strength.")
@click.option("--criteria", help="Changed criteria, comma-separated ids.")
@click.option("--note", help="Why you revised it (kept with the revision).")
@db_option
def revise_cmd(item_id, annotator, text, rationale_file, preference, strength, criteria, note, db_path) -> None:
    """Record a revised rationale and re-grade it, keeping the original.

    Exports show both versions, so a portfolio can show before and after.

    \b
    Example:
      rationale revise drill-07 --annotator trainee-tara --rationale-file better.txt
    """
    from .db import open_db, resolve_db_path
    from .revision import previous_answer, revise

    if not resolve_db_path(db_path).exists():
        raise click.ClickException(f"no database at {db_path}: run `rationale grade` first")
    db = open_db(db_path)
    if text is None and rationale_file is not None:
        text = rationale_file.read()
    if text is None:
        old = report_input_errors(lambda: previous_answer(db, item_id, annotator))
        text = click.edit(old["rationale"] or "", extension=".txt")
        if text is None:
            raise click.ClickException("no rationale given; nothing was changed")
    text = text.strip()
    chosen = [c.strip() for c in criteria.split(",") if c.strip()] if criteria is not None else None
    result = report_input_errors(
        lambda: revise(db, item_id, annotator, text, preference=preference, strength=strength, criteria=chosen, note=note)
    )
    if result.grade is None:
        click.echo(f"nothing changed: version {result.previous_version} already says this")
        return
    before = "ungraded" if result.previous_score is None else f"{result.previous_score:.0f}"
    click.echo(
        f"{item_id}: version {result.version} stored; score {before} -> {result.grade.score:.0f}"
        f" ({'pass' if result.grade.passed else 'not yet'})"
    )
    for finding in result.grade.findings:
        click.echo(f"  [{finding.severity.value}] {finding.message}")


# --------------------------------------------------------------------------- drill and progress


@main.command("drill")
@click.option("--items", "items_path", required=True, type=click.Path(dir_okay=False), help="The items to drill (JSONL or CSV).")
@click.option("--gold", "gold_path", required=True, type=click.Path(dir_okay=False), help="The lead's gold answers (JSONL or CSV).")
@click.option("--rubric", "rubric_path", required=True, type=click.Path(dir_okay=False), help="Rubric file (YAML or JSON).")
@click.option("--annotator", required=True, help="Your annotator name (your schedule and progress are kept under it).")
@click.option("--n", "n", type=click.IntRange(min=1), default=10, show_default=True, help="Items in a new session.")
@click.option(
    "--order",
    type=click.Choice(["new", "missed", "mixed"]),
    default="mixed",
    show_default=True,
    help="new: unseen items; missed: items you did not pass, when due; mixed: due reviews, a few swapped re-serves, new items.",
)
@click.option("--seed", type=int, help="Seed for choosing and ordering items (reproducible sessions).")
@click.option("--critique", "critique_model", help="Also ask the LLM second reviewer (a litellm model name) about each answer.")
@click.option("--api-base", envvar="RATIONALE_API_BASE", help="Base URL of an OpenAI-compatible server for --critique (env RATIONALE_API_BASE).")
@db_option
def drill_cmd(items_path, gold_path, rubric_path, annotator, n, order, seed, critique_model, api_base, db_path) -> None:
    """Practise ranking pairs in the terminal, with feedback after every answer.

    For each pair: choose A, B or tie, the strength, the criteria you relied
    on and write a rationale (end it with a line '.', or type 'e' for
    $EDITOR). '?' at any prompt shows the rubric; 'q' stops. Each answer is
    graded and saved at once: after Ctrl-C, run the same command again to
    carry on.

    \b
    When stdin is not a terminal, answers are read line by line, per item:
      A | B | tie        the preference (q stops, ? shows the rubric)
      2  or  -2          the strength (its size takes the preference's side); no line after tie
      1,3  or  honesty   the criteria, by number or id; an empty line or - for none
      ...                the rationale, any number of lines, then a line with a single .
    An invalid line is explained and the next line is a new try.

    \b
    Example:
      rationale drill --items examples/drill/items.jsonl --gold examples/drill/gold.jsonl \\
          --rubric rubrics/hhh.yaml --annotator trainee-tara --n 5
    """
    from .drill import drill

    def run() -> int:
        return drill(
            items_path=items_path,
            gold_path=gold_path,
            rubric_path=rubric_path,
            annotator=annotator,
            db_path=db_path,
            n=n,
            order=order,
            seed=seed,
            critique_model=critique_model,
            api_base=api_base or None,
        )

    if critique_model:
        from .llm import LLMSetupError

        try:
            code = report_input_errors(run)
        except LLMSetupError as exc:
            raise click.ClickException(str(exc)) from None
    else:
        code = report_input_errors(run)
    sys.exit(code)


@main.command("progress")
@click.argument("annotator")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@db_option
def progress_cmd(annotator, fmt, output, db_path) -> None:
    """Show a trainee's progress: accuracy and scores over sessions, per-criterion curves, biases, next focus.

    \b
    Example:
      rationale progress trainee-tara --format html -o tara-progress.html
    """
    from .db import resolve_db_path
    from .progress import progress_report

    if not resolve_db_path(db_path).exists():
        raise click.ClickException(f"no database at {db_path}: run `rationale drill` or `rationale grade` first")
    text = progress_report(annotator, db_path=db_path, fmt=fmt, output=output)
    click.echo(text, err=output is not None)


# --------------------------------------------------------------------------- calibrate


@main.command("calibrate")
@click.argument("judgments", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--items", "items_path", type=click.Path(dir_okay=False), help="Items file (JSONL or CSV).")
@click.option("--rubric", "rubric_path", type=click.Path(dir_okay=False), help="Rubric file (YAML or JSON).")
@click.option("--gold", "gold_path", type=click.Path(dir_okay=False), help="Gold answers: enables accuracy, verdicts and biases.")
@click.option("--batch", help="Name of the batch (default: derived from its content; a name run again replaces it).")
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.8, show_default=True, help="Accuracy an annotator must reach.")
@click.option("--min-items", type=click.IntRange(1), default=20, show_default=True, help="Gold items needed before a verdict.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md", "html"]), default="text", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to this file instead of stdout.")
@click.option("--history", "history_of", metavar="ANNOTATOR", help="Show ANNOTATOR's figures across stored batches instead.")
@db_option
def calibrate_cmd(judgments, items_path, rubric_path, gold_path, batch, threshold, min_items, fmt, output, history_of, db_path) -> None:
    """Calibrate annotators on a shared batch: agreement, accuracy against gold, biases, unclear guidelines.

    \b
    Examples:
      rationale calibrate examples/calibration/judgments.jsonl --items examples/drill/items.jsonl \\
          --rubric rubrics/hhh.yaml --gold examples/drill/gold.jsonl --format html -o calibration.html
      rationale calibrate --history rushed-raj
    """
    from pathlib import Path

    from .calibration import annotator_history, calibrate_files
    from .calibration_report import render, render_history

    if history_of is not None:
        if judgments:
            raise click.UsageError("--history reads stored batches; give it no judgment files")
        from .db import resolve_db_path

        if not resolve_db_path(db_path).exists():
            raise click.ClickException(f"no database at {db_path}: run `rationale calibrate` on a batch first")
        if fmt == "html":
            raise click.UsageError("--history supports --format text, json or md")
        text = render_history(annotator_history(db_path, history_of), fmt)
    else:
        missing = [name for name, value in (("JUDGMENTS", judgments), ("--items", items_path), ("--rubric", rubric_path)) if not value]
        if missing:
            raise click.UsageError(f"missing {', '.join(missing)}")
        report = report_input_errors(
            lambda: calibrate_files(
                judgments,
                items_path=items_path,
                rubric_path=rubric_path,
                gold_path=gold_path,
                batch=batch,
                threshold=threshold,
                min_items=min_items,
                db_path=db_path,
            )
        )
        text = render(report, fmt)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


# --------------------------------------------------------------------------- import


def _parse_map(pairs: tuple[str, ...]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        target, sep, source = pair.partition("=")
        if not sep or not target.strip() or not source:
            raise click.BadParameter(f"{pair!r} should look like TARGET=FIELD or TARGET='{{field}} text'", param_hint="--map")
        mapping[target.strip()] = source
    return mapping


@main.command("import")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(["hh-rlhf", "arena", "llmbar", "argilla", "label-studio", "jsonl", "json"]))
@click.argument("sources", metavar="SOURCE...", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", "output_dir", required=True, type=click.Path(file_okay=False), help="Directory for items.jsonl, gold.jsonl, judgments.jsonl.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the per-item A/B order (hh-rlhf, arena).")
@click.option("--limit", type=click.IntRange(min=1), help="Stop after this many items.")
@click.option("--map", "maps", multiple=True, metavar="TARGET=FIELD", help="Where a target comes from: a field, a.dotted.path or a '{template}'. Repeatable.")
@click.option("--gold-field", help="Field holding the gold label (jsonl/json).")
@click.option("--gold-from-votes", type=click.Choice(["majority"]), help="Make gold from the votes' strict majority.")
@click.option("--vote-fields", help="Comma-separated columns, one vote (judgment) each; annotator = column name.")
@click.option("--labels", "labels_spec", metavar="V=A,V=B,V=tie", help="How source labels map to A/B/tie, e.g. 0=tie,1=A,2=B.")
@click.option("--rationale-field", help="Where each vote's reasoning is (a column, '{vote}_reason', or an Argilla/Label Studio question).")
@click.option("--skip-bad", is_flag=True, help="Skip malformed rows (listed) instead of failing with exit 2.")
def import_cmd(fmt, sources, output_dir, seed, limit, maps, gold_field, gold_from_votes, vote_fields, labels_spec, rationale_field, skip_bad) -> None:
    """Import preference data into items.jsonl, gold.jsonl and judgments.jsonl.

    Formats: hh-rlhf, arena (Chatbot Arena / MT-Bench human judgments),
    llmbar, argilla, label-studio, and jsonl/json by field mapping.
    Malformed rows are listed as FILE:LINE: field: message and nothing is
    written (exit 2) unless --skip-bad. See docs/IMPORT.md.

    \b
    Examples:
      rationale import hh-rlhf harmless-base-test.jsonl.gz -o data/hh --limit 200
      rationale import llmbar natural.json -o data/llmbar
      rationale import jsonl votes.jsonl -o data/votes --map prompt='{instruction}\\n\\n{input}' \\
          --map response_a=response1 --map response_b=response2 \\
          --vote-fields annotator1,annotator2,annotator3 --labels 0=tie,1=A,2=B --gold-from-votes majority
    """
    from .importers import ImportUsageError, import_source, parse_labels

    try:
        labels = parse_labels(labels_spec) if labels_spec else None
        fields = [f.strip() for f in vote_fields.split(",") if f.strip()] if vote_fields else []
        summary = report_input_errors(
            lambda: import_source(
                fmt,
                sources,
                output_dir,
                seed=seed,
                limit=limit,
                field_map=_parse_map(maps),
                gold_field=gold_field,
                gold_from_votes=gold_from_votes,
                vote_fields=fields,
                labels=labels,
                rationale_field=rationale_field,
                skip_bad=skip_bad,
            )
        )
    except ImportUsageError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(summary.render())
