"""Agreement coefficients, each checked against a reference implementation or a hand-worked example."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss_kappa
from statsmodels.stats.proportion import proportion_confint

from rationale.agreement import (
    NOT_ENOUGH_OVERLAP,
    Ratings,
    cohen_kappa_matrices,
    cohen_kappa_matrix,
    dawid_skene,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    majority_vote,
    pabak,
    percent_agreement,
    vote_entropy,
    wilson_interval,
)
from rationale.votes import vote_winner

SEEDS = [0, 1, 2, 3, 4]


def noisy_matrix(seed: int, items: int, raters: int, k: int, missing: float) -> np.ndarray:
    """items x raters codes: a shared true code kept 60% of the time, else random; -1 = missing."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, k, items)
    matrix = np.where(rng.random((items, raters)) < 0.6, truth[:, None], rng.integers(0, k, (items, raters)))
    return np.where(rng.random((items, raters)) < missing, -1, matrix)


def as_reliability_data(matrix: np.ndarray) -> np.ndarray:
    """The krippendorff package wants coders x units with NaN for a missing value."""
    return np.where(matrix < 0, np.nan, matrix).T.astype(float)


# --------------------------------------------------------------------------- Cohen's kappa


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
def test_kappa_matrix_matches_sklearn_for_every_pair(seed, weights):
    k = 7
    matrix = noisy_matrix(seed, items=80, raters=5, k=k, missing=0.3)
    result = cohen_kappa_matrix(Ratings.from_matrix(matrix, range(k)), weights=weights, samples=0, min_overlap=1)
    for i in range(5):
        for j in range(5):
            if i == j:
                continue
            both = (matrix[:, i] >= 0) & (matrix[:, j] >= 0)
            # labels= fixes the scale: sklearn otherwise weights by rank among the labels seen.
            expected = cohen_kappa_score(matrix[both, i], matrix[both, j], weights=weights, labels=list(range(k)))
            assert result.values[i, j] == pytest.approx(expected, abs=1e-12)


def test_kappa_below_minimum_overlap_is_not_a_number():
    matrix = noisy_matrix(0, items=30, raters=2, k=3, missing=0.0)
    matrix[5:, 1] = -1  # the raters share 5 items
    result = cohen_kappa_matrix(Ratings.from_matrix(matrix, range(3)), min_overlap=10, samples=0)
    estimate = result.estimate(0, 1)
    assert estimate.value is None
    assert estimate.reason == NOT_ENOUGH_OVERLAP
    assert estimate.n == 5


def test_kappa_interval_contains_the_estimate_and_is_reproducible_with_a_seed():
    ratings = Ratings.from_matrix(noisy_matrix(3, items=60, raters=3, k=3, missing=0.0), range(3))
    first = cohen_kappa_matrix(ratings, samples=300, seed=7).estimate(0, 1)
    again = cohen_kappa_matrix(ratings, samples=300, seed=7).estimate(0, 1)
    assert first.low < first.value < first.high
    assert (first.low, first.high) == (again.low, again.high)


def test_kappa_under_several_weightings_at_once_is_each_weighting_alone():
    # The resampled tables are drawn once for all weightings: each must still get exactly its own intervals.
    matrix = noisy_matrix(4, items=50, raters=4, k=7, missing=0.2)
    matrix[10:, 3] = -1  # rater 3 shares too few items with the others
    ratings = Ratings.from_matrix(matrix, range(7))
    together = cohen_kappa_matrices(ratings, [None, "linear", "quadratic"], samples=200, seed=11, min_overlap=15)
    for weights, shared in zip([None, "linear", "quadratic"], together):
        (alone,) = cohen_kappa_matrices(ratings, [weights], samples=200, seed=11, min_overlap=15)
        for part in ("values", "low", "high", "overlap"):
            np.testing.assert_array_equal(getattr(shared, part), getattr(alone, part))
        assert shared.reasons == alone.reasons
    assert together[1].reasons and np.isfinite(together[1].low[0, 1])


