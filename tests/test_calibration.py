"""The calibration analysis on a small batch with planted behaviour (the `calibration_batch` fixture in conftest.py)."""

from __future__ import annotations

import json

import pytest

from rationale.calibration import (
    BELOW,
    MEETS,
    NOT_ENOUGH_EVIDENCE,
    analyse_batch,
    grade_batch,
    repeated_pairs,
)
from rationale.grading import runner


@pytest.fixture(scope="module")
def report(calibration_batch):
    return analyse_batch(calibration_batch.judgments(), calibration_batch.items(), calibration_batch.rubric(), calibration_batch.gold(), min_items=20, samples=200)


@pytest.fixture(scope="module")
def report_without_gold(calibration_batch):
    return analyse_batch(calibration_batch.judgments(), calibration_batch.items(), calibration_batch.rubric(), None, samples=200)


def test_a_large_batch_is_graded_by_worker_processes_with_the_same_grades(calibration_batch, monkeypatch):
    pools = []
    start_pool = runner.GradeRunner._start_pool
    monkeypatch.setattr(runner, "PARALLEL_MIN", 10)  # what counts as large, so a small batch takes the workers
    monkeypatch.setattr(runner.GradeRunner, "_start_pool", lambda self: pools.append(start_pool(self)))
    args = (calibration_batch.judgments(), calibration_batch.items(), calibration_batch.rubric(), calibration_batch.gold())
    in_workers = grade_batch(*args, workers=2)
    assert len(pools) == 1
    here = grade_batch(*args, workers=1)
    assert len(pools) == 1
    assert len(here) > 10 and in_workers == here


# --------------------------------------------------------------------------- verdicts


def test_annotator_who_matches_gold_meets_the_threshold(report):
    careful = report.annotator("careful")
    assert careful.accuracy == 1.0
    assert careful.verdict == MEETS


def test_annotator_below_threshold_with_enough_items_is_below_threshold(report):
    lengthy = report.annotator("lengthy")
    assert lengthy.gold_items == 24
    assert lengthy.accuracy < 0.8
    assert lengthy.verdict == BELOW


def test_too_few_gold_items_is_not_enough_evidence_rather_than_a_fail(report):
    rushed = report.annotator("rushed")
    assert rushed.gold_items == 12
    assert rushed.verdict == NOT_ENOUGH_EVIDENCE


def test_accuracy_carries_a_wilson_interval(report):
    rushed = report.annotator("rushed")
    assert rushed.correct == 10
    assert (round(rushed.accuracy_low, 3), round(rushed.accuracy_high, 3)) == (0.552, 0.953)


def test_threshold_and_min_items_are_the_callers_to_set(calibration_batch):
    lenient = analyse_batch(calibration_batch.judgments(), calibration_batch.items(), calibration_batch.rubric(), calibration_batch.gold(), threshold=0.5, min_items=10, samples=0)
    assert lenient.annotator("rushed").verdict == MEETS
    assert lenient.annotator("lengthy").verdict == MEETS


def test_grading_figures_are_reported_per_annotator(report):
    careful, lengthy = report.annotator("careful"), report.annotator("lengthy")
    assert careful.mean_score > lengthy.mean_score
    assert careful.strength_credit == 1.0
    assert lengthy.strength_credit < 1.0


def test_confusion_matrix_counts_gold_against_answer(report):
    tied = report.annotator("tied")
    assert tied.confusion["A"]["tie"] + tied.confusion["B"]["tie"] == 10
    assert sum(sum(row.values()) for row in tied.confusion.values()) == 24


# --------------------------------------------------------------------------- what to coach


def test_most_missed_criterion_is_the_decisive_one_never_cited(report):
    missed = report.annotator("lengthy").missed_criteria
    assert missed[0]["criterion"] == "correctness"
    assert missed[0]["missed"] == missed[0]["decisive"] == 24


def test_missed_key_points_name_the_point(report):
    assert {kp["text"] for kp in report.annotator("lengthy").missed_key_points} == {"names the right capital"}
    assert report.annotator("careful").missed_key_points == []


