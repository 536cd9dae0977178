"""The small English word lists the argument checks read, in one place.

They are deliberately short: each word is one a lead would read the same way in
almost any rationale. A word that only sometimes carries the meaning (``real``,
``fine``, ``harmful``: the last usually describes the request, not the response)
is left out, because a check that fires on it would give wrong feedback.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from itertools import accumulate, compress

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

CORRECT = frozenset("correct correctly accurate accurately right rightly true valid works handles handled copes holds intact safe".split())
WRONG = frozenset(
    "wrong wrongly incorrect incorrectly inaccurate false falsely untrue invalid mistake mistaken error erroneous bug buggy"
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
    """+1 when the text calls something correct, -1 when it calls it wrong, 0 when it says neither (or both).

    What a response is reported to say ("B calls five drinks safe") is its claim, not the text's verdict: the
    words after a reporting verb or "as if", to the end of the clause, count for nothing (see `Tokens`)."""
    tokens = text.split()
    ws = [_word(t) for t in tokens]
    total = 0
    reported = False
    for i, w in enumerate(ws):
        if reported and w in _CLAIM_ENDS:
            reported = False
        if not reported and not (i and w in NOT_A_VERDICT_AFTER and ws[i - 1] in NOT_A_VERDICT_AFTER[w]):
            sign = 1 if w in CORRECT else -1 if w in WRONG else 0
            if sign:
                total += -sign if _negated(ws, i) else sign
        if w in REPORTING or w in SUPPOSING or (w == "though" and i and ws[i - 1] == "as"):
            reported = True
        elif reported and tokens[i][-1:] in ",;:.!?)":
            reported = False
    return (total > 0) - (total < 0)


CONTENT_WORD = re.compile(r"[^\W\d_][\w'’\-]*|\d[\d,.]*\d|\d")
"""A word: letters (with apostrophes and hyphens inside), or a number."""


def is_content_word(word: str) -> bool:
    """A lower-cased, stripped word that carries content of its own (not a stop word, negator or A/B)."""
    return bool(word) and word not in STOP_WORDS and word not in NEGATORS and word not in ("a", "b") and (
        len(word) > 1 or word.isdigit()
    )


def _is_negator(word: str) -> bool:
    return word in NEGATORS or word.endswith(("n't", "n’t"))


class Tokens:
    """Every word of a rationale, read once; what the checks ask of any stretch of it is a subtraction.

    ``content`` lists the content words of the whole text (quotes included: they are
    matched by meaning, counting :data:`~.semantic.QUOTED_WORD`); the prefix sums count
    only the trainee's own words (outside quotes): content words, words, function words,
    verdicts and praise with negation resolved, hedges and negators. A capital "A" or
    "B" on its own names a response and is not counted as a word.
    """

    __slots__ = (
        "starts", "content", "content_starts", "content_quoted",
        "_own_content", "_own_words", "_function", "_verdict", "_praise", "_hedge", "_negator",
    )

    def __init__(self, text: str, quote_spans: Sequence[tuple[int, int]] = ()):
        self.starts, facts, quoted = _read(text, quote_spans)
        # One column per fact (see _FACTS), each a tuple: the per-word work below runs in C.
        columns = list(zip(*facts)) if facts else [()] * len(_NOT_OWN)
        is_content = columns[1]
        self.content = list(compress(columns[0], is_content))
        self.content_starts = list(compress(self.starts, is_content))
        if quoted:
            mask = [False] * len(self.starts)
            for a, b in quoted:
                mask[a:b] = _TRUE * (b - a)
            self.content_quoted = list(compress(mask, is_content))
            # quoted words are not the trainee's own: their facts count 0 (a slice of each column per quote)
            columns = [columns[0], *map(list, columns[1:])]
            for a, b in quoted:
                zeros = _ZERO * (b - a)
                for column in columns[1:]:
                    column[a:b] = zeros
        else:
            self.content_quoted = [False] * len(self.content)
        verdict, praise = _resolve_negation(columns)
        if not _REPORTING_CUES.isdisjoint(columns[0]):
            _unsay_reported(text, self.starts, columns[0], verdict, praise)
        self._own_content = [0, *accumulate(columns[1])]
        self._own_words = [0, *accumulate(columns[2])]
        self._function = [0, *accumulate(columns[3])]
        self._hedge = [0, *accumulate(columns[4])]
        self._verdict = [0, *accumulate(verdict)]
        self._praise = [0, *accumulate(praise)]
        self._negator = [0, *accumulate(columns[7])]

    def range(self, start: int, end: int) -> tuple[int, int]:
        """The word-index range [a, b) of the words that start inside [start, end) of the text."""
        return bisect_left(self.starts, start), bisect_left(self.starts, end)

    def own_content(self, a: int, b: int) -> int:
        return self._own_content[b] - self._own_content[a]

    def own_words(self, a: int, b: int) -> int:
        return self._own_words[b] - self._own_words[a]

    def prose(self, a: int, b: int) -> bool:
        """The trainee's own words in [a, b) read as a sentence, not as a run of keywords."""
        n = self._own_words[b] - self._own_words[a]
        f = self._function[b] - self._function[a]
        return n >= 3 and (f >= 2 or f / n >= 0.2)

    def function_share(self) -> float:
        n = self._own_words[-1]
        return self._function[-1] / n if n else 1.0

    def verdict(self, a: int, b: int) -> int:
        return _sign(self._verdict[b] - self._verdict[a])

    def leaning(self, a: int, b: int) -> int:
        return _sign(self._praise[b] - self._praise[a])

    def hedged(self, a: int, b: int) -> bool:
        return self._hedge[b] - self._hedge[a] > 0

    def negated(self, a: int, b: int) -> bool:
        return self._negator[b] - self._negator[a] > 0


