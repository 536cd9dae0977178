"""Gold drafted by an LLM for a lead to review: what the model must reply, and what `gold draft` reports."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from .base import Preference, Strict
from .critique import _Verdict
from .reports import LLMRunReport


class DraftKeyPoint(Strict):
    text: str = Field(min_length=1, description="One sentence a good rationale makes, naming the response it is about.")
    about: Literal["A", "B", "both", "neither"] = Field(description="Which response the point is about.")
    cues: list[str] = Field(default_factory=list, max_length=5, description="A few words from the responses that show it.")


class GoldDraftReply(_Verdict):
    """What the drafting model must return for one item: the gold a lead then accepts, edits or rejects."""

    preference: Preference
    strength: int = Field(ge=0, description="How much better the preferred response is: 0 for a tie, else 1 up to the scale's maximum.")
    strength_min: int = Field(ge=0, description="The mildest strength a lead would still accept (unsigned, on the same side).")
    strength_max: int = Field(ge=0, description="The strongest strength a lead would still accept (unsigned, on the same side).")
    decisive_criteria: list[str] = Field(min_length=1, description="Rubric criterion ids that decide the pair.")
    key_points: list[DraftKeyPoint] = Field(min_length=1, max_length=6)
    reference_rationale: str = Field(min_length=1, description="A model rationale in the lead's voice, quoting the responses.")

    @model_validator(mode="after")
    def _range_holds_the_strength(self) -> "GoldDraftReply":
        if not self.strength_min <= self.strength <= self.strength_max:
            raise ValueError(
                f"strength {self.strength} is outside its own acceptable range {self.strength_min}..{self.strength_max}"
            )
        return self


class GoldDraftReport(LLMRunReport):
    """`rationale gold draft`: what was drafted, found in the cache, failed, and what lint says of the drafts."""

    items: int = 0  # items read
    with_key_points: int = 0  # items whose gold already has key points: nothing to draft
    already_drafted: int = 0  # a draft (or a reviewed one) is stored for the same item, gold, rubric and model
    left_by_limit: int = 0  # items still to draft that --limit left for a later run
    drafted: int = 0
    lint_warnings: int = 0  # `gold lint` warnings on the drafts made this run
    drafts: list[dict[str, Any]] = Field(default_factory=list)  # one line per draft made: item, preference, key points, warnings