def test_kappa_when_both_raters_always_give_the_same_answer_says_why():
    matrix = np.zeros((20, 2), dtype=int)
    estimate = cohen_kappa_matrix(Ratings.from_matrix(matrix, ["A", "B", "tie"]), samples=0).estimate(0, 1)
    assert estimate.value is None
    assert "no variation" in estimate.reason


# --------------------------------------------------------------------------- Fleiss' kappa


@pytest.mark.parametrize("seed", SEEDS)
def test_fleiss_kappa_matches_statsmodels(seed):
    k = 3
    matrix = noisy_matrix(seed, items=50, raters=4, k=k, missing=0.0)
    table = np.stack([(matrix == c).sum(axis=1) for c in range(k)], axis=1)
    result = fleiss_kappa(Ratings.from_matrix(matrix, range(k)), samples=0)
    assert result.value == pytest.approx(statsmodels_fleiss_kappa(table, method="fleiss"), abs=1e-12)


def test_fleiss_kappa_with_unequal_raters_per_item_gives_a_reason_not_an_error():
    matrix = noisy_matrix(0, items=40, raters=4, k=3, missing=0.25)
    result = fleiss_kappa(Ratings.from_matrix(matrix, range(3)))
    assert result.value is None
    assert "different numbers of raters" in result.reason


# --------------------------------------------------------------------------- Krippendorff's alpha


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("level", ["nominal", "ordinal"])
def test_alpha_with_missing_values_matches_krippendorff_package(seed, level):
    k = 7
    matrix = noisy_matrix(seed, items=70, raters=6, k=k, missing=0.4)
    ours = krippendorff_alpha(Ratings.from_matrix(matrix, range(k)), level=level, samples=0)
    # The package defaults to the interval level; name the level and the full scale explicitly.
    expected = krippendorff.alpha(as_reliability_data(matrix), level_of_measurement=level, value_domain=list(range(k)))
    assert ours.value == pytest.approx(expected, abs=1e-12)


def test_ordinal_alpha_credits_near_misses_more_than_nominal_alpha():
    rng = np.random.default_rng(5)
    truth = rng.integers(1, 6, 60)
    matrix = np.stack([truth, np.clip(truth + rng.integers(-1, 2, 60), 0, 6)], axis=1)
    ratings = Ratings.from_matrix(matrix, range(7))
    nominal = krippendorff_alpha(ratings, level="nominal", samples=0).value
    ordinal = krippendorff_alpha(ratings, level="ordinal", samples=0).value
    assert ordinal > nominal


def test_alpha_with_too_few_shared_items_is_not_enough_overlap():
    matrix = np.full((30, 3), -1)
    matrix[:4] = [[0, 0, 1]] * 4  # only 4 items have more than one vote
    matrix[4:, 0] = 1
    result = krippendorff_alpha(Ratings.from_matrix(matrix, range(3)), min_overlap=10)
    assert result.value is None and result.reason == NOT_ENOUGH_OVERLAP


def test_ordinal_alpha_on_preferences_puts_the_tie_between_a_and_b():
    # A < tie < B: a rater who says tie where another says A is nearer than one who says B.
    near = [(n, r, lab) for n, pair in enumerate([("A", "tie"), ("A", "A"), ("B", "B"), ("tie", "tie")] * 5) for r, lab in zip("xy", pair)]
    far = [(n, r, lab) for n, pair in enumerate([("A", "B"), ("A", "A"), ("B", "B"), ("tie", "tie")] * 5) for r, lab in zip("xy", pair)]
    order = ["A", "tie", "B"]
    near_alpha = krippendorff_alpha(Ratings.from_votes(near, order), level="ordinal", samples=0).value
    far_alpha = krippendorff_alpha(Ratings.from_votes(far, order), level="ordinal", samples=0).value
    assert near_alpha > far_alpha
    codes = {"A": 0, "tie": 1, "B": 2}
    matrix = np.array([[codes[p] for p in pair] for pair in [("A", "tie"), ("A", "A"), ("B", "B"), ("tie", "tie")] * 5])
    expected = krippendorff.alpha(matrix.T.astype(float), level_of_measurement="ordinal", value_domain=[0, 1, 2])
    assert near_alpha == pytest.approx(expected, abs=1e-12)


