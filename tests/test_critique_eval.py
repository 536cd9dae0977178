"""`--evaluate`: is the reviewer any good? Agreement with gold, order consistency, Cohen's kappa."""

from __future__ import annotations

import pytest
from sklearn.metrics import cohen_kappa_score

from fake_openai import FakeOpenAI
from rationale.critique.batch import critique_stored
from rationale.agreement import cohens_kappa, wilson_interval
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


def test_agreement_with_ties_counts_every_successful_critique_with_its_n_and_wilson_interval():
    ev = evaluate_rows([row("A", "A"), row("tie", "B"), row("B", "B"), row("tie", "tie")])
    p = ev.agreement_with_ties
    assert (p.successes, p.n, p.value) == (3, 4, pytest.approx(3 / 4))
    assert (p.low, p.high) == pytest.approx(wilson_interval(3, 4))


def test_agreement_without_ties_leaves_out_pairs_where_either_side_says_tie():
    ev = evaluate_rows([row("A", "A"), row("tie", "B"), row("A", "B"), row("tie", "tie")])
    assert (ev.agreement_without_ties.n, ev.agreement_without_ties.value) == (2, pytest.approx(1 / 2))


def test_order_consistency_counts_only_swapped_critiques():
    ev = evaluate_rows([row("A", "A", 1), row("tie", "A", 0), row("B", "B", None)])
    assert (ev.order_consistency.n, ev.order_consistency.value) == (2, pytest.approx(1 / 2))


def test_the_confusion_table_has_gold_rows_and_reviewer_columns():
    ev = evaluate_rows([row("tie", "B"), row("tie", "B"), row("A", "A")])
    assert ev.confusion["B"]["tie"] == 2 and ev.confusion["A"]["A"] == 1


def test_failed_critiques_make_the_failure_rate_and_are_left_out_of_agreement():
    rows = [row("A", "A"), row("B", "A"), {"status": "failed", "reviewer": None, "gold": "A", "consistent": None}]
    ev = evaluate_rows(rows)
    assert (ev.judgments, ev.failures.successes, ev.failures.n) == (3, 1, 3)
    assert ev.agreement_with_ties.n == 2


def test_the_first_position_rate_counts_verdicts_in_both_orders_by_where_the_response_was_shown():
    # Given order: A shown first. Swapped (stored mapped back): B shown first. This reviewer always picks the first.
    by_position = [dict(row("tie", "A", 0), verdict_ab="A", verdict_ba="B") for _ in range(14)]
    ev = evaluate_rows(by_position)
    assert (ev.first_position.successes, ev.first_position.n) == (28, 28)
    assert ev.order_consistency.value == 0.0


def test_a_reviewer_answering_by_position_is_told_not_to_be_used_even_when_its_agreement_looks_fair():
    rows = [dict(row("A" if i % 3 else "B", "A" if i % 3 else "B", 0), verdict_ab="A", verdict_ba="B") for i in range(14)]
    ev = evaluate_rows(rows)
    assert ev.verdict.startswith("answers by position") and "do not use" in ev.verdict


def test_the_baselines_score_always_a_always_b_and_the_majority_class_on_the_same_judgments():
    ev = evaluate_rows([row("A", "B"), row("B", "B"), row("B", "B"), row("A", "A"), row("tie", "tie")])
    scored = {b.name: (b.agreement_with_ties.successes, b.agreement_with_ties.n) for b in ev.baselines}
    assert scored == {"always A": (1, 5), "always B": (3, 5), "majority class (B)": (3, 5)}


def test_a_reviewer_that_agrees_no_more_than_always_b_is_told_so_in_words():
    # Gold says B 12 times in 16; the reviewer agrees 11 times.
    rows = [row("B", "B")] * 9 + [row("A", "B")] * 3 + [row("A", "A")] * 2 + [row("B", "A")] * 2
    ev = evaluate_rows(rows)
    assert ev.agreement_with_ties.successes == 11
    assert ev.verdict == "no better than always B; do not use"


