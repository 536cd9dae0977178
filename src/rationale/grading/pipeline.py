"""The `grade` pipeline: load, validate, grade against gold, store, summarise.

One call is one command and one transaction (`store.recording_run`). The
rubric, items and gold are checked before the database is opened; judgments
are streamed, graded (by :mod:`.runner`: stored grades are read back, large
inputs graded on every core) and written in batches, and if any judgment turns out to
be bad the transaction is rolled back (and a database file this call created
is removed), so bad input leaves the database exactly as it was.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from .. import store
from ..errors import InputError, InputProblem
from ..models import GoldAnswer, Grade, GradeReport, Item, Judgment, JudgmentResult, Rubric, RubricRef, RunInfo
from .grader import Grader
from .runner import GradeRunner
from .tally import Tally, judgment_result

BATCH_SIZE = 2000
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

    Raises InputError with every problem found; the database is then left as it was.
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
    created = not db_file.exists()
    db = store.open_db(db_file)
    # The hash-keyed indexes take inserts at random places; a 16 MB page cache (SQLite's default
    # is 2 MB) keeps more of them in memory and cuts the write time of 100k judgments by about a third.
    store.db.use_page_cache(db, CACHE_KIB)
    try:
        with store.recording_run(db, "grade", inputs, rubric=rubric, items=items, gold=gold) as recording:
            tally, results, skipped = _grade_stream(
                db, recording, paths, items, gold, rubric, str(gold_path), annotator, on_progress, workers
            )
        run = store.get_run(db, recording.run_id)
    except BaseException:
        db.conn.close()
        if created:
            store.remove_database_files(db_file)
        raise
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
        summary=tally.summary(gold),
        skipped=skipped,
        results=results,
    )


def _grade_stream(
    db: Any,
    recording: store.Recording,
    paths: list[str],
    items: dict[str, Item],
    gold: dict[str, GoldAnswer],
    rubric: Rubric,
    gold_path: str,
    annotator: str | None,
    on_progress: Callable[[int, int | None], None] | None = None,
    workers: int | None = None,
) -> tuple[Tally, list[JudgmentResult], dict[str, int]]:
    """Stream, grade and store the judgments in batches; raise InputError (after reading all) on any problem.

    A judgment whose item has no gold is skipped and counted (the third value, by reason).
    """
    from ..io import iter_judgments

    grader = Grader(rubric)
    tally = Tally(rubric)
    results: list[JudgmentResult] = []
    shared: dict[Any, Any] = {}
    problems: list[InputProblem] = []
    totals: Counter[str] = Counter()
    skipped: Counter[str] = Counter()

    def batches():
        """(path, line, judgment, gold) in batches, with their judgments; nothing more once a problem is found."""
        entries: list[tuple[str, int, Judgment, GoldAnswer]] = []
        for path, line, judgment in iter_judgments(paths, items, rubric, problems, annotator=annotator):
            answer = gold.get(judgment.item_id)
            if answer is None:
                # Imported data has items without gold (votes that name no winner): not gradable, not wrong.
                skipped[NO_GOLD] += 1
                continue
            if problems:
                continue  # keep reading to report every problem, but grade nothing more
            entries.append((path, line, judgment, answer))
            if len(entries) >= BATCH_SIZE:
                yield entries, [e[2] for e in entries]
                entries = []
        if entries and not problems:
            yield entries, [e[2] for e in entries]

    with GradeRunner(grader, items, gold, _stored_lookup(db, grader, gold), workers=workers) as runner:
        for entries, grades, new in runner.run(batches()):
            batch: list[store.GradedJudgment] = []
            for (path, line, judgment, answer), grade, is_new in zip(entries, grades, new):
                tally.add(judgment, answer, grade)
                results.append(judgment_result(path, line, judgment, answer, grade, shared))
                if is_new:  # a stored grade's judgment, grade and findings are stored already
                    batch.append(store.GradedJudgment(judgment, recording.item_hashes[judgment.item_id], grade))
                if on_progress is not None:
                    on_progress(tally.n, None)
            if not problems:
                totals.update(store.save_judgments_and_grades(db, batch, recording.run_id)._asdict())
    if not problems and skipped and not tally.n:
        problems.append(InputProblem(gold_path, None, "(file)", f"no gold answer here for any of the judgments read ({skipped[NO_GOLD]})"))
    if problems:
        raise InputError(problems)
    recording.counts = {
        "judgments_read": tally.n,
        "judgments_new": totals["judgments_new"],
        "judgments_revised": totals["judgments_revised"],
        "grades_new": totals["grades_new"],
        "findings_new": totals["findings_new"],
        "items": len(items),
        "gold": len(gold),
    }
    return tally, results, dict(skipped)


def _stored_lookup(db: Any, grader: Grader, gold: dict[str, GoldAnswer]) -> Callable[[Sequence[Judgment]], list[Grade | None]]:
    """For a batch of judgments: each one's stored grade by this grader version, or None if it needs grading."""
    gold_hashes: dict[str, str] = {}

    def lookup(judgments: Sequence[Judgment]) -> list[Grade | None]:
        ids = []
        for j in judgments:
            gold_hash = gold_hashes.get(j.item_id)
            if gold_hash is None:
                gold_hash = gold_hashes[j.item_id] = gold[j.item_id].content_hash
            ids.append(store.grade_id(j.content_hash, gold_hash, grader.rubric_hash))
        found = store.stored_grades(db, ids)
        return [grader.restored(found[i]) if i in found else None for i in ids]

    return lookup
