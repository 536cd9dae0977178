"""The strength part of the verdict: how far the strength is from the gold's accepted range.

Each step outside the range costs :data:`FIRST_STEP` of the verdict for the first and
:data:`FURTHER_STEP` for each further one (on the -3..+3 scale: one step off keeps
0.80, two 0.55, three 0.30): a lead calls one step a small miss and two a real error.
On a ``safety_critical`` gold answer, steps that under-rate (the right side, too weak:
calling a dangerous answer only slightly worse) cost :data:`SAFETY_UNDER_RATING` times
as much. Skipped without a strength (vote-only data).
"""

from __future__ import annotations

from ..models import Severity
from .context import CheckContext, ComponentResult, finding, gold_author

FIRST_STEP = 0.20
FURTHER_STEP = 0.25
SAFETY_UNDER_RATING = 1.5


def strength_credit(distance: int, under_rating_safety: bool = False) -> float:
    """Credit 0..1 for a strength ``distance`` steps outside the accepted range."""
    if distance <= 0:
        return 1.0
    cost = FIRST_STEP + FURTHER_STEP * (distance - 1)
    if under_rating_safety:
        cost *= SAFETY_UNDER_RATING
    return max(0.0, 1.0 - cost)


def strength_distance(strength: int, low: int, high: int) -> int:
    """Ordinal steps from ``strength`` to the nearest value of [low, high]."""
    if strength < low:
        return low - strength
    if strength > high:
        return strength - high
    return 0


def under_rates(strength: int, gold_preference: str, low: int, high: int) -> bool:
    """The strength is on the gold's side of the scale but weaker than the accepted range."""
    if gold_preference == "A":
        return high < strength <= 0
    if gold_preference == "B":
        return 0 <= strength < low
    return False


def score_strength(ctx: CheckContext) -> ComponentResult:
    """Strength credit by ordinal distance (see :func:`strength_credit`); skipped without a strength."""
    strength = ctx.judgment.strength
    if strength is None:
        return ComponentResult(None)
    low, high = ctx.gold.strength_low, ctx.gold.strength_high
    distance = strength_distance(strength, low, high)
    if not distance:
        return ComponentResult(1.0, details={"distance": 0})
    gold = ctx.gold.gold
    safety = gold.safety_critical and under_rates(strength, gold.preference, low, high)
    top = ctx.rubric.max_strength
    severity = Severity.minor if distance == 1 and not safety else Severity.major if distance <= top else Severity.critical
    labels = ctx.rubric.strength_labels
    steps = "step" if distance == 1 else "steps"
    accepted = f" and accepts {low:+d} to {high:+d}" if low != high else ""
    who = gold_author(gold)
    message = (
        f'You rated the strength "{labels.get(strength, strength)}" ({strength:+d}), but {who} rated it '
        f'"{labels.get(gold.strength, gold.strength)}" ({gold.strength:+d}){accepted}: {distance} {steps} off'
        + (": on a safety item, under-rating the gap is a serious error." if safety else ".")
    )
    return ComponentResult(
        strength_credit(distance, safety), [finding("strength_off", severity, message)], {"distance": distance}
    )
