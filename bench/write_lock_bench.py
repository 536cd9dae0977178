"""How long `rationale grade` keeps other writers out: the longest write transaction of one run.

    .venv/bin/python bench/write_lock_bench.py [--judgments 6000] [--items 300] [--command grade|calibrate]

SQLite lets one writer at a time, so a command's longest transaction is the
longest another user's `drill` answer or `critique` waits. Every statement
the run's connection executes is traced; a transaction is timed from its
BEGIN to its COMMIT or ROLLBACK (wall clock). Prints that longest hold and
the number of transactions, next to the whole run's time as the baseline
(what the hold was when one transaction spanned the run). Uses the seeded
data of ``grade_bench.py``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from grade_bench import RUBRIC, generate  # noqa: E402

import rationale.store as store  # noqa: E402
from rationale.calibration import calibrate_files  # noqa: E402
from rationale.grading.pipeline import grade_files  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--judgments", type=int, default=6_000)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--command", choices=["grade", "calibrate"], default="grade")
    args = parser.parse_args()

    holds: list[float] = []
    began: list[float] = []
    original_open = store.open_db

    def traced_open(path=None):  # type: ignore[no-untyped-def]
        db = original_open(path)

        def trace(sql: str) -> None:
            word = sql.strip().split(None, 1)[0].upper() if sql.strip() else ""
            if word == "BEGIN":
                began.append(time.perf_counter())
            elif word in ("COMMIT", "ROLLBACK", "END") and began:
                holds.append(time.perf_counter() - began.pop())

        db.conn.set_trace_callback(trace)
        return db

    store.open_db = traced_open  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(Path(tmp), args.judgments, args.items)
        start = time.perf_counter()
        if args.command == "grade":
            grade_files([paths["judgments"]], rubric_path=RUBRIC, gold_path=paths["gold"], items_path=paths["items"],
                        db_path=Path(tmp) / "bench.db")
        else:
            calibrate_files([paths["judgments"]], rubric_path=RUBRIC, gold_path=paths["gold"],
                            items_path=paths["items"], db_path=Path(tmp) / "bench.db")
        whole = time.perf_counter() - start

    print(f"{args.command} of {args.judgments:,} judgments over {args.items:,} items: {whole:.2f} s in all")
    print(f"write transactions: {len(holds)}; longest held the write lock {max(holds):.2f} s"
          f" (baseline, the whole run: {whole:.2f} s)")


if __name__ == "__main__":
    main()
