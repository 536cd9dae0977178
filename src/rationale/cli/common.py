"""What every command shares: the `--db` option, and turning bad input into `FILE:LINE: field: message`, exit 2."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import TypeVar

import click

from ..errors import InputError, InputProblem
from ..render.formatters import terminal_safe

T = TypeVar("T")

# Exit statuses every command keeps (each command's --help lists the ones it uses).
EXIT_NOTHING_FOUND = 1  # the command ran, but what it was asked for is not there (no such annotator, no example matched)
EXIT_BAD_INPUT = 2  # bad input files or options: every problem listed, nothing written
EXIT_BUSY = 75  # another command kept the database busy for longer than rationale waits (EX_TEMPFAIL: try again)
EXIT_INTERRUPTED = 130  # Ctrl-C: what was finished is kept


class Commands(click.Group):
    """The `rationale` group: what every command does on Ctrl-C and on a database busy for too long.

    Ctrl-C exits 130 with one line (not Click's "Aborted!", exit 1); a
    database another command kept busy past the wait exits 75 with a sentence
    instead of a `database is locked` traceback.
    """

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        import sqlite3

        from ..store.db import DatabaseBusy

        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("\ninterrupted: what was finished is kept", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except DatabaseBusy as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_BUSY)
        except InputError as exc:  # met outside a command's own report_input_errors (a --db that is not a database)
            report_input_errors(lambda: raise_again(exc))
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            click.echo("error: the database stayed busy with another command's write; nothing more was written, try again",
                       err=True)
            sys.exit(EXIT_BUSY)


def raise_again(exc: BaseException) -> None:
    """Raise `exc`: for report_input_errors, given problems already collected."""
    raise exc


def report_input_errors(
    fn: Callable[[], T], *, writes: bool = True, hint: Callable[[list[InputProblem]], str | None] | None = None
) -> T:
    """Run `fn`; on bad input print every problem as FILE:LINE: field: message and exit 2.

    `writes`: whether the command would have written anything (a read-only check does not say it didn't).
    `hint`: given the problems, a line on what the command's own options can do about them, or None.
    """
    try:
        return fn()
    except InputError as exc:
        for problem in exc.problems:
            click.echo(terminal_safe(problem), err=True)
        count = len(exc.problems)
        click.echo(f"error: {count} problem{'s' if count != 1 else ''} in the input{'; nothing was written' if writes else ''}.", err=True)
        advice = hint(exc.problems) if hint is not None else None
        if advice:
            click.echo(f"hint: {advice}", err=True)
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


def require_db(db_path: str, hint: str) -> None:
    """Stop with a one-line message when the database does not exist yet (`hint`: what to run first)."""
    from ..store.db import resolve_db_path

    if not resolve_db_path(db_path).exists():
        raise click.ClickException(f"no database at {db_path}: {hint}")


def unknown_name(name: str, known: list[str], what: str) -> str:
    """That `name` is unknown, the closest known names, and the names there are (`what`: whose they are)."""
    import difflib

    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5)
    message = f"; did you mean {' or '.join(repr(terminal_safe(c)) for c in close)}?" if close else ""
    shown = ", ".join(terminal_safe(k) for k in known[:20]) + (f" and {len(known) - 20} more" if len(known) > 20 else "")
    return message + f"\n{what}: {shown}"


def echo_lines(lines) -> None:  # type: ignore[no-untyped-def]
    """Print an iterable of lines, a thousand at a time (a report on 100,000 judgments streams)."""
    chunk: list[str] = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= 1000:
            click.echo("\n".join(chunk))
            chunk.clear()
    if chunk:
        click.echo("\n".join(chunk))


def format_options(*choices: str, default: str = "text") -> Callable[[Callable[..., T]], Callable[..., T]]:
    """`--format CHOICE`, the one convention for output formats, with `--json` kept as its short alias.

    The command receives `fmt`; `--json` is the same as `--format json` (giving both with another
    format is a usage error).
    """

    def settle(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
        if value:
            chosen = ctx.params.get("fmt")
            if chosen not in (None, default, "json"):
                raise click.UsageError(f"--json and --format {chosen} ask for different formats")
            ctx.params["fmt"] = "json"
        return value

    def decorate(command: Callable[..., T]) -> Callable[..., T]:
        def without_json_flag(*args, json_flag: bool = False, **kwargs):  # type: ignore[no-untyped-def]
            return command(*args, **kwargs)

        wrapped = functools.update_wrapper(without_json_flag, command)
        wrapped = click.option(
            "--json", "json_flag", is_flag=True, expose_value=True, callback=settle,
            help="Same as --format json.",
        )(wrapped)
        return click.option(
            "--format", "fmt", type=click.Choice(list(choices)), default=default, show_default=True, is_eager=True,
            help="Output format.",
        )(wrapped)

    return decorate
