"""`rationale progress`: a trainee's progress over sessions, as text, JSON or HTML."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import EXIT_NOTHING_FOUND, db_option, format_options, require_db, unknown_name


@click.command("progress")
@click.argument("annotator")
@format_options("text", "json", "html")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to this file instead of stdout.")
@db_option
def progress_cmd(annotator, fmt, output, db_path) -> None:
    """Show a trainee's progress: accuracy and scores over sessions, per-criterion curves, biases, next focus.

    \b
    Example:
      rationale progress trainee-tara --format html -o tara-progress.html

    \b
    Exit status: 0 shown; 1 no graded answer under that name (the known
    names are listed); 2 bad options.
    """
    from ..progress import load_progress
    from ..render.progress import render

    require_db(db_path, "run `rationale drill` or `rationale grade` first")
    report = load_progress(annotator, db_path=db_path)
    if not report.answered:
        _unknown_annotator(annotator, db_path)
    text = render(report, fmt)
    if output:
        Path(output).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text)


def _unknown_annotator(annotator: str, db_path: str) -> None:
    """Say which names the database does know, closest first, and exit 1."""
    from ..progress import known_annotators
    from ..render.formatters import terminal_safe

    known = known_annotators(db_path)
    message = f"no graded answers for {terminal_safe(annotator)!r} in {db_path}"
    if not known:
        message += ": run `rationale drill` or `rationale grade` first"
    else:
        message += unknown_name(annotator, known, "annotators with graded answers")
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_NOTHING_FOUND)
