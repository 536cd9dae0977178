"""`rationale progress`: a trainee's progress over sessions, as text, JSON or HTML."""

from __future__ import annotations

from pathlib import Path

import click

from .common import db_option, require_db


@click.command("progress")
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
    from ..progress import progress_report

    require_db(db_path, "run `rationale drill` or `rationale grade` first")
    text = progress_report(annotator, db_path=db_path, fmt=fmt)
    if output:
        Path(output).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text)
