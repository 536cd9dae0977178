"""Matching by meaning: how much of a key point's content a stretch of the rationale carries.

Static word vectors, not a neural network at grading time: each word has one
256-dimensional vector, so matching is a few small matrix products, offline and
deterministic, about a millisecond for a whole rationale. The vectors are
wordllama's packaged ``l2_supercat`` model (token embeddings distilled from large
language models, MIT licence, 16 MB inside the ``wordllama`` wheel); we read its
two files directly rather than importing wordllama, which would look for its
tokenizer in the wrong folder and then try to download it.

The measure is **alignment recall**: for every content word of the key point, the
closest word of the stretch (cosine of their vectors); the mean of those, each
weighted by its vector's length (rare, specific words have long vectors, so
"recursion" counts for more than "gives"). Numbers match only themselves ("470,000"
is not "1.2 million"). A paraphrase that carries the point in other words scores
0.4-0.8; a sentence on another point of the same pair scores under 0.3.

Meaning alone cannot tell "B raises RecursionError" from "B never raises
RecursionError", nor which response a sentence is about: :mod:`.key_points` checks
polarity and side on top of this.
"""

from __future__ import annotations

import importlib.util
from bisect import bisect_left
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .lexicon import CONTENT_WORD, Tokens, is_content_word

WEIGHT_CAP = 20.0
"""Longest vector length counted: names and rare words matter more, but not without bound."""
NUMBER_WEIGHT = 10.0
QUOTED_WORD = 0.8
"""How much a word inside a quote counts towards a match, against 1 for the trainee's own words."""
CACHE_WORDS = 200_000

_MODEL_FILES = ("weights/l2_supercat_256.safetensors", "tokenizers/l2_supercat_tokenizer_config.json")


def content_words(text: str) -> list[tuple[str, int]]:
    """(word, start offset) of each content word: lower-cased, stop words, negators and A/B dropped."""
    tokens = Tokens(text)
    return list(zip(tokens.content, tokens.content_starts))


def _number(word: str) -> str | None:
    return word.replace(",", "") if word[0].isdigit() else None


