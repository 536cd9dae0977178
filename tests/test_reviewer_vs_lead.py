"""The reviewer against an expert lead's scores: what bench/reviewer_agreement.py prints, on a fake reviewer."""

from __future__ import annotations

from pathlib import Path

import pytest

from fake_openai import FakeOpenAI
from rationale.critique.batch import CritiqueOptions, critique_stored
from rationale.critique.lead_agreement import measure_reviewer
from rationale.grading.agreement_with_lead import load_cases, measure
from rationale.grading.pipeline import grade_files
from rationale.io.loaders import load_gold, load_items, load_rubric

ROOT = Path(__file__).resolve().parents[1]
DRILL = ROOT / "examples" / "drill"
RUBRIC = ROOT / "rubrics" / "hhh.yaml"
SHARED = ROOT.parent / "shared" / "data" / "lead-scored" / "cases.jsonl"


@pytest.mark.usefixtures("loopback_only")
def test_the_reviewed_and_deterministic_grades_are_measured_against_the_lead_on_the_same_judgments(tmp_path):
    cases = sorted(load_cases(SHARED), key=lambda c: c.expected_score)[::18]  # 5 cases across the lead's scores
    judgments = tmp_path / "cases.jsonl"
    judgments.write_text("".join(c.judgment.model_dump_json() + "\n" for c in cases), encoding="utf-8")
    db = tmp_path / "lead.db"
    grade_files([str(judgments)], rubric_path=str(RUBRIC), gold_path=str(DRILL / "gold.jsonl"),
                items_path=str(DRILL / "items.jsonl"), db_path=str(db))
    with FakeOpenAI() as fake:
        critique_stored(db, CritiqueOptions(model="openai/fake", api_base=fake.api_base, timeout=5.0,
                                            pairs=[(c.judgment.annotator, c.judgment.item_id) for c in cases]))
    rubric = load_rubric(RUBRIC)
    result = measure_reviewer(db, cases, "openai/fake", rubric)
    assert (result.cases, result.critiqued_ok, result.reviewed) == (5, 5, 5)
    # The fake scores every criterion 4: no variation, so no rank correlation is claimed.
    assert set(result.criterion_spearman.values()) == {None}
    items = load_items(DRILL / "items.jsonl")
    expected, _ = measure(cases, rubric, items, load_gold(DRILL / "gold.jsonl", items, rubric))
    same = result.deterministic_same_cases
    assert same.n == 5 and same.spearman == pytest.approx(expected.spearman)
    assert same.pass_agreement[0] == round(expected.pass_agreement * 5)
    assert (same.lenient, same.harsh) == (expected.lenient, expected.harsh)
    assert result.reviewed_grade.n == 5 and 0 <= result.reviewed_grade.pass_agreement[0] <= 5