def test_alpha_interval_brackets_the_value():
    ratings = Ratings.from_matrix(noisy_matrix(2, items=80, raters=4, k=3, missing=0.2), range(3))
    result = krippendorff_alpha(ratings, samples=400, seed=1)
    assert result.low < result.value < result.high


# --------------------------------------------------------------------------- percent agreement


def test_percent_agreement_is_the_mean_over_items_of_the_share_of_agreeing_vote_pairs():
    # Item 1: A A B -> pairs AA, AB, AB: 1 of 3 agree. Item 2: B B -> 1 of 1. Mean (1/3 + 1) / 2, not pooled 2 of 4.
    ratings = Ratings.from_votes(
        [(1, "x", "A"), (1, "y", "A"), (1, "z", "B"), (2, "x", "B"), (2, "y", "B")], ["A", "B", "tie"]
    )
    assert percent_agreement(ratings, min_overlap=1, samples=0).value == pytest.approx((1 / 3 + 1) / 2)


def test_pabak_is_computed_from_the_percent_agreement_shown_beside_it():
    # Unequal votes per item, where pooling pairs and averaging items differ: one base for both.
    votes = [(1, "x", "A"), (1, "y", "A"), (1, "z", "B"), (1, "w", "A"), (2, "x", "B"), (2, "y", "tie"), (3, "x", "A"), (3, "y", "A")]
    ratings = Ratings.from_votes(votes, ["A", "B", "tie"])
    agreement = percent_agreement(ratings, min_overlap=1, samples=0).value
    assert pabak(ratings, min_overlap=1, samples=0).value == pytest.approx((3 * agreement - 1) / 2)


def test_percent_agreement_without_ties_drops_every_pair_with_a_tie():
    # Item 1: A tie -> dropped. Item 2: A A -> agree. Item 3: A B -> disagree. With ties: 1 of 3; without: 1 of 2.
    votes = [(1, "x", "A"), (1, "y", "tie"), (2, "x", "A"), (2, "y", "A"), (3, "x", "A"), (3, "y", "B")]
    ratings = Ratings.from_votes(votes, ["A", "B", "tie"])
    assert percent_agreement(ratings, min_overlap=1, samples=0).value == pytest.approx(1 / 3)
    assert percent_agreement(ratings, exclude=2, min_overlap=1, samples=0).value == pytest.approx(1 / 2)


# --------------------------------------------------------------------------- AC1, PABAK and the prevalence paradox


def test_gwet_ac1_two_raters_hand_example():
    # Gwet (2008), Br. J. Math. Stat. Psychol. 61:29-48, two raters, two categories:
    # 10 items; both "yes" on 7, both "no" on 1, rater 1 yes / rater 2 no on 2.
    # p_a = 0.8; pi_yes = (0.9 + 0.7) / 2 = 0.8; p_e = 2 * 0.8 * 0.2 / (2 - 1) = 0.32;
    # AC1 = (0.8 - 0.32) / (1 - 0.32) = 0.70588...
    pairs = [("yes", "yes")] * 7 + [("no", "no")] + [("yes", "no")] * 2
    votes = [(n, r, label) for n, pair in enumerate(pairs) for r, label in zip(("r1", "r2"), pair)]
    result = gwet_ac1(Ratings.from_votes(votes, ["yes", "no"]), min_overlap=1, samples=0)
    assert result.value == pytest.approx(0.48 / 0.68)


def test_pabak_two_categories_is_twice_agreement_minus_one():
    # Byrt, Bishop & Carlin (1993), J. Clin. Epidemiol. 46:423: PABAK = 2 p_o - 1; here p_o = 0.8.
    pairs = [("yes", "yes")] * 7 + [("no", "no")] + [("yes", "no")] * 2
    votes = [(n, r, label) for n, pair in enumerate(pairs) for r, label in zip(("r1", "r2"), pair)]
    assert pabak(Ratings.from_votes(votes, ["yes", "no"]), min_overlap=1, samples=0).value == pytest.approx(0.6)


