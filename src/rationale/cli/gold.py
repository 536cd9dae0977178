"""`rationale gold lint`: gold answers checked the way the grader will read them, for the leads who write them."""

from __future__ import annotations

import sys

import click

from .common import report_input_errors

EXIT_WARNINGS = 1


@click.group()
def gold() -> None:
    """Tools for the gold answers leads write.

    \b
    Example:
      rationale gold lint examples/drill/gold.jsonl --items examples/drill/items.jsonl --rubric rubrics/hhh.yaml
    """


@gold.command("lint")
@click.argument("gold_path", metavar="GOLD", type=click.Path(dir_okay=False))
@click.option("--items", "items_path", required=True, type=click.Path(dir_okay=False), help="Items JSONL/CSV.")
@click.option("--rubric", "rubric_path", required=True, type=click.Path(dir_okay=False), help="Rubric YAML/JSON.")
def gold_lint(gold_path: str, items_path: str, rubric_path: str) -> None:
    """Warn about gold the grader would read differently from its author.

    Key points the reference rationale itself does not make (by the grader's
    reading), key points too short to recognise in other words or naming no
    response, cues that fit nearly any rationale, near-duplicate key points, and
    decisive criteria no key point applies (where key points name criteria).

    Exit 0 when there is nothing to say, 1 with warnings, 2 when a file is invalid.

    \b
    Example:
      rationale gold lint examples/drill/gold.jsonl --items examples/drill/items.jsonl --rubric rubrics/hhh.yaml
    """
    from ..grading.gold_lint import lint_gold
    from ..io import load_references
    from ..render.gold import render_gold_warnings

    rubric, _items, answers = report_input_errors(lambda: load_references(rubric_path, items_path, gold_path))
    warnings = lint_gold(list(answers.values()), rubric)
    click.echo(render_gold_warnings(gold_path, len(answers), warnings))
    if warnings:
        sys.exit(EXIT_WARNINGS)
