"""Krippendorff's alpha (nominal and ordinal), from the coincidence matrix built with `numpy.bincount`."""

from __future__ import annotations

import numpy as np

from ..models import Estimate
from .intervals import _with_interval
from .kappa import disagreement_weights
from .ratings import BOOTSTRAP_SAMPLES, DEFAULT_SEED, MIN_OVERLAP, NOT_ENOUGH_OVERLAP, NO_VARIATION, Level, Ratings, _missing


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
        return _missing(NO_VARIATION, int(counts.shape[0]))
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
