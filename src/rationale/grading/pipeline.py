"""The `grade` pipeline: load, validate, grade against gold, store, summarise.

Several people share one database, and SQLite lets one writer at a time, so
`grade` never holds the write lock for long, and bad input writes nothing:

1. read, check and grade every judgment: a grade already stored is read back
   instead (:mod:`.runner`; large inputs are graded on every core), and each
   batch of new grades goes to a spool (a temporary file); any bad input
   raises InputError, with the database untouched;
2. once there are new grades to write, a background thread reads and checks
   the judgment files once more, without grading (:class:`InputCheck`); a re-run
   that finds every grade stored skips it. Once it has found the whole
   input valid, writing starts while grading goes on: the rubric, run, items
   and gold, the batches spooled so far, then each new batch, each in a short
   transaction of its own (`store.writing`, which waits while another command
   writes). Writing is a third of a large first run, so this overlaps it with
   grading instead of following it. From stdin the input cannot be read twice,
   so the database is written after grading, from the spool;
3. the run's counts.

A grade interrupted while writing keeps the batches it wrote; rows are keyed
by content, so running it again stores only the rest. A judgments file changed
while `grade` reads it can leave the batches written before the change was met.
"""

from __future__ import annotations

import gc
import os
import pickle
import stat
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any

from .. import store
from ..errors import InputError, InputProblem
from ..models import GoldAnswer, Grade, GradeReport, Judgment, JudgmentResult, RubricRef, RunInfo
from .grader import Grader
from .outcome import Outcome, graded_outcome
from .results import SpooledResults
from .runner import GradeRunner
from .tally import Tally

WRITE_BATCH = 500  # judgments per write transaction: about 0.1 s of holding the lock (README, "Limits and guarantees")
GRADE_BATCH = 2000  # judgments handed to the runner at a time (two batches in flight at most)
LINK_BATCH = 20_000  # re-read judgments linked to the run per write transaction (one small row each)
NO_GOLD = "no gold answer for the item"
CACHE_KIB = 16_000
CHECKPOINT_PAGES = 4000
YOUNG_COLLECTION = 100_000
"""New container objects between the garbage collector's young collections while grading (Python's default: 700)."""


def grade_files(
    judgment_paths: Sequence[str | os.PathLike[str]],
    *,
    rubric_path: str | os.PathLike[str],
    gold_path: str | os.PathLike[str],
    items_path: str | os.PathLike[str],
    db_path: str | os.PathLike[str] | None,
    annotator: str | None = None,
    on_progress: Callable[[int, int | None], None] | None = None,
    workers: int | None = None,
) -> GradeReport:
    """Grade every judgment in `judgment_paths` against gold; store and summarise the results.

    Raises InputError with every problem found, before the database is written to.
    `on_progress(graded, None)` is called after each judgment (a progress bar's feed).
    `workers`: processes that grade (None: one per core, used only for large inputs; 1: this process only).
    """
    from ..io import load_references

    clock = time.perf_counter()
    paths = [str(p) for p in judgment_paths]
    rubric, items, gold = load_references(rubric_path, items_path, gold_path, then=paths)
    assert gold is not None
    inputs = {"judgments": paths, "rubric": str(rubric_path), "gold": str(gold_path), "items": str(items_path),
              "annotator": annotator}
    db_file = store.resolve_db_path(db_path)
    if not db_file.parent.is_dir():
        raise InputError([InputProblem(str(db_file), None, "--db", f"directory {str(db_file.parent)!r} does not exist")])
    with tempfile.TemporaryFile(prefix="rationale-grade-") as spool, _few_collections():
        writer = _Writer(db_file, spool, lambda db: store.start_recording(
            db, "grade", inputs, rubric=rubric, items=items, gold=gold, batch_size=WRITE_BATCH))
        check = InputCheck(paths, items, gold, rubric, annotator)
        try:
            graded = _grade_stream(paths, items, gold, rubric, str(gold_path), annotator, writer, on_progress,
                                     stored=store.open_reader(db_file), workers=workers, check=check)
            recording, totals = writer.finish()
            recording.counts = {
                "judgments_read": graded.tally.n,
                "judgments_new": totals["judgments_new"],
                "judgments_revised": totals["judgments_revised"],
                "grades_new": totals["grades_new"],
                "findings_new": totals["findings_new"],
                "items": len(items),
                "gold": len(gold),
            }
            assert writer.db is not None
            store.finish_recording(writer.db, recording)
            run = store.get_run(writer.db, recording.run_id)
        finally:
            check.stop()
            writer.close()
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


