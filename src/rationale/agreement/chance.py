"""Agreement by share of agreeing vote pairs: percent agreement, Gwet's AC1, PABAK; and vote entropy.

One base for all three: the observed agreement p_o is the mean over items
(with at least two votes) of the share of that item's vote pairs that agree,
which is Fleiss' P-bar and Gwet's p_a. Pooling pairs across items instead
would weigh an item with five votes ten times as much as an item with two,
and PABAK would no longer be (q p_o - 1) / (q - 1) of the percent agreement
shown beside it. The chance terms of AC1 and PABAK count the categories in
use (that somebody voted for), so a batch without a single tie is a
two-category batch.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..models import Estimate
from .intervals import _with_interval
from .ratings import BOOTSTRAP_SAMPLES, DEFAULT_SEED, MIN_OVERLAP, NOT_ENOUGH_OVERLAP, NO_VARIATION, Ratings, _missing


def percent_agreement(
    ratings: Ratings,
    *,
    exclude: int | None = None,
    min_overlap: int = MIN_OVERLAP,
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = DEFAULT_SEED,
) -> Estimate:
    """Mean over items of the share of the item's vote pairs that agree (the module's one base).

    `exclude` is a category code (the tie): with it, every pair in which
    either vote is that category is dropped, the MT-Bench "without ties"
    convention, and items left without a pair drop out.
    """
    item, _, _, c1, c2 = ratings.vote_pairs()
    if exclude is not None:
        keep = (c1 != exclude) & (c2 != exclude)
        item, c1, c2 = item[keep], c1[keep], c2[keep]
    counts = np.zeros((ratings.n_items, 2))
    np.add.at(counts, (item, 0), (c1 == c2).astype(np.float64))
    np.add.at(counts, (item, 1), 1.0)
    counts = counts[counts[:, 1] > 0]
    if counts.shape[0] < min_overlap:
        return _missing(NOT_ENOUGH_OVERLAP, counts.shape[0])
    stats = np.column_stack([counts[:, 0] / counts[:, 1], np.ones(counts.shape[0])])
    value = float(stats[:, 0].mean())
    return _with_interval(value, stats.shape[0], stats, lambda s: s[:, 0] / s[:, 1], samples, seed)


def _chance_corrected_stats(ratings: Ratings) -> np.ndarray:
    """Per item: [agreement share if >=2 votes, has >=2 votes, has a vote, category shares...]."""
    counts = ratings.value_counts().astype(np.float64)
    m = counts.sum(axis=1)
    counts, m = counts[m > 0], m[m > 0]
    two = m >= 2
    with np.errstate(divide="ignore", invalid="ignore"):
        agree = np.where(two, (counts * (counts - 1)).sum(axis=1) / (m * (m - 1)), 0.0)
    return np.column_stack([agree, two.astype(np.float64), np.ones(counts.shape[0]), counts / m[:, None]])


def gwet_ac1(
    ratings: Ratings,
    *,
    min_overlap: int = MIN_OVERLAP,
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = DEFAULT_SEED,
) -> Estimate:
    """Gwet's AC1 for any number of raters with missing votes.

    Formula: Gwet, K. L. (2008), "Computing inter-rater reliability and its
    variance in the presence of high agreement", Br. J. Math. Stat. Psychol.
    61, 29-48, and Gwet (2014), Handbook of Inter-Rater Reliability, 4th ed.,
    ch. 2: p_a = mean over items with >= 2 votes of
    sum_k r_ik (r_ik - 1) / (r_i (r_i - 1)); pi_k = mean over items of
    r_ik / r_i; p_e = sum_k pi_k (1 - pi_k) / (q - 1); AC1 = (p_a - p_e) / (1 - p_e),
    with q the number of categories in use.
    """
    q = len(ratings.categories_in_use())
    stats = _chance_corrected_stats(ratings)

    def statistic(sums: np.ndarray) -> np.ndarray:
        sums = np.atleast_2d(sums)
        p_a = sums[:, 0] / sums[:, 1]
        pi = sums[:, 3:] / sums[:, 2][:, None]
        p_e = (pi * (1 - pi)).sum(axis=1) / (q - 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            return (p_a - p_e) / (1 - p_e)

    n_pairable = int(stats[:, 1].sum())
    if n_pairable < min_overlap:
        return _missing(NOT_ENOUGH_OVERLAP, n_pairable)
    if q < 2:
        return _missing(NO_VARIATION, n_pairable)
    value = float(statistic(stats.sum(axis=0))[0])
    return _with_interval(value, n_pairable, stats, statistic, samples, seed)


def pabak(
    ratings: Ratings,
    *,
    min_overlap: int = MIN_OVERLAP,
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = DEFAULT_SEED,
) -> Estimate:
    """Prevalence- and bias-adjusted kappa: (q * p_o - 1) / (q - 1).

    Byrt, Bishop & Carlin (1993), "Bias, prevalence and kappa", J. Clin.
    Epidemiol. 46(5), 423-429 give 2 p_o - 1 for two categories; the q-category
    form is kappa with chance agreement fixed at 1/q, q the categories in use.
    p_o is the same per-item observed agreement as in Fleiss' kappa and AC1.
    """
    q = len(ratings.categories_in_use())
    stats = _chance_corrected_stats(ratings)[:, :2]
    n_pairable = int(stats[:, 1].sum())
    if n_pairable < min_overlap:
        return _missing(NOT_ENOUGH_OVERLAP, n_pairable)
    if q < 2:
        return _missing(NO_VARIATION, n_pairable)

    def statistic(sums: np.ndarray) -> np.ndarray:
        sums = np.atleast_2d(sums)
        p_o = sums[:, 0] / sums[:, 1]
        return (q * p_o - 1) / (q - 1)

    value = float(statistic(stats.sum(axis=0))[0])
    return _with_interval(value, n_pairable, stats, statistic, samples, seed)


def observed_agreement(ratings: Ratings) -> float | None:
    """Mean per-item share of agreeing vote pairs (the p_o of Fleiss, AC1 and PABAK)."""
    stats = _chance_corrected_stats(ratings)
    pairable = stats[:, 1].sum()
    return float(stats[:, 0].sum() / pairable) if pairable else None


def vote_entropy(counts: Sequence[int] | np.ndarray) -> float:
    """Shannon entropy (bits) of one item's votes: 0 when all agree."""
    counts = np.asarray(counts, dtype=np.float64)
    total = counts.sum()
    if total <= 0:
        return 0.0
    p = counts[counts > 0] / total
    return float(-(p * np.log2(p)).sum()) + 0.0
