"""How long a trainee waits for feedback in `rationale drill`, and how fast `rationale progress` is.

    .venv/bin/python bench/drill_bench.py [--sessions 40] [--keep DIR]

On the shipped example drill (26 pairs, rubrics/hhh.yaml), one annotator
drills `--sessions` sessions of every item. Prints, measured in the same run:

* answer   - `DrillSession.record` per answer: grading, then judgment, grade,
             findings, presentation and Leitner box written and committed
             (median and 95th percentile);
* baseline - `Grader.grade` alone on the same answers: what recording costs
             on top of grading is the storage and the commit;
* progress - `compute_progress` over all the annotator's answers, next to a
             baseline that only reads the same joined rows with one query.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from rationale.store import open_db
from rationale.drill import DrillSession, ShownAnswer
from rationale.grading import Grader
from rationale.io import load_gold, load_items, load_rubric
from rationale.models import Judgment
from rationale.progress import compute_progress

ROOT = Path(__file__).resolve().parents[1]


def answer_for(gold, rng: random.Random) -> ShownAnswer:
    """The lead's own answer most of the time, a wrong side now and then."""
    if rng.random() < 0.25:
        preference = {"A": "B", "B": "A", "tie": "A"}[gold.preference]
        strength = -1 if preference == "A" else 1
    else:
        preference, strength = gold.preference, gold.strength
    return ShownAnswer(preference, strength, list(gold.decisive_criteria), gold.reference_rationale)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--keep", type=Path, help="Keep the database in this directory.")
    args = parser.parse_args()

    rubric = load_rubric(ROOT / "rubrics" / "hhh.yaml")
    items = load_items(ROOT / "examples" / "drill" / "items.jsonl")
    gold = load_gold(ROOT / "examples" / "drill" / "gold.jsonl", items, rubric)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="drill-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    db_path = workdir / "drill.db"
    db_path.unlink(missing_ok=True)
    db = open_db(db_path)
    rng = random.Random(1)

    record_times: list[float] = []
    grade_times: list[float] = []
    grader = Grader(rubric)
    for s in range(args.sessions):
        session = DrillSession.open(
            db, rubric=rubric, items=items, gold=gold, annotator="bench", order="mixed", n=len(items), seed=s, grader=grader
        )
        for slot in session.pending():
            shown_item, shown_gold = session.shown(slot)
            answer = answer_for(shown_gold, rng)
            start = time.perf_counter()
            session.record(slot, answer)
            record_times.append(time.perf_counter() - start)
            judgment = Judgment(
                item_id=slot.item_id, annotator="bench", preference=answer.preference, strength=answer.strength,
                criteria=answer.criteria, rationale=answer.rationale,
            )
            start = time.perf_counter()
            grader.grade(judgment, shown_item, shown_gold)
            grade_times.append(time.perf_counter() - start)
        session.close()

    def ms(values: list[float], percent: int) -> float:
        return 1000 * statistics.quantiles(values, n=100)[percent - 1]

    answers = len(record_times)
    print(f"answers recorded: {answers} over {args.sessions} sessions")
    print(f"answer    median {ms(record_times, 50):7.2f} ms   p95 {ms(record_times, 95):7.2f} ms  (grade + save + commit)")
    print(f"baseline  median {ms(grade_times, 50):7.2f} ms   p95 {ms(grade_times, 95):7.2f} ms  (Grader.grade alone)")

    start = time.perf_counter()
    progress = compute_progress(db, "bench")
    progress_seconds = time.perf_counter() - start
    start = time.perf_counter()
    rows = db.execute(
        "select g.*, j.criteria, gd.body, length(it.response_a), length(it.response_b) from drill_presentations p"
        " join grades g on g.id = p.grade_id join judgments j on j.hash = p.judgment_hash"
        " join gold gd on gd.hash = g.gold_hash join items it on it.hash = j.item_hash"
    ).fetchall()
    read_seconds = time.perf_counter() - start
    print(f"progress  {1000 * progress_seconds:7.1f} ms for {progress.answered} answers in {len(progress.sessions)} sessions")
    print(f"baseline  {1000 * read_seconds:7.1f} ms to read the same {len(rows)} joined rows")
    print(f"database  {db_path} ({db_path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
