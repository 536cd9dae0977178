"""What `rationale calibrate` reports: agreement with intervals, each annotator against gold, consensus.

Figures with too little behind them carry no number but the reason why
(`Estimate.reason`): agreement below the minimum overlap says "not enough
overlap", and an annotator with too few gold items gets the verdict "not
enough evidence", which is not a fail.
"""

from __future__ import annotations

import math
from itertools import combinations
from typing import Any, Literal

from pydantic import BaseModel, computed_field

from .confidence import ConfidenceCalibration, ConfidenceLevel  # noqa: F401  (part of the calibration report)
from .reports import Output


class Section(BaseModel):
    """A report section that also reads like the mapping it is dumped as (`section["preference"]`)."""

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def __contains__(self, key: str) -> bool:
        return key in type(self).model_fields

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key, default)


class Estimate(BaseModel):
    """A coefficient with its 95% interval, or the reason there is no number."""

    model_config = {"frozen": True}

    value: float | None
    low: float | None = None
    high: float | None = None
    n: int = 0  # the items (or, for one pair, the shared items) the figure rests on
    reason: str | None = None
    note: str | None = None  # e.g. why a zero-width interval says nothing (see agreement.intervals.degenerate_note)

    @property
    def available(self) -> bool:
        return self.value is not None

    def as_dict(self) -> dict[str, object]:
        return self.model_dump()


class PairEstimate(Estimate):
    a: str
    b: str


class PairTable(BaseModel):
    """A coefficient for every pair of raters, as reported (the diagonal is not a pair)."""

    raters: list[str]
    pairs: list[dict[str, Any]]  # {"a", "b", "value", "low", "high", "n", "reason"}, a before b in rater order

    def estimate(self, i: int, j: int) -> Estimate:
        a, b = sorted((i, j))
        names = self.raters
        for pair in self.pairs:
            if pair["a"] == names[a] and pair["b"] == names[b]:
                return Estimate(**{k: pair[k] for k in ("value", "low", "high", "n", "reason")})
        raise KeyError((i, j))

    @classmethod
    def of(cls, raters: list[str], estimate: Any) -> "PairTable":
        """From `estimate(i, j) -> Estimate` over every pair i < j."""
        pairs = [{"a": raters[i], "b": raters[j], **estimate(i, j).as_dict()} for i, j in combinations(range(len(raters)), 2)]
        return cls(raters=raters, pairs=pairs)


class PairwiseAgreement(BaseModel):
    raters: list[str]
    values: list[list[float | None]]
    overlap: list[list[int]]


class PreferenceAgreement(Section):
    percent_agreement: Estimate
    percent_agreement_without_ties: Estimate
    fleiss_kappa: Estimate
    krippendorff_alpha: Estimate
    gwet_ac1: Estimate
    pabak: Estimate
    cohen_kappa: PairTable
    pairwise_agreement: PairwiseAgreement
    krippendorff_alpha_ordinal: Estimate | None = None  # the preference read as a scale, A < tie < B
    categories: list[str] = []  # the categories in use, which AC1's and PABAK's chance terms count


class StrengthAgreement(Section):
    percent_agreement: Estimate
    krippendorff_alpha: Estimate
    weighted_kappa_linear: PairTable
    weighted_kappa_quadratic: PairTable


class Agreement(Section):
    preference: PreferenceAgreement
    strength: StrengthAgreement | None


class Rate(BaseModel):
    """An annotator's rate of something against gold's rate on the same items."""

    count: int
    n: int
    rate: float | None
    low: float | None
    high: float | None
    gold_rate: float | None  # the reference rate: gold's, or the one `reference` names
    flagged: bool  # the reference rate lies outside the annotator's Wilson 95% interval
    reference: str = "gold"  # what gold_rate is the rate of ("gold", or "the other annotators" for self-consistency)


class ConsistencyCheck(BaseModel):
    first: str
    second: str
    swapped: bool
    first_preference: str
    second_preference: str  # as answered, before mapping a swapped pair back
    consistent: bool


class ClassScore(BaseModel):
    """One answer class against gold: precision, recall and F1 (0 where undefined, as scikit-learn's zero_division=0)."""

    precision: float
    recall: float
    f1: float
    support: int  # gold answers of this class
    predicted: int  # the annotator's answers of this class


class LeaveOneOut(BaseModel):
    """Accuracy against gold remade without the annotator's own vote (for gold made from votes)."""

    rule: str  # the vote rule gold was made with, applied to the other votes
    items: int  # items where the other votes still name a winner
    correct: int
    accuracy: float | None
    low: float | None
    high: float | None
    without_winner: int  # items left out: without the annotator's vote the rule names no winner


class EscalationResult(BaseModel):
    """How an annotator's flags line up with the gold's edge cases, on the items with gold."""

    items: int  # items with gold the annotator answered
    edge_cases: int  # of those, items the gold marks as edge cases
    flagged: int  # answers the annotator flagged
    hits: int  # edge cases flagged
    misses: int  # edge cases not flagged
    false_alarms: int  # clear items flagged (harm reported on a safety-critical item is not counted)
    rate: Rate  # the annotator's flag rate, against gold's edge-case rate on the same items
    hit_rate: float | None  # hits / edge cases
    false_alarm_rate: float | None  # false alarms / clear items
    flags: dict[str, int] = {}  # flag -> how often the annotator used it


