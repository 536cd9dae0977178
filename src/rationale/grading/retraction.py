"""A point taken back is not made: the sentences in which a trainee retracts what they said.

A lead reads a rationale's last word as the trainee's position. A sentence that opens with a
retraction marker (:data:`RETRACTION`: "On second thought", "Then again", "Actually, ...", "That
said", "I take that back") and says the opposite of a point made before it takes that point back:
:mod:`.matching` reports the point as contradicted, quoting the retraction, unless a later sentence
makes it again.

What "says the opposite" means is deliberately narrow, because concessions are common in honest
rationales ("That said, A's formatting is cleaner") and must keep their credit. The retraction's
words about the point's response (:func:`about`: its clauses about it, or in a clause naming both,
the part after the response's name) are cut at commas, "and", "so", "since", "because"; one part must

* name the matter of the words that made the point (:func:`matter`: a content word of theirs, or its
  first five letters, "refusal" for "refuses"; not a verdict, not "user", and not one the gold's other
  points about that response share, so "B's translation is accurate" does not take back "B adds a
  note although the user asked for only the translation"); and
* oppose it, unambiguously (:func:`opposing`): the opposite verdict with no negator ("A's refusal is
  actually reasonable"), or a negator with no verdict word where the earlier words had none ("the
  note does no harm" after "B adds a note"). Verdict words alone would misfire: the lexicon reads
  "Neither answer contains an error" as a criticism.

Words that turn or qualify (:data:`CONCESSION`: "..., but the user did not ask for it", "would be
right for ...", "it just gets the direction backwards") make the sentence a concession: nothing is
taken back. A retraction with no words of its own ("I take that back.", "Scratch that.") takes back
the points made in the sentence before it. Measured on probes written for it (tests/test_gaming.py):
the four points taken back are read so, and eight concessions after an honest rationale keep every
point; no lead-scored rationale holds a retraction marker.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from .lexicon import CORRECT, CRITICISM, HEDGES, NEGATORS, PRAISE, WRONG, is_content_word, verdict, words
from .units import RationaleUnits

RETRACTION = re.compile(
    r"\s*(?:on\s+(?:second|further)\s+thoughts?|on\s+(?:further\s+|more\s+|closer\s+)?reflection|then\s+again"
    r"|that\s+said|having\s+said\s+that|i\s+take\s+(?:that|it|this)\s+back|scratch\s+that"
    r"|i\s+was\s+wrong|come\s+to\s+think\s+of\s+it)\b|\s*actually\s*,",
    re.I,
)
"""A sentence that opens with one of these revises what came before it."""

SEGMENT = re.compile(r"[,;:]|\b(?:and|so|since|because)\b", re.I)
"""Where a retraction's words are cut into parts, each read on its own."""

CONCESSION = frozenset("but yet still though although however except while whereas unless if would just".split())
"""Words that turn or qualify what the sentence grants: a concession, the point kept."""

ENDORSE = frozenset("fine reasonable acceptable harmless okay ok sound".split())
"""Words that call something acceptable, read only in a retraction's part about the point's matter (the verdict
lexicon leaves "fine" out: alone, it too often describes something else)."""

_NOT_MATTER = CORRECT | WRONG | PRAISE | CRITICISM | HEDGES | ENDORSE | frozenset(
    "user users really actually second thought reflection again said take back scratch".split()
)
"""Words that are no point's matter: verdicts, hedges, the marker's own words, and the user every point is for."""

MATTER_PREFIX = 5
"""Two words are the same matter when they are equal or share their first five letters ("refuses", "refusal")."""


@dataclass(frozen=True, slots=True)
class Retraction:
    start: int
    end: int
    bare: bool  # no words of its own after the marker: it takes back the sentence before it
    previous: tuple[int, int] | None  # the sentence before it


