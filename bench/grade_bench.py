"""Benchmark `rationale grade` on 100,000 judgments over 1,000 items against the I/O floor.

    .venv/bin/python bench/grade_bench.py [--judgments 100000] [--items 1000] [--workers N] [--keep DIR]

Prints, measured in the same run, each as its own child process (so its CPU time and peak
memory, from os.wait4, are its own):

* parse floor - ``json.loads`` of every line of the same input files (judgments, items, gold);
  next to it, ``json.loads`` + pydantic validation of each record (timed on its own);
* I/O floor   - the parse floor plus ``sqlite3.executemany`` of exactly the rows the first
                `rationale grade` wrote (runs, rubrics, items, gold, judgments, grades, findings,
                read back from its database beforehand), in batches of 2,000, into a new database
                with the same schema, indexes and triggers, in one transaction;
* `rationale grade ... > /dev/null` on a new database (start-up, imports, the text report
  included), then again on the same database (a re-run: every grade is stored);
* start-up: `rationale --help` next to `python -c pass` (median of 7 runs).

Targets (issue 16): first run <= 1.5x the I/O floor, re-run <= 1.1x the parse floor, peak
memory < 300 MB and flat from 100k to 1M judgments. With worker processes the peak is that of
the largest single process (the parent; each worker's is printed too when measured).

The data is deterministic (seeded): rationales of about 60 words that quote the responses,
sometimes misquote them, cite criteria and make or miss key points, so every check in the
grader does real work.
"""

from __future__ import annotations

import argparse
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

# The tables `rationale grade` writes, parents first (foreign keys).
TABLES = ("runs", "rubrics", "items", "gold", "judgments", "grades", "findings")


def run_floor(directory: Path, source_db: Path, db: Path) -> dict:
    """json.loads of the input, then executemany of exactly the rows grading wrote; each part timed."""
    import sqlite3

    # Read the rows before the clock starts: the floor is parsing the input and writing these rows.
    source = sqlite3.connect(source_db)
    rows = {}
    columns = {}
    for table in TABLES:
        cursor = source.execute(f"select * from {table} order by rowid")
        columns[table] = [d[0] for d in cursor.description]
        rows[table] = cursor.fetchall()
    source.close()
    files = [directory / name for name in ("items.jsonl", "gold.jsonl", "judgments.jsonl")]

    start = time.perf_counter()
    parsed = 0
    for path in files:
        with path.open(encoding="utf-8") as f:
            for line in f:
                json.loads(line)
                parsed += 1
    parse_seconds = time.perf_counter() - start
    conn = sqlite3.connect(db)
    conn.execute("pragma foreign_keys = on")
    conn.execute("pragma cache_size = -16000")  # the page cache `rationale grade` asks for
    conn.execute("begin")
    for table in TABLES:
        names = columns[table]
        sql = f"insert into {table} ({', '.join(names)}) values ({', '.join('?' * len(names))})"
        table_rows = rows[table]
        for i in range(0, len(table_rows), 2000):
            conn.executemany(sql, table_rows[i : i + 2000])
    conn.commit()
    conn.close()
    seconds = time.perf_counter() - start

    # Parsing and validating every record (what any run of `grade` pays before grading), timed on its own.
    sys.path.insert(0, str(ROOT / "src"))
    from rationale.models import GoldAnswer, Item, Judgment

    start = time.perf_counter()
    for path, model in zip(files, (Item, GoldAnswer, Judgment)):
        with path.open(encoding="utf-8") as f:
            for line in f:
                model.model_validate(json.loads(line))
    validate_seconds = time.perf_counter() - start
    return {"parse_seconds": parse_seconds, "seconds": seconds, "validate_seconds": validate_seconds,
            "lines": parsed, "rows": sum(len(r) for r in rows.values())}


def _child(args: list[str], *, output: bool = False) -> tuple[float, float, float, str]:
    """Run a child to completion; return (wall seconds, CPU seconds, peak RSS in MB, stdout if `output`).

    A report is thrown away rather than kept: Linux counts the RSS of the process that starts a child in the
    child's peak (exec records it), so 100 MB of a kept report would show up as the next child's peak.
    """
    start = time.perf_counter()
    with tempfile.TemporaryFile() if output else open(os.devnull, "wb") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        err = proc.stderr.read().decode() if proc.stderr else ""
        text = ""
        if output:
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
    parser.add_argument("--workers", type=int, help="Passed to `rationale grade --workers` (default: its own).")
    parser.add_argument("--keep", type=Path, help="Generate into (and keep) this directory.")
    parser.add_argument("--child", choices=["floor"], help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--source", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child == "floor":
        print(json.dumps(run_floor(args.dir, args.source, args.db)))
        return

    work = args.keep or Path(tempfile.mkdtemp(prefix="rationale-bench-"))
    try:
        t0 = time.perf_counter()
        paths = generate(work, args.judgments, args.items)
        size = paths["judgments"].stat().st_size / 1e6
        print(f"generated {args.judgments:,} judgments over {args.items:,} items ({size:.0f} MB JSONL) in {time.perf_counter() - t0:.1f}s")
        me = [PYTHON, str(Path(__file__).resolve())]

        cli_db = work / "cli.db"
        for stale in work.glob("*.db*"):
            stale.unlink()
        cli_args = [RATIONALE, "grade", str(paths["judgments"]), "--rubric", str(RUBRIC), "--gold", str(paths["gold"]),
                    "--items", str(paths["items"]), "--db", str(cli_db)]
        if args.workers:
            cli_args += ["--workers", str(args.workers)]
        first = _child(cli_args)

        sys.path.insert(0, str(ROOT / "src"))
        from rationale.store import open_db

        open_db(work / "floor.db").conn.close()  # same schema, indexes and triggers; the child imports only the stdlib
        f_wall, f_cpu, f_peak, f_out = _child(
            [*me, "--child", "floor", "--dir", str(work), "--source", str(cli_db), "--db", str(work / "floor.db")],
            output=True,
        )
        floor = json.loads(f_out)
        rerun = _child(cli_args)

        io_floor, parse_floor = floor["seconds"], floor["parse_seconds"]
        print(f"  the first run wrote {floor['rows']:,} rows; the floor parses {floor['lines']:,} lines and writes the same rows")
        print()
        print("wall = seconds around the whole subprocess for `rationale grade` (start-up, imports, text report")
        print("included), inside the process around the work for the floors; cpu = user + sys of the process and")
        print("its workers; peak = the largest single process")
        print(f"{'':36}{'wall s':>8}{'x I/O':>8}{'x parse':>9}{'cpu s':>8}{'peak MB':>9}")
        validate = floor["validate_seconds"]
        print(f"{'parse floor (json.loads)':36}{parse_floor:8.2f}{parse_floor / io_floor:8.2f}{1:9.2f}{'':>8}{'':>9}")
        print(f"{'json.loads + pydantic validation':36}{validate:8.2f}{validate / io_floor:8.2f}{validate / parse_floor:9.2f}{'':>8}{'':>9}")
        print(f"{'I/O floor (parse + executemany)':36}{io_floor:8.2f}{1:8.2f}{io_floor / parse_floor:9.2f}{f_cpu:8.2f}{f_peak:9.0f}")
        for name, (wall, cpu, peak, _) in (("rationale grade, first run", first), ("rationale grade, re-run (all stored)", rerun)):
            print(f"{name:36}{wall:8.2f}{wall / io_floor:8.2f}{wall / parse_floor:9.2f}{cpu:8.2f}{peak:9.0f}")
        print("targets: first run <= 1.50 x I/O floor; re-run <= 1.10 x parse floor; peak < 300 MB")

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
