"""A progress bar on stderr for long commands: counts, rate and time left, only when stderr is a terminal.

Workflows take an optional `on_progress(done, total)` callback and know
nothing of terminals; the commands hand them the one `progress_bar` yields.
Piped or redirected, and with --quiet, there is no bar and no cost.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

ProgressFn = Callable[[int, "int | None"], None]
REFRESH_SECONDS = 0.1  # updates closer together than this are dropped: a bar redrawn per judgment costs more than grading


def count_lines(paths: list[str]) -> int | None:
    """Records in JSON Lines or CSV files, counted as lines (a bar's total); None when unknowable (stdin)."""
    import gzip

    total = 0
    for path in paths:
        if path == "-":
            return None
        try:
            opener = gzip.open if path.endswith(".gz") else open
            with opener(path, "rb") as handle:
                total += sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
        except OSError:
            return None  # the command reports the file itself
    return total


def wanted(quiet: bool = False) -> bool:
    return not quiet and sys.stderr.isatty() and os.environ.get("TERM") != "dumb"


@contextmanager
def progress_bar(label: str, *, total: int | None = None, enabled: bool = True) -> Iterator[ProgressFn | None]:
    """Yield an `on_progress(done, total)` that draws the bar, or None when there is no terminal to draw on."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task) -> Text:  # type: ignore[no-untyped-def]
            return Text(f"{task.speed:,.0f}/s" if task.speed and task.speed >= 1 else "")  # steps, not records: no rate

    bar = Progress(
        TextColumn(label), BarColumn(), MofNCompleteColumn(), Rate(), TextColumn("ETA"), TimeRemainingColumn(),
        console=Console(stderr=True), transient=True,
    )
    with bar:
        task = bar.add_task(label, total=total)
        last = 0.0

        def update(done: int, new_total: int | None = None) -> None:
            nonlocal last
            now = time.monotonic()
            if new_total is not None:
                bar.update(task, total=new_total)
            if now - last >= REFRESH_SECONDS or done == bar.tasks[0].total:
                bar.update(task, completed=done)
                last = now

        yield update
