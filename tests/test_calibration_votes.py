"""Calibration of imported votes: gold made from the annotators' own votes, model judges beside them,
precision/recall/F1, intervals that do not mislead, and text reports that stay readable.

The batches are built here from vote matrices (one row per item, one column per rater), the shape
`rationale import` writes for PandaLM-like data; the rubric is the calibration fixture's.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from sklearn.metrics import precision_recall_fscore_support

from rationale.calibration import analyse_batch
from rationale.importers.common import imported_gold
from rationale.models import Item, Judgment
from rationale.render.calibration import render_markdown, render_text

SIDES = ["A", "B", "tie"]


def make_items(n: int) -> dict[str, Item]:
    return {f"i{k:03d}": Item(id=f"i{k:03d}", prompt=f"Question {k}?", response_a=f"Answer one {k}.",
                              response_b=f"Another answer {k}, longer than the first.") for k in range(n)}


def votes_of(matrix: list[list[str | None]], names: list[str]) -> list[Judgment]:
    return [
        Judgment(item_id=f"i{k:03d}", annotator=name, preference=vote)
        for k, row in enumerate(matrix) for name, vote in zip(names, row) if vote is not None
    ]


def gold_from(matrix: list[list[str]], rule_tag: str = "from-votes:majority") -> dict:
    """Gold as the import writes it: the majority of each row, tagged so calibrate can remake it."""
    gold = {}
    for k, row in enumerate(matrix):
        top = max(set(row), key=row.count)
        if 2 * row.count(top) > len(row):
            gold[f"i{k:03d}"] = imported_gold(f"i{k:03d}", top, "votes", [rule_tag])
    return gold


def random_panel(seed: int, n: int, raters: int = 3, keep: float = 0.8) -> list[list[str]]:
    rng = random.Random(seed)
    truth = [rng.choice(SIDES) for _ in range(n)]
    return [[t if rng.random() < keep else rng.choice(SIDES) for _ in range(raters)] for t in truth]


@pytest.fixture(scope="module")
def panel_batch(calibration_batch):
    matrix = random_panel(1, 60)
    items = make_items(60)
    judgments = votes_of(matrix, ["h1", "h2", "h3"])
    rng = random.Random(2)
    judge = [Judgment(item_id=f"i{k:03d}", annotator="llm", preference=row[0] if rng.random() < 0.7 else rng.choice(SIDES))
             for k, row in enumerate(matrix)]
    gold = gold_from(matrix)
    report = analyse_batch(judgments, items, calibration_batch.rubric(), gold, judges=judge, samples=200)
    return matrix, items, judgments, judge, gold, report


# --------------------------------------------------------------------------- gold made from one's own vote


def test_leave_one_out_accuracy_remakes_gold_from_the_other_annotators_votes(panel_batch):
    matrix, _, _, _, gold, report = panel_batch
    h1 = report.annotator("h1").leave_one_out
    expected_items = expected_correct = 0
    for k, (mine, *others) in enumerate(matrix):
        if f"i{k:03d}" not in gold:
            continue
        winner = others[0] if others[0] == others[1] else None  # two votes: a majority needs both
        if winner is not None:
            expected_items += 1
            expected_correct += mine == winner
    assert (h1.items, h1.correct, h1.rule) == (expected_items, expected_correct, "majority")
    assert h1.without_winner == len(gold) - expected_items


def test_scoring_an_annotator_against_gold_made_from_their_own_vote_is_warned_about(panel_batch):
    *_, report = panel_batch
    assert report.annotator("h1").own_vote_in_gold == report.annotator("h1").gold_items
    assert any("scored against a gold that contains their own vote" in note for note in report.notes)


def gold_naming_its_votes(matrix: list[list[str]]) -> dict:
    """Gold as `rationale import` writes it, saying which votes made it: '(2 for A, 1 tie; 3 votes; rule: majority)'."""
    from collections import Counter

    from rationale.importers.common import describe_votes

    gold = {}
    for k, row in enumerate(matrix):
        top = max(set(row), key=row.count)
        if 2 * row.count(top) > len(row):
            because = f"{top} has more than half of the votes of the annotators ({describe_votes(Counter(row))}; rule: majority)"
            gold[f"i{k:03d}"] = imported_gold(f"i{k:03d}", top, because, ["from-votes:majority"])
    return gold


def test_a_new_panel_calibrated_on_gold_made_from_another_panel_s_votes_is_not_told_it_voted(calibration_batch):
    items, source = make_items(60), random_panel(1, 60)
    newcomers = random_panel(7, 60, raters=5)  # five other annotators answer the same items
    report = analyse_batch(votes_of(newcomers, ["n1", "n2", "n3", "n4", "n5"]), items, calibration_batch.rubric(),
                           gold_naming_its_votes(source), samples=0)
    assert all(r.own_vote_in_gold == 0 and r.leave_one_out is None for r in report.annotator_results)
    assert not any("own vote" in note for note in report.notes)


def test_the_panel_whose_votes_gold_names_is_scored_without_its_own_vote(calibration_batch):
    matrix = random_panel(1, 60)
    report = analyse_batch(votes_of(matrix, ["h1", "h2", "h3"]), make_items(60), calibration_batch.rubric(),
                           gold_naming_its_votes(matrix), samples=0)
    h1 = report.annotator("h1")
    assert h1.own_vote_in_gold == h1.gold_items > 0 and h1.leave_one_out is not None


def test_gold_given_by_a_lead_gets_no_leave_one_out(calibration_batch):
    report = analyse_batch(calibration_batch.judgments(), calibration_batch.items(), calibration_batch.rubric(),
                           calibration_batch.gold(), samples=0)
    assert all(r.leave_one_out is None and r.own_vote_in_gold == 0 for r in report.annotator_results)
    assert not any("own vote" in note for note in report.notes)


# --------------------------------------------------------------------------- judges and P/R/F1


def test_a_judge_is_scored_against_gold_but_kept_out_of_agreement(panel_batch):
    *_, report = panel_batch
    assert report.judges == ["llm"]
    assert report.annotators == ["h1", "h2", "h3"]
    assert report.agreement.preference.cohen_kappa.raters == ["h1", "h2", "h3"]
    llm = report.annotator("llm")
    assert llm.role == "judge" and llm.gold_items == len(panel_batch[4])


@pytest.mark.parametrize("name", ["h2", "llm"])
def test_precision_recall_and_f1_are_scikit_learns_macro_over_the_classes_in_use(panel_batch, name):
    _, _, judgments, judge, gold, report = panel_batch
    answers = {j.item_id: j.preference for j in [*judgments, *judge] if j.annotator == name}
    scored = [i for i in answers if i in gold]
    truth, predicted = [gold[i].preference for i in scored], [answers[i] for i in scored]
    p, r, f, _ = precision_recall_fscore_support(truth, predicted, average="macro", zero_division=0)
    result = report.annotator(name)
    assert (result.precision, result.recall, result.f1) == pytest.approx((p, r, f), abs=1e-12)
    per_class = precision_recall_fscore_support(truth, predicted, labels=["A", "B", "tie"], zero_division=0)
    for index, label in enumerate(["A", "B", "tie"]):
        assert result.per_class[label].f1 == pytest.approx(per_class[2][index], abs=1e-12)


def test_a_class_nobody_used_does_not_enter_the_macro_mean(calibration_batch):
    matrix = [["A", "A", "A"], ["B", "B", "A"]] * 10
    report = analyse_batch(votes_of(matrix, ["h1", "h2", "h3"]), make_items(20), calibration_batch.rubric(),
                           gold_from(matrix), samples=0)
    assert report.annotator("h3").classes == ["A", "B"]


def test_a_rater_cannot_be_both_an_annotator_and_a_judge(calibration_batch):
    judgments = votes_of([["A", "B"]] * 3, ["h1", "h2"])
    with pytest.raises(ValueError, match="'h1' is both an annotator and a judge"):
        analyse_batch(judgments, make_items(3), calibration_batch.rubric(), None, judges=judgments[:1], samples=0)


# --------------------------------------------------------------------------- biases only where the interval supports them


def _repeated_batch(calibration_batch, slips: dict[str, int], pairs: int = 136):
    """`pairs` items shown twice (the copy with A and B exchanged); each rater answers `slips[name]` copies the same way round."""
    items = {}
    judgments = []
    for k in range(pairs):
        first = Item(id=f"p{k:03d}", prompt=f"Q{k}?", response_a=f"Yes {k}.", response_b=f"No {k}.")
        items[first.id] = first
        items[f"p{k:03d}-swapped"] = first.model_copy(update={"id": f"p{k:03d}-swapped", "response_a": first.response_b,
                                                               "response_b": first.response_a})
        for name, slip in slips.items():
            judgments.append(Judgment(item_id=first.id, annotator=name, preference="A"))
            judgments.append(Judgment(item_id=f"p{k:03d}-swapped", annotator=name, preference="A" if k < slip else "B"))
    return items, judgments


def test_one_slip_in_136_repeated_pairs_is_not_flagged_as_a_bias(calibration_batch):
    items, judgments = _repeated_batch(calibration_batch, {"h1": 1, "h2": 1, "h3": 0})
    report = analyse_batch(judgments, items, calibration_batch.rubric(), None, samples=0)
    h1 = report.annotator("h1")
    assert (h1.self_consistency.count, h1.self_consistency.n) == (135, 136)
    assert not h1.self_consistency.flagged
    assert not any(b.startswith("self-consistency") for b in h1.biases)


def test_twenty_slips_in_136_against_annotators_who_slip_once_is_flagged(calibration_batch):
    items, judgments = _repeated_batch(calibration_batch, {"h1": 1, "h2": 1, "h3": 0, "llm": 20})
    judges = [j for j in judgments if j.annotator == "llm"]
    report = analyse_batch([j for j in judgments if j.annotator != "llm"], items, calibration_batch.rubric(), None,
                           judges=judges, samples=0)
    llm = report.annotator("llm")
    assert llm.self_consistency.flagged
    assert llm.self_consistency.reference == "the other annotators"
    bias = next(b for b in llm.biases if b.startswith("self-consistency"))
    assert bias.startswith("self-consistency: 20 of 136 repeated pairs answered differently (the others: 99.5% consistent)")
    assert bias.endswith("and 15 more)")  # the pairs are listed five at a time; the JSON keeps every check
    assert len(llm.consistency) == 136


# --------------------------------------------------------------------------- what cannot be said is not printed


def test_with_two_annotators_dawid_skene_and_its_accuracy_are_withheld_with_the_reason(calibration_batch):
    matrix = random_panel(3, 40, raters=2)
    report = analyse_batch(votes_of(matrix, ["h1", "h2"]), make_items(40), calibration_batch.rubric(),
                           gold_from([row + row[:1] for row in matrix]), samples=0)
    assert "neither a majority nor Dawid-Skene can resolve" in report.consensus["withheld"]
    assert "dawid_skene_accuracy" not in report.consensus and "majority_accuracy" not in report.consensus
    assert all(c.dawid_skene is None for c in report.contested)
    text = render_text(report)
    assert "Dawid-Skene and accuracy against gold withheld" in text
    assert "Against gold: majority vote" not in text


def test_fleiss_note_gives_the_real_reason_when_every_vote_is_the_same(calibration_batch):
    matrix = [["A", "A", "A"]] * 20
    report = analyse_batch(votes_of(matrix, ["h1", "h2", "h3"]), make_items(20), calibration_batch.rubric(), None, samples=0)
    note = next(n for n in report.notes if n.startswith("Fleiss"))
    assert note == (
        "Fleiss' kappa is left out: every vote is the same, so chance agreement is 1 and no kappa-type coefficient is defined."
    )


def test_perfect_agreement_says_its_interval_is_degenerate_and_what_n_would_tell(calibration_batch):
    matrix = [["A", "A", "A"], ["B", "B", "B"]] * 10
    report = analyse_batch(votes_of(matrix, ["h1", "h2", "h3"]), make_items(20), calibration_batch.rubric(), None, samples=200)
    agreement = report.agreement.preference.percent_agreement
    assert (agreement.value, agreement.low, agreement.high) == (1.0, 1.0, 1.0)
    assert "100.0% [100.0%, 100.0%] degenerate" in render_text(report)
    note = next(n for n in report.notes if "degenerate" in n)
    assert note.startswith("percent agreement, percent agreement without ties, Krippendorff's alpha, ordinal alpha,")
    assert "60 items without a disagreement would bound it under 5%" in note


def test_intervals_do_not_change_when_the_judgments_are_shuffled(panel_batch, calibration_batch):
    _, items, judgments, judge, gold, report = panel_batch
    shuffled = list(judgments)
    random.Random(5).shuffle(shuffled)
    again = analyse_batch(shuffled, items, calibration_batch.rubric(), gold, judges=judge, samples=200)
    assert again.agreement == report.agreement


def test_the_base_of_percent_agreement_pabak_and_ac1_is_stated_with_the_categories_in_use(calibration_batch):
    matrix = [["A", "A", "B"], ["B", "B", "B"]] * 10
    report = analyse_batch(votes_of(matrix, ["h1", "h2", "h3"]), make_items(20), calibration_batch.rubric(), None, samples=0)
    pref = report.agreement.preference
    assert pref.categories == ["A", "B"]
    assert pref.pabak.value == pytest.approx(2 * pref.percent_agreement.value - 1)
    assert "AC1 and PABAK count the 2 categories in use (A, B)." in render_text(report)


def test_the_preference_has_an_ordinal_alpha_with_the_tie_between_a_and_b(panel_batch):
    *_, report = panel_batch
    ordinal = report.agreement.preference.krippendorff_alpha_ordinal
    assert ordinal.available and ordinal.value != report.agreement.preference.krippendorff_alpha.value


# --------------------------------------------------------------------------- long lists


def test_text_and_markdown_cap_the_consensus_list_and_json_keeps_it_whole(calibration_batch):
    # Items split 1-1 with a third annotator on only some of them: many majority/Dawid-Skene differences.
    rng = np.random.default_rng(4)
    matrix = [[str(rng.choice(SIDES)) for _ in range(3)] for _ in range(200)]
    report = analyse_batch(votes_of(matrix, ["h1", "h2", "h3"]), make_items(200), calibration_batch.rubric(), None, samples=0)
    differ = len(report.consensus["differ"])
    assert differ > 10
    for rendered in (render_text(report), render_markdown(report)):
        assert sum("Dawid-Skene " in line and "(posterior" in line for line in rendered.splitlines()) == 10
        assert f"and {differ - 10} more items where they differ (every one in --format json or html)" in rendered
