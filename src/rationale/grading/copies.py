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

_WORD = re.compile(r"\S+")
_MARKS = str.maketrans({c: None for c in "`*_"} | {"“": '"', "”": '"', "‘": "'", "’": "'"})
_STRIP = "'\".,;:!?()[]«»"


def _words(text: str) -> list[tuple[str, int, int]]:
    """(normalised word, start, end) of every whitespace-separated word; punctuation-only tokens dropped."""
    found = []
    for m in _WORD.finditer(text):
        word = m.group(0).translate(_MARKS).casefold().strip(_STRIP)
        if word:
            found.append((word, m.start(), m.end()))
    return found


def _runs(text: str) -> list[tuple[str, ...]]:
    words = [w for w, _, _ in _words(text)]
    return [tuple(words[i : i + COPY_WORDS]) for i in range(len(words) - COPY_WORDS + 1)]


def copy_index(responses: Mapping[str, str], prompt: str = "") -> tuple[frozenset[str], dict[tuple[str, ...], str]]:
    """(every word of the responses' runs, each run of COPY_WORDS words -> the response it is in), once per item."""
    in_prompt = set(_runs(prompt))
    runs: dict[tuple[str, ...], str] = {}
    for side, text in responses.items():
        for run in _runs(text):
            if run not in in_prompt:
                runs.setdefault(run, side)
    return frozenset(w for run in runs for w in run), runs


def find_copies(masked: str, index: tuple[frozenset[str], dict[tuple[str, ...], str]]) -> list[tuple[int, int, str]]:
    """(start, end, side) of each copied run in a rationale whose quotes are blanked (``RationaleText.masked``)."""
    vocabulary, runs = index
    if not runs:
        return []
    words = _words(masked)
    copies: list[tuple[int, int, str]] = []
    i, n = 0, len(words)
    while i <= n - COPY_WORDS:
        # Only a stretch of COPY_WORDS words all in the responses' vocabulary can be a copy: skip past any other word.
        miss = next((k for k in range(i + COPY_WORDS - 1, i - 1, -1) if words[k][0] not in vocabulary), None)
        if miss is not None:
            i = miss + 1
            continue
        side = runs.get(tuple(w for w, _, _ in words[i : i + COPY_WORDS]))
        if side is None:
            i += 1
            continue
        end = i + COPY_WORDS
        while end < n and runs.get(tuple(w for w, _, _ in words[end - COPY_WORDS + 1 : end + 1])) == side:
            end += 1
        copies.append((words[i][1], words[end - 1][2], side))
        i = end
    return copies
