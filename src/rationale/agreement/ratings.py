"""Votes as parallel arrays, and what every coefficient shares: the minimum overlap, the seed, `Estimate`.

Votes are held as three parallel integer arrays (item, rater, code) so that a
sparse batch (a few votes per item among many raters) costs memory in
proportion to the votes, not to items x raters. Codes index an ordered tuple
of categories; for ordinal data the order is the scale order.

Items and raters are numbered in sorted order of their keys, not in the order
the votes arrived, so a bootstrap (which resamples item indices) draws the
same resamples however the input lines were shuffled; `content_seed` also
ties the random stream to the votes themselves.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Literal

import hashlib

import numpy as np

from ..models import Estimate

MIN_OVERLAP = 10
"""Fewer shared items than this and a coefficient is 'not enough overlap' rather than a number."""
BOOTSTRAP_SAMPLES = 1000
DEFAULT_SEED = 20240521
NOT_ENOUGH_OVERLAP = "not enough overlap"
NO_VARIATION = "no variation: every vote is the same"

Weights = Literal["linear", "quadratic"] | None
Level = Literal["nominal", "ordinal"]


def _missing(reason: str, n: int = 0) -> Estimate:
    return Estimate(value=None, n=n, reason=reason)


def _finite(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def _sorted_keys(keys: set[Hashable]) -> list[Hashable]:
    """Keys in a canonical order: their natural order when they compare, else by type and text."""
    try:
        return sorted(keys)  # type: ignore[type-var]
    except TypeError:
        return sorted(keys, key=lambda k: (type(k).__name__, str(k)))


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
        """From (item, rater, label) triples; a rater's later vote on an item replaces the earlier one.

        Items and raters are numbered in the sorted order of their keys (see the module note).
        """
        code_of = {c: i for i, c in enumerate(categories)}
        latest: dict[tuple[Hashable, Hashable], int] = {}
        for item, rater, label in votes:
            if label not in code_of:
                raise ValueError(f"label {label!r} is not one of {list(categories)}")
            latest[(item, rater)] = code_of[label]
        item_keys = _sorted_keys({item for item, _ in latest})
        rater_keys = _sorted_keys({rater for _, rater in latest})
        item_index = {key: i for i, key in enumerate(item_keys)}
        rater_index = {key: r for r, key in enumerate(rater_keys)}
        triples = sorted((item_index[item], rater_index[rater], code) for (item, rater), code in latest.items())
        array = np.array(triples, dtype=np.int64).reshape(-1, 3)
        return cls(
            items=array[:, 0].copy(),
            raters=array[:, 1].copy(),
            codes=array[:, 2].copy(),
            n_items=len(item_keys),
            n_raters=len(rater_keys),
            categories=tuple(categories),
            item_keys=item_keys,
            rater_keys=rater_keys,
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

    def categories_in_use(self) -> list[Hashable]:
        """The categories somebody voted for, in scale order (chance terms count only these)."""
        used = np.bincount(self.codes, minlength=self.n_categories) > 0
        return [c for c, u in zip(self.categories, used) if u]

    def content_seed(self, seed: int) -> int:
        """`seed` mixed with a digest of the votes: the same votes always get the same random stream."""
        digest = hashlib.sha256(str(seed).encode())
        for array in (self.items, self.raters, self.codes):
            digest.update(np.ascontiguousarray(array, dtype=np.int64).tobytes())
        digest.update(repr((self.item_keys, self.rater_keys, self.categories)).encode("utf-8"))
        return int.from_bytes(digest.digest()[:8], "little")

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