def test_length_bias_is_flagged_for_the_annotator_who_always_picks_the_longer_response(report):
    lengthy = report.annotator("lengthy")
    assert lengthy.length.rate == 1.0
    assert lengthy.length.flagged
    assert any(b.startswith("length") for b in lengthy.biases)
    assert not report.annotator("careful").length.flagged


def test_tie_bias_is_flagged_against_golds_tie_rate(report):
    tied = report.annotator("tied")
    assert tied.ties.rate == pytest.approx(12 / 24)
    assert tied.ties.gold_rate == pytest.approx(2 / 24)
    assert tied.ties.flagged
    assert [b.split(":")[0] for b in tied.biases] == ["ties"]


def test_a_tie_habit_is_not_read_as_a_position_bias(report):
    assert not report.annotator("tied").position.flagged


def test_repeated_and_swapped_pairs_are_detected_from_the_item_texts(calibration_batch):
    assert repeated_pairs(calibration_batch.items()) == [("q00", "q22", False), ("q01", "q23", True)]


def test_answering_a_swapped_pair_the_same_way_round_is_inconsistent(report):
    rushed = report.annotator("rushed")
    outcome = {(c.first, c.second): c.consistent for c in rushed.consistency}
    assert outcome == {("q00", "q22"): True, ("q01", "q23"): False}
    assert any(b.startswith("self-consistency") for b in rushed.biases)


def test_answering_a_swapped_pair_mirrored_is_consistent(report):
    assert all(c.consistent for c in report.annotator("careful").consistency)


# --------------------------------------------------------------------------- agreement


def test_fleiss_kappa_is_left_out_with_a_reason_when_rater_counts_differ(report):
    fleiss = report.agreement["preference"]["fleiss_kappa"]
    assert fleiss.value is None
    assert "different numbers of raters" in fleiss.reason
    assert any("Fleiss" in note for note in report.notes)


def test_agreement_reports_every_coefficient_with_an_interval(report):
    pref = report.agreement["preference"]
    for key in ("percent_agreement", "percent_agreement_without_ties", "krippendorff_alpha", "gwet_ac1", "pabak"):
        estimate = pref[key]
        assert estimate.low <= estimate.value <= estimate.high, key
    assert report.agreement["strength"]["krippendorff_alpha"].available


def test_pairs_of_annotators_sharing_too_few_items_get_no_kappa(calibration_batch):
    few = analyse_batch(calibration_batch.judgments(), calibration_batch.items(), calibration_batch.rubric(), calibration_batch.gold(), min_overlap=13, samples=0)
    kappa = few.agreement["preference"]["cohen_kappa"]
    names = [str(r) for r in kappa.raters]
    estimate = kappa.estimate(names.index("careful"), names.index("rushed"))
    assert estimate.value is None and estimate.reason == "not enough overlap"


# --------------------------------------------------------------------------- without gold


def test_without_gold_consensus_by_majority_and_dawid_skene_is_reported(report_without_gold):
    consensus = report_without_gold.consensus
    assert len(consensus["items"]) == 24
    assert {d["item_id"] for d in consensus["differ"]} == {"q10", "q11"}  # three-way splits: no majority
    assert all(r.verdict == NOT_ENOUGH_EVIDENCE and r.accuracy is None for r in report_without_gold.annotator_results)


def test_dawid_skene_rates_the_careful_annotator_most_reliable(report_without_gold):
    reliability = report_without_gold.consensus["reliability"]
    assert max(reliability, key=reliability.get) == "careful"


def test_with_gold_dawid_skene_labels_are_scored_against_it(report):
    assert report.consensus["dawid_skene_accuracy"] >= report.consensus["majority_accuracy"]


# --------------------------------------------------------------------------- where the guideline is unclear


def test_items_are_ranked_by_vote_entropy(report):
    entropies = [c.entropy for c in report.contested]
    assert entropies == sorted(entropies, reverse=True)
    assert report.contested[0].item_id in {"q10", "q11"}  # the three-way splits


