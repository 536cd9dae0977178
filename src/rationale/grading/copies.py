"""Text copied from the responses without quote marks: the responses' words, not the trainee's.

A trainee who pastes a response's sentences into a rationale, unquoted, has not said
what they show; read as the trainee's own words, they would make the points the
response itself makes. A run of at least :data:`COPY_WORDS` words that stands word for
word (case, punctuation and markdown aside) in Response A or B but not in the prompt
(echoing the task's wording is not copying a response), outside the rationale's
quotes, is *copied*: key points are matched in it as in a quote (it counts as quoted
text, see :mod:`.units`), and the ``unquoted_copy`` finding asks for quote marks. No
rationale of the lead-scored sets, the shipped examples or the gaming probes' honest
ones echoes more than eight words of a response in a row; pasted text runs far longer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

COPY_WORDS = 12
"""Words in a row, word for word from one response (and not in the prompt), that make a copy."""

_SPACED = "`*_\"'“”‘’.,;:!?()[]«»"
"""Read as spaces: markdown marks, quote marks and punctuation ("(68-71)," reads "68-71"; "don't", "don t")."""
_TOKEN = re.compile(r"\S+")
_KNOWN_STRETCH = re.compile(b"\x01{%d,}" % COPY_WORDS)


def _normal(text: str) -> str:
    """The text lower-cased with :data:`_SPACED` characters as spaces: one character for one, so offsets hold."""
    for mark in _SPACED:  # most are absent: a membership scan each beats str.translate
        if mark in text:
            text = text.replace(mark, " ")
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text  # a rare letter lower() lengthens: keep the case


def _words(text: str) -> list[str]:
    return _normal(text).split()


def _offsets(text: str) -> list[tuple[int, int]]:
    """(start, end) of each word :func:`_words` gives, in the same order."""
    return [m.span() for m in _TOKEN.finditer(_normal(text))]


def _runs(text: str) -> list[str]:
    """Every run of COPY_WORDS words, joined by spaces (strings: no work for the garbage collector, unlike tuples)."""
    words = _words(text)
    return [" ".join(words[i : i + COPY_WORDS]) for i in range(len(words) - COPY_WORDS + 1)]


def copy_index(responses: Mapping[str, str], prompt: str = "") -> tuple[frozenset[str], dict[str, str]]:
    """(every word of the responses' runs, each run of COPY_WORDS words -> the response it is in), once per item."""
    in_prompt = set(_runs(prompt))
    runs: dict[str, str] = {}
    for side, text in responses.items():
        for run in _runs(text):
            if run not in in_prompt:
                runs.setdefault(run, side)
    return frozenset(w for run in runs for w in run.split()), runs


def find_copies(masked: str, index: tuple[frozenset[str], dict[str, str]]) -> list[tuple[int, int, str]]:
    """(start, end, side) of each copied run in a rationale whose quotes are blanked (``RationaleText.masked``)."""
    vocabulary, runs = index
    if not runs:
        return []
    words = _words(masked)
    known = bytes(map(vocabulary.__contains__, words))  # 1 where the word is in the runs' vocabulary
    found: list[tuple[int, int, str]] = []  # (first word, last word + 1, side)
    # Only a stretch of at least COPY_WORDS words all in the runs' vocabulary can hold a copy.
    for stretch in _KNOWN_STRETCH.finditer(known):
        found.extend(_copied(words, stretch.start(), stretch.end(), runs))
    if not found:
        return []
    spans = _offsets(masked)
    return [(spans[a][0], spans[b - 1][1], side) for a, b, side in found]


def _copied(words: list[str], start: int, end: int, runs: dict[str, str]) -> list[tuple[int, int, str]]:
    """The copied runs of words[start:end], as (first, last + 1, side): consecutive windows of one response merged."""
    copies: list[tuple[int, int, str]] = []
    for i in range(start, end - COPY_WORDS + 1):
        side = runs.get(" ".join(words[i : i + COPY_WORDS]))
        if side is None:
            continue
        if copies and copies[-1][2] == side and copies[-1][1] >= i + COPY_WORDS - 1:
            copies[-1] = (copies[-1][0], i + COPY_WORDS, side)
        else:
            copies.append((i, i + COPY_WORDS, side))
    return copies
