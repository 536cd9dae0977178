"""Scoring component `key_points`: the share of gold's key points made; skipped when gold has none.

Key points read the whole rationale, quotes included (by cue or pattern).
"""

from __future__ import annotations

from ..models import Severity
from .context import CheckContext, ComponentResult, finding


def key_points_made(ctx: CheckContext) -> tuple[list[str], list[str]]:
    """(made, missed) key-point ids, in gold's order."""
    indexes = ctx.key_points_made()
    made = [kp_id for index, (kp_id, _) in enumerate(ctx.gold.key_points) if index in indexes]
    missed = [kp_id for index, (kp_id, _) in enumerate(ctx.gold.key_points) if index not in indexes]
    return made, missed


def score_key_points(ctx: CheckContext) -> ComponentResult:
    """Share of gold's key points the rationale makes; skipped when gold has none."""
    points = ctx.gold.key_points
    if not points:
        return ComponentResult(None, details={"made": [], "missed": []})
    made, missed = key_points_made(ctx)
    findings = []
    if ctx.rationale is not None:
        texts = dict(points)
        findings = [
            finding(
                "missed_key_point",
                Severity.major,
                f"Your rationale does not make this key point: {texts[kp_id]}",
                key_point=kp_id,
            )
            for kp_id in missed
        ]
    return ComponentResult(len(made) / len(points), findings, {"made": made, "missed": missed})
