"""A rationale cut into the stretches a key point is looked for in, each knowing which response it is about.

Three sizes, because trainees pack points differently: **clauses** (split at ";",
", while", ", but", ", so", ", which", dashes and line breaks), **sentences**, and
**windows** of two neighbouring sentences for a point made across a full stop.
Each stretch is about the responses it names ("A", "B's", "the second response");
one that names none (it, its, this function...) is about the ones named just
before it.

Quoted text stays in a stretch (a trainee may carry a point with a quote), but a
stretch only counts if it has at least three content words of the trainee's own
outside quotes and reads as prose, not as a run of keywords. A clause that opens with
"Both", "Neither" or "The two" says the same of both responses (``of_both``), and so
does a sentence or window of such clauses (a bare "A is better." aside): it cannot make a
point about one of them (see :mod:`.matching`). Two kinds of sentence
assert nothing, so no stretch of them counts, nor a window that holds one
(``RationaleUnits.unasserted``): a **question** ("Does A handle an empty list?"),
and a **list of labels**: at least :data:`LIST_ITEMS` items between commas, semicolons
or colons, two thirds of them at most :data:`LIST_SHORT_WORDS` words long, in a sentence
that names neither response ("The key things are air pressure, altitude, the boiling point, ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from bisect import bisect_left

from .lexicon import Tokens
from .quotes import CLAUSE_BREAK, RationaleText
from .semantic import Passage

MIN_OWN_WORDS = 3
LIST_ITEMS = 6
LIST_SHORT_WORDS = 4
_LIST_SEPARATOR = re.compile(r"[,;:]")


class Stretch(NamedTuple):
    """A clause, sentence or window of the rationale (a tuple: dozens are built per rationale)."""

    kind: str  # "clause", "sentence" or "window"
    start: int
    end: int
    sides: frozenset[str]  # the responses it is about (empty: neither named nor inherited)
    side: str | None  # its one response, or None when it names both or none
    words: tuple[int, int]  # range of the passage's content words
    tokens: tuple[int, int]  # range of all its words (see lexicon.Tokens)
    counts: bool  # enough of the trainee's own words, and prose
    verdict: int  # +1 calls something correct, -1 wrong, 0 neither (own words only)
    hedged: bool
    negated: bool  # has a negator in the trainee's own words
    verdict_on: tuple[int, int] = (0, 0)  # the verdict its clauses about A, and about B, give
    of_both: bool = False  # every clause of it says something of both responses ("Both are accurate")

    def verdict_about(self, side: str | None) -> int:
        """The verdict this stretch gives the response ``side`` (its whole verdict for None or "both")."""
        if side == "A":
            return self.verdict_on[0]
        if side == "B":
            return self.verdict_on[1]
        return self.verdict


@dataclass(slots=True)
class RationaleUnits:
    rationale: RationaleText
    tokens: Tokens
    passage: Passage
    clauses: list[Stretch]
    sentences: list[Stretch]
    windows: list[Stretch]
    unasserted: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, "question" or "list")

    def text(self, stretch: Stretch) -> str:
        return self.rationale.text[stretch.start : stretch.end].strip()


class _ClauseVerdicts:
    """Prefix sums of the clauses' verdicts about A and about B, for any run of whole clauses."""

    def __init__(self, clauses: list[Stretch]):
        from itertools import accumulate

        self.starts = [c.start for c in clauses]
        self.a = [0, *accumulate(c.verdict_on[0] for c in clauses)]
        self.b = [0, *accumulate(c.verdict_on[1] for c in clauses)]

    def between(self, start: int, end: int) -> tuple[int, int]:
        i, j = bisect_left(self.starts, start), bisect_left(self.starts, end)
        a, b = self.a[j] - self.a[i], self.b[j] - self.b[i]
        return (a > 0) - (a < 0), (b > 0) - (b < 0)


_new_stretch = tuple.__new__


