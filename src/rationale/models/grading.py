"""The grade of one judgment: severities, findings and the grade itself."""

from __future__ import annotations

from enum import Enum

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
