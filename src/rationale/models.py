"""The data shapes of rationale: one pydantic model per shape.

These models are the single source of truth. The JSON Schemas shipped in
``rationale/schemas/`` are generated from them (``make schemas``) and a test
fails when the checked-in copies drift.

Conventions
-----------
* Preference labels are ``"A"``, ``"B"`` and ``"tie"``.
* Strength is signed on the rubric's ordinal scale: negative favours A,
  positive favours B, 0 means about the same. The general rubric uses
  -3..+3 (``-3`` = A much better, ``+3`` = B much better).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from enum import Enum
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

SCHEMA_VERSION = 1

# Part of every grade's identity: bump it when a check, a finding's wording or the
# scoring changes, so re-running a batch stores fresh grades instead of keeping stale ones.
GRADER_VERSION = 1

Preference = Literal["A", "B", "tie"]
PREFERENCES: tuple[str, ...] = ("A", "B", "tie")

NonBlank = Annotated[str, Field(min_length=1, pattern=r"\S")]
Identifier = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:/-]*$")]


class Strict(BaseModel):
    """Unknown fields are an error: a typo in a field name must not pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def content_hash(data: object) -> str:
    """A stable short hash of JSON-able content (sorted keys, no whitespace)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def strength_side(strength: int) -> Preference:
    """The preference a signed strength expresses."""
    if strength < 0:
        return "A"
    if strength > 0:
        return "B"
    return "tie"


# --------------------------------------------------------------------------- rubric


class Criterion(Strict):
    id: Identifier
    name: NonBlank
    description: NonBlank
    weight: float = Field(gt=0, description="Relative importance; the rubric's criteria weights are normalised.")
    levels: dict[Literal["1", "2", "3", "4", "5"], NonBlank] = Field(
        description="Level descriptors for scores 1 (poor) to 5 (excellent)."
    )
    cues: list[NonBlank] = Field(
        default_factory=list,
        description="Phrases that show a rationale is appealing to this criterion (case-insensitive).",
    )

    @field_validator("levels", mode="before")
    @classmethod
    def _levels_keys_as_text(cls, value: object) -> object:
        # YAML authors write `1: ...`; JSON can only write "1". Accept both.
        if isinstance(value, dict):
            return {str(k): v for k, v in value.items()}
        return value

    @field_validator("levels")
    @classmethod
    def _all_five_levels(cls, value: dict[str, str]) -> dict[str, str]:
        missing = [k for k in ("1", "2", "3", "4", "5") if k not in value]
        if missing:
            raise ValueError(f"level descriptors must cover scores 1-5; missing {', '.join(missing)}")
        return value


class StrengthStep(Strict):
    value: int
    label: NonBlank


class RationaleRequirements(Strict):
    min_words: int = Field(default=25, ge=0)
    max_words: int = Field(default=250, ge=1)
    must_cite_criterion: bool = True
    must_quote_evidence: bool = True
    vague_phrases: list[NonBlank] = Field(default_factory=list)

    @model_validator(mode="after")
    def _min_below_max(self) -> "RationaleRequirements":
        if self.min_words > self.max_words:
            raise ValueError(f"min_words ({self.min_words}) is larger than max_words ({self.max_words})")
        return self


class ScoringWeights(Strict):
    """Weights of the grade's components; they must sum to 1."""

    preference: float = Field(ge=0, le=1)
    strength: float = Field(ge=0, le=1)
    criteria: float = Field(ge=0, le=1)
    key_points: float = Field(ge=0, le=1)
    evidence: float = Field(ge=0, le=1)
    rationale_quality: float = Field(ge=0, le=1)

    @model_validator(mode="after")
    def _sum_to_one(self) -> "ScoringWeights":
        total = sum(self.model_dump().values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"scoring weights must sum to 1, they sum to {total:g}")
        if self.preference < self.rationale_quality:
            # Otherwise flipping a correct choice could raise the score by removing a
            # "contradicts your choice" lint penalty: the right answer must count for more.
            raise ValueError(
                f"the preference weight ({self.preference:g}) must be at least the rationale_quality weight"
                f" ({self.rationale_quality:g}): choosing the right response must count for more than how the rationale reads"
            )
        return self


