"""Benchmark `rationale grade` on 100,000 judgments over 1,000 items.

    .venv/bin/python bench/grade_bench.py [--judgments 100000] [--items 1000] [--keep DIR]

Prints, measured in the same run:

* baseline  - only parse the same JSONL and insert the same rows (judgments,
              grades, findings, with the same columns and the same number of
              findings as grading produced) with sqlite3.executemany into a
              database with the same schema;
* library   - `rationale.grading.grade_files` called from Python;
* cli       - `rationale grade ... > /dev/null` as a subprocess (start-up,
              imports and rendering the text report included);
* start-up  - `rationale --help` next to `python -c pass` (median of 7 runs).

Each measured run is its own child process so its peak memory (ru_maxrss
from os.wait4) is its own. Targets (issue 2, section 10): within 2x the
baseline and under 300 MB peak.

The data is deterministic (seeded): rationales of about 60 words that quote
the responses, sometimes misquote them, cite criteria and make or miss key
points, so every check in the grader does real work.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
RATIONALE = str(Path(PYTHON).with_name("rationale"))
RUBRIC = ROOT / "rubrics" / "hhh.yaml"
CRITERIA = ["harmlessness", "honesty", "instruction_following", "helpfulness", "clarity", "concision"]
SEED = 20240501

WORDS = (
    "the answer explains how to configure a server with clear steps and notes that backups matter before any change "
    "it lists the commands in order gives an example output mentions a common mistake and suggests checking logs "
    "the response claims the function returns a list although the documentation says it returns an iterator "
    "which matters for large inputs because memory use grows with the number of records read at once "
    "a careful reader would verify the version number the date and the units before acting on the advice"
).split()
TOPICS = ["python", "sqlite", "budget", "recipe", "travel", "medicine", "history", "physics", "contract", "garden"]
OPENERS = [
    "Response {side} is better because",
    "I prefer {side}:",
    "{side} wins on accuracy since",
    "Both are close, but {side}",
    "{side} is clearly stronger, as",
]
FILLER = [
    "it answers the question directly and stays on topic",
    "the other response makes an error a user would act on",
    "it is honest about what it does not know",
    "the steps are in a sensible order and easy to follow",
    "it avoids the unsafe suggestion the other one makes",
    "it is better overall and more helpful",
    "the other one is longer but says less",
    "it follows the requested format of a short list",
]


def _sentence(rng: random.Random, n: int) -> str:
    start = rng.randrange(len(WORDS) - n)
    return " ".join(WORDS[start : start + n])


def generate(directory: Path, n_judgments: int, n_items: int) -> dict[str, Path]:
    rng = random.Random(SEED)
    directory.mkdir(parents=True, exist_ok=True)
    items_path, gold_path, judgments_path = (directory / n for n in ("items.jsonl", "gold.jsonl", "judgments.jsonl"))
    items = []
    with items_path.open("w", encoding="utf-8") as items_out, gold_path.open("w", encoding="utf-8") as gold_out:
        for i in range(n_items):
            topic = rng.choice(TOPICS)
            a = f"About {topic}: " + ". ".join(_sentence(rng, rng.randint(8, 16)) for _ in range(rng.randint(3, 6))) + "."
            b = f"On {topic}: " + ". ".join(_sentence(rng, rng.randint(8, 16)) for _ in range(rng.randint(3, 6))) + "."
            item_id = f"item-{i:04d}"
            items.append((item_id, a, b))
            items_out.write(
                json.dumps({"id": item_id, "prompt": f"Question {i} about {topic}?", "response_a": a, "response_b": b, "domain": topic})
                + "\n"
            )
            strength = rng.choice([-3, -2, -1, 0, 1, 2, 3])
            preference = "A" if strength < 0 else "B" if strength > 0 else "tie"
            key_points = [
                {"id": f"kp{k}", "text": f"Point {k} about {topic}", "cues": [_sentence(rng, 2), _sentence(rng, 1)]}
                for k in range(rng.randint(1, 3))
            ]
            gold_out.write(
                json.dumps(
                    {
                        "item_id": item_id,
                        "preference": preference,
                        "strength": strength,
                        "decisive_criteria": rng.sample(CRITERIA, rng.randint(1, 2)),
                        "key_points": key_points,
                        "reference_rationale": f"The lead's reasoning about {topic}, quoting the better response.",
                        "difficulty": rng.choice(["easy", "medium", "hard"]),
                    }
                )
                + "\n"
            )
    n_annotators = max(1, -(-n_judgments // n_items))
    written = 0
    with judgments_path.open("w", encoding="utf-8") as out:
        for a in range(n_annotators):
            for item_id, resp_a, resp_b in items:
                if written == n_judgments:
                    break
                strength = rng.choice([-3, -2, -1, -1, 0, 1, 1, 2, 3])
                preference = "A" if strength < 0 else "B" if strength > 0 else "tie"
                side = preference if preference != "tie" else rng.choice("AB")
                source = resp_a if side == "A" else resp_b
                words = source.split()
                start = rng.randrange(max(1, len(words) - 6))
                quote = " ".join(words[start : start + rng.randint(3, 6)]).rstrip(".")
                if rng.random() < 0.1:
                    quote = "this text appears in neither response"
                parts = [
                    rng.choice(OPENERS).format(side=side),
                    rng.choice(FILLER) + ".",
                    f'It says "{quote}",',
                    rng.choice(FILLER) + ".",
                    _sentence(rng, rng.randint(10, 25)) + ".",
                    rng.choice(FILLER) + ".",
                ]
                if rng.random() < 0.5:
                    parts.append(f"On {rng.choice(CRITERIA).replace('_', ' ')} it is more accurate and safer.")
                record = {
                    "item_id": item_id,
                    "annotator": f"annotator-{a:03d}",
                    "preference": preference,
                    "strength": strength,
                    "criteria": rng.sample(CRITERIA, rng.randint(0, 3)),
                    "rationale": " ".join(parts),
                    "seconds": round(rng.uniform(20, 400), 1),
                }
                out.write(json.dumps(record) + "\n")
                written += 1
    return {"items": items_path, "gold": gold_path, "judgments": judgments_path}


# --------------------------------------------------------------------------- the measured runs (child processes)


def run_library(directory: Path, db: Path) -> dict:
    sys.path.insert(0, str(ROOT / "src"))
    start = time.perf_counter()
    from rationale.grading.pipeline import grade_files

    report = grade_files(
        [directory / "judgments.jsonl"],
        rubric_path=RUBRIC,
        gold_path=directory / "gold.jsonl",
        items_path=directory / "items.jsonl",
        db_path=db,
    )
    return {"seconds": time.perf_counter() - start, "counts": report.counts, "mean_score": report.summary.mean_score}


def row_shape(db: Path) -> dict:
    """What the graded rows look like, so the baseline writes rows of the same size."""
    import sqlite3

    conn = sqlite3.connect(db)
    shape = dict(
        zip(
            ("findings", "message", "span", "with_span", "with_criterion", "with_key_point"),
            conn.execute(
                "select count(*), avg(length(message)), coalesce(avg(length(span)), 0), avg(span is not null),"
                " avg(criterion is not null), avg(key_point is not null) from findings"
            ).fetchone(),
        )
    )
    shape.update(
        zip(
            ("components", "made", "missed"),
            conn.execute(
                "select avg(length(components)), avg(length(key_points_made)), avg(length(key_points_missed)) from grades"
            ).fetchone(),
        )
    )
    conn.close()
    return shape


def _every(fraction: float, n: int) -> bool:
    """True for `fraction` of n = 1, 2, 3... spread evenly: optional columns filled as often as grading fills them."""
    return int(n * fraction) != int((n - 1) * fraction)


def run_baseline(directory: Path, db: Path, shape: dict) -> dict:
    """Parse the same JSONL and insert the same rows with sqlite3.executemany, nothing else.

    Judgments are the parsed records; grades and findings are filler of the
    same count and average size as the rows grading wrote.
    """
    import sqlite3

    # The database already has the same schema, indexes and settings (made by the parent, see main).
    text = "x" * 400
    message, span = text[: round(shape["message"])], text[: round(shape["span"])]
    components, made, missed = (text[: round(shape[k])] for k in ("components", "made", "missed"))
    start = time.perf_counter()
    conn = sqlite3.connect(db)
    conn.execute("pragma foreign_keys = on")
    conn.execute("begin")
    conn.execute("insert into runs (command, started) values ('baseline', 'now')")
    conn.execute("insert into rubrics (hash, id, title, version, body) values ('r', 'hhh', 't', '1', '{}')")
    item_hash: dict[str, str] = {}
    with (directory / "items.jsonl").open(encoding="utf-8") as f:
        rows = []
        for line in f:
            r = json.loads(line)
            h = hashlib.sha256(line.encode()).hexdigest()[:16]
            item_hash[r["id"]] = h
            rows.append((h, r["id"], r["prompt"], r["response_a"], r["response_b"], None, r.get("domain"), "[]"))
        conn.executemany("insert into items values (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    gold_hash: dict[str, str] = {}
    with (directory / "gold.jsonl").open(encoding="utf-8") as f:
        rows = []
        for line in f:
            r = json.loads(line)
            h = hashlib.sha256(line.encode()).hexdigest()[:16]
            gold_hash[r["item_id"]] = h
            rows.append((h, r["item_id"], item_hash[r["item_id"]], r["preference"], r["strength"], r["difficulty"], "[]", line))
        conn.executemany("insert into gold values (?, ?, ?, ?, ?, ?, ?, ?)", rows)

    n_lines = sum(1 for _ in (directory / "judgments.jsonl").open("rb"))
    per_judgment, extra = divmod(shape["findings"], n_lines)
    judgments, grades, findings = [], [], []
    counter = 0

    def flush() -> None:
        conn.executemany("insert into judgments values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", judgments)
        conn.executemany("insert into grades values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", grades)
        conn.executemany(
            "insert into findings (grade_id, code, severity, message, span, criterion, key_point) values (?, ?, ?, ?, ?, ?, ?)",
            findings,
        )
        judgments.clear()
        grades.clear()
        findings.clear()

    with (directory / "judgments.jsonl").open(encoding="utf-8") as f:
        for n, line in enumerate(f):
            r = json.loads(line)
            h = hashlib.sha256(line.encode()).hexdigest()[:16]
            judgments.append(
                (h, r["item_id"], item_hash[r["item_id"]], r["annotator"], 1, r["preference"], r["strength"],
                 json.dumps(r["criteria"]), r["rationale"], r.get("seconds"), None, 1)
            )
            gid = h[::-1]
            grades.append(
                (gid, h, gold_hash[r["item_id"]], "r", r["item_id"], r["annotator"], 50.0, 0, 1, 0, 0.5, 0.5,
                 components, made, missed, 1, "2026-01-01T00:00:00.000Z")
            )
            for _ in range(per_judgment + (1 if n < extra else 0)):
                counter += 1
                findings.append(
                    (gid, "code", "minor", message,
                     span if _every(shape["with_span"], counter) else None,
                     "honesty" if _every(shape["with_criterion"], counter) else None,
                     "kp1" if _every(shape["with_key_point"], counter) else None)
                )
            if len(judgments) >= 2000:
                flush()
    flush()
    conn.commit()
    conn.close()
    return {"seconds": time.perf_counter() - start}


def _child(args: list[str]) -> tuple[float, float, float, str]:
    """Run a child to completion; return (wall seconds, CPU seconds, peak RSS in MB, stdout)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        err = proc.stderr.read().decode() if proc.stderr else ""
        out.seek(0)
        text = out.read().decode()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args[:3])}... failed ({proc.returncode}):\n{err[-3000:]}")
    # ru_maxrss is in kilobytes on Linux. CPU time is steadier than wall time on a shared machine.
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text


