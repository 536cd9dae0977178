"""`rationale revise`: record a revised rationale and re-grade it, keeping the original."""

from __future__ import annotations

import click

from .common import db_option, report_input_errors, require_db


@click.command("revise")
@click.argument("item_id")
@click.option("--annotator", required=True, help="Whose answer to revise.")
@click.option("--rationale", "text", help="The revised rationale (else --rationale-file, else $EDITOR).")
@click.option("--rationale-file", type=click.Path(dir_okay=False, allow_dash=True), help="Read the revised rationale from a file ('-' for stdin).")
@click.option("--preference", type=click.Choice(["A", "B", "tie"]), help="A changed preference.")
@click.option("--strength", type=int, help="A changed signed strength.")
@click.option("--criteria", help="Changed criteria, comma-separated ids.")
@click.option("--note", help="Why you revised it (kept with the revision).")
@db_option
def revise_cmd(item_id, annotator, text, rationale_file, preference, strength, criteria, note, db_path) -> None:
    """Record a revised rationale and re-grade it, keeping the original.

    The choice, strength and criteria stay as they were unless given; a new
    --preference without --strength keeps the old strength's size on the new
    side (the command says so). Exports show both versions, so a portfolio can
    show before and after.

    \b
    Example:
      rationale revise drill-07 --annotator trainee-tara --rationale-file better.txt

    \b
    Exit status: 0 stored (or nothing changed); 1 no rationale given in the editor;
    2 no such answer, or a revision that does not fit the rubric (nothing written);
    75 the database stayed busy with another command's write past the wait;
    130 interrupted (Ctrl-C) before the revision was stored (nothing written).
    """
    from ..io import read_text
    from ..models.base import MAX_RATIONALE_CHARS
    from ..revision import previous_answer, revise
    from ..store import open_db

    require_db(db_path, "run `rationale grade` first")
    if text is None and rationale_file is not None:
        # 4 bytes per character at most in UTF-8: a longer file cannot hold a rationale within the limit
        text = report_input_errors(lambda: read_text(rationale_file, 4 * MAX_RATIONALE_CHARS))
    db = open_db(db_path)
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
    answer = result.answer
    assert answer is not None
    strength = "" if answer.strength is None else f" {answer.strength:+d}" if answer.strength else " 0"
    click.echo(
        f"{item_id}: version {result.version} stored ({answer.preference}{strength};"
        f" criteria: {', '.join(answer.criteria) or 'none'}); score {before} -> {result.grade.score:.0f}"
        f" ({'pass' if result.grade.passed else 'not yet'})"
    )
    if result.strength_moved:  # not a value the trainee typed: say where it came from
        click.echo(f"  strength{strength}: your earlier strength's size on the side you chose now; --strength sets another")
    for finding in result.grade.findings:
        click.echo(f"  [{finding.severity.value}] {finding.message}")
