"""Scoring component `criteria`: are the criteria that decide the pair named and applied?

A decisive criterion is *applied* when the rationale's own words (quotes blanked)
appeal to it (its name, id or one of the rubric's cues for it), or when the judgment
lists it and the rationale makes (at least in part) one of the gold's key points: the
key points are where the decisive criteria bite. Listing it without either earns half
(a box ticked is not an argument); neither earns nothing. Each criterion listed that does not decide the
pair costs :data:`IRRELEVANT_COST`. Skipped when gold names no decisive criteria.

Precision and recall (reported, not scored) compare what the judgment says it relies
on (the field, or the criteria its words appeal to when the field is empty) with the
decisive criteria.
"""

from __future__ import annotations

from ..models import Severity
from .context import CheckContext, ComponentResult, finding

LISTED_NOT_APPLIED = 0.5
IRRELEVANT_COST = 0.25


def cited_criteria(ctx: CheckContext) -> list[str]:
    """What the judgment says it relies on: the ``criteria`` field when it lists any; otherwise the criteria
    its own words appeal to (vote-only judgments: the field only)."""
    if ctx.judgment.criteria:
        return list(dict.fromkeys(ctx.judgment.criteria))
    return list(dict.fromkeys(cid for cid, _, _ in ctx.criteria_found)) if ctx.rationale is not None else []


def score_criteria(ctx: CheckContext) -> ComponentResult:
    decisive = list(dict.fromkeys(ctx.gold.gold.decisive_criteria))
    if not decisive:
        return ComponentResult(None, details={"precision": None, "recall": None})
    applied = {cid for cid, _, _ in ctx.criteria_found} if ctx.rationale is not None else set()
    listed = set(ctx.judgment.criteria)
    if ctx.rationale is not None and any(r.status in ("made", "partial") for r in ctx.key_point_results):
        applied |= listed
    names = ctx.rubric.criterion_names
    findings = []
    earned = 0.0
    for c in decisive:
        if c in applied:
            earned += 1.0
        elif c in listed:
            earned += LISTED_NOT_APPLIED
            if ctx.rationale is not None:
                findings.append(
                    finding(
                        "criterion_not_applied",
                        Severity.minor,
                        f"You list {names.get(c, c)}, which decides this pair, but your rationale never says how it applies.",
                        criterion=c,
                    )
                )
        else:
            findings.append(
                finding("missed_decisive_criterion", Severity.major, f"You did not rely on {names.get(c, c)}, which decides this pair.", criterion=c)
            )
    irrelevant = [c for c in dict.fromkeys(ctx.judgment.criteria) if c not in decisive]
    findings.extend(
        finding("irrelevant_criterion", Severity.minor, f"You relied on {names.get(c, c)}, which does not decide this pair.", criterion=c)
        for c in irrelevant
    )
    credit = max(0.0, earned / len(decisive) - IRRELEVANT_COST * len(irrelevant))
    cited = cited_criteria(ctx)
    hits = [c for c in cited if c in decisive]
    precision = len(hits) / len(cited) if cited else 0.0
    return ComponentResult(credit, findings, {"precision": precision, "recall": len(hits) / len(decisive)})
