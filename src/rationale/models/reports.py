"""What leaves the library: the reports of `grade`, `critique`, `progress` and `import`.

Each is a pydantic model; `--json` prints its dump and `schemas/` holds its
generated JSON Schema (checked for drift like the input schemas).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_serializer

from ..errors import InputProblem
from .confidence import ConfidenceCalibration

GRADE_REPORT_VERSION = 1


class Output(BaseModel):
    """A report: built by the library (no re-validation needed), dumped as JSON."""

    model_config = ConfigDict(validate_assignment=False)


# --------------------------------------------------------------------------- grade


class FindingBrief(NamedTuple):
    code: str
    severity: str
    message: str
    span: str | None = None
    criterion: str | None = None
    key_point: str | None = None


class JudgmentResult(NamedTuple):
    """What the report shows for one judgment (the full grade is in the database).

    A tuple rather than a model: 100,000 of them are built and kept, and a
    pydantic instance costs six times the memory. `record()` is its JSON
    shape, described by `ResultRecord`.
    """

    path: str
    line: int
    item_id: str
    annotator: str
    preference: str
    strength: int | None
    gold_preference: str
    gold_strength: int
    score: float
    passed: bool
    preference_correct: bool
    strength_distance: int | None
    key_points_missed: tuple[str, ...]
    findings: tuple[FindingBrief, ...]  # most severe first, as the grader orders them
    judgment_hash: str = ""  # the stored answer (`judgments.hash`), for follow-up commands such as a critique
    verdict_score: float | None = None
    reasoning_score: float | None = None
    key_points: tuple[tuple[str, str, float, str | None], ...] = ()  # (key point, status, credit, sentence)

    def top_findings(self, n: int = 3) -> tuple[FindingBrief, ...]:
        """The n most severe problems, then every info note (notes explain the result, e.g. a pass held back)."""
        problems = tuple(f for f in self.findings if f.severity != "info")
        return problems[:n] + tuple(f for f in self.findings if f.severity == "info")

    def record(self) -> dict[str, Any]:
        """The result as it appears in `grade --json` (see `ResultRecord`)."""
        return {
            "file": self.path,
            "line": self.line,
            "item_id": self.item_id,
            "annotator": self.annotator,
            "judgment_hash": self.judgment_hash,
            "preference": self.preference,
            "strength": self.strength,
            "gold": {"preference": self.gold_preference, "strength": self.gold_strength},
            "score": self.score,
            "verdict_score": self.verdict_score,
            "reasoning_score": self.reasoning_score,
            "passed": self.passed,
            "preference_correct": self.preference_correct,
            "strength_distance": self.strength_distance,
            "key_points_missed": list(self.key_points_missed),
            "key_points": [
                {"key_point": k, "status": status, "credit": credit, "sentence": sentence}
                for k, status, credit, sentence in self.key_points
            ],
            "findings": [f._asdict() for f in self.findings],
        }


class FindingRecord(BaseModel):
    code: str
    severity: str
    message: str
    span: str | None
    criterion: str | None
    key_point: str | None


class GoldRecord(BaseModel):
    preference: str
    strength: int


class KeyPointRecord(BaseModel):
    key_point: str
    status: str = Field(description="made, partial, absent, contradicted or wrong_side")
    credit: float
    sentence: str | None = Field(description="The rationale's words that make, contradict or misplace the point.")


class ResultRecord(BaseModel):
    """One judgment's result in `grade --json`."""

    file: str
    line: int
    item_id: str
    annotator: str
    judgment_hash: str
    preference: str
    strength: int | None
    gold: GoldRecord
    score: float
    verdict_score: float | None = Field(description="The choice and its strength, 0-100.")
    reasoning_score: float | None = Field(description="Key points, evidence, criteria applied and argument, 0-100.")
    passed: bool
    preference_correct: bool
    strength_distance: int | None
    key_points_missed: list[str]
    key_points: list[KeyPointRecord]
    findings: list[FindingRecord]


class CriterionWeakness(BaseModel):
    criterion: str
    name: str
    missed: int  # decisive for the item but not cited
    irrelevant: int  # cited but not decisive for the item

    @property
    def total(self) -> int:
        return self.missed + self.irrelevant


class MissedKeyPoint(BaseModel):
    """A gold key point and how often answers missed it."""

    item_id: str
    key_point: str
    text: str
    missed: int


class GradingSummary(BaseModel):
    n: int
    preference_correct: int
    accuracy: float | None
    mean_score: float | None
    mean_verdict: float | None = None
    mean_reasoning: float | None = None
    passed: int
    pass_rate: float | None
    weakest_criteria: list[CriterionWeakness]
    most_missed_key_points: list[MissedKeyPoint]
    finding_counts: dict[str, int]


class RubricRef(BaseModel):
    id: str
    title: str
    version: str
    hash: str
    pass_mark: float
    reasoning_pass_mark: float | None = None


class RunInfo(BaseModel):
    id: int
    db: str
    started: str
    finished: str
    seconds: float
    inputs: dict[str, Any]
    counts: dict[str, int]


class GradeReport(Output):
    """`rationale grade`: the run, the rubric, the summary and one result per judgment."""

    version: int = GRADE_REPORT_VERSION
    run: RunInfo
    rubric: RubricRef
    summary: GradingSummary
    skipped: dict[str, int] = Field(default_factory=dict)  # judgments not graded, by reason (e.g. no gold for the item)
    # Held as JudgmentResult tuples (see there); the schema and the dump are ResultRecord's.
    results: list[ResultRecord] = Field(default_factory=list)

    @field_serializer("results")
    def _records(self, results: list[Any]) -> list[dict[str, Any]]:
        return [r.record() if isinstance(r, JudgmentResult) else r for r in results]

    @property
    def run_id(self) -> int:
        return self.run.id

    @property
    def db_path(self) -> str:
        return self.run.db

    @property
    def counts(self) -> dict[str, int]:
        return self.run.counts