def test_a_reviewer_that_beats_the_baselines_by_a_wide_margin_is_fit_to_review():
    rows = [row("A", "A")] * 20 + [row("B", "B")] * 20 + [row("A", "B")]
    ev = evaluate_rows(rows)
    assert ev.kappa.low is not None and ev.kappa.low >= 0.6
    assert ev.verdict.startswith("fit to review")


def test_too_few_judgments_are_called_too_few_rather_than_judged():
    ev = evaluate_rows([row("A", "A"), row("B", "B"), row("B", "B")])
    assert ev.verdict.startswith("too few judgments to tell")


def test_kappa_comes_with_a_bootstrap_interval_around_the_point_estimate():
    rows = [row("A", "A")] * 8 + [row("B", "B")] * 8 + [row("A", "B")] * 3 + [row("B", "A")] * 2
    ev = evaluate_rows(rows)
    assert ev.kappa.value == pytest.approx(cohen_kappa_score([r["reviewer"] for r in rows], [r["gold"] for r in rows]))
    assert ev.kappa.low < ev.kappa.value < ev.kappa.high and ev.kappa.n == len(rows)


@pytest.mark.usefixtures("loopback_only")
def test_evaluating_stored_critiques_uses_only_those_made_without_gold(critique_options, fill_db, three_judgments, tmp_path):
    db = tmp_path / "eval.db"
    # The fake reviewer prefers the longer response: A on q1 and q3, B on q2, which is also gold.
    fill_db(db, three_judgments())
    with FakeOpenAI() as fake:
        critique_stored(db, critique_options(fake.api_base))
        critique_stored(db, critique_options(fake.api_base, with_gold=True))
    ev = evaluate_reviewer(db)
    assert ev.judgments == 3 and ev.excluded_with_gold == 3
    assert ev.agreement_with_ties.value == 1.0 and ev.order_consistency.value == 1.0
    assert ev.kappa.value == pytest.approx(1.0)


@pytest.mark.usefixtures("loopback_only")
def test_a_judgment_critiqued_under_two_rubric_versions_counts_once(critique_options, db_rows, fill_db, three_judgments, tmp_path, critique_rubric):
    db = tmp_path / "eval.db"
    fill_db(db, three_judgments())
    edited = critique_rubric.model_copy(update={"version": "2"})
    rubric_file = tmp_path / "edited.json"
    rubric_file.write_text(edited.model_dump_json(), encoding="utf-8")
    with FakeOpenAI() as fake:
        critique_stored(db, critique_options(fake.api_base))
        critique_stored(db, critique_options(fake.api_base, rubric_path=str(rubric_file)))
    assert len(db_rows(db, "select id from critiques")) == 6
    ev = evaluate_reviewer(db)
    assert (ev.judgments, ev.duplicates_left_out) == (3, 3)



@pytest.mark.usefixtures("loopback_only")
def test_evaluate_only_reports_on_stored_critiques_without_a_model_a_key_or_a_server(critique_options, fill_db, three_judgments, tmp_path):
    import json

    from click.testing import CliRunner

    from rationale.cli import main

    db = tmp_path / "eval.db"
    fill_db(db, three_judgments())
    with FakeOpenAI() as fake:
        critique_stored(db, critique_options(fake.api_base))
    # The server is gone and no model is named: nothing can be sent.
    text = CliRunner().invoke(main, ["critique", "--db", str(db), "--evaluate-only"], env={"RATIONALE_MODEL": ""})
    assert text.exit_code == 0, text.output
    assert "VERDICT: too few judgments to tell (3 critiqued; at least 10)" in text.output
    assert "failed (no valid reply)                 0.0%     0/3" in text.output
    as_json = CliRunner().invoke(main, ["critique", "--db", str(db), "--evaluate-only", "--json"], env={"RATIONALE_MODEL": ""})
    evaluation = json.loads(as_json.stdout)["evaluation"]
    assert evaluation["judgments"] == 3 and [b["name"] for b in evaluation["baselines"]][:2] == ["always A", "always B"]
