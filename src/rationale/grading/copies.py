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


PROBE_WORDS = 6
PROBE_STEP = 6
"""A copy is looked for by probing windows of PROBE_WORDS words every PROBE_STEP words: any run of at least
PROBE_WORDS + PROBE_STEP - 1 words (<= COPY_WORDS) holds one whole, so every copy is found with a sixth of
the look-ups a window at every word would take; a hit is then grown word by word, against the response's
own words, to the whole run."""


class CopyIndex(NamedTuple):
    """What a rationale is compared with, built once per item (strings and ints: no work for the garbage collector)."""

    vocabulary: frozenset[str]  # every word of the responses
    probes: dict[str, dict[str, int]]  # side -> each run of PROBE_WORDS words of that response -> where it first starts
    words: dict[str, list[str]]  # side -> the response's words
    prompt: frozenset[str]  # every run of COPY_WORDS words of the prompt


def copy_index(responses: Mapping[str, str], prompt: str = "") -> CopyIndex:
    probes: dict[str, dict[str, int]] = {}
    words_of: dict[str, list[str]] = {}
    for side, text in responses.items():
        words = words_of[side] = _words(text)
        first: dict[str, int] = {}
        for i in range(len(words) - PROBE_WORDS + 1):
            first.setdefault(" ".join(words[i : i + PROBE_WORDS]), i)
        probes[side] = first
    prompt_words = _words(prompt)
    in_prompt = frozenset(" ".join(prompt_words[i : i + COPY_WORDS]) for i in range(len(prompt_words) - COPY_WORDS + 1))
    vocabulary = frozenset(w for words in words_of.values() for w in words)
    return CopyIndex(vocabulary, probes, words_of, in_prompt)


def find_copies(masked: str, index: CopyIndex) -> list[tuple[int, int, str]]:
    """(start, end, side) of each copied run in a rationale whose quotes are blanked (``RationaleText.masked``)."""
    if not index.vocabulary:
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
        probe = " ".join(words[i : i + PROBE_WORDS])
        best: tuple[int, int, str] | None = None
        for side, first in index.probes.items():  # the window may be in both responses: the longer copy counts
            at = first.get(probe)
            if at is None:
                continue
            response = index.words[side]
            a, b, k = i, i + PROBE_WORDS, at + PROBE_WORDS
            while a > start and at > 0 and words[a - 1] == response[at - 1]:
                a, at = a - 1, at - 1
            while b < end and k < len(response) and words[b] == response[k]:
                b, k = b + 1, k + 1
            # The run's windows of COPY_WORDS words that are not the prompt's own words make the copy.
            kept = [j for j in range(a, b - COPY_WORDS + 1) if not index.prompt or " ".join(words[j : j + COPY_WORDS]) not in index.prompt]
            if kept and (best is None or kept[-1] + COPY_WORDS - kept[0] > best[1] - best[0]):
                best = (kept[0], kept[-1] + COPY_WORDS, side)
        if best is not None:
            copies.append(best)
            i = best[1]
        else:
            i += PROBE_STEP
    return copies