# --------------------------------------------------------------------------- critique


class LLMRunReport(Output):
    """What every batch of LLM requests reports: requests sent and cached, tokens, cost, why it stopped."""

    model: str
    to_do: int = 0
    failed: int = 0
    not_started: int = 0  # left for a later run because the budget ran out
    calls_sent: int = 0  # requests that reached the model (repairs included, retries not)
    calls_cached: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost: float = 0.0
    cost_known: bool = True
    stopped: str | None = None
    failures: list[dict[str, str]] = Field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class CritiqueBatchReport(LLMRunReport):
    """`rationale critique`: what was selected, sent, cached, spent, and escalated."""

    selected: int = 0  # judgments with a rationale matching the filters
    already_done: int = 0  # critiqued before under the same setup
    skipped_failed: int = 0  # failed before; retried only with --retry-failed
    succeeded: int = 0
    dry_run: bool = False
    estimated_calls: int = 0
    estimated_prompt_tokens: int = 0
    max_output_tokens: int = 0
    estimated_cost: float | None = None  # dry run: at most this many USD; None when the model is not priced
    static_prefix_share: float | None = None
    seconds: float = 0.0  # wall time of the run so far
    failures: list[dict[str, str]] = Field(default_factory=list)
    escalations: list[dict[str, Any]] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    reviewed: list[dict[str, Any]] = Field(default_factory=list)  # one short summary per critique made this run


# --------------------------------------------------------------------------- progress


class SessionPoint(BaseModel):
    label: str  # "drill 3" or "graded run 7"
    kind: str  # drill | graded
    started: str | None
    answered: int
    accuracy: float
    mean_score: float
    mean_verdict: float | None = Field(default=None, description="Mean verdict grade, 0-100 (grader version 2 grades only).")
    mean_reasoning: float | None = Field(default=None, description="Mean reasoning grade, 0-100 (grader version 2 grades only).")
    pass_rate: float
    edge_cases: int = Field(default=0, description="Answers to items the gold marks as edge cases.")
    escalated: int = Field(default=0, description="Of those, answers that flagged the item (hits).")
    false_alarms: int = Field(default=0, description="Answers that flagged an item the gold finds clear.")
    confident_answers: int = Field(default=0, description="Answers that stated a confidence.")
    mean_stated: float | None = Field(default=None, description="Their mean stated probability of being right (1 = 50% ... 5 = 100%).")
    accuracy_stated: float | None = Field(default=None, description="How often those answers were right.")


class CriterionCurve(BaseModel):
    criterion: str
    points: list[float | None]  # one per session: cited / decisive, None where it was never decisive
    cited: int
    decisive: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def rate(self) -> float | None:
        return self.cited / self.decisive if self.decisive else None


class MissedKeyPointSeen(MissedKeyPoint):
    """A missed key point with how often the trainee met it."""

    seen: int


class Bias(BaseModel):
    answers: int  # answers with a side chosen (ties left out)
    picked_rate: float | None  # share picking the shown-A (or longer) response
    gold_rate: float | None  # share where the gold picks it, on the same answers

    @computed_field  # type: ignore[prop-decorator]
    @property
    def bias(self) -> float | None:
        if self.picked_rate is None or self.gold_rate is None:
            return None
        return self.picked_rate - self.gold_rate


class FindingCount(BaseModel):
    code: str
    count: int


class Revisions(BaseModel):
    """Answers revised with `rationale revise`: counted once, in the session of the answer they revise."""

    answers: int = 0  # answers revised at least once
    mean_before: float | None = None  # mean score of those answers as first given
    mean_after: float | None = None  # mean score of their newest revisions


class Progress(Output):
    """`rationale progress NAME`: one trainee over time."""

    annotator: str
    answered: int
    sessions: list[SessionPoint]
    criteria: list[CriterionCurve]
    missed_key_points: list[MissedKeyPointSeen]
    position: Bias
    length: Bias
    swaps: int
    swaps_consistent: int
    top_findings: list[FindingCount]
    revisions: Revisions = Field(default_factory=Revisions)
    next_focus: list[str] = Field(default_factory=list)
    escalation_hits: int = Field(default=0, description="Edge cases flagged, over every session.")
    escalation_misses: int = Field(default=0, description="Edge cases answered without a flag.")
    false_alarms: int = Field(default=0, description="Clear items flagged.")
    confidence: ConfidenceCalibration | None = Field(default=None, description="Accuracy by stated confidence, over every session.")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def consistency(self) -> float | None:
        return self.swaps_consistent / self.swaps if self.swaps else None

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


# --------------------------------------------------------------------------- import


class ImportSummary(Output):
    """`rationale import`: what was read, written and skipped."""

    format: str
    sources: list[str]
    output_dir: str
    read: int = 0
    items: int = 0
    gold: int = 0
    judgments: int = 0
    skipped: dict[str, int] = Field(default_factory=dict)
    skipped_examples: dict[str, list[str]] = Field(default_factory=dict)
    bad_rows: list[InputProblem] = Field(default_factory=list)
    limit_reached: bool = False
    files: list[str] = Field(default_factory=list)
    judge_verdicts: int = 0  # written to judges.jsonl: scored against gold by `calibrate --judges`, never part of gold
    kept: dict[str, int] = Field(default_factory=dict)  # shapes of real data imported as they are, by what was done
    kept_examples: dict[str, list[str]] = Field(default_factory=dict)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())
