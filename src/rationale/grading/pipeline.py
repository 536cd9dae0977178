"""The `grade` pipeline: load, validate, grade against gold, store, summarise.

Several people share one database, and SQLite lets one writer at a time, so
`grade` never holds the write lock for long. It works in two steps:

1. read, check and grade every judgment, with the database untouched: a grade
   already stored is read back instead (:mod:`.runner`; large inputs are graded
   on every core), each batch of new grades goes to a spool (a temporary file),
   and any bad input raises InputError here, so it writes nothing at all;
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
    rubric, items, gold = load_references(rubric_path, items_path, gold_path)
    assert gold is not None
    paths = [str(p) for p in judgment_paths]
    inputs = {"judgments": paths, "rubric": str(rubric_path), "gold": str(gold_path), "items": str(items_path),
              "annotator": annotator}
    db_file = store.resolve_db_path(db_path)
    if not db_file.parent.is_dir():
        raise InputError([InputProblem(str(db_file), None, "--db", f"directory {str(db_file.parent)!r} does not exist")])
    with tempfile.TemporaryFile(prefix="rationale-grade-") as spool:
        graded = _grade_to_spool(paths, items, gold, rubric, str(gold_path), annotator, spool, on_progress,
                                 stored=store.open_reader(db_file), workers=workers)
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
        self.results = SpooledResults()
        self.skipped: dict[str, int] = {}


def _grade_to_spool(
    paths: list[str],
    items: dict[str, Any],
    gold: dict[str, Any],
    rubric: Any,
    gold_path: str,
    annotator: str | None,
    spool: IO[bytes],
    on_progress: Callable[[int, int | None], None] | None = None,
    stored: Any = None,
    workers: int | None = None,
) -> Graded:
    """Stream, check and grade the judgments, spooling (judgment, grade) batches of new grades; InputError (after
    reading all) on any problem. `stored`: a read-only connection to the database, whose grades are read back.

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
                    result = result._replace(path=path, line=line)
                    graded.tally.add(result, judgment.criteria, answer)
                    graded.results.append(result)
                    if prepared is not None:
                        batch.append(prepared)
                    else:  # its judgment, grade and findings are stored already: only this run's link is new
                        stored_hashes.append(result.judgment_hash)
                    if on_progress is not None:
                        on_progress(graded.tally.n, None)
                    if len(batch) >= WRITE_BATCH or len(stored_hashes) >= LINK_BATCH:
                        pickle.dump((batch, stored_hashes), spool, protocol=pickle.HIGHEST_PROTOCOL)
                        batch, stored_hashes = [], []
    finally:
        if stored is not None:
            stored.conn.close()
    if not problems and skipped and not graded.tally.n:
        problems.append(InputProblem(gold_path, None, "(file)", f"no gold answer here for any of the judgments read ({skipped[NO_GOLD]})"))
    if problems:
        raise InputError(problems)
    if batch or stored_hashes:
        pickle.dump((batch, stored_hashes), spool, protocol=pickle.HIGHEST_PROTOCOL)
    graded.skipped = dict(skipped)
    return graded


def _stored_lookup(db: Any, grader: Grader, gold: dict[str, GoldAnswer]) -> Callable[[Sequence[Judgment]], list[Outcome | None]]:
    """For a batch of judgments: the outcome of each one's stored grade by this grader version, or None if it
    needs grading. Read as the report shows it (store.stored_results), without rebuilding each Grade."""
    gold_hashes: dict[str, str] = {}

    def lookup(judgments: Sequence[Judgment]) -> list[Outcome | None]:
        ids = []
        for j in judgments:
            gold_hash = gold_hashes.get(j.item_id)
            if gold_hash is None:
                gold_hash = gold_hashes[j.item_id] = gold[j.item_id].content_hash
            ids.append(store.grade_id(j.content_hash, gold_hash, grader.rubric_hash))
        found = store.stored_results(db, ids)
        return [_stored_outcome(grader, j, gold[j.item_id], found[i]) if i in found else None for j, i in zip(judgments, ids)]

    return lookup


def _stored_outcome(grader: Grader, judgment: Judgment, gold: GoldAnswer, stored: store.StoredResult) -> Outcome:
    score = grader.restored_score(stored.score, stored.components, stored.findings, stored.preference_correct)
    result = JudgmentResult(
        "", 0, gold.item_id, judgment.annotator, judgment.preference, judgment.strength, gold.preference, gold.strength,
        score, stored.passed, stored.preference_correct, stored.strength_distance, stored.key_points_missed,
        stored.findings, stored.judgment_hash, stored.verdict_score, stored.reasoning_score, stored.key_points,
    )
    return Outcome(result, None)


def _spooled(spool: IO[bytes]) -> Iterator[tuple[list[store.PreparedGrade], list[str]]]:
    """(new grades with their judgments, hashes of judgments whose grades were stored already), batch by batch."""
    spool.seek(0)
    while True:
        try:
            yield pickle.load(spool)  # our own file, written above: never input from elsewhere
        except EOFError:
            return


def _write_spool(db: Any, recording: store.Recording, spool: IO[bytes]) -> Counter[str]:
    """Write the spooled batches, one short transaction each; the counts of what was new."""
    totals: Counter[str] = Counter()
    for batch, stored_hashes in _spooled(spool):
        with store.writing(db):
            totals.update(store.save_prepared(db, batch, recording.run_id)._asdict())
            if stored_hashes:
                store.link_run_judgments(db, recording.run_id, stored_hashes)
    return totals
