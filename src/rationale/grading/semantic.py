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
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .lexicon import CONTENT_WORD, NEGATORS, STOP_WORDS

WEIGHT_CAP = 20.0
"""Longest vector length counted: names and rare words matter more, but not without bound."""
NUMBER_WEIGHT = 10.0
QUOTED_WORD = 0.8
"""How much a word inside a quote counts towards a match, against 1 for the trainee's own words."""
CACHE_WORDS = 200_000

_MODEL_FILES = ("weights/l2_supercat_256.safetensors", "tokenizers/l2_supercat_tokenizer_config.json")


def content_words(text: str) -> list[tuple[str, int]]:
    """(word, start offset) of each content word: lower-cased, stop words, negators and A/B dropped."""
    candidates = [(m.group(0).lower().strip("'-’"), m.start()) for m in CONTENT_WORD.finditer(text)]
    return [(w, o) for w, o in candidates if w and w not in STOP_WORDS and w not in NEGATORS and (len(w) > 1 or w.isdigit()) and w not in ("a", "b")]


def is_content_word(word: str) -> bool:
    """A lower-cased, stripped word that carries content of its own."""
    word = word.strip("'-’")
    if not word or word in STOP_WORDS or word in NEGATORS or word in ("a", "b"):
        return False
    return len(word) > 1 or word.isdigit()


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
        self._cache: dict[str, tuple[np.ndarray, float]] = {}
        self._lock = threading.Lock()

    def lookup(self, words: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(len(words) x dim unit vectors, len(words) weights)."""
        cache = self._cache
        missing = [w for w in dict.fromkeys(words) if w not in cache]
        if missing:
            encoded = self.tokenizer.encode_batch(missing, add_special_tokens=False)
            with self._lock:
                if len(cache) + len(missing) > CACHE_WORDS:
                    cache.clear()
                for word, enc in zip(missing, encoded):
                    ids = enc.ids or [0]
                    mean = self.matrix[ids].mean(axis=0)
                    norm = float(np.linalg.norm(mean)) or 1.0
                    cache[word] = (mean / norm, min(norm, WEIGHT_CAP))
        vectors = np.empty((len(words), self.dim), dtype=np.float32)
        weights = np.empty(len(words), dtype=np.float32)
        for i, word in enumerate(words):
            vectors[i], weights[i] = cache[word]
        return vectors, weights


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

    __slots__ = ("words", "offsets", "vectors", "numbers", "emphasis")

    def __init__(self, text: str, quoted: Sequence[tuple[int, int]] = (), vectors: WordVectors | None = None):
        found = content_words(text)
        self.words = [w for w, _ in found]
        self.offsets = [o for _, o in found]
        model = vectors or word_vectors()
        self.vectors = model.lookup(self.words)[0] if self.words else np.zeros((0, model.dim), np.float32)
        self.numbers = [_number(w) for w in self.words]
        # Quoted words count for less: a quote shows what a response says, the trainee's own words make the point.
        self.emphasis = np.array(
            [QUOTED_WORD if any(a <= o < b for a, b in quoted) else 1.0 for o in self.offsets], dtype=np.float32
        )

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The word-index range [a, b) of the words that start inside [start, end) of the text."""
        from bisect import bisect_left

        return bisect_left(self.offsets, start), bisect_left(self.offsets, end)


def stack(targets: Sequence[Target]) -> tuple[np.ndarray, np.ndarray, list[int], np.ndarray, list[tuple[int, str]]]:
    """All key points' rows in one matrix: (vectors, weights, first row of each, weight totals, number rows)."""
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
    return vectors, weights, rows, totals, numbers


def recall(
    targets: Sequence[Target], passage: Passage, spans: Sequence[tuple[int, int]], stacked=None, own_only: bool = False
) -> np.ndarray:
    """len(targets) x len(spans) alignment recall of each key point in each stretch of words
    (``own_only``: counting only the words outside quotes)."""
    result = np.zeros((len(targets), len(spans)), dtype=np.float32)
    if not passage.words or not targets or not spans:
        return result
    vectors, weights, rows, totals, numbers = stacked or stack(targets)
    if not len(weights):
        return result
    sims = vectors @ passage.vectors.T  # all key-point words x rationale words
    for row, digits in numbers:
        sims[row] = [1.0 if n == digits else 0.0 for n in passage.numbers]
    sims *= passage.emphasis if not own_only else (passage.emphasis == 1.0)
    best = np.zeros((len(weights), len(spans)), dtype=np.float32)
    for column, (a, b) in enumerate(spans):
        if b > a:
            best[:, column] = sims[:, a:b].max(axis=1)
    nonempty = [i for i, r in enumerate(rows) if i + 1 == len(rows) and r < len(weights) or i + 1 < len(rows) and rows[i + 1] > r]
    if not nonempty:
        return result
    sums = np.add.reduceat(best * weights[:, None], [rows[i] for i in nonempty], axis=0)
    result[nonempty] = sums / totals[nonempty, None]
    return result
