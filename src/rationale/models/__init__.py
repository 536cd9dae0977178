"""The data shapes of rationale: one pydantic model per shape, the single source of truth.

* `base`: the shared vocabulary (strict base model, identifiers, content hashes, A/B sides);
* `inputs`: what people write (rubric, item, gold answer, judgment);
* `grading`: a grade and its findings; `critique`: the LLM second reviewer's shapes;
* `reports`, `calibration`: what leaves the library (every `--json` output is a dump of one).

The JSON Schemas in ``rationale/schemas/`` are generated from `SCHEMA_MODELS`
(``make schemas``) and a test fails when the checked-in copies drift.
"""

from __future__ import annotations

from pydantic import BaseModel

from .base import (
    CONFIDENCE_LEVELS,
    CONFIDENCE_STATED,
    FLAGS,
    GRADER_VERSION,
    Flag,
    PREFERENCES,
    SCHEMA_VERSION,
    SWAP_SIDE,
    Identifier,
    NonBlank,
    Preference,
    Strict,
    content_hash,
    strength_side,
    swap_side,
)
from .batch_jobs import BatchCancel, BatchJob, BatchJobsReport
from .calibration import (
    Agreement,
    AnnotatorHistory,
    AnnotatorResult,
    CalibrationReport,
    ClassScore,
    ConfidenceCalibration,
    ConfidenceLevel,
    ConsistencyCheck,
    ContestedItem,
    EscalationResult,
    Estimate,
    HistoryRow,
    LeaveOneOut,
    PairTable,
    PairwiseAgreement,
    PreferenceAgreement,
    Rate,
    StrengthAgreement,
)
from .critique import (
    ISSUE_KINDS,
    CriterionReview,
    CriterionScore,
    Critique,
    CritiqueIssue,
    IssueKind,
    ReviewerCritique,
    ReviewerVerdict,
)
from .drafts import DraftKeyPoint, GoldDraftReply, GoldDraftReport
from .grading import Finding, Grade, KeyPointResult, Severity
from .inputs import (
    AcceptableAlternatives,
    ChatTurn,
    Criterion,
    EdgeCase,
    GoldAnswer,
    Item,
    Judgment,
    KeyPoint,
    Provenance,
    RationaleRequirements,
    Rubric,
    Scoring,
    ScoringWeights,
    StrengthStep,
)
from .reports import (
    Bias,
    CriterionCurve,
    CriterionWeakness,
    CritiqueBatchReport,
    FindingBrief,
    FindingCount,
    GradeReport,
    GradingSummary,
    ImportSummary,
    JudgmentResult,
    MissedKeyPoint,
    MissedKeyPointSeen,
    Progress,
    Revisions,
    RubricRef,
    RunInfo,
    SessionPoint,
)

from .reviewed import (
    READING_STATUSES,
    Baseline,
    GradeDifference,
    KeyPointReading,
    Proportion,
    ReviewedGrade,
    ReviewedGradeReport,
    ReviewerEvaluation,
    ReviewerReading,
)

INPUT_MODELS: dict[str, type[BaseModel]] = {
    "rubric": Rubric,
    "item": Item,
    "gold": GoldAnswer,
    "judgment": Judgment,
    "finding": Finding,
    "grade": Grade,
    "critique": Critique,
    "reviewed-grade": ReviewedGrade,
}
"""The shapes people and the reviewer write, and the stored grade and critique."""

OUTPUT_MODELS: dict[str, type[BaseModel]] = {
    "grade-report": GradeReport,
    "calibration-report": CalibrationReport,
    "calibration-history": AnnotatorHistory,
    "progress": Progress,
    "critique-report": CritiqueBatchReport,
    "critique-batch-jobs-report": BatchJobsReport,
    "reviewer-evaluation": ReviewerEvaluation,
    "reviewed-grade-report": ReviewedGradeReport,
    "import-summary": ImportSummary,
    "gold-draft-report": GoldDraftReport,
}
"""Every result that leaves the library, by the name of its schema."""

SCHEMA_MODELS: dict[str, type[BaseModel]] = {**INPUT_MODELS, **OUTPUT_MODELS}

__all__ = [
    "DraftKeyPoint", "GoldDraftReply", "GoldDraftReport", "CONFIDENCE_LEVELS", "CONFIDENCE_STATED", "ConfidenceCalibration", "ConfidenceLevel", "EdgeCase", "EscalationResult", "FLAGS", "Flag", "Provenance",
    "AcceptableAlternatives", "Agreement", "BatchCancel", "BatchJob", "BatchJobsReport", "AnnotatorHistory", "AnnotatorResult", "Bias", "CalibrationReport",
    "ChatTurn", "ClassScore", "ConsistencyCheck", "ContestedItem", "Criterion", "CriterionCurve", "CriterionReview",
    "CriterionScore", "CriterionWeakness", "Critique", "CritiqueBatchReport", "CritiqueIssue", "Estimate",
    "Finding", "FindingBrief", "FindingCount", "GRADER_VERSION", "GoldAnswer", "Grade", "GradeReport",
    "GradingSummary", "HistoryRow", "INPUT_MODELS", "ISSUE_KINDS", "Identifier", "ImportSummary", "IssueKind",
    "Item", "Judgment", "JudgmentResult", "KeyPoint", "KeyPointResult", "LeaveOneOut", "MissedKeyPoint", "MissedKeyPointSeen",
    "NonBlank",
    "OUTPUT_MODELS", "PREFERENCES", "PairTable", "PairwiseAgreement", "Preference", "PreferenceAgreement",
    "Progress", "Rate", "RationaleRequirements", "ReviewerCritique", "ReviewerEvaluation", "ReviewerVerdict", "Revisions",
    "Rubric", "RubricRef", "RunInfo", "SCHEMA_MODELS", "SCHEMA_VERSION", "SWAP_SIDE", "Scoring",
    "ScoringWeights", "SessionPoint", "Severity", "StrengthAgreement", "StrengthStep", "Strict",
    "content_hash", "strength_side", "swap_side",
    "READING_STATUSES", "Baseline", "GradeDifference", "KeyPointReading", "Proportion", "ReviewedGrade",
    "ReviewedGradeReport", "ReviewerReading",
]