class Scoring(Strict):
    weights: ScoringWeights
    pass_mark: float = Field(ge=0, le=100, description="Score (0-100) at or above which a judgment passes.")


class Rubric(Strict):
    id: Identifier
    title: NonBlank
    version: NonBlank
    description: str = ""
    criteria: list[Criterion] = Field(min_length=1)
    strength_scale: list[StrengthStep] = Field(
        min_length=3,
        description="Ordinal preference-strength scale: negative = A better, 0 = about the same, positive = B better.",
    )
    criteria_priority: list[Identifier] = Field(
        default_factory=list,
        description="Criterion ids, most important first: which wins when criteria conflict.",
    )
    rationale: RationaleRequirements = Field(default_factory=RationaleRequirements)
    scoring: Scoring

    @model_validator(mode="after")
    def _consistent(self) -> "Rubric":
        ids = [c.id for c in self.criteria]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"criterion ids must be unique; repeated: {', '.join(dupes)}")
        unknown = [c for c in self.criteria_priority if c not in ids]
        if unknown:
            raise ValueError(f"criteria_priority names unknown criteria: {', '.join(unknown)}")
        if len(set(self.criteria_priority)) != len(self.criteria_priority):
            raise ValueError("criteria_priority lists a criterion twice")
        values = sorted(s.value for s in self.strength_scale)
        if len(set(values)) != len(values):
            raise ValueError("strength_scale repeats a value")
        top = max(-values[0], values[-1])  # name the range the author meant: -3..2 is short of -3..3
        if values != list(range(-top, top + 1)):
            raise ValueError(
                f"strength_scale must be the contiguous symmetric range -{top}..{top} including 0; got {values}"
            )
        return self

    @property
    def max_strength(self) -> int:
        return max(s.value for s in self.strength_scale)

    @property
    def criterion_ids(self) -> list[str]:
        return [c.id for c in self.criteria]

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    def strength_label(self, value: int) -> str:
        for s in self.strength_scale:
            if s.value == value:
                return s.label
        raise KeyError(value)

    @property
    def content_hash(self) -> str:
        return content_hash(self.model_dump(mode="json"))


# --------------------------------------------------------------------------- items


class ChatTurn(Strict):
    role: Literal["system", "user", "assistant"]
    content: str


class Item(Strict):
    id: Identifier
    prompt: NonBlank | list[ChatTurn] = Field(description="A single prompt, or the conversation so far as chat turns.")
    response_a: NonBlank
    response_b: NonBlank
    source: str | None = None
    domain: str | None = None
    tags: list[str] = Field(default_factory=list)

    @field_validator("prompt")
    @classmethod
    def _turns_not_empty(cls, value: object) -> object:
        if isinstance(value, list) and not value:
            raise ValueError("a chat prompt needs at least one turn")
        return value

    @property
    def prompt_text(self) -> str:
        """The prompt as plain text (chat turns as `role: content` lines)."""
        if isinstance(self.prompt, str):
            return self.prompt
        return "\n\n".join(f"{t.role}: {t.content}" for t in self.prompt)

    def response(self, side: Literal["A", "B"]) -> str:
        return self.response_a if side == "A" else self.response_b

    @property
    def content_hash(self) -> str:
        return content_hash(self.model_dump(mode="json"))


# --------------------------------------------------------------------------- gold


class AcceptableAlternatives(Strict):
    """For genuinely close pairs: other answers that still earn full credit."""

    preferences: list[Preference] = Field(default_factory=list)
    strength_min: int | None = None
    strength_max: int | None = None

    @model_validator(mode="after")
    def _range_ordered(self) -> "AcceptableAlternatives":
        if self.strength_min is not None and self.strength_max is not None and self.strength_min > self.strength_max:
            raise ValueError(f"strength_min ({self.strength_min}) is above strength_max ({self.strength_max})")
        return self


