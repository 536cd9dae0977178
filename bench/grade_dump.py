"""Every grade of the grader's reference sets, as JSON lines: compare two checkouts' grades byte for byte.

    .venv/bin/python bench/grade_dump.py OUT.jsonl [--judgments 20000]
    PYTHONPATH=OTHER/src .venv/bin/python bench/grade_dump.py OTHER.jsonl   # another checkout's grader
    cmp OUT.jsonl OTHER.jsonl

The sets: the seeded bench data of ``grade_bench.py`` (``--judgments`` over 1,000 items), the shipped
examples (``examples/drill`` and ``examples/calibration``), and every lead-scored case
(``../shared/data/lead-scored`` and ``tests/data/lead-scored-extra``). A change meant to make grading
faster must leave this output unchanged; ``tests/test_grades_unchanged.py`` keeps a digest of it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))


def graded_sets(judgments: int = 20_000, items: int = 1_000) -> Iterator[tuple[str, list[str]]]:
    """(set name, the JSON of each grade in input order) for each reference set."""
    from grade_bench import generate

    from rationale.grading import Grader
    from rationale.grading.agreement_with_lead import load_cases
    from rationale.io.loaders import load_gold, load_items, load_rubric
    from rationale.models import GoldAnswer, Item, Judgment

    rubric = load_rubric(ROOT / "rubrics" / "hhh.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(Path(tmp), judgments, items)
        bench_items = {i.id: i for i in map(Item.model_validate_json, paths["items"].open(encoding="utf-8"))}
        bench_gold = {g.item_id: g for g in map(GoldAnswer.model_validate_json, paths["gold"].open(encoding="utf-8"))}
        bench = [Judgment.model_validate_json(line) for line in paths["judgments"].read_text(encoding="utf-8").splitlines()]
    grader = Grader(rubric)
    yield "bench", [grader.grade(j, bench_items[j.item_id], bench_gold[j.item_id]).model_dump_json() for j in bench]

    drill, extra = ROOT / "examples" / "drill", ROOT / "tests" / "data" / "lead-scored-extra"
    drill_items, extra_items = load_items(drill / "items.jsonl"), load_items(extra / "items.jsonl")
    every_item = {**drill_items, **extra_items}
    every_gold = {**load_gold(drill / "gold.jsonl", drill_items, rubric), **load_gold(extra / "gold.jsonl", extra_items, rubric)}
    grader = Grader(rubric)

    def grades(judgments: list[Judgment]) -> list[str]:
        return [grader.grade(j, every_item[j.item_id], every_gold[j.item_id]).model_dump_json() for j in judgments]

    for name in ("drill", "calibration"):
        path = ROOT / "examples" / name / "judgments.jsonl"
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        yield f"examples/{name}", grades([Judgment.model_validate_json(line) for line in lines])
    for name, path in (("lead-scored", ROOT.parent / "shared" / "data" / "lead-scored" / "cases.jsonl"), ("lead-scored-extra", extra / "cases.jsonl")):
        yield name, grades([case.judgment for case in load_cases(path)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--judgments", type=int, default=20_000)
    args = parser.parse_args()
    with args.out.open("w", encoding="utf-8") as out:
        for name, lines in graded_sets(args.judgments):
            out.writelines(line + "\n" for line in lines)
            print(f"{name}: {len(lines):,} grades")


if __name__ == "__main__":
    main()
