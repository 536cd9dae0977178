"""Grade a judgment against gold under a rubric: compose the components into a Grade.

Five components give credits 0..1 (``None`` = skipped): ``verdict`` (the choice and
its strength) and the four parts of the reasoning (``key_points``, ``evidence``,
``criteria``, ``argument``). With the rubric's weights:

* ``verdict_score`` = 100 x the verdict credit;
* ``reasoning_score`` = 100 x the weighted mean of the reasoning parts not skipped;
* ``score`` (overall) = 100 x the weighted mean of all components not skipped,
  then capped by any finding in :data:`CRITICAL_CAPS`: a wrong choice or text aimed
  at the grader at 15, a keyword list or an argument for the other side at 30, a
  contradicted key point at 35, an invented or altered quote at 45, a quote pinned
  on the wrong response at 58. Scores are rounded to two decimals.

A judgment **passes** when its preference is accepted, its strength is inside or one
step outside the accepted range, no finding caps the score, the score reaches
``pass_mark`` and the reasoning grade reaches ``reasoning_pass_mark``: the right
choice alone never passes.

:class:`Grader` compiles the rubric once and keeps bounded caches of the per-item and
per-gold contexts (responses prepared for quote checks, key points compiled for
matching), so grading many judgments costs little more than reading them. Grading is
deterministic: the same inputs give the same Grade.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from ..models import Finding, GoldAnswer, Grade, Item, Judgment, Rubric, Severity
from ..models.grading import ESCALATION, effective_weights
from .context import SEVERITY_ORDER, CheckContext, ComponentResult, GoldContext, ItemContext, RubricContext, constructor
from .argument import score_argument
from .criteria import score_criteria
from .escalation import MISS, score_escalation
from .evidence import score_evidence
from .key_points import score_key_points
from .quotes import analyse_rationale
from .verdict import score_verdict

COMPONENTS: tuple[tuple[str, Callable[[CheckContext], ComponentResult]], ...] = (
    ("verdict", score_verdict),
    ("key_points", score_key_points),
    ("evidence", score_evidence),
    ("criteria", score_criteria),
    ("argument", score_argument),
)
"""The scoring components in report order; names match ``rubric.scoring.weights``."""

REASONING = ("key_points", "evidence", "criteria", "argument")

CRITICAL_CAPS: dict[str, float] = {
    "wrong_preference": 15,
    "injection_attempt": 15,
    "keyword_list": 30,
    "contradicts_choice": 30,
    "key_point_contradicted": 35,
    "fabricated_quote": 45,
    "altered_quote": 45,
    "misattributed_quote": 58,
}
"""The highest overall score a judgment with one of these findings can have (the lowest cap applies).

