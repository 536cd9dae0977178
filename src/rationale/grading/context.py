"""The check context: a rubric, item and gold answer compiled once, and one judgment read against them.

Every check reads a :class:`CheckContext` (the judgment plus contexts that
were precompiled once per rubric, item and gold answer) and returns findings.
A scoring component returns a :class:`ComponentResult` (a credit 0..1, or
``None`` when the component is skipped and its weight shared out, and
findings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..models import Finding, GoldAnswer, Item, Judgment, Rubric, Severity
from .quotes import RationaleText, analyse_rationale
from .text import PhraseHit, PhraseIndex, flat_key, flatten, normalise

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
    """An item's texts, normalised once for the evidence check."""

    item: Item
    response_a: str
    response_b: str
    prompt: str

    @classmethod
    def build(cls, item: Item) -> "ItemContext":
        return cls(item, normalise(item.response_a), normalise(item.response_b), normalise(item.prompt_text))


@dataclass(frozen=True, slots=True)
class GoldContext:
    """A gold answer with its key-point phrases and patterns compiled once."""

    gold: GoldAnswer
    key_points: tuple[tuple[str, str], ...]  # (id, lead's text)
    cues: tuple[tuple[str, int], ...]  # (flat_key(cue), key-point index)
    patterns: tuple[tuple[int, re.Pattern[str]], ...]  # (key-point index, case-insensitive regex)
    content_hash: str
    strength_low: int
    strength_high: int

    @classmethod
    def build(cls, gold: GoldAnswer) -> "GoldContext":
        low, high = acceptable_strength_range(gold)
        return cls(
            gold=gold,
            key_points=tuple((kp.id, kp.text) for kp in gold.key_points),
            cues=tuple(
                (key, index)
                for index, kp in enumerate(gold.key_points)
                for key in sorted({flat_key(cue) for cue in kp.cues})
                if key.strip()
            ),
            patterns=tuple(
                (index, re.compile(kp.pattern, re.IGNORECASE))
                for index, kp in enumerate(gold.key_points)
                if kp.pattern is not None
            ),
            content_hash=gold.content_hash,
            strength_low=low,
            strength_high=high,
        )


def acceptable_strength_range(gold: GoldAnswer) -> tuple[int, int]:
    """The strengths that earn full credit: gold's own, widened by ``acceptable``.

    A missing bound of the acceptable range stays at the gold strength.
    """
    low = high = gold.strength
    if gold.acceptable is not None:
        if gold.acceptable.strength_min is not None:
            low = min(low, gold.acceptable.strength_min)
        if gold.acceptable.strength_max is not None:
            high = max(high, gold.acceptable.strength_max)
    return low, high


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

    @property
    def rubric_hits(self) -> list[PhraseHit]:
        """The rubric's phrases (criterion cues, vague and length phrases) in the rationale's own words."""
        if self._rubric_hits is None:
            self._rubric_hits = self.rubric.phrases.find(self.rationale.masked_lower) if self.rationale else []
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

    def key_points_made(self) -> set[int]:
        """Indexes of the gold key points the rationale makes, quotes included (by cue or pattern)."""
        if self.rationale is None:
            return set()
        flat = self.rationale.flat
        made = {index for key, index in self.gold.cues if key in flat}
        made.update(index for index, pattern in self.gold.patterns if pattern.search(self.rationale.text))
        return made

    def key_point_between(self, start: int, end: int) -> bool:
        """True when rationale[start:end] uses any key point's cue or pattern."""
        if self.rationale is None:
            return False
        flat = flatten(self.rationale.lower[start:end])
        if any(key in flat for key, _ in self.gold.cues):
            return True
        return any(pattern.search(self.rationale.text, start, end) for _, pattern in self.gold.patterns)


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
