"""One sentence said again earns nothing more: a minor finding names the repetition.

A point is credited once however often it is made (:mod:`.matching` takes each key point's best
stretch), so repeating a sentence cannot raise the key points' credit; but a rationale padded with the
same sentence four times is one a lead names as such. A sentence is a repeat of an earlier one when
its words (quotes included, case and punctuation aside) are the same, or, for a sentence of
:data:`NEAR_WORDS` words or more, differ by at most one word ("A is better because ..." and "A is much
better because ..."). The finding is minor (it costs the argument component its minor penalty), once
per rationale, quoting the first sentence repeated.
"""

from __future__ import annotations

import re
from operator import ne

from ..models import Finding, Severity
from .context import CheckContext, finding
from .lint import lint_check
from .text import shorten

_WORD = re.compile(r"[\w'’]+")
_RESPONSES = frozenset(["A", "B", "A's", "B's", "A’s", "B’s"])

_ENDS = 10
_EDGE = " .!?;:\"'"
NEAR_WORDS = 8
"""Sentences this long or longer are near-identical when one word added, dropped or changed is all that differs."""


def repeated_sentence(sentences: list[str]) -> tuple[int, int] | None:
    """(index of the first sentence said again, how many times it is said in all), or None."""
    # One word changed, added or dropped leaves the start or the end of a sentence as it was: most rationales have
    # no two sentences that share either, and their words are never read.
    bare = [text.lower().strip(_EDGE) for text in sentences]
    heads, tails = [b[:_ENDS] for b in bare], [b[-_ENDS:] for b in bare]
    if len(set(heads)) == len(heads) and len(set(tails)) == len(tails):
        return None
    close = [(i, j) for j in range(1, len(bare)) for i in range(j) if heads[i] == heads[j] or tails[i] == tails[j]]
    read: dict[int, list[str]] = {}

    def words_of(k: int) -> list[str]:
        if k not in read:
            read[k] = [w if w in _RESPONSES else w.lower() for w in _WORD.findall(sentences[k])]
        return read[k]

    repeats: dict[int, int] = {}  # a later sentence -> the first sentence it repeats
    for i, j in close:
        if j in repeats or i in repeats:
            continue
        x, y = words_of(i), words_of(j)
        if x == y or (min(len(x), len(y)) >= NEAR_WORDS and _one_word_apart(x, y)):
            repeats[j] = i
    if not repeats:
        return None
    first = min(repeats.values())
    return first, 1 + sum(1 for i in repeats.values() if i == first)


def _one_word_apart(x: list[str], y: list[str], any_word: bool = False) -> bool:
    """One word changed, added or dropped, and not a response's name ("A crashes ..." and "B crashes ..." are two
    claims)."""
    if len(x) == len(y):
        differ = [(a, b) for a, b in zip(x, y) if a != b]
        return len(differ) == 1 and (any_word or not set(differ[0]) & _RESPONSES)
    if abs(len(x) - len(y)) != 1:
        return False
    short, long = (x, y) if len(x) < len(y) else (y, x)
    i = next((i for i, (a, b) in enumerate(zip(short, long)) if a != b), len(short))
    return short[i:] == long[i + 1 :] and (any_word or long[i] not in _RESPONSES)


def _may_repeat(content: list[str], spans: list[tuple[int, int]]) -> bool:
    """Two sentences whose content words (the passage's, already read) are the same or one apart: a repeat needs
    this, and most rationales have no such pair, so their words are never read again."""
    lists = [content[a:b] for a, b in spans]
    lengths = [len(x) for x in lists]
    for j in range(1, len(lists)):
        n = lengths[j]
        for i in range(j):
            m = lengths[i]
            if m == n:
                if sum(map(ne, lists[i], lists[j])) <= 1:
                    return True
            elif m - n in (1, -1) and _one_word_apart(lists[i], lists[j], True):
                return True
    return False


@lint_check
def check_repeated_sentence(ctx: CheckContext) -> list[Finding]:
    """The same sentence (or one word apart) said twice or more: minor, once."""
    if ctx.rationale is None:
        return []
    units = ctx.units
    if len(units.sentences) < 2 or not _may_repeat(units.passage.words, [s.words for s in units.sentences]):
        return []
    texts = [units.text(s) for s in units.sentences]
    found = repeated_sentence(texts)
    if found is None:
        return []
    index, times = found
    sentence = texts[index]
    again = "twice" if times == 2 else f"{times} times"
    return [
        finding(
            "repeated_sentence",
            Severity.minor,
            f'You write "{shorten(sentence)}" {again}: a point said again counts once; use the space to make another'
            " point, or cut it.",
            span=sentence,
        )
    ]
