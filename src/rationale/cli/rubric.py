"""`rationale schema` and `rationale rubric validate|show`: the file formats and rubrics, for authors."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .common import format_options, raise_again, report_input_errors

# Read from the shipped schema files, not from the models: importing the pydantic models costs
# ~150 ms that `rationale --help` should not pay (tests/test_schemas.py checks the two agree).
SCHEMA_NAMES = sorted(p.name.removesuffix(".schema.json") for p in (Path(__file__).parent.parent / "schemas").glob("*.schema.json"))


@click.command()
@click.argument("name", type=click.Choice(SCHEMA_NAMES))
def schema(name: str) -> None:
    """Print the JSON Schema of a file format.

    \b
    Example:
      rationale schema judgment > judgment.schema.json

    Exit status: 0; 2 for a name that is not a format.
    """
    from ..schemas_gen import render

    click.echo(render(name), nl=False)


@click.group()
def rubric() -> None:
    """Check and display annotation rubrics.

    \b
    Examples:
      rationale rubric validate rubrics/hhh.yaml      # every problem at once, FILE:LINE: field: message
      rationale rubric show rubrics/code-review.yaml  # criteria, levels, strength scale, scoring
      rationale rubric show rubrics/hhh.yaml --format json
    """


@rubric.command("validate")
@click.argument("paths", metavar="PATH...", nargs=-1, required=True, type=click.Path(dir_okay=False))
def rubric_validate(paths: tuple[str, ...]) -> None:
    """Check rubric files (YAML or JSON) and list every problem in all of them at once.

    \b
    Example:
      rationale rubric validate rubrics/hhh.yaml
      rationale rubric validate rubrics/*.yaml

    \b
    Exit status: 0 all valid; 2 any invalid (each problem as FILE:LINE: field: message).
    """
    from ..errors import InputError
    from ..io import load_rubric

    problems, lines = [], []
    for path in paths:
        try:
            loaded = load_rubric(path)
        except InputError as exc:
            problems += exc.problems
            continue
        lines.append(f"{path}: ok ({loaded.id} v{loaded.version}, {len(loaded.criteria)} criteria, hash {loaded.content_hash})")
    for line in lines:
        click.echo(line)
    if problems:
        report_input_errors(lambda: raise_again(InputError(problems)), writes=False)


@rubric.command("show")
@click.argument("path", type=click.Path(dir_okay=False))
@format_options("text", "json")
def rubric_show(path: str, fmt: str) -> None:
    """Show a rubric's criteria, level descriptors and strength scale.

    \b
    Example:
      rationale rubric show rubrics/code-review.yaml

    Exit status: 0 shown; 2 an invalid rubric (every problem listed).
    """
    from ..io import load_rubric
    from ..render.rubric import render_rubric

    loaded = report_input_errors(lambda: load_rubric(path), writes=False)
    if fmt == "json":
        click.echo(json.dumps(loaded.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        click.echo(render_rubric(loaded))
