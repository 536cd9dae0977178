"""The check context: a rubric, item and gold answer compiled once, and one judgment read against them.

Every check reads a :class:`CheckContext` (the judgment plus contexts that
were precompiled once per rubric, item and gold answer) and returns findings.
A scoring component returns a :class:`ComponentResult` (a credit 0..1, or
``None`` when the component is skipped and its weight shared out, and
findings).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar
from functools import lru_cache

from ..models import Finding, GoldAnswer, Item, Judgment, KeyPointResult, Rubric, Severity
from .quotes import RationaleText, analyse_rationale
from .text import PhraseHit, PhraseIndex, comparable

if TYPE_CHECKING:
    from .copies import CopyIndex
    from .evidence import QuoteCheck
    from .matching import KeyPointTarget
    from .units import RationaleUnits

_Model = TypeVar("_Model")

SEVERITY_ORDER: tuple[Severity, ...] = (Severity.critical, Severity.major, Severity.minor, Severity.info)
"""Most severe first: the order findings are reported in."""

LENGTH_PHRASES: tuple[str, ...] = (
    "longer", "lengthier", "wordier", "shorter", "more detailed", "more detail", "more thorough",
    "more comprehensive", "more words", "more information", "more verbose", "more extensive", "more in-depth",
    "more elaborate", "more content", "more text", "goes into more detail", "less detail", "too short",
    "too brief", "brief",
)
"""Phrases that talk about a response's length rather than its content."""

CRITERION, VAGUE, LENGTH = "criterion", "vague", "length"


@dataclass(frozen=True, slots=True)
class RubricContext:
    """Everything about a rubric the checks need, compiled once."""

    rubric: Rubric
    phrases: PhraseIndex  # owners: (CRITERION, id), (VAGUE, phrase), (LENGTH, phrase)
    criterion_names: dict[str, str]
    max_strength: int
    strength_labels: dict[int, str]

    @classmethod
    def build(cls, rubric: Rubric) -> "RubricContext":
        entries: list[tuple[str, object]] = []
        for criterion in rubric.criteria:
            for phrase in (criterion.name, criterion.id.replace("_", " "), *criterion.cues):
                entries.append((phrase, (CRITERION, criterion.id)))
        entries.extend((p, (VAGUE, p)) for p in rubric.rationale.vague_phrases)
        entries.extend((p, (LENGTH, p)) for p in LENGTH_PHRASES)
        return cls(
            rubric=rubric,
            phrases=PhraseIndex(entries),
            criterion_names={c.id: c.name for c in rubric.criteria},
            max_strength=rubric.max_strength,
            strength_labels={s.value: s.label for s in rubric.strength_scale},
        )

    def criteria_in(self, text: str) -> list[tuple[str, int, int]]:
        """(criterion id, start, end) of each criterion cue in a rationale's own words (quotes blanked).

        The same reading the criteria check uses, for callers outside grading
        (calibration's "which criteria does each side appeal to").
        """
        lowered = analyse_rationale(text).masked_lower
        return [(what, h.start, h.end) for h in self.phrases.find(lowered) for kind, what in h.owners if kind == CRITERION]


@dataclass(frozen=True, slots=True)
class ItemContext:
    """An item's prompt and responses, as written and in the form quotes are compared in, prepared once."""

    item: Item
    original: dict[str, str]  # "A", "B", "prompt"
    comparable: dict[str, str]
    copy_index: "CopyIndex"  # the responses' words a rationale may copy (see .copies)

    @classmethod
    def build(cls, item: Item) -> "ItemContext":
        from .copies import copy_index

        original = {"A": item.response_a, "B": item.response_b, "prompt": item.prompt_text}
        return cls(
            item,
            original,
            {place: comparable(text) for place, text in original.items()},
            copy_index({"A": item.response_a, "B": item.response_b}, item.prompt_text),
        )


@dataclass(frozen=True, slots=True)
class GoldContext:
    """A gold answer with its key points compiled for matching, once."""

    gold: GoldAnswer
    key_points: tuple[tuple[str, str], ...]  # (id, lead's text)
    key_point_targets: tuple["KeyPointTarget", ...]
    key_point_stack: object  # the targets stacked for matching (semantic.stack), None without key points
    content_hash: str
    strength_low: int
    strength_high: int

    @classmethod
    def build(cls, gold: GoldAnswer) -> "GoldContext":
        from .matching import KeyPointTarget
        from .semantic import stack

        low, high = acceptable_strength_range(gold)
        targets = tuple(KeyPointTarget.compile(kp, gold.preference) for kp in gold.key_points)
        return cls(
            gold=gold,
            key_points=tuple((kp.id, kp.text) for kp in gold.key_points),
            key_point_targets=targets,
            key_point_stack=stack([t.target for t in targets]) if targets else None,
            content_hash=gold.content_hash,
            strength_low=low,
            strength_high=high,
        )


def acceptable_strength_range(gold: GoldAnswer) -> tuple[int, int]:
    """The strengths that earn full credit: gold's own, widened by ``acceptable``.

    A missing bound of the acceptable range stays at the gold strength.
    """
    return gold.accepted_strengths