class WordVectors:
    """Unit vectors and weights of words, from the packaged static embedding model."""

    def __init__(self, weights: Path, tokenizer: Path):
        from safetensors import safe_open
        from tokenizers import Tokenizer

        with safe_open(str(weights), framework="np") as f:
            self.matrix = np.ascontiguousarray(f.get_tensor("embedding.weight"), dtype=np.float32)
        self.tokenizer = Tokenizer.from_file(str(tokenizer))
        self.dim = self.matrix.shape[1]
        # The words met so far: a row each in `_rows` / `_weights` (grown by doubling), gathered in one indexing.
        self._index: dict[str, int] = {}
        self._rows = np.empty((1024, self.dim), dtype=np.float32)
        self._weights = np.empty(1024, dtype=np.float32)
        self._lock = threading.Lock()

    def lookup(self, words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(len(words) x dim unit vectors, len(words) weights), fresh arrays the caller may change."""
        with self._lock:
            rows = self._rows_of(words)
            return self._rows[rows], self._weights[rows]

    def vectors(self, words: Sequence[str]) -> np.ndarray:
        """The unit vectors alone (a rationale's words need no weights), a fresh array."""
        with self._lock:
            rows = self._rows_of(words)  # first: learning new words may replace the arrays
            return self._rows[rows]

    def _rows_of(self, words: Sequence[str]) -> list[int]:
        index = self._index
        rows = list(map(index.get, words))
        if None in rows:
            self._learn([w for w in dict.fromkeys(words) if w not in index])
            rows = [index[w] for w in words]
        return rows

    def _learn(self, missing: list[str]) -> None:
        if len(self._index) + len(missing) > CACHE_WORDS:
            self._index.clear()
        encoded = self.tokenizer.encode_batch(missing, add_special_tokens=False)
        first = len(self._index)
        needed = first + len(missing)
        if needed > len(self._weights):
            size = max(needed, 2 * len(self._weights))
            rows, weights = np.empty((size, self.dim), dtype=np.float32), np.empty(size, dtype=np.float32)
            rows[:first], weights[:first] = self._rows[:first], self._weights[:first]
            self._rows, self._weights = rows, weights
        for row, (word, enc) in enumerate(zip(missing, encoded), start=first):
            ids = enc.ids or [0]
            mean = self.matrix[ids].mean(axis=0)
            norm = float(np.linalg.norm(mean)) or 1.0
            self._rows[row] = mean / norm
            self._weights[row] = min(norm, WEIGHT_CAP)
            self._index[word] = row


_vectors: WordVectors | None = None
_load_lock = threading.Lock()


class ModelMissing(RuntimeError):
    """The packaged word vectors are not installed."""


def model_files() -> tuple[Path, Path]:
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing("key points are matched with the word vectors of the 'wordllama' package, which is not installed")
    root = Path(next(iter(spec.submodule_search_locations)))
    weights, tokenizer = (root / name for name in _MODEL_FILES)
    if not weights.is_file() or not tokenizer.is_file():
        raise ModelMissing(f"the 'wordllama' package at {root} lacks its model files ({', '.join(_MODEL_FILES)})")
    return weights, tokenizer


def word_vectors() -> WordVectors:
    """The process-wide model, loaded on first use (about 0.2 s)."""
    global _vectors
    if _vectors is None:
        with _load_lock:
            if _vectors is None:
                _vectors = WordVectors(*model_files())
    return _vectors


@dataclass(frozen=True, slots=True)
class Target:
    """A key point's content words, their vectors and weights, compiled once per gold answer."""

    words: tuple[str, ...]
    vectors: np.ndarray  # n x dim
    weights: np.ndarray  # n
    numbers: tuple[tuple[int, str], ...]  # (row, digits) of words that are numbers

    @classmethod
    def compile(cls, text: str, vectors: WordVectors | None = None) -> "Target":
        words = tuple(w for w, _ in content_words(text))
        model = vectors or word_vectors()
        vecs, weights = model.lookup(words) if words else (np.zeros((0, model.dim), np.float32), np.zeros(0, np.float32))
        numbers = tuple((i, n) for i, w in enumerate(words) if (n := _number(w)) is not None)
        for row, _ in numbers:
            weights[row] = NUMBER_WEIGHT
        return cls(words, vecs, weights, numbers)


class Passage:
    """The rationale's content words and their vectors, looked up once and shared by every key point."""

    __slots__ = ("words", "offsets", "vectors", "_numbers", "weighting")

    def __init__(self, tokens: Tokens, vectors: WordVectors | None = None):
        self.words = tokens.content
        self.offsets = tokens.content_starts
        model = vectors or word_vectors()
        self.vectors = model.vectors(self.words) if self.words else np.zeros((0, model.dim), np.float32)
        self._numbers: dict[str, list[int]] | None = None
        # Each word's weight in a match, as two rows: every word (quoted ones count for less: a quote shows what a
        # response says, the trainee's own words make the point), and the trainee's own words only.
        quoted = tokens.content_quoted
        if any(quoted):
            self.weighting = np.array(
                [[QUOTED_WORD if q else 1.0 for q in quoted], [0.0 if q else 1.0 for q in quoted]], np.float32
            )
        else:
            self.weighting = np.ones((2, len(quoted)), np.float32)

    @property
    def numbers(self) -> dict[str, list[int]]:
        """Where each number is (its digits -> word indices); read only when a key point has a number."""
        if self._numbers is None:
            self._numbers = {}
            for i, word in enumerate(self.words):
                if word[0].isdigit():
                    self._numbers.setdefault(word.replace(",", ""), []).append(i)
        return self._numbers

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The word-index range [a, b) of the words that start inside [start, end) of the text."""
        return bisect_left(self.offsets, start), bisect_left(self.offsets, end)


class Stack(NamedTuple):
    """All key points' rows in one matrix, with what the recall of each needs, computed once per gold answer."""

    vectors: np.ndarray  # every key-point word's vector, point after point
    weights: np.ndarray
    rows: list[int]  # first row of each point
    totals: np.ndarray  # each point's weight total
    numbers: list[tuple[int, str]]  # (row, digits) of the words that are numbers
    kept: list[int]  # the points with at least one word
    cuts: list[int]  # first row of each kept point, in the matrix of all words then of own words (2 x rows)
    row_weights: np.ndarray  # weights twice over, as a column
    kept_totals: np.ndarray  # the kept points' totals twice over, as a column


def stack(targets: Sequence[Target]) -> Stack:
    """All key points' rows in one matrix (see :class:`Stack`)."""
    rows: list[int] = []
    numbers: list[tuple[int, str]] = []
    offset = 0
    for target in targets:
        rows.append(offset)
        numbers.extend((offset + r, d) for r, d in target.numbers)
        offset += len(target.words)
    dim = targets[0].vectors.shape[1] if targets else 0
    vectors = np.concatenate([t.vectors for t in targets]) if offset else np.zeros((0, dim), np.float32)
    weights = np.concatenate([t.weights for t in targets]) if offset else np.zeros(0, np.float32)
    totals = np.array([float(t.weights.sum()) or 1.0 for t in targets], dtype=np.float32)
    kept = [i for i, r in enumerate(rows) if (rows[i + 1] if i + 1 < len(rows) else offset) > r]
    first_rows = [rows[i] for i in kept]
    return Stack(
        vectors, weights, rows, totals, numbers, kept,
        first_rows + [offset + r for r in first_rows],
        np.concatenate([weights, weights])[:, None],
        np.concatenate([totals[kept], totals[kept]])[:, None],
    )


def _similarities(targets: Sequence[Target], passage: Passage, stacked: Stack | None = None):
    """(every key-point word x every rationale word, counting quoted words at QUOTED_WORD; the same with quoted
    words at 0), with the stack it was made from; None when there is nothing to compare."""
    if not passage.words or not targets:
        return None
    stacked = stacked or stack(targets)
    if not len(stacked.weights):
        return None
    sims = stacked.vectors @ passage.vectors.T
    for row, digits in stacked.numbers:  # numbers match only themselves
        sims[row] = 0.0
        sims[row, passage.numbers.get(digits, [])] = 1.0
    # Both weightings in one product: rows [all words; own words], as two stacked copies of `sims`.
    return (sims * passage.weighting[:, None, :]).reshape(2 * sims.shape[0], sims.shape[1]), stacked


def _recall_from_maxima(best: np.ndarray, stacked: Stack, n_targets: int) -> tuple[np.ndarray, np.ndarray]:
    """Weighted recall per key point from the best similarity of each of its words (all words, own words).

    One ``reduceat`` over the rows of both halves: each column and each point is summed row by row, as it
    would be alone, so the figures are the same as two separate reductions."""
    kept = stacked.kept
    shape = (n_targets, best.shape[1])
    if not kept or not best.shape[1]:
        return np.zeros(shape, np.float32), np.zeros(shape, np.float32)
    recall = np.add.reduceat(best * stacked.row_weights, stacked.cuts, axis=0) / stacked.kept_totals
    half = len(kept)
    if half == n_targets:
        return recall[:half], recall[half:]
    all_words, own_words = np.zeros(shape, np.float32), np.zeros(shape, np.float32)
    all_words[kept] = recall[:half]
    own_words[kept] = recall[half:]
    return all_words, own_words


def _disjoint_maxima(both: np.ndarray, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """Column maxima over each of the non-overlapping word ranges (empty ranges give 0), in one reduceat."""
    m = both.shape[1]
    # Every range's start and end (those inside the text) cut the words into segments; each range is one.
    cuts: list[int] = []
    columns: list[int] = []  # each range's segment, -1 for an empty one
    last = 0
    for a, b in spans:
        if a < last:  # out of order or overlapping: sort the cuts instead
            return _disjoint_maxima_sorted(both, spans)
        if b > a:
            if not cuts or cuts[-1] != a:
                cuts.append(a)
            columns.append(len(cuts) - 1)
            if b < m:
                cuts.append(b)
            last = b
        else:
            columns.append(-1)
    if not cuts:
        return np.zeros((both.shape[0], len(spans)), dtype=np.float32)
    segments = np.maximum.reduceat(both, cuts, axis=1)
    if -1 not in columns:
        return segments[:, columns]
    best = np.zeros((both.shape[0], len(spans)), dtype=np.float32)
    filled = [(column, segment) for column, segment in enumerate(columns) if segment >= 0]
    best[:, [c for c, _ in filled]] = segments[:, [s for _, s in filled]]
    return best


def _disjoint_maxima_sorted(both: np.ndarray, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    m = both.shape[1]
    cuts = sorted({a for a, b in spans if b > a} | {b for a, b in spans if a < b < m})
    best = np.zeros((both.shape[0], len(spans)), dtype=np.float32)
    if not cuts:
        return best
    segments = np.maximum.reduceat(both, cuts, axis=1)
    position = {c: i for i, c in enumerate(cuts)}
    filled = [(column, position[a]) for column, (a, b) in enumerate(spans) if b > a]
    if filled:
        columns, segs = zip(*filled)
        best[:, list(columns)] = segments[:, list(segs)]
    return best


def stretch_recall(
    targets: Sequence[Target],
    passage: Passage,
    clauses: Sequence[tuple[int, int]],
    sentences: Sequence[tuple[int, int]],
    stacked: Stack | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Recall of each key point (rows) in every clause, then every sentence, then every window of two
    sentences (columns), counting all words and counting the trainee's own.

    Clauses and sentences are each non-overlapping runs of words, so their maxima come from one
    ``reduceat`` each; a window's maxima are the larger of its two sentences'.
    """
    found = _similarities(targets, passage, stacked)
    if found is None:
        shape = (len(targets), len(clauses) + len(sentences) + max(0, len(sentences) - 1))
        return np.zeros(shape, np.float32), np.zeros(shape, np.float32)
    both, stacked = found
    clause_best = _disjoint_maxima(both, clauses)
    sentence_best = _disjoint_maxima(both, sentences)
    window_best = np.maximum(sentence_best[:, :-1], sentence_best[:, 1:]) if len(sentences) > 1 else sentence_best[:, :0]
    # One pass over the three side by side (every column is computed on its own, so the figures are the same).
    return _recall_from_maxima(np.concatenate([clause_best, sentence_best, window_best], axis=1), stacked, len(targets))


def recall(
    targets: Sequence[Target], passage: Passage, spans: Sequence[tuple[int, int]], stacked=None
) -> tuple[np.ndarray, np.ndarray]:
    """Alignment recall of each key point in each (possibly overlapping) stretch of words: ``len(targets) x
    len(spans)``, counting every word (quoted ones at :data:`QUOTED_WORD`), and counting only the trainee's own."""
    found = _similarities(targets, passage, stacked)
    if found is None or not spans:
        shape = (len(targets), len(spans))
        return np.zeros(shape, np.float32), np.zeros(shape, np.float32)
    both, stacked = found
    best = np.zeros((both.shape[0], len(spans)), dtype=np.float32)
    for column, (a, b) in enumerate(spans):
        if b > a:
            best[:, column] = both[:, a:b].max(axis=1)
    return _recall_from_maxima(best, stacked, len(targets))
