"""Scoring component `verdict`: the choice and its strength, 0..1.

An accepted preference (the gold's, or one of its acceptable alternatives) earns
the strength part's credit (:mod:`.strength`; 1 without a strength); any other
preference earns 0 and a critical ``wrong_preference``.
"""

from __future__ import annotations

from .context import CheckContext, ComponentResult
from .preference import score_preference
from .strength import score_strength


def score_verdict(ctx: CheckContext) -> ComponentResult:
    preference = score_preference(ctx)
    strength = score_strength(ctx)
    correct = bool(preference.details["correct"])
    credit = (strength.credit if strength.credit is not None else 1.0) if correct else 0.0
    return ComponentResult(
        credit,
        preference.findings + strength.findings,
        {"correct": correct, "distance": strength.details.get("distance")},
    )
