"""The grade of one judgment: severities, findings and the grade itself."""

from __future__ import annotations

from enum import Enum
from typing import Literal

from pydantic import Field

from .base import Strict


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


ESCALATION = "escalation"
ESCALATION_WEIGHT = 0.10
"""Share of the overall score given to escalation where it applies (the gold marks an edge case, or the answer
is flagged): a fixed share, not a rubric weight, so rubrics written before it keep their meaning."""


def effective_weights(rubric_weights: dict[str, float], components: dict[str, float | None]) -> dict[str, float]:
    """The weight of every component of a grade that was not skipped: the rubric's, and escalation's fixed share."""
    weights = {name: rubric_weights[name] for name, credit in components.items() if credit is not None and name in rubric_weights}
    if components.get(ESCALATION) is not None:
        weights[ESCALATION] = ESCALATION_WEIGHT / (1 - ESCALATION_WEIGHT) * (sum(weights.values()) or 1.0)
    return weights


KeyPointStatus = Literal["made", "partial", "absent", "contradicted", "wrong_side"]


class KeyPointResult(Strict):
    """How one gold key point fared in a rationale."""

    key_point: str
    status: KeyPointStatus = Field(
        description="made; partial (touched on, or hedged); absent; contradicted (the rationale says the opposite);"
        " wrong_side (said of the other response)."
    )
    credit: float = Field(ge=0, le=1)
    sentence: str | None = Field(default=None, description="The rationale's words that make, contradict or misplace it.")
    hedged: bool = False


class Grade(Strict):
    """The deterministic grade of one judgment against gold under one rubric."""

    item_id: str
    annotator: str
    judgment_hash: str
    rubric_hash: str
    gold_hash: str
    score: float = Field(ge=0, le=100, description="Overall 0-100: the verdict and the reasoning weighted by the rubric, capped by critical findings.")
    verdict_score: float | None = Field(
        default=None, ge=0, le=100, description="The choice and its strength, 0-100 (null for grades made by grader version 1)."
    )
    reasoning_score: float | None = Field(
        default=None,
        ge=0,
        le=100,
        description="Key points, evidence, criteria applied and argument, 0-100, before caps (null for grader version 1).",
    )
    passed: bool
    components: dict[str, float | None] = Field(
        description="Credit 0-1 per scoring component; null where the component was skipped."
    )
    preference_correct: bool
    strength_distance: int | None = None
    criteria_precision: float | None = None
    criteria_recall: float | None = None
    key_points_made: list[str] = Field(default_factory=list)
    key_points_missed: list[str] = Field(default_factory=list, description="Every key point not fully made.")
    key_points: list[KeyPointResult] = Field(default_factory=list, description="Each gold key point, in gold's order.")
    findings: list[Finding] = Field(default_factory=list)
    escalation: Literal["hit", "miss", "false_alarm"] | None = Field(
        default=None,
        description="Against the gold's edge-case marking: hit (flagged an edge case), miss (an edge case not flagged),"
        " false_alarm (flagged a clear item); null for a clear item answered without a flag.",
    )
