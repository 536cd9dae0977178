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

from ..models import Finding, Severity
from .context import CheckContext, finding
from .lint import lint_check
from .text import shorten

_WORD = re.compile(r"[\w'’]+")
_RESPONSES = frozenset(["A", "B", "A's", "B's", "A’s", "B’s"])

NEAR_WORDS = 8
"""Sentences this long or longer are near-identical when one word added, dropped or changed is all that differs."""


def repeated_sentence(sentences: list[str]) -> tuple[int, int] | None:
    """(index of the first sentence said again, how many times it is said in all), or None."""
    seen: list[list[str]] = []
    counts: dict[int, int] = {}
    for text in sentences:
        ws = [w if w in _RESPONSES else w.lower() for w in _WORD.findall(text)]
        for index, earlier in enumerate(seen):
            if ws == earlier or (min(len(ws), len(earlier)) >= NEAR_WORDS and _one_word_apart(ws, earlier)):
                counts[index] = counts.get(index, 1) + 1
                break
        else:
            seen.append(ws)
    if not counts:
        return None
    first = min(counts)
    return first, counts[first]


def _one_word_apart(x: list[str], y: list[str]) -> bool:
    """One word changed, added or dropped, and not a response's name ("A crashes ..." and "B crashes ..." are two
    claims)."""
    if len(x) == len(y):
        differ = [(a, b) for a, b in zip(x, y) if a != b]
        return len(differ) == 1 and not set(differ[0]) & _RESPONSES
    if abs(len(x) - len(y)) != 1:
        return False
    short, long = (x, y) if len(x) < len(y) else (y, x)
    i = next((i for i, (a, b) in enumerate(zip(short, long)) if a != b), len(short))
    return short[i:] == long[i + 1 :] and long[i] not in _RESPONSES


@lint_check
def check_repeated_sentence(ctx: CheckContext) -> list[Finding]:
    """The same sentence (or one word apart) said twice or more: minor, once."""
    if ctx.rationale is None:
        return []
    units = ctx.units
    if len(units.sentences) < 2:
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