def test_pabak_with_three_categories_in_use_fixes_chance_at_one_third():
    # p_o = 0.5 with q = 3: (3 * 0.5 - 1) / 2 = 0.25.
    votes = [(n, r, lab) for n, pair in enumerate([("A", "A"), ("B", "tie")] * 5) for r, lab in zip("xy", pair)]
    assert pabak(Ratings.from_votes(votes, ["A", "B", "tie"]), min_overlap=1, samples=0).value == pytest.approx(0.25)


def test_pabak_and_ac1_count_only_the_categories_in_use():
    # Nobody called a tie: the batch is a two-category batch, PABAK = 2 p_o - 1 and AC1 is Gwet's two-category form.
    pairs = [("A", "A")] * 7 + [("B", "B")] + [("A", "B")] * 2
    votes = [(n, r, label) for n, pair in enumerate(pairs) for r, label in zip(("r1", "r2"), pair)]
    ratings = Ratings.from_votes(votes, ["A", "B", "tie"])
    assert ratings.categories_in_use() == ["A", "B"]
    assert pabak(ratings, min_overlap=1, samples=0).value == pytest.approx(0.6)
    assert gwet_ac1(ratings, min_overlap=1, samples=0).value == pytest.approx(0.48 / 0.68)


def test_prevalence_paradox_high_agreement_low_kappa_high_ac1():
    # Nearly every vote is "B": 18 of 20 items agree (90%), but both raters' few "A"s never coincide.
    pairs = [("B", "B")] * 18 + [("A", "B"), ("B", "A")]
    votes = [(n, r, label) for n, pair in enumerate(pairs) for r, label in zip(("r1", "r2"), pair)]
    ratings = Ratings.from_votes(votes, ["A", "B"])
    agreement = percent_agreement(ratings, samples=0).value
    kappa = cohen_kappa_matrix(ratings, samples=0).values[0, 1]
    ac1 = gwet_ac1(ratings, samples=0).value
    assert agreement == pytest.approx(0.9)
    assert kappa < 0.0  # chance agreement is 0.82, so kappa is slightly negative
    assert ac1 > 0.85


# --------------------------------------------------------------------------- intervals: input order, perfect agreement


def test_intervals_do_not_change_when_the_votes_arrive_in_another_order():
    matrix = noisy_matrix(4, items=60, raters=3, k=3, missing=0.1)
    votes = [(f"item-{i}", f"rater-{r}", int(matrix[i, r])) for i in range(60) for r in range(3) if matrix[i, r] >= 0]
    shuffled = list(votes)
    np.random.default_rng(9).shuffle(shuffled)
    first, second = Ratings.from_votes(votes, range(3)), Ratings.from_votes(shuffled, range(3))
    for measure in (percent_agreement, gwet_ac1, pabak, krippendorff_alpha, fleiss_kappa):
        a = measure(first, samples=200, seed=first.content_seed(1))
        b = measure(second, samples=200, seed=second.content_seed(1))
        assert (a.value, a.low, a.high) == (b.value, b.low, b.high), measure.__name__
    kappa_a = cohen_kappa_matrix(first, samples=200, seed=first.content_seed(1)).table()
    kappa_b = cohen_kappa_matrix(second, samples=200, seed=second.content_seed(1)).table()
    assert kappa_a == kappa_b


def test_a_perfect_agreement_interval_is_called_degenerate_with_the_items_it_would_take():
    votes = [(n, r, "A" if n % 2 else "B") for n in range(20) for r in ("x", "y")]
    estimate = percent_agreement(Ratings.from_votes(votes, ["A", "B", "tie"]), samples=200)
    assert (estimate.value, estimate.low, estimate.high) == (1.0, 1.0, 1.0)
    assert estimate.note == (
        "degenerate interval: no disagreement in 20 items, so every resample agrees perfectly;"
        " by the rule of three the disagreement rate could still be up to 15% (95%);"
        " 60 items without a disagreement would bound it under 5%"
    )


