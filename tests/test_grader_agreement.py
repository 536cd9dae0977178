"""The grade agrees with an expert lead: the issue's targets are a floor the grader may not fall below.

Shared set: ../shared/data/lead-scored (90 judgments on the example drill). Held-out set:
tests/data/lead-scored-extra (60 judgments, 45 of them on ten items the grader was not built on).
`bench/grader_agreement.py` prints the same figures in full.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rationale.grading.agreement_with_lead import load_cases, measure, spearman
from rationale.io.loaders import load_gold, load_items, load_rubric

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "lead-scored" / "cases.jsonl"
EXTRA = ROOT / "tests" / "data" / "lead-scored-extra"


@pytest.fixture(scope="module")
def references():
    rubric = load_rubric(ROOT / "rubrics" / "hhh.yaml")
    drill_items, extra_items = load_items(ROOT / "examples" / "drill" / "items.jsonl"), load_items(EXTRA / "items.jsonl")
    gold = {
        **load_gold(ROOT / "examples" / "drill" / "gold.jsonl", drill_items, rubric),
        **load_gold(EXTRA / "gold.jsonl", extra_items, rubric),
    }
    return rubric, {**drill_items, **extra_items}, gold


def test_on_the_shared_lead_scored_set_the_grade_meets_the_targets(references):
    agreement, _ = measure(load_cases(SHARED), *references)
    assert agreement.spearman >= 0.90
    assert agreement.pass_agreement >= 0.93
    assert agreement.lenient <= 2
    assert agreement.mean_abs_difference <= 10


def test_on_held_out_items_and_judgments_the_grade_still_agrees(references):
    agreement, _ = measure(load_cases(EXTRA / "cases.jsonl"), *references)
    assert agreement.spearman >= 0.85
    assert agreement.pass_agreement >= 0.90


def test_a_wrong_choice_is_graded_low_as_the_lead_grades_it(references):
    agreement, _ = measure(load_cases(SHARED), *references)
    assert agreement.wrong_choice_mean is not None and agreement.wrong_choice_mean <= 15


def test_spearman_uses_average_ranks_for_ties():
    assert spearman([1, 2, 2, 3], [1, 2, 2, 3]) == pytest.approx(1.0)
    assert spearman([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
