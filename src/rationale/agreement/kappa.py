"""Cohen's kappa (plain and weighted, for one pair or every pair of raters) and Fleiss' kappa."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from ..models import Estimate, PairTable
from .intervals import _interval, _with_interval, degenerate_note
from .ratings import BOOTSTRAP_SAMPLES, DEFAULT_SEED, MIN_OVERLAP, NOT_ENOUGH_OVERLAP, NO_VARIATION, Ratings, Weights, _finite, _missing


def disagreement_weights(k: int, weights: Weights) -> np.ndarray:
    """k x k weights as in sklearn's cohen_kappa_score: 0/1, |i-j| or (i-j)^2."""
    i, j = np.indices((k, k))
    if weights is None:
        return (i != j).astype(np.float64)
    if weights == "linear":
        return np.abs(i - j).astype(np.float64)
    if weights == "quadratic":
        return ((i - j) ** 2).astype(np.float64)
    raise ValueError(f"unknown weights {weights!r}")


def kappa_from_tables(tables: np.ndarray, weights: Weights = None) -> np.ndarray:
    """Cohen's kappa for confusion tables of shape (..., k, k); NaN where it is undefined."""
    tables = np.asarray(tables, dtype=np.float64)
    k = tables.shape[-1]
    w = disagreement_weights(k, weights)
    n = tables.sum(axis=(-2, -1))
    rows = tables.sum(axis=-1)
    cols = tables.sum(axis=-2)
    with np.errstate(divide="ignore", invalid="ignore"):
        # Summed without building the expected tables: a bootstrap passes a million tables at a time, and the
        # temporaries took four fifths of the time (the sums may differ from summing those tables in the last bit).
        observed_disagreement = np.einsum("...ij,ij->...", tables, w)
        expected_disagreement = np.einsum("...i,ij,...j->...", rows, w, cols) / n
        return 1.0 - observed_disagreement / expected_disagreement


def cohens_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> float | None:
    """Cohen's kappa of two raters over the same cases; None when undefined (no cases, or chance agreement is 1)."""
    if len(first) != len(second):
        raise ValueError("both raters must rate the same cases")
    if not first:
        return None
    labels = {label: index for index, label in enumerate(dict.fromkeys([*first, *second]))}
    table = np.zeros((len(labels), len(labels)))
    np.add.at(table, ([labels[a] for a in first], [labels[b] for b in second]), 1.0)
    value = float(kappa_from_tables(table))
    return value if np.isfinite(value) else None


@dataclass
class PairMatrix:
    """A coefficient for every pair of raters; the diagonal is empty."""

    raters: list[Hashable]
    values: np.ndarray  # raters x raters, NaN where there is no number
    low: np.ndarray
    high: np.ndarray
    overlap: np.ndarray  # shared items
    reasons: dict[tuple[int, int], str]

    def estimate(self, i: int, j: int) -> Estimate:
        if (i, j) in self.reasons or (j, i) in self.reasons:
            return _missing(self.reasons.get((i, j)) or self.reasons[(j, i)], int(self.overlap[i, j]))
        value, low, high, n = (_finite(self.values[i, j]), _finite(self.low[i, j]), _finite(self.high[i, j]),
                               int(self.overlap[i, j]))
        return Estimate(value=value, low=low, high=high, n=n, note=degenerate_note(value, low, high, n))

    def mean_for(self, i: int) -> float | None:
        """The rater's mean coefficient with every peer that has a number."""
        row = np.delete(self.values[i], i)
        row = row[np.isfinite(row)]
        return float(row.mean()) if row.size else None

    def table(self) -> PairTable:
        """The matrix as reported: every pair of raters with its estimate."""
        return PairTable.of([str(r) for r in self.raters], self.estimate)


