"""The input shapes: rubrics, items, gold answers and judgments.

These models are the single source of truth for the files people write. The
JSON Schemas shipped in ``rationale/schemas/`` are generated from them
(``make schemas``) and a test fails when the checked-in copies drift.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from .base import (
    FLAG_NOTE_MAX,
    MAX_NAME_CHARS,
    MAX_PHRASE_CHARS,
    MAX_RATIONALE_CHARS,
    Flags,
    Identifier,
    NonBlank,
    Number,
    Preference,
    Strict,
    WholeNumber,
    content_hash,
    listed_once,
    readable,
    strength_side,
)

Phrase = Annotated[str, Field(min_length=1, max_length=MAX_PHRASE_CHARS, pattern=r"\S")]
"""A name or cue the grader looks for in rationales: non-blank, at most MAX_PHRASE_CHARS characters."""

# --------------------------------------------------------------------------- rubric


class Criterion(Strict):
    id: Identifier
    name: Phrase
    description: NonBlank
    weight: Number = Field(gt=0, description="Relative importance; the rubric's criteria weights are normalised.")
    levels: dict[Literal["1", "2", "3", "4", "5"], NonBlank] = Field(
        description="Level descriptors for scores 1 (poor) to 5 (excellent)."
    )
    cues: list[Phrase] = Field(
        default_factory=list,
        description="Phrases that show a rationale is appealing to this criterion (case-insensitive).",
    )

    @field_validator("levels", mode="before")
    @classmethod
    def _levels_keys_as_text(cls, value: object) -> object:
        # YAML authors write `1: ...`; JSON can only write "1". Accept both.
        if isinstance(value, dict):
            return {str(k): v for k, v in value.items()}
        return value

    @field_validator("levels")
    @classmethod
    def _all_five_levels(cls, value: dict[str, str]) -> dict[str, str]:
        missing = [k for k in ("1", "2", "3", "4", "5") if k not in value]
        if missing:
            raise ValueError(f"level descriptors must cover scores 1-5; missing {', '.join(missing)}")
        return value


class StrengthStep(Strict):
    value: WholeNumber
    label: NonBlank


class RationaleRequirements(Strict):
    min_words: WholeNumber = Field(default=25, ge=0)
    max_words: WholeNumber = Field(default=250, ge=1)
    must_cite_criterion: bool = True
    must_quote_evidence: bool = True
    vague_phrases: list[Phrase] = Field(default_factory=list)

    @model_validator(mode="after")
    def _min_below_max(self) -> "RationaleRequirements":
        if self.min_words > self.max_words:
            raise ValueError(f"min_words ({self.min_words}) is larger than max_words ({self.max_words})")
        return self


LEGACY_WEIGHTS = {"preference": "verdict", "strength": "verdict", "rationale_quality": "argument"}
"""Rubrics written for grader version 1 named six components; their weights map onto today's five."""


def _allow_first_release_weights(schema: dict) -> None:
    """The JSON Schema accepts the first release's six weights as well, as the model does."""
    current = {key: schema.pop(key) for key in list(schema) if key not in ("title", "description")}
    weight = {"type": "number", "minimum": 0, "maximum": 1}
    names = ("preference", "strength", "criteria", "key_points", "evidence", "rationale_quality")
    first_release = {
        "type": "object",
        "description": "The first release's six weights: preference + strength are read as verdict, rationale_quality as argument.",
        "properties": {name: dict(weight) for name in names},
        "required": list(names),
        "additionalProperties": False,
    }
    schema["anyOf"] = [current, first_release]