def retractions(units: RationaleUnits) -> list[Retraction]:
    """The rationale's sentences that open with a retraction marker, in order."""
    masked = units.rationale.masked
    found = []
    previous = None
    for sentence in units.sentences:
        marker = RETRACTION.match(masked, sentence.start)
        if marker:
            rest = [w for w in words(masked[marker.end() : sentence.end]) if is_content_word(w)]
            found.append(Retraction(sentence.start, sentence.end, not rest, previous))
        previous = (sentence.start, sentence.end)
    return found


def about(units: RationaleUnits, start: int, end: int, side: str | None) -> str:
    """The words of ``[start, end)`` (quotes blanked) about response ``side``: its clauses about it, and in a clause
    that names both responses, the part from a mention of ``side`` to the next mention (the part before the first
    mention is about the responses the clause inherits). ``side`` None or "both": all of it."""
    masked = units.rationale.masked
    if side not in ("A", "B"):
        return masked[start:end]
    mentions = units.rationale.mentions
    starts = [m.start for m in mentions]
    parts = []
    for clause in units.clauses:
        if clause.end <= start or clause.start >= end:
            continue
        a, b = max(start, clause.start), min(end, clause.end)
        if len(clause.sides) < 2:
            if side in clause.sides:
                parts.append(masked[a:b])
            continue
        first, last = bisect_left(starts, a), bisect_left(starts, b)
        cuts = [a, *(m.start for m in mentions[first:last]), b]
        sides = [None, *(m.side for m in mentions[first:last])]
        for (c, d), s in zip(zip(cuts, cuts[1:]), sides):
            if s == side or (s is None and side in clause.sides and c < d and not masked[c:d].isspace()):
                parts.append(masked[c:d])
    return " ; ".join(parts)  # a boundary that SEGMENT cuts at


def _matter(text: str) -> set[str]:
    return {w for w in words(text) if is_content_word(w) and w not in _NOT_MATTER}


def _same(ours: set[str], theirs: set[str]) -> set[str]:
    """Our words that are theirs too: equal, or the same first MATTER_PREFIX letters ("refusal", "refuses")."""
    stems = {w[:MATTER_PREFIX] for w in theirs if len(w) >= MATTER_PREFIX}
    return {w for w in ours if w in theirs or (len(w) >= MATTER_PREFIX and w[:MATTER_PREFIX] in stems)}


def matter(text: str, others: list[str]) -> set[str]:
    """The words of ``text`` that name its own matter: content words, not verdicts, and none that ``others`` (the
    gold's other key points about the same response) share, so a concession about another point's matter never
    takes this one back ("B's translation is accurate" is about both translations, not about B's added note)."""
    ours = _matter(text)
    shared = set().union(*(_same(ours, _matter(o)) for o in others)) if others else set()
    return ours - shared


def concedes(text: str) -> bool:
    """The words turn or qualify ("..., but", "would be right for ...", "if ...", "it just gets it backwards"): a
    concession with the point kept, not a retraction."""
    return any(w in CONCESSION for w in words(text))


def negates(text: str) -> bool:
    """The text has a negator of its own ("does no harm", "does not crash"); "None" with a capital is Python's value."""
    return any((w in NEGATORS or w.endswith(("n't", "n’t"))) and raw != "None" for raw, w in zip(text.split(), words(text)))


def _endorses(text: str) -> int:
    ws = words(text)
    return verdict(text) or (1 if any(w in ENDORSE for w in ws) else 0)


def opposing(retraction_words: str, point_polarity: int, point_matter: set[str], earlier_words: str | None) -> str | None:
    """The first part of the retraction's words (cut at commas, "and", "so") that names the point's matter and says the
    opposite, unambiguously: the opposite verdict with no negator ("A's refusal is reasonable"), or, after earlier words
    that asserted it, a negator with no verdict word ("the note does no harm"). None when no part does."""
    for segment in SEGMENT.split(retraction_words):
        if not segment.strip() or not _same(_matter(segment), point_matter):
            continue
        negated, endorsed = negates(segment), _endorses(segment)
        if point_polarity and endorsed == -point_polarity and not negated:
            return segment
        if earlier_words is not None and negated and not endorsed and not negates(earlier_words):
            return segment
    return None