def test_an_interval_with_width_has_no_note():
    ratings = Ratings.from_matrix(noisy_matrix(2, items=80, raters=4, k=3, missing=0.2), range(3))
    assert percent_agreement(ratings, samples=200).note is None


# --------------------------------------------------------------------------- Wilson interval and entropy


def test_wilson_interval_known_value():
    # 8 successes in 10: Wilson 95% interval (0.4902, 0.9433), as in Agresti & Coull (1998) and statsmodels.
    low, high = wilson_interval(8, 10)
    assert (round(low, 4), round(high, 4)) == (0.4902, 0.9433)
    assert (low, high) == pytest.approx(proportion_confint(8, 10, method="wilson"))


def test_wilson_interval_at_zero_and_all_successes_stays_inside_zero_one():
    assert wilson_interval(0, 12)[0] == 0.0
    assert wilson_interval(12, 12)[1] == 1.0


def test_vote_entropy_is_zero_for_unanimity_and_log2_3_for_an_even_three_way_split():
    assert vote_entropy([4, 0, 0]) == 0.0
    assert vote_entropy([1, 1, 1]) == pytest.approx(np.log2(3))


# --------------------------------------------------------------------------- consensus


def test_dawid_skene_recovers_a_planted_unreliable_annotator():
    rng = np.random.default_rng(11)
    truth = rng.integers(0, 3, 400)
    accuracy = [0.9, 0.9, 0.85, 0.3]  # the fourth annotator is barely better than chance (1/3)
    matrix = np.stack(
        [np.where(rng.random(400) < a, truth, rng.integers(0, 3, 400)) for a in accuracy], axis=1
    )
    model = dawid_skene(Ratings.from_matrix(matrix, ["A", "B", "tie"]))
    reliability = model.reliability()
    assert model.converged
    assert reliability[3] < 0.6 < min(reliability[:3])
    assert (model.labels == truth).mean() > 0.95


@pytest.mark.parametrize(
    ("votes", "majority", "plurality"),
    [
        (["A", "A", "B", "tie"], None, "A"),  # 2 of 4 is not more than half
        (["A", "A", "B"], "A", "A"),
        (["A", "B"], None, None),
        (["A", "B", "tie"], None, None),
        (["tie"], "tie", "tie"),
        ([], None, None),
    ],
)
def test_majority_needs_more_than_half_of_the_votes_and_plurality_only_the_most(votes, majority, plurality):
    assert vote_winner(votes, "majority")[0] == majority
    assert vote_winner(votes, "plurality")[0] == plurality


def test_majority_vote_marks_a_split_as_no_majority():
    ratings = Ratings.from_votes([(1, "x", "A"), (1, "y", "B"), (2, "x", "B"), (2, "y", "B")], ["A", "B", "tie"])
    assert majority_vote(ratings).tolist() == [-1, 1]


def test_dawid_skene_prior_keeps_small_batches_out_of_degenerate_solutions():
    # 26 items, four annotators: careful, a coin-flipper between A and B, a tie-caller, one who defaults to A.
    def small_batch(seed):
        rng = np.random.default_rng(seed)
        truth = rng.choice(3, 26, p=[0.46, 0.46, 0.08])
        careful = np.where(rng.random(26) < 0.92, truth, rng.integers(0, 3, 26))
        coin = np.where(rng.random(26) < 0.6, truth, rng.integers(0, 2, 26))
        tie_caller = np.where(rng.random(26) < 0.5, 2, truth)
        a_default = np.where(rng.random(26) < 0.7, truth, 0)
        return truth, Ratings.from_matrix(np.stack([careful, coin, tie_caller, a_default], axis=1), ["A", "B", "tie"])

    with_prior, without = [], []
    for seed in range(60):
        truth, ratings = small_batch(seed)
        with_prior.append((dawid_skene(ratings).labels == truth).mean())
        without.append((dawid_skene(ratings, smoothing=0.01, diagonal_prior=0.0).labels == truth).mean())
    assert min(with_prior) > min(without)
    assert np.mean(with_prior) > np.mean(without)
