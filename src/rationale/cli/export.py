"""`rationale export`: graded examples as a portfolio (Markdown, HTML) or training data (JSONL, DPO)."""

from __future__ import annotations

import click

import shutil
import sys
import tempfile
from pathlib import Path

from .common import EXIT_NOTHING_FOUND, db_option, report_input_errors, require_db


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "jsonl", "dpo"]), required=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(allow_dash=True), required=True, help="Output file, '-' for stdout (md: a .md file, or a directory for one file per example).")
@click.option("--annotator", help="Only this annotator's examples.")
@click.option("--min-score", type=click.FloatRange(0, 100), help="Only examples scoring at least this (0-100).")
@click.option("--tag", "tags", multiple=True, help="Only items or gold carrying this tag (repeatable).")
@click.option("--item", "item_ids", multiple=True, help="Only this item (repeatable).")
@click.option("--with-critique", is_flag=True, help="Include the second reviewer's critique where one exists, and the reviewed grade its reading reached (see below).")
@click.option("--audit/--no-audit", "with_audit", default=None, help="Add the newest calibration batch's quality audit and guideline proposal. Default: with a team export, not with --annotator (the audit names the whole batch).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.option("--anonymize", is_flag=True, help="Replace annotator names with stable pseudonyms everywhere, file names included.")
@db_option
def export_cmd(fmt, output, annotator, min_score, tags, item_ids, with_critique, with_audit, quiet, anonymize, db_path) -> None:
    """Export graded examples for a portfolio or as training data.

    \b
    Formats:
      md     readable Markdown (one file, or one per example into a directory)
      html   one self-contained page with a summary and charts, print-friendly
      jsonl  full records with schema version and content hashes
      dpo    prompt/chosen/rejected rows for TRL's DPO trainer (ties left out)

    With --with-critique, an example whose critique read the gold's key points
    also shows its reviewed grade: the score (0-100) and pass the grader's own
    rules give when they follow the second reviewer's reading, beside the
    grader's score and pass, and each difference (key point, argument or
    evidence: what the grader found, what the reviewer found, whether the
    reviewed grade follows the reviewer, and why). JSONL records carry it as
    `reviewed_grade` (null where there is none); DPO rows as `reviewed_score`,
    `reviewed_passed` and `reviewed_differences` (how many; null where none).
    The grader's grade is never replaced.

    An HTML export of more than 200 examples is split: the file named by -o
    holds the summary and the contents, and the examples follow on numbered
    pages beside it (portfolio-001.html, ...).

    \b
    Example:
      rationale export --format html --annotator trainee-tara --with-critique -o portfolio.html
      rationale export --format jsonl --min-score 80 -o - | jq .item_id

    \b
    Exit status:
      0  exported
      1  no example matched the filters (nothing is written), or --with-critique
         found no critique for any of them (the export is written without)
      2  bad options
      130  interrupted (Ctrl-C): no file is left cut short (each is written aside,
           then moved into place); run it again
    """
    from ..export import export
    from ..render.portfolio import NameClash
    from ..store import open_db

    require_db(db_path, "run `rationale grade` first")
    db = open_db(db_path)
    options = dict(annotator=annotator, min_score=min_score, tags=tuple(tags), item_ids=tuple(item_ids),
                   with_critique=with_critique, anonymize_names=anonymize, with_audit=with_audit)
    from .bar import progress_bar, wanted

    with progress_bar("collecting examples", enabled=wanted(quiet)) as on_progress:
        options["on_progress"] = on_progress
        try:
            result = report_input_errors(
                lambda: _export_to_stdout(db, fmt, options) if output == "-" else export(db, fmt, Path(output), **options)
            )
        except NameClash as exc:
            raise click.ClickException(str(exc)) from None
    if not result.examples:
        click.echo("error: no graded example matches the filters; nothing was written", err=True)
        sys.exit(EXIT_NOTHING_FOUND)
    if output != "-":
        from ..render.formatters import plural

        beside = len(result.paths) - 1
        where = result.paths[0] if not beside else f"{result.paths[0]} and {beside} {plural(beside, 'page')} beside it"
        for message in result.messages:
            click.echo(message, err=True)
        click.echo(f"exported {result.examples} example{'s' if result.examples != 1 else ''} to {where}", err=True)
    if with_critique and not result.critiqued:
        click.echo("--with-critique: none of these examples has a critique, so they were exported without one;"
                   " run `rationale critique` first (exit status 1)", err=True)
        sys.exit(EXIT_NOTHING_FOUND)


def _export_to_stdout(db, fmt: str, options: dict):  # type: ignore[no-untyped-def]
    """Write the export to a temporary file and stream it to stdout (a paged HTML export needs a file)."""
    from ..export import export

    with tempfile.TemporaryDirectory() as folder:
        result = export(db, fmt, Path(folder) / f"export.{fmt}", **options)
        if not result.paths:
            return result
        if len(result.paths) != 1:
            raise click.UsageError(f"this export is {len(result.paths)} files; give -o a file name instead of '-'")
        with result.paths[0].open("rb") as written:
            shutil.copyfileobj(written, sys.stdout.buffer)
        sys.stdout.flush()
    for message in result.messages:
        click.echo(message, err=True)
    return result
