"""Benchmark `rationale calibrate` on the grade bench's data against `rationale grade` on the same judgments.

    .venv/bin/python bench/calibrate_bench.py [--judgments 100000] [--items 1000] [--baseline-src DIR]

Calibrating grades every judgment (as `grade` does), then computes the agreement among every pair of
annotators (100 annotators: 4,950 pairs, each kappa with a 1,000-resample interval, for the preference and
twice for the strength), consensus, biases and contested items, and stores the batch. The baseline is
`rationale grade` of the same files in the same run: what the grading alone costs. Each command runs as
its own child process (wall, CPU of it and its workers, peak of the largest single process, from
os.wait4); the calibrate run prints the CPU of its steps (read, grade, analyse, store) as well.

With --baseline-src (the src/ folder of another checkout, e.g. a `git worktree` of the commit before), that
code's calibrate runs too, on the same files, right after this one's.

The data is grade_bench.py's: seeded, deterministic, 100 annotators over 1,000 items at 100,000.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
RATIONALE = str(Path(PYTHON).with_name("rationale"))
RUBRIC = ROOT / "rubrics" / "hhh.yaml"


def _grade_bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("grade_bench", Path(__file__).with_name("grade_bench.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def calibrate_steps(paths: dict[str, str], db: str, src: str) -> None:
    """In a child: calibrate, printing the CPU time (this process, and its workers) at the end of each step."""
    import resource

    sys.path.insert(0, src)
    from rationale.calibration import calibrate_files

    names = {1: "read and check", 2: "grade", 3: "analyse", 4: "store"}
    steps = []

    def clocks() -> list[float]:
        own = resource.getrusage(resource.RUSAGE_SELF)
        workers = resource.getrusage(resource.RUSAGE_CHILDREN)
        return [own.ru_utime + own.ru_stime, workers.ru_utime + workers.ru_stime, time.perf_counter()]

    def step(done: int, total: int | None) -> None:
        now = clocks()
        steps.append({"step": names[done], "cpu": now[0] - before[0], "workers_cpu": now[1] - before[1],
                      "wall": now[2] - before[2]})
        before[:] = now

    before = clocks()  # after the imports: the steps are the work

    calibrate_files([paths["judgments"]], items_path=paths["items"], rubric_path=str(RUBRIC),
                    gold_path=paths["gold"], db_path=db, on_progress=step)
    print(json.dumps(steps))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--judgments", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=1_000)
    parser.add_argument("--baseline-src", type=Path, help="src/ folder of the code to compare with")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        calibrate_steps(*json.loads(args.child))
        return

    grade_bench = _grade_bench()
    work = Path(tempfile.mkdtemp(prefix="rationale-calibrate-bench-"))
    try:
        paths = {k: str(v) for k, v in grade_bench.generate(work, args.judgments, args.items).items()}
        annotators = -(-args.judgments // args.items)
        print(f"generated {args.judgments:,} judgments: {annotators} annotators over {args.items:,} items"
              f" ({annotators * (annotators - 1) // 2:,} pairs of annotators)")
        grade = grade_bench._child([RATIONALE, "grade", paths["judgments"], "--rubric", str(RUBRIC), "--gold",
                                    paths["gold"], "--items", paths["items"], "--db", str(work / "grade.db")])
        print(f"{'':34}{'wall s':>8}{'cpu s':>8}{'peak MB':>9}")
        print(f"{'baseline: rationale grade':34}{grade[0]:8.2f}{grade[1]:8.2f}{grade[2]:9.0f}")
        codes = [("rationale calibrate", ROOT / "src")]
        if args.baseline_src:
            codes.append((f"calibrate of {args.baseline_src}", args.baseline_src.resolve()))
        for name, src in codes:
            db = work / f"calibrate-{len(name)}.db"
            run = grade_bench._child([PYTHON, __file__, "--child", json.dumps([paths, str(db), str(src)])], output=True)
            print(f"{name:34}{run[0]:8.2f}{run[1]:8.2f}{run[2]:9.0f}")
            for s in json.loads(run[3]):
                print(f"{'  ' + s['step']:34}{s['wall']:8.2f}{s['cpu'] + s['workers_cpu']:8.2f}"
                      f"   (this process {s['cpu']:.2f}, grading workers {s['workers_cpu']:.2f})")
            print(f"{'':34}calibrate / grade: {run[0] / grade[0]:.2f}x wall, {run[1] / grade[1]:.2f}x CPU")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
