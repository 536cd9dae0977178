"""The `grade` pipeline: load, validate, grade against gold, store, summarise.

Several people share one database, and SQLite lets one writer at a time, so
`grade` never holds the write lock for long. It works in two steps:

1. read, check and grade every judgment, with the database untouched: each
   graded batch goes to a spool (a temporary file), and any bad input raises
   InputError here, so it writes nothing at all;
2. write: the rubric, run, items and gold, then the spooled batches, each in
   a short transaction of its own (`store.writing`, which waits while
   another command writes), then the run's counts.

A grade interrupted during step 2 keeps the batches it wrote; rows are keyed
by content, so running it again stores only the rest.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any

from .. import store
from ..errors import InputError, InputProblem
from ..models import Grade, GradeReport, Judgment, JudgmentResult, RubricRef, RunInfo
from .grader import Grader
from .tally import Tally, judgment_result

WRITE_BATCH = 500  # judgments per write transaction: about 0.1 s of holding the lock (README, "Limits and guarantees")
NO_GOLD = "no gold answer for the item"
CACHE_KIB = 16_000


def grade_files(
    judgment_paths: Sequence[str | os.PathLike[str]],
    *,
    rubric_path: str | os.PathLike[str],
    gold_path: str | os.PathLike[str],
    items_path: str | os.PathLike[str],
    db_path: str | os.PathLike[str] | None,
    annotator: str | None = None,
    on_progress: Callable[[int, int | None], None] | None = None,
) -> GradeReport:
    """Grade every judgment in `judgment_paths` against gold; store and summarise the results.

    Raises InputError with every problem found, before the database is opened.
    `on_progress(graded, None)` is called after each judgment (a progress bar's feed).
    """
    from ..io import load_references

    clock = time.perf_counter()
    rubric, items, gold = load_references(rubric_path, items_path, gold_path)
    assert gold is not None
    paths = [str(p) for p in judgment_paths]
    inputs = {"judgments": paths, "rubric": str(rubric_path), "gold": str(gold_path), "items": str(items_path),
              "annotator": annotator}
    db_file = store.resolve_db_path(db_path)
    if not db_file.parent.is_dir():
        raise InputError([InputProblem(str(db_file), None, "--db", f"directory {str(db_file.parent)!r} does not exist")])
    with tempfile.TemporaryFile(prefix="rationale-grade-") as spool:
        graded = _grade_to_spool(paths, items, gold, rubric, str(gold_path), annotator, spool, on_progress)
        db = store.open_db(db_file)
        # The hash-keyed indexes take inserts at random places; a 16 MB page cache (SQLite's default
        # is 2 MB) keeps more of them in memory and cuts the write time of 100k judgments by about a third.
        store.db.use_page_cache(db, CACHE_KIB)
        try:
            recording = store.start_recording(db, "grade", inputs, rubric=rubric, items=items, gold=gold,
                                              batch_size=WRITE_BATCH)
            totals = _write_spool(db, recording, spool)
            recording.counts = {
                "judgments_read": graded.tally.n,
                "judgments_new": totals["judgments_new"],
                "judgments_revised": totals["judgments_revised"],
                "grades_new": totals["grades_new"],
                "findings_new": totals["findings_new"],
                "items": len(items),
                "gold": len(gold),
            }
            store.finish_recording(db, recording)
            run = store.get_run(db, recording.run_id)
        finally:
            db.conn.close()
    return GradeReport.model_construct(
        run=RunInfo(
            id=recording.run_id,
            db=str(db_file),
            started=run["started"] if run else "",
            finished=run["finished"] if run else "",
            seconds=round(time.perf_counter() - clock, 3),
            inputs=inputs,
            counts=recording.counts,
        ),
        rubric=RubricRef(
            id=rubric.id, title=rubric.title, version=rubric.version, hash=recording.rubric_hash or "",
            pass_mark=rubric.scoring.pass_mark,
            reasoning_pass_mark=rubric.scoring.reasoning_pass_mark,
        ),
        summary=graded.tally.summary(gold),
        skipped=graded.skipped,
        results=graded.results,
    )


class Graded:
    """What step 1 found: the tally and per-judgment results for the report, the skips by reason."""

    def __init__(self, tally: Tally):
        self.tally = tally
        self.results: list[JudgmentResult] = []
        self.skipped: dict[str, int] = {}


def grade_one(grader: Grader, judgment: Judgment, item: Any, answer: Any) -> Grade:
    """The pure step: one judgment graded against its gold (no I/O; the same inputs give the same grade)."""
    return grader.grade(judgment, item, answer)


def _grade_to_spool(
    paths: list[str],
    items: dict[str, Any],
    gold: dict[str, Any],
    rubric: Any,
    gold_path: str,
    annotator: str | None,
    spool: IO[bytes],
    on_progress: Callable[[int, int | None], None] | None = None,
) -> Graded:
    """Stream, check and grade the judgments, spooling (judgment, grade) batches; InputError (after reading all) on any problem.

    A judgment whose item has no gold is skipped and counted by reason.
    """
    from ..io import iter_judgments

    grader = Grader(rubric)
    graded = Graded(Tally(rubric))
    shared: dict[Any, Any] = {}
    problems: list[InputProblem] = []
    batch: list[tuple[Judgment, Grade]] = []
    skipped: Counter[str] = Counter()
    for path, line, judgment in iter_judgments(paths, items, rubric, problems, annotator=annotator):
        answer = gold.get(judgment.item_id)
        if answer is None:
            # Imported data has items without gold (votes that name no winner): not gradable, not wrong.
            skipped[NO_GOLD] += 1
            continue
        if problems:
            continue  # keep reading to report every problem, but grade nothing more
        grade = grade_one(grader, judgment, items[judgment.item_id], answer)
        graded.tally.add(judgment, answer, grade)
        graded.results.append(judgment_result(path, line, judgment, answer, grade, shared))
        batch.append((judgment, grade))
        if on_progress is not None:
            on_progress(graded.tally.n, None)
        if len(batch) >= WRITE_BATCH:
            pickle.dump(batch, spool, protocol=pickle.HIGHEST_PROTOCOL)
            batch = []
    if not problems and skipped and not graded.tally.n:
        problems.append(InputProblem(gold_path, None, "(file)", f"no gold answer here for any of the judgments read ({skipped[NO_GOLD]})"))
    if problems:
        raise InputError(problems)
    if batch:
        pickle.dump(batch, spool, protocol=pickle.HIGHEST_PROTOCOL)
    graded.skipped = dict(skipped)
    return graded


def _spooled(spool: IO[bytes]) -> Iterator[list[tuple[Judgment, Grade]]]:
    spool.seek(0)
    while True:
        try:
            yield pickle.load(spool)  # our own file, written above: never input from elsewhere
        except EOFError:
            return


def _write_spool(db: Any, recording: store.Recording, spool: IO[bytes]) -> Counter[str]:
    """Write the spooled batches, one short transaction each; the counts of what was new."""
    totals: Counter[str] = Counter()
    for batch in _spooled(spool):
        rows = [store.GradedJudgment(judgment, recording.item_hashes[judgment.item_id], grade) for judgment, grade in batch]
        with store.writing(db):
            totals.update(store.save_judgments_and_grades(db, rows, recording.run_id)._asdict())
    return totals
