"""The LLM second reviewer's shapes: what it must reply, and the stored critique."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import Identifier, Preference, Strict
from .grading import Severity


IssueKind = Literal[
    "unsupported_claim",
    "missed_decisive_factor",
    "factual_error",
    "vague",
    "contradicts_choice",
    "fabricated_quote",
    "verbosity_bias",
    "injection_attempt",
    "other",
]
ISSUE_KINDS: tuple[str, ...] = IssueKind.__args__  # type: ignore[attr-defined]


class CriterionScore(Strict):
    criterion: Identifier = Field(description="A rubric criterion id.")
    score: int = Field(ge=1, le=5, description="The rubric's level (1-5) the rationale reaches on this criterion.")
    comment: str


class CriterionReview(Strict):
    """One criterion's score in the reviewer's reply, which keys them by criterion id."""

    score: int = Field(ge=1, le=5, description="The rubric's level (1-5) the rationale reaches on this criterion.")
    comment: str


class CritiqueIssue(Strict):
    kind: IssueKind
    severity: Severity
    span: str | None = Field(default=None, description="The offending text of the rationale, where there is one.")
    explanation: str


class _Verdict(Strict):
    """A preference with an unsigned strength: the side is said once, so it cannot contradict a sign."""

    @model_validator(mode="after")
    def _strength_fits_preference(self):  # type: ignore[no-untyped-def]
        tie = self.preference == "tie"  # type: ignore[attr-defined]
        if tie and self.strength != 0:  # type: ignore[attr-defined]
            raise ValueError("a tie has strength 0")
        if not tie and self.strength == 0:  # type: ignore[attr-defined]
            raise ValueError(f"preference {self.preference} needs a strength of at least 1 (0 means a tie)")  # type: ignore[attr-defined]
        return self

    @property
    def signed_strength(self) -> int:
        """On the rubric's signed scale: negative favours A, positive favours B."""
        return -self.strength if self.preference == "A" else self.strength  # type: ignore[attr-defined]


class ReviewerVerdict(_Verdict):
    """The reviewer's own pairwise verdict (asked in both A/B orders)."""

    preference: Preference
    strength: int = Field(ge=0, description="How much better the preferred response is: 0 for a tie, else 1 up to the scale's maximum.")
    confidence: float = Field(ge=0, le=1)
    reason: str = ""


class ReviewerCritique(_Verdict):
    """What the reviewer model must return for one rationale."""

    criteria: dict[str, CriterionReview] = Field(
        description="Every rubric criterion id, each once (an object, so a reply cannot repeat or skip one)."
    )
    issues: list[CritiqueIssue] = Field(default_factory=list)
    strengths: list[str] = Field(default_factory=list)
    preference: Preference = Field(description="The reviewer's own choice.")
    strength: int = Field(ge=0, description="How much better the reviewer's choice is: 0 for a tie, else 1 up to the scale's maximum.")
    supports_choice: bool = Field(description="Whether the rationale supports the trainee's own choice.")
    suggested_rationale: str
    confidence: float = Field(ge=0, le=1)


class Critique(Strict):
    """A stored second review of one judgment; failed critiques carry a reason and no scores."""

    judgment_hash: str
    item_id: str
    annotator: str
    model: str
    template_version: str
    rubric_hash: str
    with_gold: bool = False
    status: Literal["ok", "failed"]
    failure_reason: str | None = None
    criteria: list[CriterionScore] = Field(default_factory=list)
    issues: list[CritiqueIssue] = Field(default_factory=list)
    strengths: list[str] = Field(default_factory=list)
    verdict_ab: ReviewerVerdict | None = Field(default=None, description="The verdict with A and B in their given order.")
    verdict_ba: ReviewerVerdict | None = Field(
        default=None, description="The verdict asked with A and B swapped, mapped back to the original labels."
    )
    consistent_across_orders: bool | None = None
    preference: Preference | None = Field(default=None, description="Final verdict: a tie when the two orders disagree.")
    strength: int | None = Field(default=None, description="Final signed strength: negative favours A, positive favours B.")
    supports_choice: bool | None = None
    suggested_rationale: str | None = None
    confidence: float | None = Field(default=None, ge=0, le=1)
    escalate: bool = False
    escalation_reasons: list[str] = Field(default_factory=list)
    tokens_in: int = 0
    tokens_out: int = 0
    cost: float | None = Field(default=None, description="USD from litellm's price list; null where the model is not priced.")
    latency_seconds: float = 0.0
    raw_responses: list[str] = Field(default_factory=list)