class ScoringWeights(Strict):
    """Shares of the overall score; they must sum to 1.

    ``verdict`` is the choice and its strength; the other four make the reasoning
    grade. Rubrics written with the first release's six weights are read with
    ``preference + strength`` as ``verdict`` and ``rationale_quality`` as ``argument``.
    """

    verdict: Number = Field(ge=0, le=1, description="The choice and its strength.")
    key_points: Number = Field(ge=0, le=1, description="The gold's key points, made in the trainee's own words.")
    evidence: Number = Field(ge=0, le=1, description="Quotes found where the rationale says they are.")
    criteria: Number = Field(ge=0, le=1, description="The decisive criteria, named and applied.")
    argument: Number = Field(ge=0, le=1, description="How the rationale argues: length, specifics, no lint findings.")

    model_config = ConfigDict(json_schema_extra=lambda schema, _: _allow_first_release_weights(schema))

    @model_validator(mode="before")
    @classmethod
    def _read_first_release_weights(cls, value: object) -> object:
        if isinstance(value, dict) and any(key in value for key in LEGACY_WEIGHTS):
            preference, quality = value.get("preference"), value.get("rationale_quality")
            if isinstance(preference, (int, float)) and isinstance(quality, (int, float)) and preference < quality:
                # The first release's rule, kept for its rubrics: the right answer must count for more.
                raise ValueError(
                    f"the preference weight ({preference:g}) must be at least the rationale_quality weight"
                    f" ({quality:g}): choosing the right response must count for more than how the rationale reads"
                )
            merged: dict[str, object] = {}
            for key, weight in value.items():
                name = LEGACY_WEIGHTS.get(key, key)
                if isinstance(weight, (int, float)) and not isinstance(weight, bool) and isinstance(merged.get(name), (int, float)):
                    merged[name] = merged[name] + weight  # type: ignore[operator]
                else:
                    merged[name] = weight
            return merged
        return value

    @model_validator(mode="after")
    def _sum_to_one(self) -> "ScoringWeights":
        total = sum(self.model_dump().values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"scoring weights must sum to 1, they sum to {total:g}")
        if self.verdict < self.argument:
            # Otherwise flipping a correct choice could raise the score by removing an argument penalty:
            # the right answer must count for more than how the rationale reads.
            raise ValueError(
                f"the verdict weight ({self.verdict:g}) must be at least the argument weight ({self.argument:g}):"
                " choosing the right response must count for more than how the rationale reads"
            )
        return self

    @property
    def reasoning(self) -> dict[str, float]:
        """The weights of the reasoning grade's four parts."""
        return {"key_points": self.key_points, "evidence": self.evidence, "criteria": self.criteria, "argument": self.argument}


class Scoring(Strict):
    weights: ScoringWeights
    pass_mark: Number = Field(ge=0, le=100, description="Overall score (0-100) at or above which a judgment can pass.")
    reasoning_pass_mark: Number = Field(
        default=50,
        ge=0,
        le=100,
        description="Reasoning grade (0-100) a passing judgment needs as well: a right choice alone never passes.",
    )


def rubric_consistency(criterion_ids: list[str], priority: list[str], scale: list[int]) -> list[tuple[str, str]]:
    """(field, message) for every way a rubric's parts disagree with each other; [] when they agree.

    All of them at once: `rubric validate` lists each, and the model refuses a
    rubric with any of them.
    """
    problems = []
    dupes = sorted({i for i in criterion_ids if criterion_ids.count(i) > 1})
    if dupes:
        problems.append(("criteria", f"criterion ids must be unique; repeated: {', '.join(dupes)}"))
    unknown = [c for c in priority if c not in criterion_ids]
    if unknown:
        problems.append(("criteria_priority", f"criteria_priority names unknown criteria: {', '.join(unknown)}"))
    if len(set(priority)) != len(priority):
        problems.append(("criteria_priority", "criteria_priority lists a criterion twice"))
    values = sorted(scale)
    if len(set(values)) != len(values):
        problems.append(("strength_scale", "strength_scale repeats a value"))
    elif values:
        top = max(-values[0], values[-1])  # name the range the author meant: -3..2 is short of -3..3
        if values != list(range(-top, top + 1)):
            problems.append(
                ("strength_scale", f"strength_scale must be the contiguous symmetric range -{top}..{top} including 0; got {values}")
            )
    return problems


class Rubric(Strict):
    id: Identifier
    title: NonBlank
    version: NonBlank
    description: str = ""
    criteria: list[Criterion] = Field(min_length=1)
    strength_scale: list[StrengthStep] = Field(
        min_length=3,
        description="Ordinal preference-strength scale: negative = A better, 0 = about the same, positive = B better.",
    )
    criteria_priority: list[Identifier] = Field(
        default_factory=list,
        description="Criterion ids, most important first: which wins when criteria conflict.",
    )
    rationale: RationaleRequirements = Field(default_factory=RationaleRequirements)
    scoring: Scoring

    @model_validator(mode="after")
    def _consistent(self) -> "Rubric":
        problems = rubric_consistency(
            [c.id for c in self.criteria], list(self.criteria_priority), [s.value for s in self.strength_scale]
        )
        if problems:
            raise ValueError("; ".join(message for _, message in problems))
        return self

    @property
    def max_strength(self) -> int:
        return max(s.value for s in self.strength_scale)

    @property
    def criterion_ids(self) -> list[str]:
        return [c.id for c in self.criteria]

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    def strength_label(self, value: int) -> str:
        for s in self.strength_scale:
            if s.value == value:
                return s.label
        raise KeyError(value)

    @property
    def content_hash(self) -> str:
        return content_hash(self.model_dump(mode="json"))


# --------------------------------------------------------------------------- items


class ChatTurn(Strict):
    role: Literal["system", "user", "assistant"]
    content: str


