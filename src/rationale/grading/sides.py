"""Which response a rationale argues for, and whether it argues at all.

Each clause about one response that praises it or criticises it is a vote: praise of
A, or criticism of B, argues for A. Hedged clauses do not vote, nor does the bare
statement of the choice ("A is much better."): it is the conclusion, not a reason for it. A rationale
*argues for the other response* when the votes for it are many (at least
:data:`ARGUES_FOR_OTHER_MIN`) and clearly more than for the choice: a fair rationale
credits the other side too, so a few concessions never count against it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .units import TERSE_CLAIM, RationaleUnits, parts_by_response, states_choice

ARGUES_FOR_OTHER_MIN = 3
"""Clauses for the response not chosen before a rationale is said to argue for it..."""
ARGUES_FOR_OTHER_MARGIN = 2
"""...and by how many more than twice those for the choice: a fair rationale credits the other side too."""
KEYWORD_LIST_FUNCTION_SHARE = 0.12
KEYWORD_LIST_MIN_WORDS = 4
KEYWORD_LIST_CLAIMS = 2
"""A response named with a verb after it this many times is notes that make claims, not a list of labels."""


@dataclass(frozen=True, slots=True)
class SideVotes:
    """Clauses that argue for each response: praise of it, or criticism of the other."""

    for_a: int
    for_b: int
    example_for: dict[str, str]  # side -> one clause arguing for it

    def against(self, chosen: str) -> int:
        return self.for_b if chosen == "A" else self.for_a

    def favouring(self, chosen: str) -> int:
        return self.for_a if chosen == "A" else self.for_b


def side_votes(units: RationaleUnits) -> SideVotes:
    """Count clauses about one response that praise or criticise it (hedged ones are left out)."""
    votes = {"A": 0, "B": 0}
    example: dict[str, str] = {}
    for clause in units.clauses:
        if clause.hedged:
            continue
        side = clause.side
        if side is None:
            for part_side, a, b in _parts_by_response(units, clause):
                lean = units.tokens.leaning(a, b)
                if lean:
                    favoured = part_side if lean > 0 else ("B" if part_side == "A" else "A")
                    votes[favoured] += 1
                    example.setdefault(favoured, units.text(clause))
            continue
        if states_choice(units.passage.words, clause):
            continue
        for a, b in _claims(units, clause):
            lean = units.tokens.leaning(a, b)
            if lean:
                favoured = side if lean > 0 else ("B" if side == "A" else "A")
                votes[favoured] += 1
                example.setdefault(favoured, units.text(clause))
    return SideVotes(votes["A"], votes["B"], example)


_CLAIM_BREAK = re.compile(r",\s+and\s+|[:;]\s+")


def _claims(units: RationaleUnits, clause) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    """The token ranges of the claims a clause about one response strings together (", and", a colon): "B is more
    helpful: its note is useful context, and its opening makes it clearer" is three reasons, three votes."""
    text = units.rationale.masked
    cuts = [m.end() for m in _CLAIM_BREAK.finditer(text, clause.start, clause.end)]
    if not cuts:
        return [clause.tokens]
    bounds = [clause.start, *cuts, clause.end]
    return [units.tokens.range(x, y) for x, y in zip(bounds, bounds[1:])]


def _parts_by_response(units: RationaleUnits, clause) -> list[tuple[str, int, int]]:  # type: ignore[no-untyped-def]
    """(side, token range) of each non-empty part of a clause that names both responses (see `parts_by_response`)."""
    parts = []
    for side, start, end in parts_by_response(units.rationale, clause):
        a, b = units.tokens.range(start, end)
        if b > a:
            parts.append((side, a, b))
    return parts


def argues_for_other(votes: SideVotes, chosen: str) -> bool:
    """The rationale argues, on balance and clearly, for the response it did not choose."""
    if chosen not in ("A", "B"):
        return False
    against = votes.against(chosen)
    return against >= ARGUES_FOR_OTHER_MIN and against >= 2 * votes.favouring(chosen) + ARGUES_FOR_OTHER_MARGIN


def is_keyword_list(units: RationaleUnits) -> bool:
    """A run of labels ("honesty, accuracy, correct answer $80, A wrong base") instead of sentences."""
    tokens = units.tokens
    everything = (0, len(tokens.starts))
    if tokens.own_words(*everything) < KEYWORD_LIST_MIN_WORDS:
        return False  # too short to be a list: `too_short` says what is wrong with it
    if tokens.function_share() >= KEYWORD_LIST_FUNCTION_SHARE and tokens.prose(*everything):
        return False
    # Terse notes that state claims ("A adds commit --amend; B warns about rewriting pushed history") are not labels.
    masked = units.rationale.masked
    return sum(1 for _ in TERSE_CLAIM.finditer(masked)) < KEYWORD_LIST_CLAIMS
