"""The shared vocabulary of every data shape: strict base model, identifiers, hashes, sides.

Conventions
-----------
* Preference labels are ``"A"``, ``"B"`` and ``"tie"``.
* Strength is signed on the rubric's ordinal scale: negative favours A,
  positive favours B, 0 means about the same. The general rubric uses
  -3..+3 (``-3`` = A much better, ``+3`` = B much better).
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1

# Part of every grade's identity: bump it when a check, a finding's wording or the
# scoring changes, so re-running a batch stores fresh grades instead of keeping stale ones.
GRADER_VERSION = 3

Preference = Literal["A", "B", "tie"]
PREFERENCES: tuple[str, ...] = ("A", "B", "tie")

FLAGS: tuple[str, ...] = ("edge_case", "guideline_unclear", "needs_expert", "harmful_content", "cannot_judge")
"""Why an annotator escalates a pair instead of (or as well as) answering it."""
Flag = Literal["edge_case", "guideline_unclear", "needs_expert", "harmful_content", "cannot_judge"]
CONFIDENCE_LEVELS: tuple[int, ...] = (1, 2, 3, 4, 5)
"""How sure an annotator says they are: 1 = a guess, 5 = certain."""
CONFIDENCE_STATED: dict[int, float] = {1: 0.5, 2: 0.625, 3: 0.75, 4: 0.875, 5: 1.0}
"""The probability of being right each level stands for: a guess between two responses is 50%, certain is 100%."""
FLAG_NOTE_MAX = 500


def _each_once(flags: list[str]) -> list[str]:
    if len(set(flags)) != len(flags):
        raise ValueError("a flag is listed twice")
    return flags


Flags = Annotated[list[Flag], AfterValidator(_each_once)]

NonBlank = Annotated[str, Field(min_length=1, pattern=r"\S")]
Identifier = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:/-]*$")]


class Strict(BaseModel):
    """Unknown fields are an error: a typo in a field name must not pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def content_hash(data: object) -> str:
    """A stable short hash of JSON-able content (sorted keys, no whitespace)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def strength_side(strength: int) -> Preference:
    """The preference a signed strength expresses."""
    if strength < 0:
        return "A"
    if strength > 0:
        return "B"
    return "tie"


SWAP_SIDE: dict[str, str] = {"A": "B", "B": "A", "tie": "tie"}
"""A preference seen with A and B exchanged: the one map every swap uses."""


def swap_side(preference: str) -> str:
    """The same choice named with A and B exchanged (a tie stays a tie)."""
    return SWAP_SIDE.get(preference, preference)