@contextmanager
def _few_collections() -> Iterator[None]:
    """Garbage collection tuned for the grading loop, as it was after.

    The loop makes and drops tens of thousands of small tuples a second (grades from the workers,
    report rows), almost none of them in reference cycles. At Python's default threshold that set off
    thousands of collections per 100k judgments, each full one walking the rubric, items, gold and
    compiled grader again: 4.4 s of the parent process's CPU, measured. The references, frozen, are never
    walked (and forked workers share their pages untouched); a higher young threshold makes collections
    rare: 0.1 s. Cycles are still collected, in bigger batches.
    """
    froze = gc.get_freeze_count() == 0  # a process that froze objects of its own (litellm's) keeps them frozen
    if froze:
        gc.freeze()
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], YOUNG_COLLECTION), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        if froze:
            gc.unfreeze()


class Graded:
    """What step 1 found: the tally and per-judgment results for the report, the skips by reason."""

    def __init__(self, tally: Tally):
        self.tally = tally
        self.results = SpooledResults()
        self.skipped: dict[str, int] = {}


def _grade_stream(
    paths: list[str],
    items: dict[str, Any],
    gold: dict[str, Any],
    rubric: Any,
    gold_path: str,
    annotator: str | None,
    writer: "_Writer",
    on_progress: Callable[[int, int | None], None] | None = None,
    stored: Any = None,
    workers: int | None = None,
    check: "InputCheck | None" = None,
) -> Graded:
    """Stream, check and grade the judgments, handing batches of new grades to `writer` (written at once when
    `check` has found the whole input valid, else spooled); InputError (after reading all) on any problem.
    `stored`: a read-only connection to the database, whose grades are read back.

    A judgment whose item has no gold is skipped and counted by reason.
    """
    from ..io import iter_judgments

    grader = Grader(rubric)
    graded = Graded(Tally(rubric))
    problems: list[InputProblem] = []
    batch: list[store.PreparedGrade] = []
    stored_hashes: list[str] = []
    skipped: Counter[str] = Counter()

    def batches() -> Iterator[tuple[list[tuple[str, int, Judgment, Any]], list[Judgment]]]:
        """(path, line, judgment, gold) in batches, with their judgments; nothing more once a problem is found."""
        entries: list[tuple[str, int, Judgment, Any]] = []
        for path, line, judgment in iter_judgments(paths, items, rubric, problems, annotator=annotator):
            answer = gold.get(judgment.item_id)
            if answer is None:
                # Imported data has items without gold (votes that name no winner): not gradable, not wrong.
                skipped[NO_GOLD] += 1
                continue
            if problems:
                continue  # keep reading to report every problem, but grade nothing more
            entries.append((path, line, judgment, answer))
            if len(entries) >= GRADE_BATCH:
                yield entries, [e[2] for e in entries]
                entries = []
        if entries and not problems:
            yield entries, [e[2] for e in entries]

    item_hashes = {item_id: item.content_hash for item_id, item in items.items()}

    def outcome(judgment: Judgment, grade: Grade) -> Outcome:
        return graded_outcome(judgment, gold[judgment.item_id], item_hashes[judgment.item_id], grade)

    known = _stored_lookup(stored, grader, gold) if stored is not None else None
    try:
        with GradeRunner(grader, items, gold, known, workers=workers, outcome=outcome) as runner:
            for entries, outcomes, _new in runner.run(batches()):
                for (path, line, judgment, answer), (result, prepared) in zip(entries, outcomes):
                    result = _located(result, path, line)
                    graded.tally.add(result, judgment.criteria, answer)
                    graded.results.append(result)
                    if prepared is not None:
                        batch.append(prepared)
                    else:  # its judgment, grade and findings are stored already: only this run's link is new
                        stored_hashes.append(result.judgment_hash)
                    if on_progress is not None:
                        on_progress(graded.tally.n, None)
                    if len(batch) >= WRITE_BATCH or len(stored_hashes) >= LINK_BATCH:
                        if batch and check is not None:
                            check.start()
                        writer.add(batch, stored_hashes, may_write=check is not None and check.passed)
                        batch, stored_hashes = [], []
    finally:
        if stored is not None:
            stored.conn.close()
    if not problems and skipped and not graded.tally.n:
        problems.append(InputProblem(gold_path, None, "(file)", f"no gold answer here for any of the judgments read ({skipped[NO_GOLD]})"))
    if problems:
        raise InputError(problems)
    if batch or stored_hashes:
        writer.add(batch, stored_hashes, may_write=False)
    graded.skipped = dict(skipped)
    return graded


