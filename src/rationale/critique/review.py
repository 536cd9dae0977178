"""One critique: the two verdicts combined (position bias), the detector's findings added, escalation.

A critique of one judgment takes one or two requests:

* the *critique* request shows the item, both responses in their given order,
  the trainee's choice and rationale (and the lead's gold answer only with
  `--with-gold`) and asks for per-criterion scores, issues, strengths, the
  reviewer's own verdict, whether the rationale supports the choice, a better
  rationale and a confidence;
* unless `--no-swap`, a *verdict* request shows the item with A and B swapped
  (no rationale, so the reviewer judges the pair alone) and asks only for the
  reviewer's own verdict. Mapped back to the original labels it must agree with
  the first verdict; when it does not, the final verdict is a tie with low
  confidence (the MT-Bench practice) and the critique is escalated.

The prompts themselves are in `rationale.llm.prompts`; the replies are read by
`rationale.llm.parsing`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..grading.injection import InjectionHit, detect_injection
from ..llm.parsing import criterion_scores
from ..models import (
    Critique,
    CritiqueIssue,
    GoldAnswer,
    Item,
    Judgment,
    ReviewerCritique,
    ReviewerVerdict,
    Rubric,
    Severity,
    content_hash,
    swap_side,
)

TEMPLATE_VERSION = "critique-v1"
LOW_CONFIDENCE = 0.5  # below this the reviewer is "unsure" and a lead should look
INCONSISTENT_CONFIDENCE = 0.2  # the confidence of a tie forced by disagreeing orders


def unswap(verdict: ReviewerVerdict) -> ReviewerVerdict:
    """A verdict given with A and B swapped, expressed in the original labels."""
    return verdict.model_copy(update={"preference": swap_side(verdict.preference)})


def final_verdict(ab: ReviewerVerdict, ba: ReviewerVerdict | None) -> tuple[str, int, float, bool | None]:
    """(preference, signed strength, confidence, consistent) from the verdicts in both orders."""
    if ba is None:
        return ab.preference, ab.signed_strength, ab.confidence, None
    if ab.preference != ba.preference:
        return "tie", 0, min(ab.confidence, ba.confidence, INCONSISTENT_CONFIDENCE), False
    # Same side: keep the milder strength, the cautious reading of two opinions.
    milder = ab if ab.strength <= ba.strength else ba
    return ab.preference, milder.signed_strength, min(ab.confidence, ba.confidence), True


def escalation_reasons(
    *,
    judgment: Judgment,
    preference: str,
    confidence: float,
    consistent: bool | None,
    gold: GoldAnswer | None,
    injection: Iterable[InjectionHit],
) -> list[str]:
    reasons = []
    if preference != judgment.preference:
        reasons.append(f"disagrees_with_trainee: reviewer {preference}, trainee {judgment.preference}")
    if gold is not None:
        accepted = {gold.preference, *(gold.acceptable.preferences if gold.acceptable else [])}
        if preference not in accepted:
            reasons.append(f"disagrees_with_gold: reviewer {preference}, gold {gold.preference}")
    if consistent is False:
        reasons.append("inconsistent_across_orders: the verdict changed when A and B were swapped")
    if confidence < LOW_CONFIDENCE:
        reasons.append(f"unsure: confidence {confidence:.2f}")
    reason = injection_reason(injection)
    if reason:
        reasons.append(reason)
    return reasons


def injection_reason(hits: Iterable[InjectionHit]) -> str | None:
    """The escalation reason for detector hits, naming each rule once; None without hits."""
    rules = sorted({h.rule for h in hits})
    return "injection_attempt: " + "; ".join(rules) if rules else None


def _identity(setup: ReviewSetup, task: CritiqueTask) -> dict[str, Any]:
    """What every critique of this task records, whether the review succeeded or failed."""
    return {
        "judgment_hash": task.judgment_hash,
        "item_id": task.item.id,
        "annotator": task.judgment.annotator,
        "model": setup.model,
        "template_version": TEMPLATE_VERSION,
        "rubric_hash": setup.rubric_hash,
        "with_gold": setup.with_gold,
    }


def injection_issues(hits: Iterable[InjectionHit], reported: list[CritiqueIssue]) -> list[CritiqueIssue]:
    """Issues for detector hits the reviewer did not already report with the same span."""
    seen = {(i.span or "").lower() for i in reported if i.kind == "injection_attempt"}
    extra = []
    for hit in hits:
        if hit.span.lower() in seen:
            continue
        seen.add(hit.span.lower())
        extra.append(
            CritiqueIssue(
                kind="injection_attempt",
                severity=Severity.critical,
                span=hit.span,
                explanation=f"The rationale tries to instruct the reviewer ({hit.rule}); flagged by the deterministic detector.",
            )
        )
    return extra


@dataclass
class CritiqueTask:
    """One stored judgment to review, with what the reviewer may see."""

    judgment_hash: str
    judgment: Judgment
    item: Item
    item_hash: str
    gold: GoldAnswer | None  # used for escalation always; shown to the reviewer only with --with-gold
    gold_hash: str | None


@dataclass(frozen=True)
class ReviewSetup:
    model: str
    rubric: Rubric
    with_gold: bool = False
    swap: bool = True
    rubric_hash: str = ""  # filled in once: hashing a rubric re-serialises it

    def __post_init__(self) -> None:
        if not self.rubric_hash:
            object.__setattr__(self, "rubric_hash", self.rubric.content_hash)

    def critique_key(self, task: CritiqueTask) -> str:
        j = task.judgment
        return content_hash(
            {
                "kind": "critique",
                "model": self.model,
                "template": TEMPLATE_VERSION,
                "rubric": self.rubric_hash,
                "item": task.item_hash,
                "rationale": content_hash(j.rationale or ""),
                "choice": [j.preference, j.strength, j.criteria],
                "gold": task.gold_hash if self.with_gold else None,
            }
        )

    def verdict_key(self, task: CritiqueTask) -> str:
        return content_hash(
            {"kind": "verdict", "model": self.model, "template": TEMPLATE_VERSION, "rubric": self.rubric_hash,
             "item": task.item_hash, "order": "BA"}
        )

    def row_id(self, task: CritiqueTask) -> str:
        return content_hash({"judgment": task.judgment_hash, "critique": self.critique_key(task), "swap": self.swap})


def build_critique(
    setup: ReviewSetup,
    task: CritiqueTask,
    reviewed: ReviewerCritique,
    swapped_verdict: ReviewerVerdict | None,
    *,
    tokens_in: int,
    tokens_out: int,
    cost: float | None,
    latency: float,
    raw: list[str],
) -> Critique:
    ab = ReviewerVerdict(preference=reviewed.preference, strength=reviewed.strength, confidence=reviewed.confidence)
    ba = unswap(swapped_verdict) if swapped_verdict is not None else None
    preference, strength, confidence, consistent = final_verdict(ab, ba)
    hits = detect_injection(task.judgment.rationale)
    issues = list(reviewed.issues) + injection_issues(hits, list(reviewed.issues))
    reasons = escalation_reasons(
        judgment=task.judgment, preference=preference, confidence=confidence, consistent=consistent, gold=task.gold,
        injection=hits,
    )
    return Critique(
        **_identity(setup, task),
        status="ok",
        criteria=criterion_scores(reviewed, setup.rubric),
        issues=issues,
        strengths=reviewed.strengths,
        verdict_ab=ab,
        verdict_ba=ba,
        consistent_across_orders=consistent,
        preference=preference,  # type: ignore[arg-type]
        strength=strength,
        supports_choice=reviewed.supports_choice,
        suggested_rationale=reviewed.suggested_rationale,
        confidence=confidence,
        escalate=bool(reasons),
        escalation_reasons=reasons,
        tokens_in=tokens_in,
        tokens_out=tokens_out,
        cost=cost,
        latency_seconds=latency,
        raw_responses=raw,
    )


def failed_critique(
    setup: ReviewSetup, task: CritiqueTask, reason: str, *, tokens_in: int, tokens_out: int, cost: float | None,
    latency: float, raw: list[str],
) -> Critique:
    hits = detect_injection(task.judgment.rationale)
    reason_for_lead = injection_reason(hits)
    return Critique(
        **_identity(setup, task),
        status="failed",
        failure_reason=reason,
        # The detector needs no model: an injection attempt is flagged and escalated even when the review failed.
        issues=injection_issues(hits, []),
        escalate=reason_for_lead is not None,
        escalation_reasons=[reason_for_lead] if reason_for_lead else [],
        tokens_in=tokens_in,
        tokens_out=tokens_out,
        cost=cost,
        latency_seconds=latency,
        raw_responses=raw,
    )
