"""A rationale cut into the stretches a key point is looked for in, each knowing which response it is about.

Three sizes, because trainees pack points differently: **clauses** (split at ";",
", while", ", but", ", so", ", which", dashes and line breaks), **sentences**, and
**windows** of two neighbouring sentences for a point made across a full stop.
Each stretch is about the responses it names ("A", "B's", "the second response");
one that names none (it, its, this function...) is about the ones named just
before it.

Quoted text stays in a stretch (a trainee may carry a point with a quote), but a
stretch only counts if it has at least three content words of the trainee's own
outside quotes and reads as prose, not as a run of keywords.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lexicon import WordStats
from .quotes import CLAUSE_BREAK, RationaleText
from .semantic import Passage

MIN_OWN_WORDS = 3


@dataclass(frozen=True, slots=True)
class Stretch:
    kind: str  # "clause", "sentence" or "window"
    start: int
    end: int
    sides: frozenset[str]  # the responses it is about (empty: neither named nor inherited)
    words: tuple[int, int]  # range of the passage's content words
    counts: bool  # enough of the trainee's own words, and prose
    verdict: int  # +1 calls something correct, -1 wrong, 0 neither (own words only)
    hedged: bool
    negated: bool  # has a negator in the trainee's own words
    verdict_on: tuple[int, int] = (0, 0)  # the verdict its clauses about A, and about B, give

    @property
    def side(self) -> str | None:
        return next(iter(self.sides)) if len(self.sides) == 1 else None

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
    passage: Passage
    clauses: list[Stretch]
    sentences: list[Stretch]
    windows: list[Stretch]

    def text(self, stretch: Stretch) -> str:
        return self.rationale.text[stretch.start : stretch.end].strip()


def _sign(total: int) -> int:
    return (total > 0) - (total < 0)


def _verdict_on(clauses: list[Stretch], start: int, end: int) -> tuple[int, int]:
    inside = [c for c in clauses if start <= c.start and c.end <= end and c.side is not None]
    return (
        _sign(sum(c.verdict for c in inside if c.side == "A")),
        _sign(sum(c.verdict for c in inside if c.side == "B")),
    )


def _stretch(
    kind: str, own: WordStats, passage: Passage, start: int, end: int, sides: frozenset[str], clauses: list[Stretch] | None = None
) -> Stretch:
    a, b = own.range(start, end)
    verdict = own.verdict(a, b)
    if clauses is None:  # a clause: its verdict is about its one side
        verdict_on = (verdict if sides == {"A"} else 0, verdict if sides == {"B"} else 0)
    else:
        verdict_on = _verdict_on(clauses, start, end)
    return Stretch(
        kind,
        start,
        end,
        sides,
        passage.span(start, end),
        own.content(a, b) >= MIN_OWN_WORDS and own.prose(a, b),
        verdict,
        own.hedged(a, b),
        own.negated(a, b),
        verdict_on,
    )


def build_units(rationale: RationaleText) -> RationaleUnits:
    text = rationale.text
    passage = Passage(text, [(q.start, q.end) for q in rationale.quotes])
    own = WordStats(rationale.masked)  # the trainee's own words: quotes blanked
    mentions = rationale.mentions
    starts = list(rationale.sentence_starts) + [len(text)]
    clauses: list[Stretch] = []
    sentences: list[Stretch] = []
    previous: frozenset[str] = frozenset()

    def named(a: int, b: int) -> frozenset[str]:
        return frozenset(m.side for m in mentions if a <= m.start < b)

    for s_start, s_end in zip(starts, starts[1:]):
        if not text[s_start:s_end].strip():
            continue
        sentence_sides = named(s_start, s_end) or previous
        inherited = previous
        cursor = s_start
        for brk in [*CLAUSE_BREAK.finditer(text, s_start, s_end), None]:
            c_end = brk.start() if brk else s_end
            if text[cursor:c_end].strip():
                sides = named(cursor, c_end) or inherited
                inherited = sides
                clauses.append(_stretch("clause", own, passage, cursor, c_end, sides))
            cursor = brk.end() if brk else s_end
        sentences.append(_stretch("sentence", own, passage, s_start, s_end, sentence_sides, clauses))
        previous = sentence_sides
    windows = [
        _stretch("window", own, passage, a.start, b.end, a.sides | b.sides, clauses) for a, b in zip(sentences, sentences[1:])
    ]
    return RationaleUnits(rationale, passage, clauses, sentences, windows)