class _Measure:
    """Builds the stretches of one rationale: every figure a subtraction of the Tokens' prefix sums."""

    __slots__ = ("starts", "offsets", "own_content", "own_words", "function", "verdict", "hedge", "negator")

    def __init__(self, tokens: Tokens, passage: Passage):
        self.starts, self.offsets = tokens.starts, passage.offsets
        self.own_content, self.own_words, self.function = tokens._own_content, tokens._own_words, tokens._function
        self.verdict, self.hedge, self.negator = tokens._verdict, tokens._hedge, tokens._negator

    def stretch(
        self, kind: str, start: int, end: int, sides: frozenset[str], clause_verdicts: "_ClauseVerdicts | None" = None
    ) -> Stretch:
        # The Tokens and Passage queries inlined (prefix-sum differences): a dozen stretches per rationale.
        starts = self.starts
        a, b = bisect_left(starts, start), bisect_left(starts, end)
        verdict = self.verdict[b] - self.verdict[a]
        verdict = (verdict > 0) - (verdict < 0)
        side = next(iter(sides)) if len(sides) == 1 else None
        if clause_verdicts is None:  # a clause: its verdict is about its one side
            verdict_on = (verdict if side == "A" else 0, verdict if side == "B" else 0)
        else:
            verdict_on = clause_verdicts.between(start, end)
        offsets = self.offsets
        counts = False
        if self.own_content[b] - self.own_content[a] >= MIN_OWN_WORDS:  # and the own words read as prose
            n = self.own_words[b] - self.own_words[a]
            f = self.function[b] - self.function[a]
            counts = n >= 3 and (f >= 2 or f / n >= 0.2)
        return _new_stretch(  # the fields in Stretch's order, without the generated __new__'s call
            Stretch,
            (
                kind,
                start,
                end,
                sides,
                side,
                (bisect_left(offsets, start), bisect_left(offsets, end)),
                (a, b),
                counts,
                verdict,
                self.hedge[b] - self.hedge[a] > 0,
                self.negator[b] - self.negator[a] > 0,
                verdict_on,
                False,
            ),
        )


def build_units(rationale: RationaleText, copied: list[tuple[int, int]] | None = None) -> RationaleUnits:
    """The rationale's stretches; ``copied``: spans pasted from a response unquoted, read as quoted (see .copies)."""
    text = rationale.text
    quoted = [(q.start, q.end) for q in rationale.quotes]
    tokens = Tokens(text, quoted + copied if copied else quoted)
    passage = Passage(tokens)
    stretch = _Measure(tokens, passage).stretch
    mentions = rationale.mentions
    starts = list(rationale.sentence_starts) + [len(text)]
    clauses: list[Stretch] = []
    spans: list[tuple[int, int, frozenset[str]]] = []
    previous: frozenset[str] = frozenset()
    mention_starts = [m.start for m in mentions]

    def named(a: int, b: int) -> frozenset[str]:
        first, last = bisect_left(mention_starts, a), bisect_left(mention_starts, b)
        if last - first < 2:  # none or one (most stretches): a shared set
            return _NONE if first == last else _ONE[mentions[first].side]
        return frozenset(m.side for m in mentions[first:last])

    finditer = CLAUSE_BREAK.finditer
    masked = rationale.masked
    unasserted: list[tuple[int, int, str]] = []
    # Most rationales have no question mark and too few separators for a list: nothing to look for.
    look = "?" in masked or masked.count(",") + masked.count(";") + masked.count(":") + 1 >= LIST_ITEMS
    for s_start, s_end in zip(starts, starts[1:]):
        if text[s_start:s_end].isspace() or s_start == s_end:
            continue
        if look and (kind := _unasserted(masked[s_start:s_end], named(s_start, s_end))):
            unasserted.append((s_start, s_end, kind))
        sentence_sides = named(s_start, s_end) or previous
        inherited = previous
        cursor = s_start
        for brk in finditer(text, s_start, s_end):
            c_end = brk.start()
            if not (cursor == c_end or text[cursor:c_end].isspace()):
                inherited = named(cursor, c_end) or inherited
                clauses.append(_of_both(stretch("clause", cursor, c_end, inherited), masked))
            cursor = brk.end()
        if not (cursor == s_end or text[cursor:s_end].isspace()):
            inherited = named(cursor, s_end) or inherited
            clauses.append(_of_both(stretch("clause", cursor, s_end, inherited), masked))
        spans.append((s_start, s_end, sentence_sides))
        previous = sentence_sides
    if len(mentions) > 1:
        clauses = [_verdict_by_part(c, rationale, tokens) if len(c.sides) == 2 else c for c in clauses]
    verdicts = _ClauseVerdicts(clauses)
    sentences = [stretch("sentence", a, b, sides, verdicts) for a, b, sides in spans]
    windows = [stretch("window", a.start, b.end, a.sides | b.sides, verdicts) for a, b in zip(sentences, sentences[1:])]
    if not all(c.counts for c in clauses):
        clauses, sentences, windows = (_terse_claims(stretches, masked, tokens) for stretches in (clauses, sentences, windows))
    if any(c.of_both for c in clauses):
        sentences, windows = (_all_of_both(stretches, clauses, passage.words) for stretches in (sentences, windows))
    if unasserted:
        clauses, sentences, windows = (_asserting(stretches, unasserted) for stretches in (clauses, sentences, windows))
    return RationaleUnits(rationale, tokens, passage, clauses, sentences, windows, unasserted)


CHOICE_WORDS = frozenset("better best much slightly clearly far bit somewhat overall stronger superior preferable wins".split())
"""The only content words of a clause that just states the choice ("A is much better", "B wins overall")."""


def states_choice(words: list[str], clause: Stretch) -> bool:
    """The clause only states the choice (``words``: the passage's content words): a conclusion, not a reason."""
    a, b = clause.words
    return b > a and all(w in CHOICE_WORDS for w in words[a:b])