def pair_tables(ratings: Ratings) -> np.ndarray:
    """raters x raters x k x k confusion tables over shared items ([i, j] counts rater i's code by rater j's)."""
    r, k = ratings.n_raters, ratings.n_categories
    _, r1, r2, c1, c2 = ratings.vote_pairs()
    flat = np.bincount(((r1 * r + r2) * k + c1) * k + c2, minlength=r * r * k * k)
    tables = flat.reshape(r, r, k, k)
    return tables + tables.transpose(1, 0, 3, 2)


def cohen_kappa_matrix(
    ratings: Ratings,
    *,
    weights: Weights = None,
    min_overlap: int = MIN_OVERLAP,
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = DEFAULT_SEED,
) -> PairMatrix:
    """Cohen's kappa (optionally weighted) for every pair of raters over the items both rated.

    The interval resamples the pair's shared items; resampling items with
    replacement is the same as drawing the pair's table from a multinomial
    with the observed cell shares, which is how it is done here.
    """
    return cohen_kappa_matrices(ratings, [weights], min_overlap=min_overlap, samples=samples, seed=seed)[0]


def cohen_kappa_matrices(
    ratings: Ratings,
    weightings: Sequence[Weights],
    *,
    min_overlap: int = MIN_OVERLAP,
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = DEFAULT_SEED,
) -> list[PairMatrix]:
    """:func:`cohen_kappa_matrix` under each of `weightings`, the same as one call per weighting.

    The resampled tables depend on the seed and the pairs only, not on the weights, so they are
    drawn once and every weighting is computed on them: with 100 raters, drawing is nearly all of the
    time (4,950 pairs x 1,000 resamples of a 49-cell table for a 7-point strength).
    """
    tables = pair_tables(ratings)
    r = ratings.n_raters
    overlap = tables.sum(axis=(2, 3))
    raters = list(ratings.rater_keys) or list(range(r))
    matrices = []
    for weights in weightings:
        values = kappa_from_tables(tables, weights)
        reasons: dict[tuple[int, int], str] = {}
        for i, j in combinations(range(r), 2):
            if overlap[i, j] < min_overlap:
                reasons[(i, j)] = NOT_ENOUGH_OVERLAP
            elif not np.isfinite(values[i, j]):
                reasons[(i, j)] = "no variation: both gave the same single answer throughout"
        for i, j in reasons:
            values[i, j] = values[j, i] = np.nan
        np.fill_diagonal(values, np.nan)
        matrices.append(PairMatrix(raters=raters, values=values, low=np.full((r, r), np.nan),
                                   high=np.full((r, r), np.nan), overlap=overlap, reasons=reasons))
    if samples > 0:
        # Weightings whose pairs with a kappa are the same share one set of draws (which pairs are drawn, and
        # in what order, decides the random stream each pair gets; sharing it keeps each result unchanged).
        by_pairs: dict[tuple[tuple[int, int], ...], list[tuple[Weights, PairMatrix]]] = {}
        for weights, matrix in zip(weightings, matrices):
            enough = tuple(p for p in combinations(range(r), 2) if p not in matrix.reasons)
            if enough:
                by_pairs.setdefault(enough, []).append((weights, matrix))
        for enough, sharing in by_pairs.items():
            _bootstrap_pairs(tables, list(enough), sharing, samples, seed)
    return matrices


