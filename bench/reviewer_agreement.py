"""Is the LLM second reviewer any good by an expert's measure? Its criterion scores and its reviewed grade
against the scores of ../shared/data/lead-scored (90 judgments on the example drill, scored by a lead).

It grades the chosen cases into a database, critiques them with the model (every request cached there, so
a second run sends nothing), and prints, on the judgments the reviewer did review: Spearman's rho of each
criterion's 1-5 score and of their weighted mean against the lead's score; the reviewed grade's rho, mean
absolute difference and pass/fail agreement with the lead (Wilson 95% interval, lenient passes, harsh
fails), with the deterministic grade's on the same judgments beside it; then the `critique --evaluate`
report of the same critiques.

    python bench/reviewer_agreement.py --model openai/smollm2 --api-base http://127.0.0.1:8765/v1 \\
        --output-mode grammar --concurrency 1 --timeout 600 --limit 12 --db /tmp/reviewer.db
    python bench/reviewer_agreement.py --model openai/smollm2 --db /tmp/reviewer.db --no-critique   # figures only

--limit N takes N cases spread evenly over the lead's scores (the whole set by default: 90 judgments,
three or four requests each).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rationale.critique.batch import CritiqueOptions, critique_stored  # noqa: E402
from rationale.critique.evaluation import evaluate_reviewer  # noqa: E402
from rationale.critique.lead_agreement import GradeVsLead, measure_reviewer  # noqa: E402
from rationale.grading.agreement_with_lead import load_cases  # noqa: E402
from rationale.grading.pipeline import grade_files  # noqa: E402
from rationale.io.loaders import load_rubric  # noqa: E402
from rationale.render.evaluation import render_evaluation  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "lead-scored" / "cases.jsonl"
DRILL = ROOT / "examples" / "drill"
RUBRIC = ROOT / "rubrics" / "hhh.yaml"


def spread(cases, limit):  # type: ignore[no-untyped-def]
    """`limit` cases evenly spaced over the lead's scores, lowest to highest."""
    ordered = sorted(cases, key=lambda c: (c.expected_score, c.case_id))
    if not limit or limit >= len(ordered):
        return ordered
    step = (len(ordered) - 1) / max(limit - 1, 1)
    return [ordered[round(i * step)] for i in range(limit)]


def line(name: str, g: GradeVsLead | None) -> str:
    if g is None or g.n == 0:
        return f"  {name:<34} n=0"
    agree, n, low, high = g.pass_agreement
    rho = "n/a" if g.spearman is None else f"{g.spearman:.2f}"
    mad = "n/a" if g.mean_abs_difference is None else f"{g.mean_abs_difference:.1f}"
    return (f"  {name:<34} n={n:<3} rho {rho:>5}  pass/fail {agree}/{n} = {agree / n:.0%} [{low:.0%}, {high:.0%}]"
            f"  lenient {g.lenient}  harsh {g.harsh}  mean |diff| {mad}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="the reviewer (a litellm name); without it there is nothing to measure")
    parser.add_argument("--api-base")
    parser.add_argument("--db", help="database to use (default: a temporary one)")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--output-mode", default="auto")
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--no-critique", action="store_true", help="only measure what the database holds")
    args = parser.parse_args()
    if not args.model:
        # `make bench` runs every script without arguments: this one needs a model and usually a local server.
        print("reviewer_agreement: no --model given, nothing measured (see the docstring for a command line)")
        return

    cases = spread(load_cases(SHARED), args.limit)
    rubric = load_rubric(RUBRIC)
    db = Path(args.db) if args.db else Path(tempfile.mkdtemp()) / "reviewer.db"
    judgments = db.with_suffix(".cases.jsonl")
    judgments.write_text("".join(c.judgment.model_dump_json() + "\n" for c in cases), encoding="utf-8")
    grade_files([str(judgments)], rubric_path=str(RUBRIC), gold_path=str(DRILL / "gold.jsonl"),
                items_path=str(DRILL / "items.jsonl"), db_path=str(db))
    if not args.no_critique:
        started = time.perf_counter()
        report = critique_stored(db, CritiqueOptions(
            model=args.model, api_base=args.api_base, pairs=[(c.judgment.annotator, c.judgment.item_id) for c in cases],
            concurrency=args.concurrency, timeout=args.timeout, output_mode=args.output_mode,
        ))
        print(f"critiqued {report.succeeded} ok, {report.failed} failed, {report.already_done} already done;"
              f" {report.calls_sent} requests sent in {time.perf_counter() - started:.0f} s")
    result = measure_reviewer(db, cases, args.model, rubric)
    print(f"Reviewer {args.model} against the lead's scores: {result.cases} lead-scored judgments"
          f" ({len(load_cases(SHARED))} in the set), {result.critiqued_ok} with criterion scores,"
          f" {result.reviewed} with a reviewed grade")
    print("  criterion scores (1-5) against the lead's score, Spearman rho:")
    for criterion, rho in result.criterion_spearman.items():
        print(f"    {criterion:<24} {'n/a (no variation or n < 3)' if rho is None else f'{rho:.2f}'}")
    weighted = result.weighted_criteria_spearman
    print(f"    {'weighted mean':<24} {'n/a' if weighted is None else f'{weighted:.2f}'}")
    print(line("reviewed grade vs lead", result.reviewed_grade))
    print(line("deterministic grade vs lead, same", result.deterministic_same_cases))
    print("\n".join(render_evaluation(evaluate_reviewer(db, model=args.model))))


if __name__ == "__main__":
    main()
