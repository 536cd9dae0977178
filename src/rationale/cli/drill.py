"""`rationale drill`: practise ranking pairs, with a terminal front end and a scripted one.

`TerminalIO` (stdin is a terminal) wraps text to the terminal width, pages
long screens with `click.echo_via_pager`, and opens `$EDITOR` for the
rationale on request. `ScriptedIO` (stdin is not a terminal) reads the
answers line by line, so a drill can be scripted (the line format is in
`rationale.drill`).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

import click

from .common import db_option, report_input_errors

if TYPE_CHECKING:
    from ..drill.run import DrillIO


def terminal_width() -> int:
    return max(40, min(shutil.get_terminal_size((80, 24)).columns, 120))


class TerminalIO:
    """A person at a terminal: wrapped text, a pager for long screens, $EDITOR on request."""

    interactive = True

    @property
    def width(self) -> int:
        return terminal_width()

    def show(self, text: str) -> None:
        click.echo(text)

    def show_long(self, text: str) -> None:
        rows = shutil.get_terminal_size((80, 24)).lines
        if text.count("\n") + 1 > rows - 2:
            # less -X leaves the pair on screen after quitting, so it can be read while answering;
            # -F skips the pager when it fits after all. A trainee's own LESS wins.
            os.environ.setdefault("LESS", "FRX")
            click.echo_via_pager(text + "\n")
        else:
            click.echo(text)

    def problem(self, text: str) -> None:
        click.secho("  ! " + text, fg="yellow")

    def ask(self, label: str) -> str:
        try:
            return click.prompt(click.style(label, bold=True), default="", show_default=False, prompt_suffix="\n> ")
        except click.exceptions.Abort:  # Ctrl-C or Ctrl-D at the prompt
            raise KeyboardInterrupt from None

    def ask_line(self) -> str:
        try:
            return click.prompt("", default="", show_default=False, prompt_suffix="> ")
        except click.exceptions.Abort:
            raise KeyboardInterrupt from None

    def edit(self, text: str) -> str | None:
        return click.edit(text, extension=".md")


class ScriptedIO:
    """Answers read line by line from a non-terminal stdin; the transcript goes to stdout."""

    interactive = False

    def __init__(self, lines: Iterator[str] | None = None):
        if lines is None and hasattr(sys.stdin, "reconfigure"):
            # Undecodable bytes become U+FFFD and are refused as an answer, not a traceback.
            sys.stdin.reconfigure(errors="replace")
        stream = lines if lines is not None else iter(sys.stdin)
        self._lines = stream

    @property
    def width(self) -> int:
        return terminal_width()

    def show(self, text: str) -> None:
        click.echo(text)

    show_long = show

    def problem(self, text: str) -> None:
        click.echo("! " + text)

    def _next(self) -> str:
        from ..drill.answers import EndOfInput

        try:
            return next(self._lines).rstrip("\r\n")
        except StopIteration:
            raise EndOfInput from None

    def ask(self, label: str) -> str:
        value = self._next()
        click.echo(f"{label}\n> {value}")
        return value

    def ask_line(self) -> str:
        value = self._next()
        click.echo(f"> {value}")
        return value

    def edit(self, text: str) -> str | None:
        return None


def choose_io() -> DrillIO:
    return TerminalIO() if sys.stdin.isatty() else ScriptedIO()


@click.command("drill")
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
    from ..drill import drill

    def run() -> int:
        return drill(
            io=choose_io(),
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
        from ..llm.client import LLMSetupError

        try:
            code = report_input_errors(run)
        except LLMSetupError as exc:
            raise click.ClickException(str(exc)) from None
    else:
        code = report_input_errors(run)
    sys.exit(code)
