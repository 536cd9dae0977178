"""The grade report's per-judgment results, kept on disk past the first few thousand.

The report prints one result per judgment (text and ``--json`` alike), after the
whole input is graded. Held in a list they grow about 1 KB a judgment, a gigabyte
for a million; here the first :data:`IN_MEMORY` stay in memory (small runs, the
drill, tests: nothing touches the disk) and the rest go to a temporary file in
pickled batches of :data:`SPILL_BATCH`, read back one batch at a time, in order.
What the renderers need before the rows (how many, by whom, column widths, how
many failed) is counted as results arrive, so listing them reads the file once.
"""

from __future__ import annotations

import gc
import pickle
import tempfile
from collections.abc import Iterator
from itertools import repeat
from typing import IO

from ..models import JudgmentResult

IN_MEMORY = 5000
SPILL_BATCH = 5000


class SpooledResults:
    """An append-only, re-iterable sequence of JudgmentResult in input order; memory flat in its length."""

    def __init__(self, in_memory: int | None = None, spill_batch: int | None = None) -> None:
        self._in_memory = IN_MEMORY if in_memory is None else in_memory
        self._spill_batch = SPILL_BATCH if spill_batch is None else spill_batch
        self._head: list[JudgmentResult] = []  # the first results, always in memory
        self._pending: list[JudgmentResult] = []  # results after the head, not yet written to the file
        self._file: IO[bytes] | None = None
        self._spilled = 0
        self.annotators: set[str] = set()
        # The longest item id and annotator name, of all results and of those that failed (the two tables).
        self._item_width = self._annotator_width = self._failed_item_width = self._failed_annotator_width = 0
        self.failed = 0

    def append(self, result: JudgmentResult) -> None:
        self.annotators.add(result.annotator)
        item, annotator = len(result.item_id), len(result.annotator)
        if item > self._item_width:
            self._item_width = item
        if annotator > self._annotator_width:
            self._annotator_width = annotator
        if not result.passed:
            self.failed += 1
            self._failed_item_width = max(self._failed_item_width, item)
            self._failed_annotator_width = max(self._failed_annotator_width, annotator)
        if len(self._head) < self._in_memory:
            self._head.append(result)
            return
        self._pending.append(result)
        if len(self._pending) >= self._spill_batch:
            self._spill()

    def _spill(self) -> None:
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="rationale-results-")
        self._file.seek(0, 2)
        # As plain tuples: a NamedTuple pickles through a Python-level __getnewargs__ call each.
        pickle.dump(list(map(tuple, self._pending)), self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._spilled += len(self._pending)
        self._pending = []

    @property
    def widths(self) -> dict[str, tuple[int, int]]:
        """(longest item id, longest annotator name) of all the results and of those that failed."""
        return {"all": (self._item_width, self._annotator_width),
                "failures": (self._failed_item_width, self._failed_annotator_width)}

    def __len__(self) -> int:
        return len(self._head) + self._spilled + len(self._pending)

    def __bool__(self) -> bool:
        return bool(self._head)

    def __iter__(self) -> Iterator[JudgmentResult]:
        yield from self._head
        if self._file is not None:
            position = 0
            while position < self._file.seek(0, 2):
                # Our own file, written above: never input from elsewhere. Re-seek each time: appends may interleave.
                self._file.seek(position)
                batch = _load(self._file)
                position = self._file.tell()
                yield from map(tuple.__new__, repeat(JudgmentResult), batch)
        yield from self._pending

    def __getitem__(self, index: int) -> JudgmentResult:
        if index < 0:
            index += len(self)
        if 0 <= index < len(self._head):
            return self._head[index]
        for i, result in enumerate(self):
            if i == index:
                return result
        raise IndexError(index)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def _load(file: IO[bytes]) -> list[tuple]:
    """One spilled batch, unpickled with the garbage collector paused.

    A batch is tens of thousands of new tuples, none in a reference cycle. Unpickled with the
    collector on, they set off a young collection every 700 allocations, and now and then a full
    one that walks every object, the rubric, items and gold included: reading 95k results back
    took 0.50 s, 0.10 s with the collector off (measured). Paused, a batch costs one young
    collection after it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(file)  # our own file: never input from elsewhere
    finally:
        if enabled:
            gc.enable()