def _startup(args: list[str], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--judgments", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=1_000)
    parser.add_argument("--keep", type=Path, help="Generate into (and keep) this directory.")
    parser.add_argument("--child", choices=["library", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--shape", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child == "library":
        print(json.dumps(run_library(args.dir, args.db)))
        return
    if args.child == "baseline":
        print(json.dumps(run_baseline(args.dir, args.db, json.loads(args.shape))))
        return

    work = args.keep or Path(tempfile.mkdtemp(prefix="rationale-bench-"))
    try:
        t0 = time.perf_counter()
        paths = generate(work, args.judgments, args.items)
        size = paths["judgments"].stat().st_size / 1e6
        print(f"generated {args.judgments:,} judgments over {args.items:,} items ({size:.0f} MB JSONL) in {time.perf_counter() - t0:.1f}s")
        me = [PYTHON, str(Path(__file__).resolve())]

        _, l_cpu, l_peak, out = _child([*me, "--child", "library", "--dir", str(work), "--db", str(work / "library.db")])
        library = json.loads(out)
        counts = library["counts"]
        print(f"  graded: {counts['grades_new']:,} grades, {counts['findings_new']:,} findings, mean score {library['mean_score']}")

        sys.path.insert(0, str(ROOT / "src"))
        from rationale.store import open_db

        open_db(work / "baseline.db").conn.close()  # so the baseline child imports nothing but the stdlib
        _, b_cpu, b_peak, b_out = _child(
            [*me, "--child", "baseline", "--dir", str(work), "--db", str(work / "baseline.db"),
             "--shape", json.dumps(row_shape(work / "library.db"))]
        )
        baseline = json.loads(b_out)

        cli_db = work / "cli.db"
        cli_args = [RATIONALE, "grade", str(paths["judgments"]), "--rubric", str(RUBRIC), "--gold", str(paths["gold"]),
                    "--items", str(paths["items"]), "--db", str(cli_db)]
        c_wall, c_cpu, c_peak, _ = _child(cli_args)
        r_wall, r_cpu, r_peak, _ = _child(cli_args)

        base = baseline["seconds"]
        print()
        print("wall = seconds measured inside the process around the work (library, baseline) or around the")
        print("whole subprocess (cli: start-up, imports and the text report included); cpu = user + sys of the process")
        print(f"{'':34}{'wall s':>8}{'x base':>8}{'cpu s':>8}{'x base':>8}{'peak MB':>9}")
        rows = [
            ("baseline (parse + executemany)", base, b_cpu, b_peak),
            ("grade_files (library)", library["seconds"], l_cpu, l_peak),
            ("rationale grade (subprocess)", c_wall, c_cpu, c_peak),
            ("rationale grade, re-run (no-op)", r_wall, r_cpu, r_peak),
        ]
        for name, wall, cpu, peak in rows:
            print(f"{name:34}{wall:8.2f}{wall / base:8.2f}{cpu:8.2f}{cpu / b_cpu:8.2f}{peak:9.0f}")
        print("target: <= 2.00 x baseline, < 300 MB peak")

        py = _startup([PYTHON, "-c", "pass"])
        cli = _startup([RATIONALE, "--help"])
        print()
        print(f"start-up (median of 7): python -c pass {1000 * py:.0f} ms; rationale --help {1000 * cli:.0f} ms"
              f" (+{1000 * (cli - py):.0f} ms)")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