_BOTH_SUBJECT = re.compile(r"\s*(?:both|neither|each of (?:them|the two)|the two|they both)\b", re.I)
"""A clause that opens with these says the same of both responses."""


def parts_by_response(rationale: RationaleText, clause: Stretch) -> list[tuple[str, int, int]]:
    """(side, start, end) of each part of a clause that names both responses, cut where each is named: "A is correct
    and B is wrong" gives A's part and B's. None for a comparison ("A is less accurate than B": its verdict words are
    about both), a clause of both ("Both are ...") or a clause that does not name both."""
    if clause.of_both or len(clause.sides) != 2 or " than " in rationale.text[clause.start : clause.end].lower():
        return []
    named = [m for m in rationale.mentions if clause.start <= m.start < clause.end]
    return [(m.side, m.start, end) for m, end in zip(named, [m.start for m in named[1:]] + [clause.end])]


def _verdict_by_part(clause: Stretch, rationale: RationaleText, tokens: Tokens) -> Stretch:
    """A clause naming both responses, with the verdict each part gives the response it names ("A's loop is fine,
    and B's recursion also handles n = 10,000")."""
    parts = parts_by_response(rationale, clause)
    if not parts:
        return clause
    totals = {"A": 0, "B": 0}
    for side, start, end in parts:
        totals[side] += tokens.verdict(*tokens.range(start, end))
    on = tuple((t > 0) - (t < 0) for t in (totals["A"], totals["B"]))
    return clause._replace(verdict_on=on) if on != clause.verdict_on else clause


TERSE_CLAIM = re.compile(
    r"(?<![\w'’])[AB](?:['’]s)?(?:"
    r"\s+(?:correctly|rightly|accurately)\s+[a-z]{2,}(?:s|ed)\b"  # endorsed: "A correctly says ..."
    r"|(?:\s+[^\s,;:.!?]+){0,3}?\s+"
    r"(?!(?:says|said|claims|claimed|states|stated|tells|told|calls|called|suggests|suggested)\b)"
    r"(?:is|are|was|were|has|have|does|did|[a-z]{2,}(?:s|ed))\b)"
)
"""A response named and a verb after it ("A adds commit --amend", "B's default --mixed keeps them unstaged"):
a claim, even in notes terse enough to leave out the articles and prepositions prose is recognised by. Not a
reporting verb: "A says ..." is the response's claim, not the trainee's."""


def _terse_claims(stretches: list[Stretch], masked: str, tokens: Tokens) -> list[Stretch]:
    """The stretches, those with enough of the trainee's own words that state a claim about a response marked
    as counting though they read as notes rather than prose (the same positions, so recall columns stay aligned)."""
    return [
        s._replace(counts=True)
        if not s.counts and tokens.own_content(*s.tokens) >= MIN_OWN_WORDS and TERSE_CLAIM.search(masked, s.start, s.end)
        else s
        for s in stretches
    ]


def _of_both(clause: Stretch, masked: str) -> Stretch:
    return clause._replace(of_both=True) if _BOTH_SUBJECT.match(masked, clause.start) else clause


def _all_of_both(stretches: list[Stretch], clauses: list[Stretch], words: list[str]) -> list[Stretch]:
    """The stretches, those whose every clause is of both responses (or only states the choice) marked so."""
    marked = []
    for s in stretches:
        inside = [c for c in clauses if s.start <= c.start and c.end <= s.end and not states_choice(words, c)]
        marked.append(s._replace(of_both=True) if inside and all(c.of_both for c in inside) else s)
    return marked


def _unasserted(sentence: str, sides: frozenset[str]) -> str | None:
    """ "question" or "list" when a sentence (quotes blanked) asserts nothing (see the module docstring), else None.

    A series in a sentence that names a response is a claim about it with examples ("B gives five tips: a
    routine, a dark room, ..."), not a list of labels."""
    if sentence.rstrip().endswith("?"):
        return "question"
    if sides or sentence.count(",") + sentence.count(";") + sentence.count(":") + 1 < LIST_ITEMS:
        return None
    items = [n for n in (len(item.split()) for item in _LIST_SEPARATOR.split(sentence)) if n]
    short = sum(n <= LIST_SHORT_WORDS for n in items)
    return "list" if len(items) >= LIST_ITEMS and 3 * short >= 2 * len(items) else None


def _asserting(stretches: list[Stretch], unasserted: list[tuple[int, int, str]]) -> list[Stretch]:
    """The stretches, those overlapping a sentence that asserts nothing marked as not counting (the same
    positions, so the recall columns stay aligned)."""
    return [
        s._replace(counts=False) if s.counts and any(a < s.end and s.start < b for a, b, _ in unasserted) else s
        for s in stretches
    ]


_NONE: frozenset[str] = frozenset()
_ONE: dict[str, frozenset[str]] = {"A": frozenset("A"), "B": frozenset("B")}
