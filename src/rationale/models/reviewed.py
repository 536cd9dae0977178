"""The reviewer reaching the grade, and whether the reviewer is fit to review.

* `ReviewerReading` is what the reviewer model replies when it reads one
  rationale against the gold's key points (TASK: reading): for each key point
  made / contradicted / absent with the sentence, whether the argument supports
  the trainee's choice and whether the quoted evidence is real;
* `ReviewedGrade` is the grade the reviewer's reading reaches, kept beside the
  deterministic `Grade` (never replacing it), with every difference and why;
* `ReviewerEvaluation` is `critique --evaluate`: the reviewer's verdicts against
  gold with intervals, trivial baselines and a verdict in words.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from .base import Strict
from .calibration import Estimate
from .grading import Grade
from .reports import Output

ReadingStatus = Literal["made", "contradicted", "absent"]
READING_STATUSES: tuple[str, ...] = ReadingStatus.__args__  # type: ignore[attr-defined]


class KeyPointReading(Strict):
    """The reviewer's reading of one gold key point in the rationale."""

    status: ReadingStatus = Field(
        description="made (the rationale makes the point), contradicted (it says the opposite) or absent."
    )
    sentence: str = Field(
        default="", description="The rationale's sentence that makes or contradicts the point; empty when absent."
    )


class ReviewerReading(Strict):
    """What the reviewer model must return for TASK: reading (one rationale against the gold's key points)."""

    key_points: dict[str, KeyPointReading] = Field(
        description="Every gold key point id, each once, with the reviewer's reading of it."
    )
    argument_supports_choice: bool = Field(description="Whether the rationale's argument supports the trainee's own choice.")
    argument_comment: str = Field(default="", description="One sentence: why the argument does or does not support it.")
    evidence_real: bool = Field(
        description="Whether every quote is really in the response it is attributed to and shows what is claimed (true when nothing is quoted)."
    )
    evidence_comment: str = Field(default="", description="One sentence on the evidence; names a quote that is not real.")


GradeAspect = Literal["key_point", "argument", "evidence"]


class GradeDifference(Strict):
    """One place where the reviewer's reading differs from the deterministic grader's."""

    aspect: GradeAspect
    key_point: str | None = Field(default=None, description="The key point id, for aspect key_point.")
    grader: str = Field(description="What the deterministic grader found, e.g. `partial` or `quotes checked`.")
    reviewer: str = Field(description="What the reviewer found, e.g. `made` or `not real`.")
    applied: bool = Field(description="Whether the reviewed grade follows the reviewer here (see `explanation` when not).")
    explanation: str = Field(description="One sentence: what differs and why the reviewed grade does or does not follow.")


class ReviewedGrade(Strict):
    """The grade the reviewer's reading reaches, stored beside the deterministic grade (both are kept)."""

    judgment_hash: str
    item_id: str
    annotator: str
    model: str
    critique_id: str = Field(description="The `critiques` row whose reading this grade follows.")
    rubric_hash: str
    gold_hash: str
    grade: Grade = Field(description="The reviewed grade: the deterministic grader's scoring with the reviewer's reading where it differs.")
    deterministic_score: float
    deterministic_passed: bool
    reading: ReviewerReading
    differences: list[GradeDifference] = Field(default_factory=list)
    escalate: bool = False
    escalation_reasons: list[str] = Field(default_factory=list)


class Proportion(BaseModel):
    """k of n with its Wilson 95% interval (value null when n is 0)."""

    successes: int
    n: int
    value: float | None
    low: float
    high: float


class Baseline(BaseModel):
    """A trivial reviewer that needs no model, scored like the model."""

    name: str
    description: str
    agreement_with_ties: Proportion
    agreement_without_ties: Proportion


class ReviewerEvaluation(Output):
    """`critique --evaluate`: is this model fit to review? Every figure with n and a 95% interval."""

    model: str | None
    judgments: int = Field(description="Judgments evaluated, each once (its newest critique by the model, made without gold).")
    duplicates_left_out: int = Field(description="Older critiques of the same judgments (other rubric versions, re-runs).")
    excluded_with_gold: int = Field(description="Critiques made with --with-gold: that reviewer saw the answer.")
    failures: Proportion = Field(description="Critiques that failed (no valid reply): the failure rate.")
    agreement_with_ties: Proportion = Field(description="Final verdict equals gold's preference, over successful critiques.")
    agreement_without_ties: Proportion = Field(description="The same over pairs where neither gold nor the reviewer said tie.")
    order_consistency: Proportion = Field(description="Swapped critiques whose two verdicts (A/B and B/A) agree.")
    first_position: Proportion = Field(
        description="Decisive verdicts (both orders) that pick the response shown first; 50% for a reviewer without position bias."
    )
    kappa: Estimate = Field(description="Cohen's kappa of the final verdict against gold, bootstrap 95% interval.")
    kappa_words: str
    baselines: list[Baseline]
    confusion: dict[str, dict[str, int]] = Field(description="gold label -> reviewer label -> count")
    reviewed_grades: Proportion | None = Field(
        default=None, description="Reviewed grades that agree with the deterministic grade on pass/fail."
    )
    verdict: str = Field(description="In words: may a lead rely on this reviewer?")
    verdict_reasons: list[str] = Field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class ReviewedGradeReport(Output):
    """`grade --critique`: both grades of each graded judgment the reviewer read."""

    model: str
    reviewed: list[ReviewedGrade]
    not_reviewed: int = Field(description="Graded judgments with no reviewed grade (the critique failed or was not made).")

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
