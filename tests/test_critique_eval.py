"""`--evaluate`: is the reviewer any good? Agreement with gold, order consistency, Cohen's kappa."""

from __future__ import annotations

import pytest
from sklearn.metrics import cohen_kappa_score

from fake_openai import FakeOpenAI
from rationale.critique.batch import critique_stored
from rationale.agreement import cohens_kappa
from rationale.critique.evaluation import evaluate_reviewer, evaluate_rows


def row(reviewer: str, gold: str, consistent: int | None = 1) -> dict:
    return {"reviewer": reviewer, "gold": gold, "consistent": consistent}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (["A", "B", "tie", "A", "B"], ["A", "B", "A", "A", "tie"]),
        (["A", "A", "B", "B"], ["B", "B", "A", "A"]),
        (["A", "B", "tie", "tie", "A", "B", "B"], ["A", "B", "tie", "A", "A", "B", "tie"]),
    ],
)
def test_cohens_kappa_matches_scikit_learn(first, second):
    assert cohens_kappa(first, second) == pytest.approx(cohen_kappa_score(first, second))


def test_kappa_is_undefined_without_cases_or_when_both_raters_use_one_label():
    assert cohens_kappa([], []) is None
    assert cohens_kappa(["A", "A"], ["A", "A"]) is None


def test_agreement_with_ties_counts_every_critique():
    ev = evaluate_rows([row("A", "A"), row("tie", "B"), row("B", "B"), row("tie", "tie")])
    assert ev.agreement_with_ties == pytest.approx(3 / 4)


def test_agreement_without_ties_leaves_out_pairs_where_either_side_says_tie():
    ev = evaluate_rows([row("A", "A"), row("tie", "B"), row("A", "B"), row("tie", "tie")])
    assert ev.pairs_without_ties == 2 and ev.agreement_without_ties == pytest.approx(1 / 2)


def test_order_consistency_counts_only_swapped_critiques():
    ev = evaluate_rows([row("A", "A", 1), row("tie", "A", 0), row("B", "B", None)])
    assert ev.swapped == 2 and ev.order_consistency == pytest.approx(1 / 2)


def test_the_confusion_table_has_gold_rows_and_reviewer_columns():
    ev = evaluate_rows([row("tie", "B"), row("tie", "B"), row("A", "A")])
    assert ev.confusion["B"]["tie"] == 2 and ev.confusion["A"]["A"] == 1


@pytest.mark.usefixtures("loopback_only")
def test_evaluating_stored_critiques_uses_only_those_made_without_gold(critique_options, fill_db, three_judgments, tmp_path):
    db = tmp_path / "eval.db"
    # The fake reviewer prefers the longer response: A on q1 and q3, B on q2, which is also gold.
    fill_db(db, three_judgments())
    with FakeOpenAI() as fake:
        critique_stored(db, critique_options(fake.api_base))
        critique_stored(db, critique_options(fake.api_base, with_gold=True))
    ev = evaluate_reviewer(db)
    assert ev.critiques == 3 and ev.excluded_with_gold == 3
    assert ev.agreement_with_ties == 1.0 and ev.order_consistency == 1.0
    assert ev.kappa == pytest.approx(1.0)