_RESPONSE_LETTERS = frozenset(["A", "B", "A's", "B's", "A’s", "B’s"])

_NOT_OWN = ("", 0, 0, 0, 0, 0, 0, 0)


def _read(text: str, quote_spans: Sequence[tuple[int, int]]) -> tuple[list[int], list[tuple], list[tuple[int, int]]]:
    """(start offset, facts) of every word of the text, and the word-index ranges [a, b) inside quotes (none empty)."""
    # Split at the words (kept by the group): separators and words alternate, so the running total of their
    # lengths gives each word's start without a match object per word.
    parts = _WORD_SPLIT.split(text)
    words = parts[1::2]
    starts = list(accumulate(map(len, parts)))[0:-1:2]
    facts = list(map(_FACTS.get, words))
    if None in facts:
        facts = [f or _learn(w) for f, w in zip(facts, words)]
    if not quote_spans:
        return starts, facts, []
    spans = sorted(quote_spans)
    if all(a[1] <= b[0] for a, b in zip(spans, spans[1:])):
        # Spans apart (the usual case): the words starting inside each, found by bisection.
        ranges = ((bisect_left(starts, start), bisect_left(starts, end)) for start, end in spans)
        return starts, facts, [(a, b) for a, b in ranges if b > a]
    quoted = []
    q = 0
    for start in starts:
        while q < len(spans) and spans[q][1] <= start:
            q += 1
        quoted.append(q < len(spans) and spans[q][0] <= start)
    # The runs of quoted words, as ranges.
    edges = [i for i, (before, here) in enumerate(zip([False, *quoted], [*quoted, False])) if before != here]
    return starts, facts, list(zip(edges[::2], edges[1::2]))


_TRUE, _ZERO = [True], [0]


_WORD_SPLIT = re.compile("(" + CONTENT_WORD.pattern + ")")


_VALUE_VERBS = frozenset("returns return returned returning prints printed outputs yields evaluates".split())
NOT_A_VERDICT_AFTER = {"true": _VALUE_VERBS, "false": _VALUE_VERBS}
"""Verdict words that are a value, not a verdict, after these words ("test() returns true for any string")."""
NOT_A_VERDICT_BEFORE = {
    "works": frozenset(["out"]),  # "A works out the discount on the sale price": computes, not "A works"
    "right": frozenset("away now after before then here there off".split()),  # "B answers right away"
}
"""Verdict words that are no verdict before these words (the next word the trainee wrote)."""


REPORTING = frozenset(
    "says said claims claimed tells told states stated insists insisted assures assured promises promised asserts"
    " asserted calls called thinks believes argues argued reports reported reassures reassured advises advised implies"
    " implied suggests suggested maintains maintained".split()
)
"""Verbs that report what a response says: the words after one (to the end of the clause) are the response's
claim, not the trainee's verdict ("B tells the user that five drinks are perfectly safe")."""
SUPPOSING = frozenset(["if", "unless", "whether"])
"""Words after which, to the end of the clause, a verdict is supposed, not given ("advice if it's false", "as if it
were safe")."""
_REPORTING_CUES = REPORTING | SUPPOSING | {"though", "according"}
_CLAIM_ENDS = frozenset("which but although though yet whereas while because".split())
_CLAUSE_MARK = re.compile(r"[,;:.!?()\u2013\u2014]")


