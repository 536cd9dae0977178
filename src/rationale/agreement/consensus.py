"""Consensus without gold: majority vote and Dawid & Skene's EM."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .ratings import Ratings


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
