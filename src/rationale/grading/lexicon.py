"""The small English word lists the argument checks read, in one place.

They are deliberately short: each word is one a lead would read the same way in
almost any rationale. A word that only sometimes carries the meaning (``real``,
``fine``, ``harmful``: the last usually describes the request, not the response)
is left out, because a check that fires on it would give wrong feedback.
"""

from __future__ import annotations

import re

NEGATORS = frozenset(
    "not no none nothing never without neither nor cannot can't don't doesn't didn't isn't aren't wasn't weren't"
    " won't wouldn't shouldn't hasn't haven't hadn't".split()
)
"""Words that turn the next word or two around ("not correct", "never handles")."""

HEDGES = frozenset("could might may possibly perhaps potentially probably arguably maybe".split())
"""A claim with one of these is a guess, not a finding: it earns part of the credit."""

FUNCTION_WORDS = frozenset(
    "the a an is are was were be been of to in on for with as at by from and or that this it its it's so because"
    " which who not no than but if into does do did has have had will would can could should there their they he"
    " she we you i".split()
)
"""Words every written sentence has and a list of keywords lacks."""

STOP_WORDS = frozenset(
    "a an the is are was were be been being of to in on for with as at by from and or but if then so that this these"
    " those it its it's i you he she they we which what who whom whose there their his her our your do does did has"
    " have had than too very just also only can could would should will may might must into over under about after"
    " before up down out off again further once here when where why how all any both each few more most other some"
    " such own same s t now response responses answer answers".split()
)
"""Words that carry no content of their own: left out when key points are matched by meaning."""

CORRECT = frozenset("correct correctly accurate accurately right true valid works handles handled copes holds intact safe".split())
WRONG = frozenset(
    "wrong wrongly incorrect incorrectly inaccurate false untrue invalid mistake mistaken error erroneous bug buggy"
    " broken fails failed fail myth misleading fabricated invented made-up bogus fake".split()
)
"""Verdicts on correctness. A key point and a sentence about it that give opposite verdicts contradict each other."""

PRAISE = frozenset(
    "better best correct correctly accurate accurately right clear clearer concise practical sensible helpful useful"
    " safe safer works handles precise appropriate honest good great stronger wins superior preferable cleaner"
    " simpler succinct thorough solid reliable valid".split()
)
CRITICISM = frozenset(
    "worse wrong wrongly incorrect incorrectly inaccurate false fails failed misses omits ignores overcomplicates"
    " overcomplicated padding padded verbose wordy confusing unsafe dangerous harmful misleading invents invented"
    " fabricated broken buggy bug error mistake weaker lacks vague sloppy useless unhelpful problematic flawed loses".split()
)
"""Praise and criticism of a response: which side a clause argues for."""

DETERMINERS = frozenset("the a an its their his her this that these those any some every each all my your our".split())

_STRIP = "'\".,;:!?()[]*`“”‘’"


def words(text: str) -> list[str]:
    """Lower-cased whitespace-separated words with surrounding punctuation removed.

    A capital "A" or "B" on its own names a response: it becomes "" (not the article "a").
    """
    return [_word(w) for w in text.split()]


def _word(token: str) -> str:
    bare = token.strip(_STRIP)
    return "" if bare in ("A", "B") or bare in ("A's", "B's", "A’s", "B’s") else bare.lower()


def _negated(ws: list[str], index: int) -> bool:
    return any(w in NEGATORS or w.endswith(("n't", "n’t")) for w in ws[max(0, index - 2) : index])


def verdict(text: str) -> int:
    """+1 when the text calls something correct, -1 when it calls it wrong, 0 when it says neither (or both)."""
    ws = words(text)
    total = 0
    for i, w in enumerate(ws):
        sign = 1 if w in CORRECT else -1 if w in WRONG else 0
        if sign:
            total += -sign if _negated(ws, i) else sign
    return (total > 0) - (total < 0)


def leaning(text: str) -> int:
    """+1 when the text praises its subject on balance, -1 when it criticises it, 0 otherwise."""
    ws = words(text)
    total = 0
    for i, w in enumerate(ws):
        sign = 1 if w in PRAISE else -1 if w in CRITICISM else 0
        if sign:
            total += -sign if _negated(ws, i) else sign
    return (total > 0) - (total < 0)


def hedged(text: str) -> bool:
    return any(w in HEDGES for w in words(text))


def reads_as_prose(text: str) -> bool:
    """True for a sentence, False for a run of keywords ("honesty, accuracy, correct answer $80")."""
    ws = [w for w in words(text) if w]
    if len(ws) < 3:
        return False
    function = sum(w in FUNCTION_WORDS for w in ws)
    return function >= 2 or function / len(ws) >= 0.2


CONTENT_WORD = re.compile(r"[^\W\d_][\w'\-]*|\d[\d,.]*\d|\d")


class WordStats:
    """Per-word facts about a text, computed in one pass, summed over any stretch in O(1).

    Prefix sums over the words of ``text``: content words (for "enough of the
    trainee's own words"), function words (prose or keywords), verdict signs with
    negation resolved (correct/wrong), and hedges.
    """

    __slots__ = ("starts", "_content", "_function", "_words", "_verdict", "_hedge", "_negator")

    def __init__(self, text: str):
        from itertools import accumulate

        from .semantic import is_content_word

        matches = list(_TOKEN.finditer(text))
        words = [_word(m.group(0)) for m in matches]
        self.starts = [m.start() for m in matches]
        signs = [1 if w in CORRECT else -1 if w in WRONG else 0 for w in words]
        for i, sign in enumerate(signs):
            if sign and _negated(words, i):
                signs[i] = -sign
        self._content = [0, *accumulate(1 if w and is_content_word(w) else 0 for w in words)]
        self._function = [0, *accumulate(w in FUNCTION_WORDS for w in words)]
        self._words = [0, *accumulate(1 if w else 0 for w in words)]
        self._verdict = [0, *accumulate(signs)]
        self._hedge = [0, *accumulate(w in HEDGES for w in words)]
        self._negator = [0, *accumulate(w in NEGATORS or w.endswith(("n't", "n’t")) for w in words)]

    def range(self, start: int, end: int) -> tuple[int, int]:
        from bisect import bisect_left

        return bisect_left(self.starts, start), bisect_left(self.starts, end)

    def content(self, a: int, b: int) -> int:
        return self._content[b] - self._content[a]

    def prose(self, a: int, b: int) -> bool:
        n = self._words[b] - self._words[a]
        f = self._function[b] - self._function[a]
        return n >= 3 and (f >= 2 or f / n >= 0.2)

    def verdict(self, a: int, b: int) -> int:
        total = self._verdict[b] - self._verdict[a]
        return (total > 0) - (total < 0)

    def hedged(self, a: int, b: int) -> bool:
        return self._hedge[b] - self._hedge[a] > 0

    def negated(self, a: int, b: int) -> bool:
        return self._negator[b] - self._negator[a] > 0


_TOKEN = re.compile(r"\S+")