class KeyPoint(Strict):
    id: Identifier
    text: NonBlank = Field(description="What a good rationale says, in the lead's words.")
    cues: list[NonBlank] = Field(default_factory=list, description="Any of these phrases (case-insensitive) makes the point.")
    pattern: str | None = Field(default=None, description="A regular expression (case-insensitive) that makes the point.")

    @model_validator(mode="after")
    def _detectable(self) -> "KeyPoint":
        if not self.cues and not self.pattern:
            raise ValueError(f"key point {self.id!r} needs cues or a pattern to be detectable")
        if self.pattern is not None:
            import re

            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"pattern is not a valid regular expression: {exc}") from None
        return self


class GoldAnswer(Strict):
    item_id: Identifier
    preference: Preference
    strength: int
    acceptable: AcceptableAlternatives | None = None
    decisive_criteria: list[Identifier] = Field(default_factory=list)
    key_points: list[KeyPoint] = Field(default_factory=list)
    reference_rationale: NonBlank
    difficulty: Literal["easy", "medium", "hard"] = "medium"
    tags: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _strength_agrees(self) -> "GoldAnswer":
        if strength_side(self.strength) != self.preference:
            raise ValueError(
                f"strength {self.strength:+d} does not agree with preference {self.preference}"
                " (negative favours A, positive favours B, 0 is a tie)"
            )
        return self

    @property
    def content_hash(self) -> str:
        return content_hash(self.model_dump(mode="json"))


# --------------------------------------------------------------------------- judgments


class Judgment(Strict):
    """A trainee's answer to one item."""

    item_id: Identifier
    annotator: NonBlank
    preference: Preference
    strength: int | None = Field(default=None, description="Signed strength on the rubric's scale; absent for vote-only data.")
    criteria: list[Identifier] = Field(default_factory=list, description="Rubric criterion ids the annotator relied on.")
    rationale: NonBlank | None = Field(default=None, description="The written reasoning; absent for vote-only data, never blank.")
    seconds: float | None = Field(default=None, ge=0)
    timestamp: datetime | None = None

    @model_validator(mode="after")
    def _strength_agrees(self) -> "Judgment":
        if self.strength is not None and strength_side(self.strength) != self.preference:
            raise ValueError(
                f"strength {self.strength:+d} contradicts preference {self.preference}"
                " (negative favours A, positive favours B, 0 is a tie)"
            )
        return self

    @property
    def content_hash(self) -> str:
        """Identity of this version of the answer (time spent and timestamp excluded)."""
        return content_hash(
            {
                "item_id": self.item_id,
                "annotator": self.annotator,
                "preference": self.preference,
                "strength": self.strength,
                "criteria": self.criteria,
                "rationale": self.rationale,
            }
        )


# --------------------------------------------------------------------------- grading


class Severity(str, Enum):
    critical = "critical"  # the answer is wrong or the evidence is invented
    major = "major"  # a real weakness a lead would correct
    minor = "minor"  # worth fixing, costs little
    info = "info"  # a note, costs nothing


class Finding(Strict):
    code: str = Field(description="Stable machine-readable code, e.g. `fabricated_quote`.")
    severity: Severity
    message: str = Field(description="One sentence a trainee understands.")
    span: str | None = Field(default=None, description="The offending text of the rationale, where there is one.")
    criterion: str | None = None
    key_point: str | None = None


class Grade(Strict):
    """The deterministic grade of one judgment against gold under one rubric."""

    item_id: str
    annotator: str
    judgment_hash: str
    rubric_hash: str
    gold_hash: str
    score: float = Field(ge=0, le=100)
    passed: bool
    components: dict[str, float | None] = Field(
        description="Credit 0-1 per scoring component; null where the component was skipped."
    )
    preference_correct: bool
    strength_distance: int | None = None
    criteria_precision: float | None = None
    criteria_recall: float | None = None
    key_points_made: list[str] = Field(default_factory=list)
    key_points_missed: list[str] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)



# --------------------------------------------------------------------------- LLM critique (second reviewer)

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


SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    "rubric": Rubric,
    "item": Item,
    "gold": GoldAnswer,
    "judgment": Judgment,
    "finding": Finding,
    "grade": Grade,
    "critique": Critique,
}