def test_contested_item_shows_criteria_on_each_side_and_missed_key_points(report):
    q10 = next(c for c in report.contested if c.item_id == "q10")
    assert q10.votes == {"A": ["lengthy"], "B": ["careful"], "tie": ["tied"]}
    assert q10.criteria_by_side["A"] == {"helpfulness": 1}
    assert "correctness" in q10.criteria_by_side["B"]
    assert q10.key_points_missed == [
        {"key_point": "fact", "text": "names the right capital", "missed_by": 2, "of": 2}
    ]


def test_the_main_pattern_is_summarised_as_a_trade_between_criteria(report):
    assert report.patterns[0]["criteria"] == ["correctness", "helpfulness"]
    assert any("trade correctness against helpfulness" in note for note in report.notes)


def test_the_tie_question_says_how_many_items_it_leaves_unnamed(calibration_batch):
    from rationale.calibration.contested import questions_and_proposal
    from rationale.models.calibration import ContestedItem

    split = [
        ContestedItem(item_id=f"t{n}", entropy=1.0, votes={"A": ["ana"], "tie": ["bo"]}, criteria_by_side={},
                      gold_preference="A", key_points_missed=[], majority=None, dawid_skene=None)
        for n in range(6)
    ]
    _, questions, _ = questions_and_proposal(split, [], calibration_batch.rubric())
    assert "6 contested items split between a tie and a preference (t0, t1, t2, t3 and 2 more)." in questions[0]


def test_the_counts_in_the_questions_and_notes_are_over_every_contested_item_not_the_first_ten(report):
    from rationale.calibration import CONTESTED_SHOWN

    split = [c for c in report.contested if len(c.votes) > 1]
    ties = [c for c in split if "tie" in c.votes]
    assert len(report.contested) > CONTESTED_SHOWN * 2  # more than are asked about one by one
    assert any(f"{len(ties)} contested items split between a tie and a preference" in q for q in report.questions)
    assert any(f"of {len(split)} contested items)" in note for note in report.notes)


def test_questions_for_the_next_session_name_the_conflict_and_the_tie_rule(report):
    assert any("Correctness and Helpfulness" in q and "priority" in q for q in report.questions)
    assert any("tie" in q for q in report.questions)
    assert any("Correctness with Helpfulness" in p for p in report.proposal)


# --------------------------------------------------------------------------- the JSON form


def test_json_form_holds_every_figure_and_is_serialisable(report):
    data = json.loads(json.dumps(report.to_dict()))
    assert data["agreement"]["preference"]["krippendorff_alpha"]["value"] == pytest.approx(
        report.agreement["preference"]["krippendorff_alpha"].value
    )
    assert len(data["agreement"]["preference"]["cohen_kappa"]["pairs"]) == 6
    lengthy = next(a for a in data["annotator_results"] if a["name"] == "lengthy")
    assert lengthy["length"]["flagged"] is True
    assert data["consensus"]["differ"]


def test_a_single_annotator_gets_no_dawid_skene_reliability(calibration_batch):
    alone = [j for j in calibration_batch.judgments() if j.annotator == "careful"]
    report = analyse_batch(alone, calibration_batch.items(), calibration_batch.rubric(), calibration_batch.gold(), samples=0)
    assert report.annotator("careful").reliability is None
    assert report.agreement["preference"]["percent_agreement"].reason == "not enough overlap"


def test_calibrating_files_keeps_only_a_summary_of_each_grade_and_reports_what_whole_grades_give(calibration_batch, tmp_path):
    from rationale.calibration import calibrate_files

    files = calibration_batch.write_files(tmp_path)
    from_files = calibrate_files([files["judgments"]], items_path=files["items"], rubric_path=files["rubric"],
                                 gold_path=files["gold"], batch="b", db_path=tmp_path / "r.db", samples=50)
    with_whole_grades = analyse_batch(calibration_batch.judgments(), calibration_batch.items(), calibration_batch.rubric(),
                                      calibration_batch.gold(), batch="b", samples=50)
    assert from_files.to_dict() == with_whole_grades.to_dict()
    assert any(r.missed_criteria for r in from_files.annotator_results)  # the summary carries what this reads
