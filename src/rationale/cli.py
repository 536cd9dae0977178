"""The command line: each command parses options and calls a plain function.

Nothing here knows how grading, storing or reporting work; the functions it
calls know nothing of Click. Keep imports of heavy modules (litellm above all)
inside the commands that need them, so `rationale --help` starts fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TypeVar

import click

from . import __version__
from .errors import InputError
from .models import SCHEMA_MODELS

T = TypeVar("T")

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
@click.argument("name", type=click.Choice(sorted(SCHEMA_MODELS)))
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
