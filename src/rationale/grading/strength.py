"""Scoring component `strength`: ``1 - (d / 2n)**2`` for ``d`` steps outside gold's accepted range on a
-n..+n scale (:func:`strength_credit`); skipped without a strength."""

from __future__ import annotations

from ..models import Severity
from .context import CheckContext, ComponentResult, finding


def strength_credit(distance: int, max_strength: int) -> float:
    """Credit for a strength ``distance`` steps from the acceptable range.

    ``credit = 1 - (distance / width) ** 2`` where ``width = 2 * max_strength``
    is the full scale width (6 on the -3..+3 scale). Quadratic, because a
    step or two off is within the noise even good annotators show on near
    ties, while a flipped strong preference is a real error: on -3..+3,
    missing a near tie by one step keeps 0.97, two steps 0.89, three 0.75,
    and flipping "A much better" to "B much better" (six steps) earns 0.
    """
    width = 2 * max_strength
    return max(0.0, 1.0 - (distance / width) ** 2)


def strength_distance(strength: int, low: int, high: int) -> int:
    """Ordinal steps from ``strength`` to the nearest value of [low, high]."""
    if strength < low:
        return low - strength
    if strength > high:
        return strength - high
    return 0


def score_strength(ctx: CheckContext) -> ComponentResult:
    """Strength credit by ordinal distance (see :func:`strength_credit`); skipped without a strength."""
    strength = ctx.judgment.strength
    if strength is None:
        return ComponentResult(None)
    top = ctx.rubric.max_strength
    distance = strength_distance(strength, ctx.gold.strength_low, ctx.gold.strength_high)
    if not distance:
        return ComponentResult(1.0, details={"distance": 0})
    severity = Severity.minor if distance == 1 else Severity.major if distance <= top else Severity.critical
    labels = ctx.rubric.strength_labels
    gold_strength = ctx.gold.gold.strength
    steps = "step" if distance == 1 else "steps"
    low, high = ctx.gold.strength_low, ctx.gold.strength_high
    accepted = f" and accepts {low:+d} to {high:+d}" if low != high else ""
    message = (
        f'You rated the strength "{labels.get(strength, strength)}" ({strength:+d}), but the lead rated it '
        f'"{labels.get(gold_strength, gold_strength)}" ({gold_strength:+d}){accepted}: {distance} {steps} off.'
    )
    return ComponentResult(
        strength_credit(distance, top), [finding("strength_off", severity, message)], {"distance": distance}
    )
