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
from typing import NamedTuple

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


PROBE_WORDS = 8
PROBE_STEP = 4
"""A copy is looked for by probing windows of PROBE_WORDS words every PROBE_STEP words: any run of at least
PROBE_WORDS + PROBE_STEP - 1 words (<= COPY_WORDS) holds one whole, so every copy is found with a quarter of
the look-ups a window at every word would take; a hit is then grown word by word to the whole run."""


class CopyIndex(NamedTuple):
    """What a rationale is compared with, built once per item: strings only (no work for the garbage collector)."""

    vocabulary: frozenset[str]  # every word of the responses
    probes: frozenset[str]  # each run of PROBE_WORDS words in a response
    texts: dict[str, str]  # each response's words, " "-joined with a space at both ends
    prompt: str  # the prompt's words, the same way


def _joined(words: list[str]) -> str:
    return " " + " ".join(words) + " "


def copy_index(responses: Mapping[str, str], prompt: str = "") -> CopyIndex:
    probes: set[str] = set()
    vocabulary: set[str] = set()
    texts = {}
    for side, text in responses.items():
        words = _words(text)
        vocabulary.update(words)
        texts[side] = _joined(words)
        for i in range(len(words) - PROBE_WORDS + 1):
            probes.add(" ".join(words[i : i + PROBE_WORDS]))
    return CopyIndex(frozenset(vocabulary), frozenset(probes), texts, _joined(_words(prompt)))


def find_copies(masked: str, index: CopyIndex) -> list[tuple[int, int, str]]:
    """(start, end, side) of each copied run in a rationale whose quotes are blanked (``RationaleText.masked``)."""
    if not index.probes:
        return []
    words = _words(masked)
    known = bytes(map(index.vocabulary.__contains__, words))  # 1 where the word is in a response
    found: list[tuple[int, int, str]] = []  # (first word, last word + 1, side)
    # Only a stretch of at least COPY_WORDS words all in the responses can hold a copy.
    for stretch in _KNOWN_STRETCH.finditer(known):
        found.extend(_copied(words, stretch.start(), stretch.end(), index))
    if not found:
        return []
    spans = _offsets(masked)
    return [(spans[a][0], spans[b - 1][1], side) for a, b, side in found]


def _copied(words: list[str], start: int, end: int, index: CopyIndex) -> list[tuple[int, int, str]]:
    """The copied runs of words[start:end], as (first, last + 1, side)."""
    copies: list[tuple[int, int, str]] = []
    i = start
    while i <= end - PROBE_WORDS:
        if " ".join(words[i : i + PROBE_WORDS]) not in index.probes:
            i += PROBE_STEP
            continue
        best: tuple[int, int, str] | None = None
        for side, text in index.texts.items():  # the window may be in both responses: the longer copy counts
            if _joined(words[i : i + PROBE_WORDS]) not in text:
                continue
            a, b = i, i + PROBE_WORDS
            while a > start and _joined(words[a - 1 : b]) in text:
                a -= 1
            while b < end and _joined(words[a : b + 1]) in text:
                b += 1
            # The run's windows of COPY_WORDS words that are not the prompt's own words make the copy.
            kept = [j for j in range(a, b - COPY_WORDS + 1) if _joined(words[j : j + COPY_WORDS]) not in index.prompt]
            if kept and (best is None or kept[-1] + COPY_WORDS - kept[0] > best[1] - best[0]):
                best = (kept[0], kept[-1] + COPY_WORDS, side)
        if best is not None:
            copies.append(best)
            i = best[1]
        else:
            i += 1
    return copies
