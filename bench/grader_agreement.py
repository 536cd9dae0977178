"""Does the grade agree with an expert lead? Spearman, pass/fail agreement, lenient and harsh counts, mean
absolute difference, per band of the lead's score, on two lead-scored sets:

* shared: ../shared/data/lead-scored/cases.jsonl, 90 judgments on the example drill, scored by an experienced
  annotation lead before any grading software was run (see its README);
* held-out: tests/data/lead-scored-extra/cases.jsonl, 60 judgments (45 on ten items of its own, 15 on the drill)
  written and scored by a second lead for this project, independently of the grader.

Targets (the grader issue): rho >= 0.90, pass/fail agreement >= 93%, at most 2 lenient passes, mean absolute
difference <= 10 on the shared set; rho >= 0.85 and agreement >= 90% on cases the grader was not built on.
It also times the grading of all cases, against the first release's keyword grader where a checkout of it is
given (--baseline-src DIR: a src/ folder of release 0.1.0).

    python bench/grader_agreement.py [--verbose]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rationale.grading.agreement_with_lead import load_cases, measure  # noqa: E402
from rationale.io.loaders import load_gold, load_items, load_rubric  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "lead-scored" / "cases.jsonl"
EXTRA = ROOT / "tests" / "data" / "lead-scored-extra"
DRILL = ROOT / "examples" / "drill"


def sets():
    rubric = load_rubric(ROOT / "rubrics" / "hhh.yaml")
    drill_items = load_items(DRILL / "items.jsonl")
    drill_gold = load_gold(DRILL / "gold.jsonl", drill_items, rubric)
    extra_items = load_items(EXTRA / "items.jsonl")
    extra_gold = load_gold(EXTRA / "gold.jsonl", extra_items, rubric)
    items = {**drill_items, **extra_items}
    gold = {**drill_gold, **extra_gold}
    yield "shared (lead-scored, 90)", load_cases(SHARED), rubric, items, gold
    yield "held-out (project, 60)", load_cases(EXTRA / "cases.jsonl"), rubric, items, gold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every pass/fail disagreement")
    args = parser.parse_args()
    for name, cases, rubric, items, gold in sets():
        started = time.perf_counter()
        agreement, _ = measure(cases, rubric, items, gold)
        seconds = time.perf_counter() - started
        print(f"{name}: n={agreement.n}")
        print(f"  Spearman rho            {agreement.spearman:.3f}")
        print(f"  pass/fail agreement     {agreement.pass_agreement:.1%}")
        print(f"  lenient passes          {agreement.lenient}")
        print(f"  harsh fails             {agreement.harsh}")
        print(f"  mean absolute diff      {agreement.mean_abs_difference:.1f}")
        for band, (n, mad) in agreement.bands.items():
            print(f"    {band:18s} n={n:<3d} mean abs diff {mad:.1f}")
        if agreement.wrong_choice_mean is not None:
            print(f"  mean grade of wrong choices {agreement.wrong_choice_mean:.1f}")
        print(f"  graded in {seconds:.2f} s (includes loading the word vectors on the first set)")
        if args.verbose:
            for case_id, lead, score, lead_pass, passed in agreement.disagreements:
                print(f"    {case_id}: lead {lead:.0f} {'pass' if lead_pass else 'fail'}, grade {score:.1f} {'pass' if passed else 'fail'}")


if __name__ == "__main__":
    main()
