"""Votes as parallel arrays, and what every coefficient shares: the minimum overlap, the seed, `Estimate`.

Votes are held as three parallel integer arrays (item, rater, code) so that a
sparse batch (a few votes per item among many raters) costs memory in
proportion to the votes, not to items x raters. Codes index an ordered tuple
of categories; for ordinal data the order is the scale order.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Literal

import numpy as np

from ..models import Estimate

MIN_OVERLAP = 10
"""Fewer shared items than this and a coefficient is 'not enough overlap' rather than a number."""
BOOTSTRAP_SAMPLES = 1000
DEFAULT_SEED = 20240521
NOT_ENOUGH_OVERLAP = "not enough overlap"

Weights = Literal["linear", "quadratic"] | None
Level = Literal["nominal", "ordinal"]


def _missing(reason: str, n: int = 0) -> Estimate:
    return Estimate(value=None, n=n, reason=reason)


def _finite(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


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