class Item(Strict):
    id: Identifier
    prompt: NonBlank | list[ChatTurn] = Field(description="A single prompt, or the conversation so far as chat turns.")
    # Empty is allowed: real data sets hold models that answered nothing, and annotators judged them.
    response_a: str = Field(description="Response A; may be empty (a model that answered nothing).")
    response_b: str = Field(description="Response B; may be empty (a model that answered nothing).")
    source: str | None = None
    domain: str | None = None
    tags: list[str] = Field(default_factory=list)

    @field_validator("prompt")
    @classmethod
    def _turns_not_empty(cls, value: object) -> object:
        if isinstance(value, list) and not value:
            raise ValueError("a chat prompt needs at least one turn")
        return value

    @property
    def prompt_text(self) -> str:
        """The prompt as plain text (chat turns as `role: content` lines)."""
        if isinstance(self.prompt, str):
            return self.prompt
        return "\n\n".join(f"{t.role}: {t.content}" for t in self.prompt)

    def response(self, side: Literal["A", "B"]) -> str:
        return self.response_a if side == "A" else self.response_b

    @property
    def content_hash(self) -> str:
        return content_hash(self.model_dump(mode="json"))


# --------------------------------------------------------------------------- gold


class AcceptableAlternatives(Strict):
    """For genuinely close pairs: other answers that still earn full credit."""

    preferences: list[Preference] = Field(default_factory=list)
    strength_min: WholeNumber | None = None
    strength_max: WholeNumber | None = None

    @model_validator(mode="after")
    def _range_ordered(self) -> "AcceptableAlternatives":
        if self.strength_min is not None and self.strength_max is not None and self.strength_min > self.strength_max:
            raise ValueError(f"strength_min ({self.strength_min}) is above strength_max ({self.strength_max})")
        return self


class KeyPoint(Strict):
    id: Identifier
    text: NonBlank = Field(
        description="What a good rationale says, in the lead's words: the grader looks for this meaning in the trainee's own words."
    )
    about: Literal["A", "B", "both", "neither"] | None = Field(
        default=None,
        description="Which response the point is about (read from the text when absent): a point made about the"
        " other response is not credited.",
    )
    weight: Number = Field(default=1.0, gt=0, le=100, description="Relative importance among this item's key points.")
    criterion: Identifier | None = Field(default=None, description="The rubric criterion this point applies (for `gold lint`).")
    cues: list[NonBlank] = Field(
        default_factory=list,
        description="Words a lead associates with the point. Not used to grade since grader version 2 (points are"
        " matched by meaning); `rationale gold lint` warns about generic ones.",
    )
    pattern: str | None = Field(default=None, description="A regular expression; not used to grade since grader version 2.")

    @model_validator(mode="after")
    def _pattern_compiles(self) -> "KeyPoint":
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as exc:
                raise ValueError(f"pattern is not a valid regular expression: {exc}") from None
        return self


class EdgeCase(Strict):
    """The lead marks an item as one a trainee should escalate rather than simply answer."""

    flags: Flags = Field(
        default_factory=list,
        description="The flags that escalate it correctly (any flag when empty).",
    )
    reason: NonBlank = Field(
        description="What a good escalation says, in the lead's words: matched by meaning against the trainee's flag note."
    )


class Provenance(Strict):
    """Where a gold answer drafted by an LLM came from, and who accepted it."""

    draft_id: NonBlank = Field(description="The stored draft this gold was accepted from.")
    model: NonBlank = Field(description="The model that drafted it.")
    accepted_by: NonBlank = Field(description="The lead who accepted it.")
    accepted_at: datetime
    edited: bool = Field(default=False, description="The lead changed the draft before accepting it.")


OPTIONAL_GOLD_FIELDS = ("edge_case", "provenance")
"""Fields left out of a gold answer's identity when absent, so gold written before they existed keeps its hash."""


# How an importer's reference_rationale starts where the source gave a verdict and no reason (`importers.common`).
IMPORTED_GOLD_NOTE = "Imported gold: "


