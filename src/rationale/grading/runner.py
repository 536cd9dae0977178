"""Grading a stream of judgments: grades already stored are read back, the rest graded, on every core when many.

:func:`grade_judgment` is the one per-judgment call, the same in this process and in a worker.
:class:`GradeRunner` takes the judgments in batches and gives each batch back, in order, with
its grades:

* a judgment whose grade is already stored (the grade id names the grader version and the
  hashes of the judgment, gold and rubric) is not graded again: ``known`` reads it back;
* the rest are graded here, or, once more than ``parallel_min`` judgments have needed grading
  and the machine has more than one core, by a pool of forked worker processes (each inherits
  the compiled rubric, items and gold; only judgments go out and grades come back). While the
  workers grade one batch, this process reads the next and stores the one before, so at most
  two batches are in flight and memory stays flat.

Grading is pure and deterministic, so the grades are the same whichever process made them.
"""

from __future__ import annotations

import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from ..models import GoldAnswer, Grade, Item, Judgment
from .grader import Grader

PARALLEL_MIN = 1000
"""Judgments to grade before worker processes are started: below this, starting them costs more than they save."""
CHUNK = 100
"""Judgments sent to a worker at a time."""


def grade_judgment(grader: Grader, items: Mapping[str, Item], gold: Mapping[str, GoldAnswer], judgment: Judgment) -> Grade:
    """Grade one judgment against its item's gold answer."""
    return grader.grade(judgment, items[judgment.item_id], gold[judgment.item_id])


def default_workers() -> int:
    """The cores this process may use (1 where processes cannot be forked)."""
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# What a forked worker grades with: set in the parent just before the pool forks, inherited by the workers.
_WORK: tuple[Grader, Mapping[str, Item], Mapping[str, GoldAnswer], Callable[[Judgment, Grade], Any] | None] | None = None


def _ignore_interrupts() -> None:
    # Ctrl-C reaches the whole process group; the parent stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # an interrupt already pending is dropped with it
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _graded(grader: Grader, items: Mapping[str, Item], gold: Mapping[str, GoldAnswer],
            outcome: Callable[[Judgment, Grade], Any] | None, judgments: Sequence[Judgment]) -> list[Any]:
    grades = [grade_judgment(grader, items, gold, j) for j in judgments]
    return grades if outcome is None else [outcome(j, g) for j, g in zip(judgments, grades)]


def _grade_in_worker(judgments: list[Judgment]) -> list[Any]:
    assert _WORK is not None
    return _graded(*_WORK, judgments)


class Graded(NamedTuple):
    """A batch given back: its entries, their grades in the same order, and which grades are new."""

    batch: list[Any]
    grades: list[Any]  # Grades, or what `outcome` made of them
    new: list[bool]  # False: read back from the store


class GradeRunner:
    """Grades batches of judgments in order; use as a context manager so worker processes are stopped.

    `outcome(judgment, grade)`, when given, runs where the grade was made (in the worker), and what it
    returns is given back instead of the Grade; `known` then gives stored grades back in that form too.
    """

    def __init__(
        self,
        grader: Grader,
        items: Mapping[str, Item],
        gold: Mapping[str, GoldAnswer],
        known: Callable[[Sequence[Judgment]], list[Any | None]] | None = None,
        *,
        workers: int | None = None,
        parallel_min: int | None = None,
        outcome: Callable[[Judgment, Grade], Any] | None = None,
    ):
        self.grader = grader
        self.outcome = outcome
        self.items = items
        self.gold = gold
        self.known = known
        self.workers = default_workers() if workers is None else max(1, workers)
        self.parallel_min = PARALLEL_MIN if parallel_min is None else parallel_min
        self.to_grade = 0  # judgments that needed grading so far
        self._pool: Any = None

    def __enter__(self) -> "GradeRunner":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        global _WORK
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
            _WORK = None

    @property
    def parallel(self) -> bool:
        """Whether worker processes are grading."""
        return self._pool is not None

    def run(self, batches: Iterable[tuple[list[Any], list[Judgment]]]) -> Iterator[Graded]:
        """For each (entries, their judgments): the entries back with the judgments' grades, in input order."""
        waiting: deque[tuple[list[Any], list[Grade | None], list[int], Any]] = deque()
        for entries, judgments in batches:
            waiting.append(self._start(entries, judgments))
            if len(waiting) > 1:
                yield self._finish(*waiting.popleft())
        while waiting:
            yield self._finish(*waiting.popleft())

    def _start(self, entries: list[Any], judgments: list[Judgment]):
        grades = self.known(judgments) if self.known is not None else [None] * len(judgments)
        todo = [i for i, g in enumerate(grades) if g is None]
        self.to_grade += len(todo)
        if self._pool is None and self.workers > 1 and self.to_grade > self.parallel_min:
            self._start_pool()
        pending = [judgments[i] for i in todo]
        if self._pool is None:
            return entries, grades, todo, _graded(self.grader, self.items, self.gold, self.outcome, pending)
        chunks = [pending[i : i + CHUNK] for i in range(0, len(pending), CHUNK)]
        return entries, grades, todo, self._pool.map_async(_grade_in_worker, chunks, chunksize=1)

    def _finish(self, entries: list[Any], grades: list[Grade | None], todo: list[int], work: Any) -> Graded:
        fresh = work if isinstance(work, list) else [g for chunk in work.get() for g in chunk]
        new = [False] * len(grades)
        for i, grade in zip(todo, fresh):
            grades[i] = grade
            new[i] = True
        return Graded(entries, grades, new)  # type: ignore[arg-type]

    def _start_pool(self) -> None:
        import multiprocessing

        global _WORK
        _WORK = (self.grader, self.items, self.gold, self.outcome)
        # The word-vector tokenizer would warn in each worker that it was forked after using threads.
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        # Workers must ignore Ctrl-C from their first instruction: one interrupted before its initializer ran
        # could die holding the pool's queue lock, and terminate() would then wait on it for ever. So SIGINT is
        # blocked while the parent forks them: they inherit the block (their initializer ignores SIGINT, then
        # unblocks it), and an interrupt that reaches the parent meanwhile waits and is delivered right after.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            self._pool = multiprocessing.get_context("fork").Pool(self.workers, initializer=_ignore_interrupts)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
