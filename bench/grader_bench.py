"""Benchmark the grader alone: microseconds per judgment next to parsing them.

    .venv/bin/python bench/grader_bench.py [--judgments 20000] [--items 1000]

Uses the same seeded data as ``grade_bench.py`` (rationales of about 60
words that quote, misquote, cite criteria and make or miss key points) and
prints, measured in the same run (CPU time of this process, so that other
work on a shared machine disturbs the figures less):

* baseline - ``json.loads`` + ``Judgment.model_validate`` per line (the
             parsing any grading run pays anyway);
* grade    - ``Grader.grade`` per judgment (items and gold already loaded;
             the first grade of each item compiles its context);
* per check - the share of that time each scoring component takes, and the
              injection detector's (a part of the argument component).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import yaml  # noqa: E402

from grade_bench import RUBRIC, generate  # noqa: E402
from rationale.grading import COMPONENTS  # noqa: E402
from rationale.grading import Grader  # noqa: E402
from rationale.grading.injection import detect_injection  # noqa: E402
from rationale.models import GoldAnswer, Item, Judgment, Rubric  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--judgments", type=int, default=20_000)
    parser.add_argument("--items", type=int, default=1_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(Path(tmp), args.judgments, args.items)
        rubric = Rubric.model_validate(yaml.safe_load(RUBRIC.read_text(encoding="utf-8")))
        items = {i.id: i for i in (Item.model_validate_json(line) for line in paths["items"].open(encoding="utf-8"))}
        gold = {g.item_id: g for g in (GoldAnswer.model_validate_json(line) for line in paths["gold"].open(encoding="utf-8"))}
        lines = paths["judgments"].read_text(encoding="utf-8").splitlines()

    start = time.process_time()
    judgments = [Judgment.model_validate(json.loads(line)) for line in lines]
    parse_seconds = time.process_time() - start

    grader = Grader(rubric)
    start = time.process_time()
    grades = [grader.grade(j, items[j.item_id], gold[j.item_id]) for j in judgments]
    grade_seconds = time.process_time() - start

    # Where the time goes, on warm caches.
    contexts = [grader.check_context(j, items[j.item_id], gold[j.item_id]) for j in judgments]
    shares = {}
    for name, component in COMPONENTS:
        start = time.process_time()
        for ctx in contexts:
            component(ctx)
        shares[name] = time.process_time() - start
    start = time.process_time()
    for j in judgments:
        grader.check_context(j, items[j.item_id], gold[j.item_id]).rationale.quotes if j.rationale else None
    shares["analyse rationale"] = time.process_time() - start
    # The injection detector (part of the argument component's lint): normalising, the gated rules, base64.
    start = time.process_time()
    for j in judgments:
        detect_injection(j.rationale)
    shares["injection detector"] = time.process_time() - start

    n = len(judgments)
    mean = sum(g.score for g in grades) / n
    findings = sum(len(g.findings) for g in grades)
    print(f"judgments: {n:,} over {len(items):,} items; mean score {mean:.1f}; {findings / n:.1f} findings each")
    print(f"baseline (json.loads + Judgment.model_validate): {parse_seconds / n * 1e6:7.1f} us/judgment")
    print(f"grade (Grader.grade):                            {grade_seconds / n * 1e6:7.1f} us/judgment"
          f"  ({grade_seconds / parse_seconds:.1f}x baseline)")
    for name, seconds in shares.items():
        print(f"  {name:<18} {seconds / n * 1e6:7.1f} us")


if __name__ == "__main__":
    main()
