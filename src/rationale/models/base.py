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
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, AllowInfNan, BaseModel, ConfigDict, Field
from pydantic import Strict as StrictType

SCHEMA_VERSION = 1

# Part of every grade's identity: bump it when a check, a finding's wording or the
# scoring changes, so re-running a batch stores fresh grades instead of keeping stale ones.
GRADER_VERSION = 8

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


WholeNumber = Annotated[int, StrictType()]
"""An integer as written: never the text "2", true, or 3.0 quietly read as one."""
Number = Annotated[float, StrictType(), AllowInfNan(False)]
"""A finite number as written (an integer is fine): never text, true/false, .inf or NaN."""

# Limits on what people write, documented in the README ("Limits and guarantees"). Each keeps one bad record
# from costing minutes or crashing a later step; a value beyond one is reported, never cut short.
MAX_RATIONALE_CHARS = 20_000  # about 3,000 words; the longest rationale in the shipped and public data is under 1,000
MAX_WORD_CHARS = 300  # the longest run of characters without a space a rationale may hold (a long URL fits)
MAX_NAME_CHARS = 200  # an annotator's name
MAX_PHRASE_CHARS = 100  # a criterion's name, a cue, a vague phrase: each becomes part of one compiled pattern


_CONTROL = re.compile("[\x00-\x1f\x7f]")
# \S and str.split() agree on what is white space (both use Python's own Unicode test).
_OVERLONG_WORD = re.compile(rf"\S{{{MAX_WORD_CHARS + 1}}}")


def text_problem(value: str, *, single_line: bool = False) -> str | None:
    """What is wrong with a piece of written text that a length or pattern rule cannot say, or None."""
    if "\x00" in value:
        return f"holds a NUL character (at character {value.index(chr(0)) + 1}); remove it"
    if single_line:
        control = _CONTROL.search(value)
        if control is not None:
            return f"holds a control character ({control.group()!r} at character {control.start() + 1}); write it on one line"
    return None


def words_problem(value: str) -> str | None:
    """A rationale's words: none longer than MAX_WORD_CHARS."""
    if _OVERLONG_WORD.search(value) is None:  # the common case, a quarter of the cost of splitting into words
        return None
    longest = max(value.split(), key=len, default="")
    if len(longest) > MAX_WORD_CHARS:
        return f"holds a word of {len(longest):,} characters (at most {MAX_WORD_CHARS}): {longest[:20]!r}..."
    return None


def repeated(values: list[str]) -> list[str]:
    """The values listed more than once, in order of first repetition."""
    if len(set(values)) == len(values):
        return []  # the common case, decided without a Python-level loop
    seen: set[str] = set()
    return list(dict.fromkeys(v for v in values if v in seen or seen.add(v)))  # type: ignore[func-returns-value]


def listed_once(values: list[str], what: str = "a criterion") -> list[str]:
    """`values` unchanged, or ValueError naming those listed twice (a validator's body)."""
    twice = repeated(values)
    if twice:
        raise ValueError(f"{what} is listed twice: {', '.join(twice)}")
    return values


def readable(value: str | None, single_line: bool = False, words: bool = False) -> str | None:
    """`value` unchanged, or ValueError saying what `text_problem` (and `words_problem`) found (a validator's body)."""
    problem = None if value is None else text_problem(value, single_line=single_line) or (words_problem(value) if words else None)
    if problem:
        raise ValueError(problem)
    return value


class Strict(BaseModel):
    """Unknown fields are an error: a typo in a field name must not pass silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# Made once: json.dumps with these options builds an encoder per call, 40% of the call (a hash per judgment).
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def content_hash(data: object) -> str:
    """A stable short hash of JSON-able content (sorted keys, no whitespace)."""
    text = _CANONICAL.encode(data)
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