def _unsay_reported(text: str, starts: list[int], lowered: Sequence[str], verdict: list[int], praise: list[int]) -> None:
    """Zero the verdict and praise of the words a reporting verb introduces, up to a clause mark or a word that
    turns back to the trainee ("..., which is wrong"); a verdict before the verb stays ("B wrongly claims ...").
    "as if" / "as though" introduce a supposition the same way ("as if it were safe to wait"), and "according to
    B," the clause after its comma."""
    n = len(lowered)

    def mark_before(j: int) -> bool:
        return bool(_CLAUSE_MARK.search(text, starts[j - 1], starts[j]))

    i = 0
    while i < n:
        word = lowered[i]
        if word == "according" and i + 1 < n and lowered[i + 1] == "to":
            start = i + 2  # "according to B," names the source: the claim follows its comma
            while start < n and not mark_before(start):
                start += 1
        elif word in REPORTING or word in SUPPOSING or (word == "though" and i > 0 and lowered[i - 1] == "as"):
            start = i + 1
        else:
            i += 1
            continue
        j = start
        while j < n and lowered[j] not in _CLAIM_ENDS and (j == start or not mark_before(j)):
            verdict[j] = praise[j] = 0
            j += 1
        i = max(j, i + 1)


PHRASE_NEGATORS = frozenset("no neither nothing none never without".split())
NEGATION_STOPS = frozenset("and but or nor so yet which while because although though whereas".split())


def _resolve_negation(columns: list[tuple]) -> tuple[list[int], list[int]]:
    """Each word's verdict and praise, turned round by a "not" or "...n't" one or two of the trainee's words before.

    ``columns``: the trainee's own words' facts, one tuple per fact (see _FACTS)."""
    verdict = list(columns[5])
    praise = list(columns[6])
    lowered = columns[0]
    for word, particles in NOT_A_VERDICT_BEFORE.items():
        if word in lowered:  # rare: look for the phrase only then
            for i in [i for i, w in enumerate(lowered[:-1]) if w == word and lowered[i + 1] in particles]:
                verdict[i] = praise[i] = 0
    for word, verbs in NOT_A_VERDICT_AFTER.items():
        if word in lowered:
            for i in [i for i, w in enumerate(lowered) if i and w == word and lowered[i - 1] in verbs]:
                verdict[i] = praise[i] = 0
    if any(columns[7]):
        negators = list(compress(range(len(verdict)), columns[7]))
        counted = list(compress(range(len(verdict)), columns[2]))
        rank = {i: r for r, i in enumerate(counted)}
        turned: set[int] = set()
        for n in negators:
            # "not"/"n't" turn the next two words; a negator that opens a noun phrase ("neither answer contains an
            # error", "no factual error") turns it to its end: up to four words, not past a conjunction
            reach = 4 if lowered[n] in PHRASE_NEGATORS else 2
            for k in range(1, reach + 1):
                if rank[n] + k >= len(counted) or lowered[counted[rank[n] + k]] in NEGATION_STOPS:
                    break
                turned.add(counted[rank[n] + k])
        for i in turned:
            verdict[i], praise[i] = -verdict[i], -praise[i]
    return verdict, praise


_FACTS: dict[str, tuple] = {}
"""word as written -> (lower-cased word, content, counts as a word, function word, hedge, verdict, praise, negator)."""


def _learn(word: str) -> tuple:
    lowered = "" if word in _RESPONSE_LETTERS else word.lower().strip("'-’")
    facts = (
        lowered,
        int(is_content_word(lowered)),
        int(bool(lowered)),
        int(lowered in FUNCTION_WORDS),
        int(lowered in HEDGES),
        1 if lowered in CORRECT else -1 if lowered in WRONG else 0,
        1 if lowered in PRAISE else -1 if lowered in CRITICISM else 0,
        int(bool(lowered) and _is_negator(lowered)),
    )
    if len(_FACTS) > 500_000:
        _FACTS.clear()
    _FACTS[word] = facts
    return facts


def _sign(total: int) -> int:
    return (total > 0) - (total < 0)
