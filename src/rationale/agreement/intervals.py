"""Intervals: the seeded bootstrap over items every coefficient uses, and Wilson's interval for a proportion."""

from __future__ import annotations

import math

import numpy as np

from ..models import Estimate


def _interval(samples: np.ndarray) -> tuple[float | None, float | None]:
    samples = samples[np.isfinite(samples)]
    # Resamples where the statistic is undefined (e.g. no variation) are dropped;
    # if most are undefined the interval would mislead, so give none.
    if samples.size < 20:
        return None, None
    low, high = np.percentile(samples, [2.5, 97.5])
    return float(low), float(high)


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
    return Estimate(value=value, low=low, high=high, n=n, note=degenerate_note(value, low, high, n))


RULE_OF_THREE_TARGET = 0.05
"""The disagreement rate a degenerate interval's note says how many items it would take to rule out."""


def degenerate_note(value: float | None, low: float | None, high: float | None, n: int) -> str | None:
    """Why an interval of zero width says nothing, and how many items would say something; None otherwise.

    Resampling items cannot vary a statistic the items never vary on: at perfect
    agreement every resample agrees perfectly and the interval is [1, 1]. The
    rule of three (Hanley & Lippman-Hand 1983) gives what zero disagreements in
    n items do support: a 95% upper bound of about 3/n on the disagreement rate.
    """
    if value is None or low is None or high is None or high - low > 1e-12:
        return None
    if not math.isclose(value, 1.0, abs_tol=1e-12):
        return f"degenerate interval: every resample of the {n} items gives {value:.2f}, so it shows no uncertainty"
    needed = math.ceil(3 / RULE_OF_THREE_TARGET)
    bound = f"the disagreement rate could still be up to {3 / n:.0%}" if n >= 3 else "it bounds nothing"
    more = (
        f"; {needed} items without a disagreement would bound it under {RULE_OF_THREE_TARGET:.0%}"
        if n < needed else f"; with {n} items that bound is under {RULE_OF_THREE_TARGET:.0%}"
    )
    return (
        f"degenerate interval: no disagreement in {n} items, so every resample agrees perfectly;"
        f" by the rule of three {bound} (95%){more}"
    )


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