class AnnotatorResult(BaseModel):
    name: str
    judged: int
    gold_items: int = 0
    correct: int = 0
    accuracy: float | None = None
    accuracy_low: float | None = None
    accuracy_high: float | None = None
    verdict: str = "not enough evidence"
    threshold_inside_interval: bool = False
    mean_score: float | None = None  # the grader's 0-100 score (preference, strength, criteria, key points, evidence, writing)
    strength_credit: float | None = None  # mean 0-1 strength component: closeness to gold's strength
    mean_strength_distance: float | None = None
    pass_rate: float | None = None
    confusion: dict[str, dict[str, int]] = {}  # gold -> answered -> count
    missed_criteria: list[dict[str, Any]] = []
    missed_key_points: list[dict[str, Any]] = []
    position: Rate | None = None  # share of A among the annotator's A/B choices
    ties: Rate | None = None  # share of tie choices
    length: Rate | None = None  # share of non-tie choices for the longer response
    consistency: list[ConsistencyCheck] = []
    kappa_with_peers: float | None = None
    agreement_with_peers: float | None = None
    reliability: float | None = None  # Dawid-Skene estimate, no gold needed
    biases: list[str] = []
    role: Literal["annotator", "judge"] = "annotator"  # a judge (e.g. an LLM) is scored against gold, not in agreement
    classes: list[str] = []  # answer classes in use (in gold or in the answers): what the macro figures average over
    precision: float | None = None  # macro: unweighted mean over `classes`
    recall: float | None = None
    f1: float | None = None
    per_class: dict[str, ClassScore] = {}
    own_vote_in_gold: int = 0  # scored items whose gold was made from votes including this annotator's
    leave_one_out: LeaveOneOut | None = None
    self_consistency: Rate | None = None  # consistent repeated pairs against the other annotators' rate
    escalation: EscalationResult | None = None  # flags against the gold's edge cases (when either is present)
    confidence: ConfidenceCalibration | None = None  # accuracy by stated confidence (when confidence was given)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def consistency_rate(self) -> float | None:
        if not self.consistency:
            return None
        return sum(c.consistent for c in self.consistency) / len(self.consistency)


class ContestedItem(BaseModel):
    item_id: str
    entropy: float
    votes: dict[str, list[str]]  # preference -> annotators
    criteria_by_side: dict[str, dict[str, int]]  # preference -> criterion -> how many of that side appealed to it
    gold_preference: str | None
    key_points_missed: list[dict[str, Any]]  # by the votes that disagree with gold
    majority: str | None
    dawid_skene: str | None
    flags: dict[str, int] = {}  # flag -> how many annotators raised it on this item
    flag_notes: list[dict[str, Any]] = []  # {annotator, flags, note}: what the annotators who flagged it wrote
    gold_edge_case: str | None = None  # the gold's reason, when it marks the item as an edge case


class CalibrationReport(Output):
    """`rationale calibrate`: everything a lead needs about one batch."""

    batch: str
    rubric: dict[str, str]
    threshold: float
    min_items: int
    min_overlap: int
    items: int
    annotators: list[str]
    judgments: int
    has_gold: bool
    agreement: Agreement
    annotator_results: list[AnnotatorResult]
    consensus: dict[str, Any]
    contested: list[ContestedItem]
    patterns: list[dict[str, Any]]
    questions: list[str]
    proposal: list[str]
    notes: list[str]
    judges: list[str] = []  # raters scored against gold but kept out of the agreement among annotators
    judge_results: list[AnnotatorResult] = []

    def to_dict(self) -> dict[str, Any]:
        return finite(self.model_dump(mode="json"))

    def annotator(self, name: str) -> AnnotatorResult:
        for result in [*self.annotator_results, *self.judge_results]:
            if result.name == name:
                return result
        raise KeyError(name)


class HistoryRow(BaseModel):
    batch: str
    created: str
    judged: int
    gold_items: int
    accuracy: float | None
    accuracy_low: float | None
    accuracy_high: float | None
    verdict: str | None
    kappa_with_peers: float | None
    agreement_with_peers: float | None
    share_a: float | None
    gold_share_a: float | None
    tie_rate: float | None
    gold_tie_rate: float | None
    longer_rate: float | None
    gold_longer_rate: float | None
    consistency: float | None
    biases: list[str]


class AnnotatorHistory(Output):
    """`rationale calibrate --history NAME`: one annotator across stored batches."""

    annotator: str
    rows: list[HistoryRow]
    drift: list[str]

    def to_dict(self) -> dict[str, Any]:
        return finite(self.model_dump(mode="json"))


def finite(value: Any) -> Any:
    """JSON-able without NaN: a number that is not finite becomes null, wherever it is."""
    if isinstance(value, dict):
        return {str(k): finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return value