def _bootstrap_pairs(
    tables: np.ndarray, enough: list[tuple[int, int]], matrices: list[tuple[Weights, PairMatrix]], samples: int,
    seed: int,
) -> None:
    """Fill each matrix's `low`/`high` with each pair's 95% interval, under the matrix's weights: the pair's
    table redrawn from a multinomial of its cell shares."""
    k = tables.shape[-1]
    rng = np.random.default_rng(seed)
    idx_i = np.array([p[0] for p in enough])
    idx_j = np.array([p[1] for p in enough])
    chosen = tables[idx_i, idx_j].reshape(len(enough), k * k).astype(np.float64)
    n = chosen.sum(axis=1)
    shares = chosen / n[:, None]
    # Chunked so that many pairs x many resamples stays within memory.
    chunk = max(1, 2_000_000 // (len(enough) * k * k))
    draws: list[list[np.ndarray]] = [[] for _ in matrices]
    done = 0
    while done < samples:
        size = min(chunk, samples - done)
        drawn = rng.multinomial(n.astype(np.int64), shares, size=(size, len(enough))).reshape(size, len(enough), k, k)
        drawn = drawn.astype(np.float64)  # once, not once per weighting
        for kept, (weights, _) in zip(draws, matrices):
            kept.append(kappa_from_tables(drawn, weights))
        done += size
    for kept, (_, matrix) in zip(draws, matrices):
        boot = np.concatenate(kept, axis=0)
        for col, (i, j) in enumerate(enough):
            lo, hi = _interval(boot[:, col])
            if lo is not None:
                matrix.low[i, j] = matrix.low[j, i] = lo
                matrix.high[i, j] = matrix.high[j, i] = hi


def fleiss_kappa(
    ratings: Ratings,
    *,
    min_overlap: int = MIN_OVERLAP,
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = DEFAULT_SEED,
) -> Estimate:
    """Fleiss' kappa (Fleiss 1971); defined only when every item has the same number of raters."""
    counts = ratings.value_counts()
    per_item = counts.sum(axis=1)
    rated = per_item > 0
    counts, per_item = counts[rated], per_item[rated]
    if counts.shape[0] == 0:
        return _missing("no votes")
    sizes = np.unique(per_item)
    if sizes.size > 1:
        return _missing(
            f"left out: items have different numbers of raters ({sizes.min()}-{sizes.max()})", counts.shape[0]
        )
    m = int(sizes[0])
    if m < 2:
        return _missing("left out: every item has a single rater", counts.shape[0])
    if counts.shape[0] < min_overlap:
        return _missing(NOT_ENOUGH_OVERLAP, counts.shape[0])
    k = counts.shape[1]
    agreement = ((counts * (counts - 1)).sum(axis=1)) / (m * (m - 1))
    stats = np.column_stack([agreement, counts / m, np.ones(counts.shape[0])])

    def statistic(sums: np.ndarray) -> np.ndarray:
        sums = np.atleast_2d(sums)
        n = sums[:, -1]
        p_bar = sums[:, 0] / n
        p_j = sums[:, 1 : 1 + k] / n[:, None]
        p_e = (p_j**2).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            return (p_bar - p_e) / (1 - p_e)

    value = float(statistic(stats.sum(axis=0))[0])
    if not np.isfinite(value):
        return _missing(NO_VARIATION, counts.shape[0])
    return _with_interval(value, counts.shape[0], stats, statistic, samples, seed)


def cohens_kappa_estimate(
    first: Sequence[Hashable], second: Sequence[Hashable], samples: int = BOOTSTRAP_SAMPLES, seed: int = DEFAULT_SEED
) -> Estimate:
    """Cohen's kappa of two raters with a seeded bootstrap 95% interval over the cases they both rated.

    Each case is a one-hot cell of the k x k table, so a resample's table is a
    sum of rows and every resample's kappa comes from one matrix product.
    """
    if len(first) != len(second):
        raise ValueError("both raters must rate the same cases")
    n = len(first)
    if n == 0:
        return Estimate(value=None, n=0, reason=NOT_ENOUGH_OVERLAP)
    labels = {label: index for index, label in enumerate(dict.fromkeys([*first, *second]))}
    k = len(labels)
    cells = np.zeros((n, k * k))
    cells[np.arange(n), [labels[a] * k + labels[b] for a, b in zip(first, second)]] = 1.0
    value = float(kappa_from_tables(cells.sum(axis=0).reshape(k, k)))
    if not np.isfinite(value):
        return Estimate(value=None, n=n, reason=NO_VARIATION)

    def statistic(sums: np.ndarray) -> np.ndarray:
        return kappa_from_tables(sums.reshape(-1, k, k))

    return _with_interval(value, n, cells, statistic, samples, seed)