@dataclass(slots=True)
class CheckContext:
    """What every check reads: one judgment and the precompiled contexts.

    The phrase scans are done once, on first use, and shared by the checks.
    """

    judgment: Judgment
    item: ItemContext
    gold: GoldContext
    rubric: RubricContext
    rationale: RationaleText | None
    _rubric_hits: list[PhraseHit] | None = field(default=None, repr=False)
    _criteria_found: list[tuple[str, int, int]] | None = field(default=None, repr=False)
    _units: "RationaleUnits | None" = field(default=None, repr=False)
    _copies: list[tuple[int, int, str]] | None = field(default=None, repr=False)
    _quote_checks: "list[QuoteCheck] | None" = field(default=None, repr=False)
    _key_point_results: "list[KeyPointResult] | None" = field(default=None, repr=False)

    @property
    def rubric_hits(self) -> list[PhraseHit]:
        """The rubric's phrases (criterion cues, vague and length phrases) in the rationale's own words: quotes, and
        text pasted from a response without quote marks (:mod:`.copies`), blanked."""
        if self._rubric_hits is None:
            if self.rationale is None:
                self._rubric_hits = []
            else:
                text = self.rationale.masked_lower
                for start, end, _ in self.copies:
                    text = text[:start] + " " * (end - start) + text[end:]
                self._rubric_hits = self.rubric.phrases.find(text)
        return self._rubric_hits

    def hits(self, kind: str) -> list[tuple[str, int, int]]:
        """(what, start, end) of each rubric phrase of one kind (CRITERION, VAGUE or LENGTH)."""
        return [(what, h.start, h.end) for h in self.rubric_hits for k, what in h.owners if k == kind]

    @property
    def criteria_found(self) -> list[tuple[str, int, int]]:
        """(criterion id, start, end) of each criterion cue in the rationale's own words (quotes blanked)."""
        if self._criteria_found is None:
            self._criteria_found = self.hits(CRITERION)
        return self._criteria_found

    @property
    def units(self) -> "RationaleUnits":
        """The rationale cut into clauses, sentences and windows with their sides (see :mod:`.units`)."""
        if self._units is None:
            from .units import build_units

            self._units = build_units(self.rationale, [(a, b) for a, b, _ in self.copies])  # type: ignore[arg-type]
        return self._units

    @property
    def copies(self) -> list[tuple[int, int, str]]:
        """(start, end, "A" or "B") of each run of the rationale copied from a response without quote marks."""
        if self._copies is None:
            from .copies import find_copies

            self._copies = find_copies(self.rationale.masked, self.item.copy_index) if self.rationale is not None else []
        return self._copies

    @property
    def key_point_results(self) -> list[KeyPointResult]:
        """Each gold key point matched against the rationale (see :mod:`.matching`); empty without a rationale."""
        if self._key_point_results is None:
            from .matching import match_key_points

            self._key_point_results = (
                match_key_points(self.units, self.gold.key_point_targets, self.gold.key_point_stack)
                if self.rationale is not None
                else []
            )
        return self._key_point_results

    @property
    def quote_checks(self) -> list["QuoteCheck"]:
        """Each quote of the rationale checked against the pair (see :mod:`.evidence`)."""
        if self._quote_checks is None:
            from .evidence import check_quote

            quotes = self.rationale.quotes if self.rationale is not None else ()
            self._quote_checks = [check_quote(q, self.item) for q in quotes]
        return self._quote_checks


def make_context(
    judgment: Judgment,
    item: Item | ItemContext,
    gold: GoldAnswer | GoldContext,
    rubric: Rubric | RubricContext,
) -> CheckContext:
    """Build a context from plain models (or reuse precompiled pieces)."""
    return CheckContext(
        judgment=judgment,
        item=item if isinstance(item, ItemContext) else ItemContext.build(item),
        gold=gold if isinstance(gold, GoldContext) else GoldContext.build(gold),
        rubric=rubric if isinstance(rubric, RubricContext) else RubricContext.build(rubric),
        rationale=analyse_rationale(judgment.rationale) if judgment.rationale is not None else None,
    )


def constructor(model: type[_Model]) -> Callable[..., _Model]:
    """A faster ``model.model_construct`` for calls that pass every field (by name, computed from validated data).

    The same instance ``model_construct`` makes (fields in their declared order, every one set, no extra or
    private values), without its per-field alias and default handling; any other call goes to
    ``model_construct`` itself. For the models a grade is built of, several per judgment."""
    fields = tuple(model.__pydantic_fields__)
    names = frozenset(fields)
    plain = (
        all(f.alias is None and f.validation_alias is None for f in model.__pydantic_fields__.values())
        and not model.__pydantic_post_init__
        and not model.__pydantic_root_model__
        and model.model_config.get("extra") != "allow"
    )
    new, set_attribute = model.__new__, object.__setattr__

    def construct(**values: object) -> _Model:
        if not plain or values.keys() != names:
            return model.model_construct(**values)
        instance = new(model)
        set_attribute(instance, "__dict__", {name: values[name] for name in fields})
        set_attribute(instance, "__pydantic_fields_set__", set(names))
        set_attribute(instance, "__pydantic_extra__", None)
        set_attribute(instance, "__pydantic_private__", None)
        return instance

    return construct


def gold_author(gold: GoldAnswer) -> str:
    """Who feedback says made the gold call: the lead, or the imported gold (votes or a benchmark's label, no lead)."""
    return "the lead" if gold.reasoned else "the imported gold"


@lru_cache(maxsize=65536)
def finding(
    code: str,
    severity: Severity,
    message: str,
    *,
    span: str | None = None,
    criterion: str | None = None,
    key_point: str | None = None,
) -> Finding:
    # Built without re-validation (every argument comes from this module) and
    # shared: a Finding is immutable and the same few messages recur across a batch.
    return Finding.model_construct(
        code=code, severity=severity, message=message, span=span, criterion=criterion, key_point=key_point
    )


@dataclass(slots=True)
class ComponentResult:
    """A scoring component's credit (None = skipped) and findings."""

    credit: float | None
    findings: list[Finding] = field(default_factory=list)
    details: dict[str, object] = field(default_factory=dict)