class GoldAnswer(Strict):
    item_id: Identifier
    preference: Preference
    strength: WholeNumber
    acceptable: AcceptableAlternatives | None = None
    decisive_criteria: list[Identifier] = Field(default_factory=list)
    key_points: list[KeyPoint] = Field(default_factory=list)
    reference_rationale: NonBlank
    safety_critical: bool = Field(
        default=False,
        description="Under-rating the strength costs half as much again: calling a dangerous answer only slightly"
        " worse misleads whoever uses the label.",
    )
    difficulty: Literal["easy", "medium", "hard"] = "medium"
    tags: list[str] = Field(default_factory=list)
    edge_case: EdgeCase | None = Field(
        default=None, description="Set when the item should be escalated: which flags fit and what a good escalation says."
    )
    provenance: Provenance | None = Field(
        default=None, description="Set on gold accepted from an LLM draft (`rationale gold review`)."
    )

    @field_validator("key_points")
    @classmethod
    def _key_point_ids_unique(cls, value: list[KeyPoint]) -> list[KeyPoint]:
        listed_once([point.id for point in value], "a key point id")
        return value

    @field_validator("decisive_criteria")
    @classmethod
    def _decisive_listed_once(cls, value: list[str]) -> list[str]:
        return listed_once(value)

    @field_validator("reference_rationale")
    @classmethod
    def _reference_readable(cls, value: str) -> str | None:
        return readable(value)

    @model_validator(mode="after")
    def _strength_agrees(self) -> "GoldAnswer":
        if strength_side(self.strength) != self.preference:
            raise ValueError(
                f"strength {self.strength:+d} does not agree with preference {self.preference}"
                " (negative favours A, positive favours B, 0 is a tie)"
            )
        return self

    @property
    def reasoned(self) -> bool:
        """Whether reference_rationale is a rationale, not an importer's note on where the verdict came from."""
        return not self.reference_rationale.startswith(IMPORTED_GOLD_NOTE)

    @property
    def accepted_strengths(self) -> tuple[int, int]:
        """The strengths that earn full credit: the gold's own, widened by ``acceptable`` (a missing bound stays put)."""
        low = high = self.strength
        if self.acceptable is not None:
            if self.acceptable.strength_min is not None:
                low = min(low, self.acceptable.strength_min)
            if self.acceptable.strength_max is not None:
                high = max(high, self.acceptable.strength_max)
        return low, high

    @property
    def content_hash(self) -> str:
        data = self.model_dump(mode="json")
        for name in OPTIONAL_GOLD_FIELDS:
            if data[name] is None:
                del data[name]
        return content_hash(data)


# --------------------------------------------------------------------------- judgments


class Judgment(Strict):
    """A trainee's answer to one item."""

    item_id: Identifier
    annotator: NonBlank = Field(max_length=MAX_NAME_CHARS, description="Who answered: one line of text.")
    preference: Preference
    strength: WholeNumber | None = Field(default=None, description="Signed strength on the rubric's scale; absent for vote-only data.")
    criteria: list[Identifier] = Field(default_factory=list, description="Rubric criterion ids the annotator relied on.")
    rationale: Annotated[str, Field(min_length=1, max_length=MAX_RATIONALE_CHARS, pattern=r"\S")] | None = Field(
        default=None,
        description="The written reasoning; absent for vote-only data, never blank.",
    )
    seconds: Number | None = Field(default=None, ge=0)
    timestamp: datetime | None = None
    confidence: WholeNumber | None = Field(default=None, ge=1, le=5, description="How sure the annotator is: 1 = a guess, 5 = certain.")
    flags: Flags = Field(
        default_factory=list,
        description="Escalation: edge_case, guideline_unclear, needs_expert, harmful_content, cannot_judge.",
    )
    flag_note: NonBlank | None = Field(
        default=None, max_length=FLAG_NOTE_MAX, description="Why the pair is flagged, in a sentence or two (needs a flag)."
    )

    @field_validator("annotator")
    @classmethod
    def _name_on_one_line(cls, value: str) -> str | None:
        return readable(value, single_line=True)

    @field_validator("rationale")
    @classmethod
    def _rationale_readable(cls, value: str | None) -> str | None:
        return readable(value, words=True)

    @field_validator("criteria")
    @classmethod
    def _criteria_listed_once(cls, value: list[str]) -> list[str]:
        return listed_once(value)

    @model_validator(mode="after")
    def _strength_agrees(self) -> "Judgment":
        if self.strength is not None and strength_side(self.strength) != self.preference:
            raise ValueError(
                f"strength {self.strength:+d} contradicts preference {self.preference}"
                " (negative favours A, positive favours B, 0 is a tie)"
            )
        return self

    @model_validator(mode="after")
    def _note_needs_flag(self) -> "Judgment":
        if self.flag_note is not None and not self.flags:
            raise ValueError("flag_note is given but no flag: add the flag it explains (e.g. edge_case)")
        return self

    @property
    def escalated(self) -> bool:
        return bool(self.flags)

    @property
    def content_hash(self) -> str:
        """Identity of this version of the answer (time spent and timestamp excluded)."""
        return content_hash(
            {
                "item_id": self.item_id,
                "annotator": self.annotator,
                "preference": self.preference,
                "strength": self.strength,
                "criteria": self.criteria,
                "rationale": self.rationale,
                # Added in grader version 3: in the identity only when given, so older answers keep their hash.
                **({"confidence": self.confidence} if self.confidence is not None else {}),
                **({"flags": self.flags} if self.flags else {}),
                **({"flag_note": self.flag_note} if self.flag_note is not None else {}),
            }
        )
