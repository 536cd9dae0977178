"""Agreement among annotators: percent agreement, kappas, Krippendorff's alpha, Gwet's AC1, PABAK.

Votes are held as three parallel integer arrays (item, rater, code) so that a
sparse batch (a few votes per item among many raters) costs memory in
proportion to the votes, not to items x raters. Codes index an ordered tuple
of categories; for ordinal data the order is the scale order.

Every coefficient comes back as an `Estimate`: a value with a seeded bootstrap
95% percentile interval over items, or no value and the reason why (too little
overlap, no variation, unequal numbers of raters). A number is never invented
where the data cannot support one.

The implementation is our own rather than the `krippendorff` package: alpha
is computed from the coincidence matrix built with `numpy.bincount`, and the
pairwise tables for every pair of raters come from one `bincount` over the
vote pairs, so the kappa matrix for many raters needs no Python loop over
pairs. `bench/agreement_bench.py` measures both against the package.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Literal

import numpy as np

MIN_OVERLAP = 10
"""Fewer shared items than this and a coefficient is 'not enough overlap' rather than a number."""

BOOTSTRAP_SAMPLES = 1000
DEFAULT_SEED = 20240521
NOT_ENOUGH_OVERLAP = "not enough overlap"

Weights = Literal["linear", "quadratic"] | None
Level = Literal["nominal", "ordinal"]


@dataclass(frozen=True)
class Estimate:
    """A coefficient with its 95% interval, or the reason there is no number."""

    value: float | None
    low: float | None = None
    high: float | None = None
    n: int = 0  # the items (or, for one pair, the shared items) the figure rests on
    reason: str | None = None

    @property
    def available(self) -> bool:
        return self.value is not None

    def as_dict(self) -> dict[str, object]:
        return {"value": self.value, "low": self.low, "high": self.high, "n": self.n, "reason": self.reason}


def _missing(reason: str, n: int = 0) -> Estimate:
    return Estimate(value=None, n=n, reason=reason)


def _finite(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def _interval(samples: np.ndarray) -> tuple[float | None, float | None]:
    samples = samples[np.isfinite(samples)]
    # Resamples where the statistic is undefined (e.g. no variation) are dropped;
    # if most are undefined the interval would mislead, so give none.
    if samples.size < 20:
        return None, None
    low, high = np.percentile(samples, [2.5, 97.5])
    return float(low), float(high)


# --------------------------------------------------------------------------- data


@dataclass
class Ratings:
    """Votes as parallel arrays; `categories` gives the meaning (and, if ordinal, the order) of codes."""

    items: np.ndarray
    raters: np.ndarray
    codes: np.ndarray
    n_items: int
    n_raters: int
    categories: tuple[Hashable, ...]
    item_keys: list[Hashable] = field(default_factory=list)
    rater_keys: list[Hashable] = field(default_factory=list)

    @property
    def n_categories(self) -> int:
        return len(self.categories)

    @classmethod
    def from_votes(
        cls, votes: Iterable[tuple[Hashable, Hashable, Hashable]], categories: Sequence[Hashable]
    ) -> "Ratings":
        """From (item, rater, label) triples; a rater's later vote on an item replaces the earlier one."""
        code_of = {c: i for i, c in enumerate(categories)}
        item_index: dict[Hashable, int] = {}
        rater_index: dict[Hashable, int] = {}
        latest: dict[tuple[int, int], int] = {}
        for item, rater, label in votes:
            if label not in code_of:
                raise ValueError(f"label {label!r} is not one of {list(categories)}")
            i = item_index.setdefault(item, len(item_index))
            r = rater_index.setdefault(rater, len(rater_index))
            latest[(i, r)] = code_of[label]
        keys = np.array(list(latest), dtype=np.int64).reshape(-1, 2)
        return cls(
            items=keys[:, 0].copy(),
            raters=keys[:, 1].copy(),
            codes=np.fromiter(latest.values(), dtype=np.int64, count=len(latest)),
            n_items=len(item_index),
            n_raters=len(rater_index),
            categories=tuple(categories),
            item_keys=list(item_index),
            rater_keys=list(rater_index),
        )

    @classmethod
    def from_matrix(cls, matrix: np.ndarray, categories: Sequence[Hashable]) -> "Ratings":
        """From an items x raters matrix of codes, with -1 for a missing vote."""
        matrix = np.asarray(matrix)
        items, raters = np.nonzero(matrix >= 0)
        return cls(
            items=items.astype(np.int64),
            raters=raters.astype(np.int64),
            codes=matrix[items, raters].astype(np.int64),
            n_items=matrix.shape[0],
            n_raters=matrix.shape[1],
            categories=tuple(categories),
            item_keys=list(range(matrix.shape[0])),
            rater_keys=list(range(matrix.shape[1])),
        )

    def value_counts(self) -> np.ndarray:
        """items x categories: how many raters gave each category to each item."""
        k = self.n_categories
        flat = np.bincount(self.items * k + self.codes, minlength=self.n_items * k)
        return flat.reshape(self.n_items, k)

    def vote_pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Every pair of votes on the same item: (item, rater_1, rater_2, code_1, code_2), rater_1 < rater_2."""
        order = np.lexsort((self.raters, self.items))
        items, raters, codes = self.items[order], self.raters[order], self.codes[order]
        starts = np.flatnonzero(np.r_[True, items[1:] != items[:-1]])
        sizes = np.diff(np.r_[starts, items.size])
        out: list[list[np.ndarray]] = [[], [], [], [], []]
        # Items are grouped by how many votes they have, so each group is a
        # rectangular block and its pairs come from fixed column combinations.
        for size in np.unique(sizes):
            if size < 2:
                continue
            block_starts = starts[sizes == size]
            index = block_starts[:, None] + np.arange(size)[None, :]
            for p, q in combinations(range(size), 2):
                a, b = index[:, p], index[:, q]
                out[0].append(items[a])
                out[1].append(raters[a])
                out[2].append(raters[b])
                out[3].append(codes[a])
                out[4].append(codes[b])
        if not out[0]:
            empty = np.empty(0, dtype=np.int64)
            return empty, empty, empty, empty, empty
        return tuple(np.concatenate(parts) for parts in out)  # type: ignore[return-value]


# --------------------------------------------------------------------------- bootstrap over items


def _bootstrap_sums(stats: np.ndarray, samples: int, seed: int) -> np.ndarray:
    """samples x d: column sums of `stats` (items x d) over item resamples drawn with replacement."""
    n = stats.shape[0]
    rng = np.random.default_rng(seed)
    chunk = max(1, min(samples, 4_000_000 // max(n, 1)))
    out = np.empty((samples, stats.shape[1]))
    stats = stats.astype(np.float64)
    done = 0
    while done < samples:
        size = min(chunk, samples - done)
        weights = rng.multinomial(n, np.full(n, 1.0 / n), size=size).astype(np.float64)
        out[done : done + size] = weights @ stats
        done += size
    return out


def _with_interval(value: float, n: int, stats: np.ndarray, statistic, samples: int, seed: int) -> Estimate:
    if samples <= 0:
        return Estimate(value=value, n=n)
    low, high = _interval(statistic(_bootstrap_sums(stats, samples, seed)))
    return Estimate(value=value, low=low, high=high, n=n)


# --------------------------------------------------------------------------- percent agreement


def percent_agreement(
    ratings: Ratings,
    *,
    exclude: int | None = None,
    min_overlap: int = MIN_OVERLAP,
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = DEFAULT_SEED,
) -> Estimate:
    """Share of pairs of votes on the same item that agree.

    `exclude` is a category code (the tie): with it, every pair in which
    either vote is that category is dropped, the MT-Bench "without ties"
    convention.
    """
    item, _, _, c1, c2 = ratings.vote_pairs()
    if exclude is not None:
        keep = (c1 != exclude) & (c2 != exclude)
        item, c1, c2 = item[keep], c1[keep], c2[keep]
    stats = np.zeros((ratings.n_items, 2))
    np.add.at(stats, (item, 0), (c1 == c2).astype(np.float64))
    np.add.at(stats, (item, 1), 1.0)
    stats = stats[stats[:, 1] > 0]
    if stats.shape[0] < min_overlap:
        return _missing(NOT_ENOUGH_OVERLAP, stats.shape[0])
    value = float(stats[:, 0].sum() / stats[:, 1].sum())
    return _with_interval(value, stats.shape[0], stats, lambda s: s[:, 0] / s[:, 1], samples, seed)


# --------------------------------------------------------------------------- Cohen's kappa


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
        expected = rows[..., :, None] * cols[..., None, :] / n[..., None, None]
        observed_disagreement = (w * tables).sum(axis=(-2, -1))
        expected_disagreement = (w * expected).sum(axis=(-2, -1))
        return 1.0 - observed_disagreement / expected_disagreement


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
        return Estimate(
            value=_finite(self.values[i, j]),
            low=_finite(self.low[i, j]),
            high=_finite(self.high[i, j]),
            n=int(self.overlap[i, j]),
        )

    def mean_for(self, i: int) -> float | None:
        """The rater's mean coefficient with every peer that has a number."""
        row = np.delete(self.values[i], i)
        row = row[np.isfinite(row)]
        return float(row.mean()) if row.size else None

    def as_dict(self) -> dict[str, object]:
        names = [str(r) for r in self.raters]
        return {
            "raters": names,
            "pairs": [
                {"a": names[i], "b": names[j], **self.estimate(i, j).as_dict()}
                for i, j in combinations(range(len(names)), 2)
            ],
        }


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
    tables = pair_tables(ratings)
    r, k = ratings.n_raters, ratings.n_categories
    overlap = tables.sum(axis=(2, 3))
    values = kappa_from_tables(tables, weights)
    low = np.full((r, r), np.nan)
    high = np.full((r, r), np.nan)
    reasons: dict[tuple[int, int], str] = {}
    pairs = [(i, j) for i, j in combinations(range(r), 2)]
    enough = []
    for i, j in pairs:
        if overlap[i, j] < min_overlap:
            reasons[(i, j)] = NOT_ENOUGH_OVERLAP
        elif not np.isfinite(values[i, j]):
            reasons[(i, j)] = "no variation: both gave the same single answer throughout"
        else:
            enough.append((i, j))
    for i, j in list(reasons):
        values[i, j] = values[j, i] = np.nan
    np.fill_diagonal(values, np.nan)
    if samples > 0 and enough:
        rng = np.random.default_rng(seed)
        idx_i = np.array([p[0] for p in enough])
        idx_j = np.array([p[1] for p in enough])
        chosen = tables[idx_i, idx_j].reshape(len(enough), k * k).astype(np.float64)
        n = chosen.sum(axis=1)
        shares = chosen / n[:, None]
        # Chunked so that many pairs x many resamples stays within memory.
        chunk = max(1, 2_000_000 // (len(enough) * k * k))
        draws = []
        done = 0
        while done < samples:
            size = min(chunk, samples - done)
            drawn = rng.multinomial(n.astype(np.int64), shares, size=(size, len(enough)))
            draws.append(kappa_from_tables(drawn.reshape(size, len(enough), k, k), weights))
            done += size
        boot = np.concatenate(draws, axis=0)
        for col, (i, j) in enumerate(enough):
            lo, hi = _interval(boot[:, col])
            if lo is not None:
                low[i, j] = low[j, i] = lo
                high[i, j] = high[j, i] = hi
    return PairMatrix(
        raters=list(ratings.rater_keys) or list(range(r)),
        values=values,
        low=low,
        high=high,
        overlap=overlap,
        reasons=reasons,
    )


# --------------------------------------------------------------------------- Fleiss' kappa


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
        return _missing("no variation: every vote is the same", counts.shape[0])
    return _with_interval(value, counts.shape[0], stats, statistic, samples, seed)


# --------------------------------------------------------------------------- Krippendorff's alpha


def _alpha_from_coincidences(o: np.ndarray, level: Level) -> np.ndarray:
    """Alpha for coincidence matrices of shape (..., k, k) (Krippendorff 2011, 'Computing Krippendorff's alpha')."""
    o = np.asarray(o, dtype=np.float64)
    k = o.shape[-1]
    n_c = o.sum(axis=-1)
    n = n_c.sum(axis=-1)
    if level == "nominal":
        delta = np.broadcast_to(disagreement_weights(k, None), o.shape)
    elif level == "ordinal":
        # delta(c, k) = (sum of n_g for g from c to k  -  (n_c + n_k) / 2)^2
        cum = np.concatenate([np.zeros(n_c.shape[:-1] + (1,)), np.cumsum(n_c, axis=-1)], axis=-1)
        lo = np.minimum.outer(np.arange(k), np.arange(k))
        hi = np.maximum.outer(np.arange(k), np.arange(k))
        between = cum[..., hi + 1] - cum[..., lo]
        delta = (between - (n_c[..., :, None] + n_c[..., None, :]) / 2) ** 2
    else:
        raise ValueError(f"unknown level {level!r}")
    expected = (n_c[..., :, None] * n_c[..., None, :] - n_c[..., :, None] * np.eye(k)) / (n[..., None, None] - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return 1.0 - (o * delta).sum(axis=(-2, -1)) / (expected * delta).sum(axis=(-2, -1))


def krippendorff_alpha(
    ratings: Ratings,
    *,
    level: Level = "nominal",
    min_overlap: int = MIN_OVERLAP,
    samples: int = BOOTSTRAP_SAMPLES,
    seed: int = DEFAULT_SEED,
) -> Estimate:
    """Krippendorff's alpha, missing votes allowed; items with one vote are unpairable and drop out."""
    counts = ratings.value_counts().astype(np.float64)
    m = counts.sum(axis=1)
    pairable = m >= 2
    counts, m = counts[pairable], m[pairable]
    if counts.shape[0] < min_overlap:
        return _missing(NOT_ENOUGH_OVERLAP, int(counts.shape[0]))
    k = counts.shape[1]
    scaled = counts / (m - 1)[:, None]
    o = counts.T @ scaled - np.diag(scaled.sum(axis=0))
    value = float(_alpha_from_coincidences(o, level))
    if not np.isfinite(value):
        return _missing("no variation: every vote is the same", int(counts.shape[0]))
    if samples <= 0:
        return Estimate(value=value, n=int(counts.shape[0]))
    # Per-item coincidence contributions; their weighted sums are the resampled matrices.
    contributions = (counts[:, :, None] * scaled[:, None, :]).reshape(-1, k * k)
    contributions -= (scaled[:, :, None] * np.eye(k)[None]).reshape(-1, k * k)
    return _with_interval(
        value,
        int(counts.shape[0]),
        contributions,
        lambda s: _alpha_from_coincidences(s.reshape(-1, k, k), level),
        samples,
        seed,
    )


# --------------------------------------------------------------------------- Gwet's AC1 and PABAK


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
    r_ik / r_i; p_e = sum_k pi_k (1 - pi_k) / (q - 1); AC1 = (p_a - p_e) / (1 - p_e).
    """
    q = ratings.n_categories
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
    form is kappa with chance agreement fixed at 1/q. p_o is the same per-item
    observed agreement as in Fleiss' kappa and AC1.
    """
    q = ratings.n_categories
    stats = _chance_corrected_stats(ratings)[:, :2]
    n_pairable = int(stats[:, 1].sum())
    if n_pairable < min_overlap:
        return _missing(NOT_ENOUGH_OVERLAP, n_pairable)

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


# --------------------------------------------------------------------------- vote entropy


def vote_entropy(counts: Sequence[int] | np.ndarray) -> float:
    """Shannon entropy (bits) of one item's votes: 0 when all agree."""
    counts = np.asarray(counts, dtype=np.float64)
    total = counts.sum()
    if total <= 0:
        return 0.0
    p = counts[counts > 0] / total
    return float(-(p * np.log2(p)).sum()) + 0.0


def wilson_interval(successes: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval for a proportion (Wilson 1927); (0, 1) when there is no data."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    # At 0 or n successes the bound is exactly 0 or 1; say so rather than leave rounding noise.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


# --------------------------------------------------------------------------- consensus without gold


@dataclass
class DawidSkene:
    """Result of Dawid & Skene's EM: posterior labels, class priors and each rater's confusion matrix."""

    posteriors: np.ndarray  # items x categories
    priors: np.ndarray  # categories
    confusion: np.ndarray  # raters x true category x given category
    iterations: int
    converged: bool

    @property
    def labels(self) -> np.ndarray:
        return self.posteriors.argmax(axis=1)

    def reliability(self) -> np.ndarray:
        """Each rater's estimated accuracy: sum over true classes of prior x P(correct | class)."""
        return (self.priors[None, :] * np.diagonal(self.confusion, axis1=1, axis2=2)).sum(axis=1)


def majority_vote(ratings: Ratings) -> np.ndarray:
    """Per item: the most frequent code, or -1 when the top count is shared (no majority) or no votes."""
    counts = ratings.value_counts()
    top = counts.max(axis=1)
    winners = (counts == top[:, None]).sum(axis=1)
    labels = counts.argmax(axis=1)
    return np.where((top > 0) & (winners == 1), labels, -1)


def dawid_skene(
    ratings: Ratings,
    *,
    max_iterations: int = 200,
    tolerance: float = 1e-7,
    smoothing: float = 0.1,
    diagonal_prior: float = 1.0,
) -> DawidSkene:
    """Dawid & Skene (1979), "Maximum likelihood estimation of observer error-rates using the EM algorithm".

    Starts from the vote shares of each item (a soft majority vote). The
    M-step is a MAP estimate under a Dirichlet prior on each confusion row:
    `smoothing` pseudo-counts on every cell (a rater who never used a
    category keeps a non-zero probability for it) plus `diagonal_prior` on
    the correct cell, i.e. raters are assumed better than chance until the
    data say otherwise. Without that prior, small batches (tens of items)
    fall into the known degenerate optimum where one rater's habit, such as
    calling ties, is taken for the truth.
    """
    k, r, n = ratings.n_categories, ratings.n_raters, ratings.n_items
    counts = ratings.value_counts().astype(np.float64)
    totals = counts.sum(axis=1, keepdims=True)
    posteriors = np.where(totals > 0, counts / np.maximum(totals, 1), 1.0 / k)
    items, raters, codes = ratings.items, ratings.raters, ratings.codes
    previous = -np.inf
    converged = False
    iteration = 0
    priors = np.full(k, 1.0 / k)
    confusion = np.full((r, k, k), 1.0 / k)
    for iteration in range(1, max_iterations + 1):
        priors = posteriors.mean(axis=0)
        confusion = np.full((r, k, k), smoothing) + diagonal_prior * np.eye(k)[None]
        # confusion[rater, true, given] += posterior of `true` for each vote `given`
        np.add.at(confusion, (raters, slice(None), codes), posteriors[items])
        confusion /= confusion.sum(axis=2, keepdims=True)
        log_post = np.tile(np.log(np.maximum(priors, 1e-300)), (n, 1))
        np.add.at(log_post, items, np.log(confusion[raters, :, codes]))
        shift = log_post.max(axis=1, keepdims=True)
        likelihood = np.exp(log_post - shift)
        norm = likelihood.sum(axis=1, keepdims=True)
        posteriors = likelihood / norm
        log_likelihood = float((np.log(norm) + shift).sum())
        if abs(log_likelihood - previous) < tolerance * max(1.0, abs(log_likelihood)):
            converged = True
            break
        previous = log_likelihood
    return DawidSkene(posteriors=posteriors, priors=priors, confusion=confusion, iterations=iteration, converged=converged)