def _located(result: JudgmentResult, path: str, line: int) -> JudgmentResult:
    """`result` with its file and line (what `result._replace(path=path, line=line)` gives, in a third of the time)."""
    return _tuple_new(JudgmentResult, (path, line, *result[2:]))


_tuple_new = tuple.__new__
"""Builds a NamedTuple from a tuple of all its fields, without the Python-level __new__ its class call runs."""


def _stored_lookup(db: Any, grader: Grader, gold: dict[str, GoldAnswer]) -> Callable[[Sequence[Judgment]], list[Outcome | None]]:
    """For a batch of judgments: the outcome of each one's stored grade by this grader version, or None if it
    needs grading. Read as the report shows it (store.stored_results), without rebuilding each Grade."""
    gold_hashes: dict[str, str] = {}
    reader = store.StoredReader()

    def lookup(judgments: Sequence[Judgment]) -> list[Outcome | None]:
        ids = []
        for j in judgments:
            gold_hash = gold_hashes.get(j.item_id)
            if gold_hash is None:
                gold_hash = gold_hashes[j.item_id] = gold[j.item_id].content_hash
            ids.append(store.grade_id(j.content_hash, gold_hash, grader.rubric_hash))
        found = reader.read(db, ids)
        return [_stored_outcome(grader, j, gold[j.item_id], found[i]) if i in found else None for j, i in zip(judgments, ids)]

    return lookup


def _stored_outcome(grader: Grader, judgment: Judgment, gold: GoldAnswer, stored: store.StoredResult) -> Outcome:
    score = grader.restored_score(stored.score, stored.components, stored.findings, stored.preference_correct)
    result = _tuple_new(JudgmentResult, (
        "", 0, gold.item_id, judgment.annotator, judgment.preference, judgment.strength, gold.preference, gold.strength,
        score, stored.passed, stored.preference_correct, stored.strength_distance, stored.key_points_missed,
        stored.findings, stored.judgment_hash, stored.verdict_score, stored.reasoning_score, stored.key_points,
    ))
    return _tuple_new(Outcome, (result, None))


def _file_stamps(paths: Sequence[str]) -> list[tuple[int, int, int]] | None:
    """(size, modification time, inode) of each judgments file; None if any is stdin or not a regular file."""
    stamps = []
    for path in paths:
        if path == "-":
            return None
        try:
            st = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        stamps.append((st.st_size, st.st_mtime_ns, st.st_ino))
    return stamps


