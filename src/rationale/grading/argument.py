"""Scoring component `argument`: how the rationale argues, ``1 - sum(LINT_PENALTY)`` over the lint findings, at least 0.

No rationale (vote-only data) gives ``no_rationale`` and earns 0.
"""

from __future__ import annotations

from ..models import Severity
from .context import CheckContext, ComponentResult, finding
from .lint import LINT_CHECKS

LINT_PENALTY: dict[Severity, float] = {
    Severity.critical: 1.0,
    Severity.major: 0.4,
    Severity.minor: 0.15,
    Severity.info: 0.0,
}
"""Argument credit = max(0, 1 - sum of these over the lint findings)."""


def score_argument(ctx: CheckContext) -> ComponentResult:
    """1 minus :data:`LINT_PENALTY` per lint finding, floored at 0; no rationale earns 0."""
    if ctx.rationale is None:
        return ComponentResult(
            0.0,
            [
                finding(
                    "no_rationale",
                    Severity.major,
                    "You gave no rationale, so the rationale earns no credit: say why, cite a criterion and quote"
                    " the responses.",
                )
            ],
        )
    findings = [f for check in LINT_CHECKS for f in check(ctx)]
    penalty = sum(LINT_PENALTY[f.severity] for f in findings)
    return ComponentResult(max(0.0, 1.0 - penalty), findings)
