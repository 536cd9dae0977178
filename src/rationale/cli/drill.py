"""`rationale drill`: practise ranking pairs, with a terminal front end and a scripted one.

`TerminalIO` (stdin is a terminal) lays the pair out for the terminal's
width, shows a long screen a page at a time, pauses after the feedback, and
opens `$EDITOR` for the rationale on request. `ScriptedIO` (stdin is not a
terminal) reads the answers line by line, so a drill can be scripted (the
line format is in `rationale.drill`).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

import click

from ..render.formatters import terminal_safe
from .common import db_option, report_input_errors

if TYPE_CHECKING:
    from ..drill.run import DrillIO


def terminal_width() -> int:
    return max(40, min(shutil.get_terminal_size((80, 24)).columns, 120))


class TerminalIO:
    """A person at a terminal: colour, a screen at a time, a pause after feedback, $EDITOR on request.

    Nothing is handed to an external pager: a pager quit early hides the rest
    of the pair (Response B) and leaves the screen cut off. A text taller
    than the terminal is shown a screenful at a time instead, each followed
    by an Enter prompt, so all of it stays in the terminal's scrollback.
    """

    interactive = True

    def __init__(self) -> None:
        # Colour only on a terminal that shows it (https://no-color.org for NO_COLOR).
        self.colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"

    @property
    def width(self) -> int:
        return terminal_width()

    def show(self, text: str) -> None:
        click.echo(text, color=self.colour)

    def show_screen(self, text: str) -> None:
        rows = max(6, shutil.get_terminal_size((80, 24)).lines)
        lines = text.split("\n")
        page = rows - 2  # the "more" line and the cursor line
        if len(lines) <= rows - 3:  # leaves the question's two lines on screen too
            self.show(text)
            return
        for start in range(0, len(lines), page):
            end = min(start + page, len(lines))
            self.show("\n".join(lines[start:end]))
            if end < len(lines):
                self.pause(f"lines {start + 1}–{end} of {len(lines)}: Enter for more")

    def problem(self, text: str) -> None:
        click.secho("  ! " + text, fg="yellow", color=self.colour)

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

    def pause(self, label: str) -> str:
        try:
            return click.prompt(click.style(f"── {label} ──", dim=True), default="", show_default=False, prompt_suffix=" ")
        except click.exceptions.Abort:
            raise KeyboardInterrupt from None

    def edit(self, text: str) -> str | None:
        """The text written in $EDITOR; None when it was not saved or the editor could not run (said so)."""
        try:
            return click.edit(text, extension=".md")
        except click.ClickException as exc:  # no such editor, or it failed: the answer so far must not be lost
            self.problem(f"the editor did not run ({terminal_safe(exc.message)}); set $EDITOR, or type the rationale here.")
            return None


class ScriptedIO:
    """Answers read line by line from a non-terminal stdin; the transcript goes to stdout, without colour."""

    interactive = False
    colour = False

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

    show_screen = show

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
        click.echo(f"{label}\n> {terminal_safe(value)}")
        return value

    def ask_line(self) -> str:
        value = self._next()
        click.echo(f"> {terminal_safe(value)}")
        return value

    def pause(self, label: str) -> str:
        return ""  # nobody reads a scripted transcript as it scrolls, and the script holds no line for it

    def edit(self, text: str) -> str | None:
        return None


def choose_io() -> DrillIO:
    return TerminalIO() if sys.stdin.isatty() else ScriptedIO()


@click.command("drill")
@click.option("--items", "items_path", required=True, type=click.Path(dir_okay=False), help="The items to drill (JSONL or CSV).")
@click.option("--gold", "gold_path", required=True, type=click.Path(dir_okay=False), help="The lead's gold answers (JSONL or CSV).")
@click.option("--rubric", "rubric_path", required=True, type=click.Path(dir_okay=False), help="Rubric file (YAML or JSON).")
@click.option("--annotator", required=True, help="Your annotator name (your schedule and progress are kept under it).")
@click.option("--n", "n", type=click.IntRange(min=1), help="Items in a new session.  [default: 10]")
@click.option(
    "--order",
    type=click.Choice(["new", "missed", "mixed"]),
    help="new: unseen items; missed: items you did not pass, when due; mixed: due reviews, a few swapped re-serves,"
    " new items.  [default: mixed]",
)
@click.option("--seed", type=int, help="Seed for choosing and ordering items (reproducible sessions).")
@click.option("--new", "new", is_flag=True, help="Set an unfinished session aside (its answers are kept) and start a new one.")
@click.option("--critique", "critique_model", help="Also ask the LLM second reviewer (a litellm model name) about each answer.")
@click.option("--api-base", envvar="RATIONALE_API_BASE", help="Base URL of an OpenAI-compatible server for --critique (env RATIONALE_API_BASE).")
@click.option("--confidence", "confidence", is_flag=True, help="After each rationale, ask how sure you are (1-5): progress shows your calibration.")
@db_option
def drill_cmd(items_path, gold_path, rubric_path, annotator, n, order, seed, new, critique_model, api_base, confidence, db_path) -> None:
    """Practise ranking pairs in the terminal, with feedback after every answer.

    For each pair: choose A, B or tie, the strength, the criteria you relied
    on and write a rationale (end it with a line '.', or type 'e' for
    $EDITOR). Each answer is graded and saved at once; the feedback stays on
    screen until you press Enter. After Ctrl-C or 'q', run the same command
    again to carry on where you stopped (--new starts afresh instead).

    \b
    Keys at any prompt (on the rationale's first line too):
      ?   the rubric: criteria, levels, strength scale (never the gold)
      p   the pair again
      f   flag the pair for the lead (edge case, guideline unclear, ...) and say why
          in one line; then answer it as well as you can. Flagging what the lead
          marks as an edge case earns credit; flagging a clear pair costs a little.
      <   back to the previous question of this pair
      s   skip: this pair comes back at the end of the session
      q   stop; every finished answer is kept

    \b
    When stdin is not a terminal, answers are read line by line, per item:
      A | B | tie        the preference
      2  or  -2          the strength (its size takes the preference's side); no line after tie
      1,3  or  honesty   the criteria, by number or id; an empty line or - for none
      ...                the rationale, any number of lines, then a line with a single .
      1..5               with --confidence: how sure you are
    A line f (at any of these questions) is followed by a line of flags (numbers
    or names, - for none) and a line of note.
    An invalid line is explained and the next line is a new try; the keys
    above work there too.

    \b
    Exit status:
      0    the session ended, or you stopped it (q, or input ended between pairs)
      1    input ended in the middle of an answer (that answer is not saved)
      2    bad input files or options: every problem listed, nothing written
      75   the database stayed busy with another command's write past the wait
      130  interrupted (Ctrl-C); every finished answer is kept

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
            new=new,
            critique_model=critique_model,
            api_base=api_base or None,
            confidence=confidence,
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
