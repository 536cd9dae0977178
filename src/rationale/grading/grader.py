"""Grade a judgment against gold under a rubric: compose the checks into a Grade.

``score = 100 * sum(w * credit) / sum(w)`` over the components that were not
skipped (a skipped component's weight is shared out among the others), with
weights from ``rubric.scoring.weights``; the score is rounded to two decimals.
A judgment passes when its score reaches ``rubric.scoring.pass_mark`` and no
finding is critical: a wrong choice or an invented quote is never a pass,
however well the rest reads. If every weighted
component was skipped the score is 100 for an accepted preference and 0
otherwise.

:class:`Grader` compiles the rubric once and keeps bounded caches of the
per-item (normalised responses) and per-gold (key-point regexes, content
hash) contexts, so grading many judgments costs little more than reading them.
Grading is deterministic: the same inputs give the same Grade.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

from ..models import Finding, GoldAnswer, Grade, Item, Judgment, Rubric, Severity
from .context import SEVERITY_ORDER, CheckContext, ComponentResult, GoldContext, ItemContext, RubricContext
from .criteria import score_criteria
from .evidence import score_evidence
from .key_points import score_key_points
from .preference import score_preference
from .quotes import analyse_rationale
from .rationale_quality import score_rationale_quality
from .strength import score_strength

COMPONENTS: tuple[tuple[str, Callable[[CheckContext], ComponentResult]], ...] = (
    ("preference", score_preference),
    ("strength", score_strength),
    ("criteria", score_criteria),
    ("key_points", score_key_points),
    ("evidence", score_evidence),
    ("rationale_quality", score_rationale_quality),
)
"""The scoring components in report order; names match ``rubric.scoring.weights``."""


HELD_BACK = Finding(
    code="held_back_by_critical",
    severity=Severity.info,
    message="Your score reaches the pass mark, but a critical problem above means this answer does not pass yet.",
)
CACHE_SIZE = 4096
"""Items (and gold answers) whose compiled contexts a Grader keeps."""
_Source = TypeVar("_Source")
_Compiled = TypeVar("_Compiled")


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
        ctx = self.check_context(judgment, item, gold)
        components: dict[str, float | None] = {}
        findings: list[tuple[int, int, Finding]] = []
        details: dict[str, dict[str, object]] = {}
        rank = SEVERITY_ORDER.index  # tuple.index compares with ==, cheaper than hashing an Enum
        for order, (name, score) in enumerate(COMPONENTS):
            result = score(ctx)
            components[name] = result.credit
            details[name] = result.details
            for f in result.findings:
                findings.append((rank(f.severity), order, f))
        findings.sort(key=lambda entry: (entry[0], entry[1]))

        weighted = total = 0.0
        for name, credit in components.items():
            if credit is not None:
                weight = self.weights[name]
                weighted += weight * credit
                total += weight
        preference_correct = bool(details["preference"]["correct"])
        if total > 0:
            score_value = round(100.0 * weighted / total, 2)
        else:
            score_value = 100.0 if preference_correct else 0.0
        score_value = min(100.0, max(0.0, score_value))

        passed = score_value >= self.pass_mark
        if passed and findings and findings[0][0] == 0:
            passed = False
            findings.append((rank(Severity.info), len(COMPONENTS), HELD_BACK))

        key_points = details["key_points"]
        criteria = details["criteria"]
        # Built without re-validation: every field is computed above from validated models.
        return Grade.model_construct(
            item_id=judgment.item_id,
            annotator=judgment.annotator,
            judgment_hash=judgment.content_hash,
            rubric_hash=self.rubric_hash,
            gold_hash=ctx.gold.content_hash,
            score=score_value,
            passed=passed,
            components=components,
            preference_correct=preference_correct,
            strength_distance=details["strength"].get("distance"),
            criteria_precision=criteria.get("precision"),
            criteria_recall=criteria.get("recall"),
            key_points_made=list(key_points.get("made", [])),
            key_points_missed=list(key_points.get("missed", [])),
            findings=[f for _, _, f in findings],
        )


def grade(judgment: Judgment, item: Item, gold: GoldAnswer, rubric: Rubric) -> Grade:
    """Grade one judgment with a Grader of its own (compiling a rubric costs milliseconds:
    use :class:`Grader` directly for more than a few judgments under one rubric)."""
    return Grader(rubric).grade(judgment, item, gold)