class InputCheck:
    """Reads and checks the judgment files once more in a background thread, while they are graded.

    `passed` becomes True when the whole input was read without a problem, with at least one
    judgment to grade, and the files are as they were when it began (size, time, inode): the
    grading pass, reading the same files, cannot then find a problem, so the database may be
    written to before grading ends. It never becomes True for stdin or another stream.
    """

    def __init__(self, paths: Sequence[str], items: dict[str, Any], gold: dict[str, Any], rubric: Any,
                 annotator: str | None, *, background: bool = True) -> None:
        self._passed = threading.Event()
        self._started = self._stopped = False
        self._paths = list(paths)
        self._args = (items, gold, rubric, annotator)
        self._background = background

    def start(self) -> None:
        """Begin checking (once). Called when there is something to write: a re-run that finds every grade
        stored has only links to write, and reading the input twice would cost it a third more time."""
        if self._started:
            return
        self._started = True
        self._stamps = _file_stamps(self._paths)
        if self._stamps is None:
            return
        if self._background:
            threading.Thread(target=self._check, args=self._args, name="rationale-input-check", daemon=True).start()
        else:
            self._check(*self._args)

    @property
    def passed(self) -> bool:
        return self._passed.is_set()

    def stop(self) -> None:
        self._stopped = True

    def _check(self, items: dict[str, Any], gold: dict[str, Any], rubric: Any, annotator: str | None) -> None:
        from ..io import iter_judgments

        problems: list[InputProblem] = []
        to_grade = 0
        try:
            for _path, _line, judgment in iter_judgments(self._paths, items, rubric, problems, annotator=annotator):
                if self._stopped:
                    return
                to_grade += judgment.item_id in gold
        except Exception:  # noqa: BLE001 - whatever went wrong, the grading pass meets and reports it
            return
        if not problems and to_grade and _file_stamps(self._paths) == self._stamps:
            self._passed.set()


class _Writer:
    """Where batches of new grades go: a spool file until the database may be written to, then the database.

    The database is opened (and the run recorded) at the first batch allowed to be written, or at `finish`;
    the batches spooled before are written first, so the order is the input's.
    """

    def __init__(self, db_file: Any, spool: IO[bytes], start: Callable[[Any], store.Recording]) -> None:
        self._db_file = db_file
        self._spool = spool
        self._start = start
        self.db: Any = None
        self.recording: store.Recording | None = None
        self.totals: Counter[str] = Counter()

    def add(self, batch: list[store.PreparedGrade], stored_hashes: list[str], *, may_write: bool) -> None:
        if self.db is None and not may_write:
            pickle.dump((batch, stored_hashes), self._spool, protocol=pickle.HIGHEST_PROTOCOL)
            return
        self._open()
        self._write(batch, stored_hashes)

    def finish(self) -> tuple[store.Recording, Counter[str]]:
        self._open()
        assert self.recording is not None
        return self.recording, self.totals

    def close(self) -> None:
        if self.db is not None:
            self.db.conn.close()

    def _open(self) -> None:
        if self.db is not None:
            return
        self.db = store.open_db(self._db_file)
        # The hash-keyed indexes take inserts at random places: a 16 MB page cache (SQLite's default is 2 MB)
        # keeps more of them in memory, and checkpointing the WAL every 16 MB rather than 4 MB writes each
        # page back fewer times (together about a third less write time on 100k judgments).
        store.db.use_page_cache(self.db, CACHE_KIB, checkpoint_pages=CHECKPOINT_PAGES)
        self.recording = self._start(self.db)
        for batch, stored_hashes in _spooled(self._spool):
            self._write(batch, stored_hashes)

    def _write(self, batch: list[store.PreparedGrade], stored_hashes: list[str]) -> None:
        assert self.recording is not None
        with store.writing(self.db):
            self.totals.update(store.save_prepared(self.db, batch, self.recording.run_id)._asdict())
            if stored_hashes:
                store.link_run_judgments(self.db, self.recording.run_id, stored_hashes)


def _spooled(spool: IO[bytes]) -> Iterator[tuple[list[store.PreparedGrade], list[str]]]:
    """(new grades' rows, hashes of judgments whose grades were stored already), batch by batch."""
    spool.seek(0)
    while True:
        try:
            yield pickle.load(spool)  # our own file, written above: never input from elsewhere
        except EOFError:
            return