A wrong choice is capped lowest of all, so flipping a correct choice never raises a score."""

HELD_BACK = Finding(
    code="held_back",
    severity=Severity.info,
    message="Your score reaches the pass mark, but this answer does not pass yet: see the problems above.",
)
CACHE_SIZE = 4096
"""Items (and gold answers) whose compiled contexts a Grader keeps."""
_Source = TypeVar("_Source")
Adjust = Callable[[dict[str, "float | None"], list[Finding]], list[Finding]]
"""Changes component credits in place and returns the findings to score (see `Grader.grade_context`)."""
_Compiled = TypeVar("_Compiled")
_grade = constructor(Grade)


class _LruCache:
    """Compiled contexts by item id, checked against the very object they came from."""

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[str, tuple[object, object]] = OrderedDict()

    def get(self, key: str, source: _Source, build: Callable[[_Source], _Compiled]) -> _Compiled:
        entry = self.entries.get(key)
        if entry is not None and (entry[0] is source or entry[0] == source):
            self.entries.move_to_end(key)
            return entry[1]  # type: ignore[return-value]
        compiled = build(source)
        self.entries[key] = (source, compiled)
        self.entries.move_to_end(key)
        if len(self.entries) > self.size:
            self.entries.popitem(last=False)
        return compiled


class Grader:
    """Grades judgments under one rubric; reuse it for a whole batch."""

    def __init__(self, rubric: Rubric, cache_size: int = CACHE_SIZE):
        self.rubric = rubric
        self.context = RubricContext.build(rubric)
        self.rubric_hash = rubric.content_hash
        self.weights = rubric.scoring.weights.model_dump()
        self.pass_mark = rubric.scoring.pass_mark
        self.reasoning_pass_mark = rubric.scoring.reasoning_pass_mark
        self._items = _LruCache(cache_size)
        self._gold = _LruCache(cache_size)

    def check_context(self, judgment: Judgment, item: Item, gold: GoldAnswer) -> CheckContext:
        return CheckContext(
            judgment=judgment,
            item=self._items.get(item.id, item, ItemContext.build),
            gold=self._gold.get(gold.item_id, gold, GoldContext.build),
            rubric=self.context,
            rationale=analyse_rationale(judgment.rationale) if judgment.rationale is not None else None,
        )

    def grade(self, judgment: Judgment, item: Item, gold: GoldAnswer) -> Grade:
        if not (judgment.item_id == item.id == gold.item_id):
            raise ValueError(
                f"judgment for {judgment.item_id!r}, item {item.id!r} and gold for {gold.item_id!r} do not match"
            )
        return self.grade_context(self.check_context(judgment, item, gold))

    def grade_context(self, ctx: CheckContext, adjust: Adjust | None = None) -> Grade:
        """The Grade of a prepared context; `adjust` may change component credits and findings before scoring.

        The reviewed grade (:mod:`rationale.critique.reviewed_grade`) uses both: a context
        whose key-point results are the reviewer's reading, and an adjustment for its
        reading of the argument and the evidence; everything else is scored as here.
        """
        judgment = ctx.judgment
        components, details, findings = self._run_components(ctx)
        if adjust is not None:
            findings = adjust(components, findings)
            rank = SEVERITY_ORDER.index
            findings.sort(key=lambda f: rank(f.severity))  # stable: component order kept within a severity
        verdict = details["verdict"]
        correct, distance = bool(verdict["correct"]), verdict.get("distance")
        weights = effective_weights(self.weights, components)
        score_value, caps = self._capped_score(weights, components, findings, correct)
        reasoning = self._weighted(weights, components, REASONING)
        reasoning_value = round(100.0 * reasoning, 2) if reasoning is not None else 100.0
        reaches = score_value >= self.pass_mark
        critical = bool(findings) and findings[0].severity == Severity.critical
        passed = reaches and correct and (distance is None or distance <= 1) and not caps and not critical
        passed = passed and reasoning_value >= self.reasoning_pass_mark
        escalation = details[ESCALATION]["outcome"]
        passed = passed and escalation != MISS  # escalating what the guideline cannot decide is the job
        if reaches and not passed:
            findings.append(HELD_BACK)
        key_points = details["key_points"].get("results", [])
        criteria = details["criteria"]
        # Built without re-validation: every field is computed above from validated models.
        return _grade(
            item_id=judgment.item_id,
            annotator=judgment.annotator,
            judgment_hash=judgment.content_hash,
            rubric_hash=self.rubric_hash,
            gold_hash=ctx.gold.content_hash,
            score=score_value,
            verdict_score=round(100.0 * (components["verdict"] or 0.0), 2),
            reasoning_score=reasoning_value,
            passed=passed,
            components=components,
            preference_correct=correct,
            strength_distance=distance,
            criteria_precision=criteria.get("precision"),
            criteria_recall=criteria.get("recall"),
            key_points_made=[r.key_point for r in key_points if r.status == "made"],
            key_points_missed=[r.key_point for r in key_points if r.status != "made"],
            key_points=list(key_points),
            findings=findings,
            escalation=escalation,
        )

    def _capped_score(
        self, weights: dict[str, float], components: dict[str, float | None], findings: list[Finding], correct: bool
    ):
        """(the overall score, the caps that apply): the weighted credit, capped by critical findings.

        A cap below the weighted score gives the cap itself, an int (reports show 45, not 45.0)."""
        overall = self._weighted(weights, components, components)
        caps = [CRITICAL_CAPS[f.code] for f in findings if f.code in CRITICAL_CAPS]
        raw = 100.0 * (overall if overall is not None else float(correct))
        return round(min([min(100.0, max(0.0, raw)), *caps]), 2), caps

    def restored_score(self, score: float, components: dict[str, float | None], findings: Sequence[Any], correct: bool):
        """A stored score of a grade by this grader, of the number type grading gave it (`findings`: anything
        with a `code`). The store keeps every score as a float; only a score a cap set can have been an int."""
        if isinstance(score, float) and score.is_integer() and findings:
            weights = effective_weights(self.weights, components)
            capped, _ = self._capped_score(weights, components, findings, correct)
            if capped == score and not isinstance(capped, float):
                return capped
        return score

    def _run_components(self, ctx: CheckContext):
        """(credit per component, details per component, findings most severe first, then in component order)."""
        components: dict[str, float | None] = {}
        details: dict[str, dict[str, object]] = {}
        ranked: list[tuple[int, int, Finding]] = []
        rank = SEVERITY_ORDER.index  # tuple.index compares with ==, cheaper than hashing an Enum
        for order, (name, score) in enumerate(COMPONENTS):
            result = score(ctx)
            components[name] = result.credit
            details[name] = result.details
            ranked.extend((rank(f.severity), order, f) for f in result.findings)
        result = score_escalation(ctx)
        components[ESCALATION] = result.credit
        details[ESCALATION] = result.details
        ranked.extend((rank(f.severity), len(COMPONENTS), f) for f in result.findings)
        ranked.sort(key=lambda entry: (entry[0], entry[1]))
        return components, details, [f for _, _, f in ranked]

    @staticmethod
    def _weighted(weights: dict[str, float], components: dict[str, float | None], names) -> float | None:
        """The weighted mean credit of the named components that were not skipped, or None if all were."""
        weighted = total = 0.0
        for name in names:
            credit = components[name]
            if credit is not None:
                weight = weights[name]
                weighted += weight * credit
                total += weight
        return weighted / total if total > 0 else None


def grade(judgment: Judgment, item: Item, gold: GoldAnswer, rubric: Rubric) -> Grade:
    """Grade one judgment with a Grader of its own (compiling a rubric costs milliseconds:
    use :class:`Grader` directly for more than a few judgments under one rubric)."""
    return Grader(rubric).grade(judgment, item, gold)
