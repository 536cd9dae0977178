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
    return Estimate(value=value, low=low, high=high, n=n)


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
