"""`rationale export`: graded examples as a portfolio (Markdown, HTML) or training data (JSONL, DPO)."""

from __future__ import annotations

import click

from .common import db_option, require_db


@click.command("export")
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

    from ..export import export
    from ..store import open_db

    require_db(db_path, "run `rationale grade` first")
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
