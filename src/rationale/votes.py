"""The rules that make gold from votes: one definition for the importers, which write such gold, and for
calibration, which remakes it without one annotator's vote (leave-one-out accuracy).

Kept apart from `agreement` (numpy) so that `rationale import` loads no numpy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable
from typing import Literal

VoteRule = Literal["majority", "plurality"]
VOTE_RULES: dict[str, str] = {
    "majority": "the label with more than half of the votes cast (A, A, B, tie gives none)",
    "plurality": "the label with more votes than any other (A, A, B, tie gives A; a shared top gives none)",
}
"""How gold is made from votes, by the name `--gold-from-votes` takes, with what it does."""


def vote_winner(votes: Iterable[Hashable], rule: VoteRule) -> tuple[Hashable | None, Counter[Hashable]]:
    """The winning label under `rule` (see VOTE_RULES) and the counts; None when the rule names no winner."""
    counts = Counter(votes)
    ranked = counts.most_common(2)
    if not ranked:
        return None, counts
    top, top_count = ranked[0]
    if rule == "majority":
        return (top if 2 * top_count > sum(counts.values()) else None), counts
    if rule == "plurality":
        return (top if len(ranked) == 1 or ranked[1][1] < top_count else None), counts
    raise ValueError(f"unknown vote rule {rule!r}; choose one of {', '.join(VOTE_RULES)}")
