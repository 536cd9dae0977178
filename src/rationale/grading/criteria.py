"""Scoring component `criteria`: F1 of the cited criteria (the ``criteria`` field, or those the
rationale's words cue when the field is empty) against gold's decisive criteria; skipped when gold
names none."""

from __future__ import annotations

from ..models import Severity
from .context import CheckContext, ComponentResult, finding


def cited_criteria(ctx: CheckContext) -> list[str]:
    """The criteria the judgment relies on.

    The judgment's ``criteria`` field when it lists any; otherwise the
    criteria whose cues the rationale uses (so a trainee who names criteria
    only in prose still gets credit). Vote-only judgments use the field only.
    """
    if ctx.judgment.criteria:
        return list(dict.fromkeys(ctx.judgment.criteria))
    return list(dict.fromkeys(cid for cid, _, _ in ctx.criteria_found))


def score_criteria(ctx: CheckContext) -> ComponentResult:
    """F1 of the cited criteria against gold's decisive criteria; skipped when gold names none."""
    decisive = list(dict.fromkeys(ctx.gold.gold.decisive_criteria))
    if not decisive:
        return ComponentResult(None, details={"precision": None, "recall": None})
    cited = cited_criteria(ctx)
    hits = [c for c in cited if c in decisive]
    precision = len(hits) / len(cited) if cited else 0.0
    recall = len(hits) / len(decisive)
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    names = ctx.rubric.criterion_names
    findings = [
        finding(
            "missed_decisive_criterion",
            Severity.major,
            f"You did not rely on {names.get(c, c)}, which decides this pair.",
            criterion=c,
        )
        for c in decisive
        if c not in cited
    ]
    findings.extend(
        finding(
            "irrelevant_criterion",
            Severity.minor,
            f"You relied on {names.get(c, c)}, which does not decide this pair.",
            criterion=c,
        )
        for c in cited
        if c not in decisive
    )
    return ComponentResult(f1, findings, {"precision": precision, "recall": recall})
