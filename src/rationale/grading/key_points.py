"""Scoring component `key_points`: the weighted share of the gold's key points the rationale makes.

How a point is found (by meaning, on the right response, not contradicted) is
:mod:`.matching`; this module turns the results into credit and into findings a
trainee reads. Credit is the weighted mean of the points' credits (``weight`` in
gold, 1 by default; a partly made point earns part); the component is skipped when
gold has no key points. A contradicted point (the trainee endorses an error the gold
names, or invents one) is critical, and so is a point taken back (:mod:`.retraction`): the trainee's last
word on it is the opposite of the lead's.
"""

from __future__ import annotations

from ..models import Finding, KeyPointResult, Severity
from .context import CheckContext, ComponentResult, finding
from .matching import KeyPointTarget, absent
from .retraction import RETRACTION
from .text import shorten


def _other(side: str | None) -> str:
    return "B" if side == "A" else "A"


def key_point_finding(point: KeyPointTarget, result: KeyPointResult) -> Finding | None:
    """The finding a trainee reads for one key point not fully made (None when it is made)."""
    text = point.text
    quoted = f'"{shorten(result.sentence or "", 100)}"'
    if result.status == "absent":
        return finding(
            "missed_key_point", Severity.major, f"The grader does not find this key point in your rationale: {text}", key_point=point.id
        )
    if result.status == "partial":
        if result.hedged:
            message = f"You hedge this point ({quoted}); if the responses show it, say it outright. The lead's point: {text}"
        else:
            message = f"Partly made, by the grader's reading (closest: {quoted}). The lead's point: {text}"
        return finding("key_point_partly_made", Severity.minor, message, span=result.sentence, key_point=point.id)
    if result.status == "contradicted":
        if RETRACTION.match(result.sentence or ""):
            message = (
                f"You take back what you wrote before with {quoted}; a lead reads your last word as your position,"
                f" and it contradicts the lead's reading of the pair: {text}"
            )
        else:
            message = f"You wrote {quoted}, which contradicts the lead's reading of the pair: {text}"
        return finding(
            "key_point_contradicted",
            Severity.critical,
            message,
            span=result.sentence,
            key_point=point.id,
        )
    if result.status == "wrong_side":
        return finding(
            "key_point_about_other_response",
            Severity.major,
            f"You say {quoted} of Response {_other(point.about)}, but the lead's point is about Response {point.about}: {text}",
            span=result.sentence,
            key_point=point.id,
        )
    return None


def score_key_points(ctx: CheckContext) -> ComponentResult:
    """Weighted share of gold's key points made (partly made counts in part); skipped when gold has none."""
    points = ctx.gold.key_point_targets
    if not points:
        return ComponentResult(None, details={"results": []})
    if ctx.rationale is None:
        results = [absent(p.id) for p in points]
        return ComponentResult(0.0, details={"results": results})
    results = ctx.key_point_results
    total = sum(p.weight for p in points)
    credit = sum(p.weight * r.credit for p, r in zip(points, results)) / total
    findings = [f for p, r in zip(points, results) if (f := key_point_finding(p, r)) is not None]
    return ComponentResult(credit, findings, {"results": results})
