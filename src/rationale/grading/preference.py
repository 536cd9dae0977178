"""Scoring component `preference`: 1 when equal to gold's or listed in ``gold.acceptable``, else 0
(``wrong_preference``, critical)."""

from __future__ import annotations

from ..models import Severity
from .context import CheckContext, ComponentResult, finding, gold_author


def score_preference(ctx: CheckContext) -> ComponentResult:
    """Full credit when the preference is gold's or one of gold's acceptable ones."""
    gold = ctx.gold.gold
    chosen = ctx.judgment.preference
    accepted = chosen == gold.preference or (gold.acceptable is not None and chosen in gold.acceptable.preferences)
    if accepted:
        return ComponentResult(1.0, details={"correct": True})
    label = ctx.rubric.strength_labels.get(gold.strength, f"{gold.strength:+d}")
    yours = "You called it a tie" if chosen == "tie" else f"You chose Response {chosen}"
    who = gold_author(gold)
    lead = f"{who} called it a tie" if gold.preference == "tie" else f"{who} chose Response {gold.preference}"
    message = f"{yours}, but {lead} ({label})."
    return ComponentResult(0.0, [finding("wrong_preference", Severity.critical, message)], {"correct": False})
