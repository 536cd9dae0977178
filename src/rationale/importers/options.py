"""The options an import takes, and how each is spelled on the command line (its flag).

The flag names live here, once: the CLI declares its options from
`OPTION_FLAGS`, and messages about an option name it through `flag()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


class ImportUsageError(ValueError):
    """The options do not make sense for the format (not a problem in the data)."""


@dataclass(frozen=True)
class ImportOptions:
    seed: int = 0
    field_map: dict[str, str] = field(default_factory=dict)
    gold_field: str | None = None
    gold_from_votes: str | None = None
    vote_fields: tuple[str, ...] = ()
    labels: dict[str, str] | None = None
    rationale_field: str | None = None
    confidence_field: str | None = None  # each vote's confidence (1-5); like rationale_field, may hold {vote}
    flags_field: str | None = None  # each vote's flags: a JSON list or "edge_case, needs_expert"
    flag_note_field: str | None = None  # each vote's note on its flags
    judge_fields: tuple[tuple[str, str], ...] = ()  # (judge name, field): verdicts kept out of gold
    joins: tuple[Path, ...] = ()  # files joined to the source row by `join_on`
    swapped_joins: tuple[Path, ...] = ()  # joined files whose verdicts were given with A and B exchanged
    join_on: str | None = None
    skip_identical: bool = False


OPTION_FLAGS: dict[str, str] = {
    "seed": "--seed",
    "limit": "--limit",
    "field_map": "--map",
    "gold_field": "--gold-field",
    "gold_from_votes": "--gold-from-votes",
    "vote_fields": "--vote-fields",
    "labels": "--labels",
    "rationale_field": "--rationale-field",
    "confidence_field": "--confidence-field",
    "flags_field": "--flags-field",
    "flag_note_field": "--flag-note-field",
    "judge_fields": "--judge-fields",
    "joins": "--join",
    "swapped_joins": "--join-swapped",
    "join_on": "--on",
    "skip_identical": "--skip-identical",
    "skip_bad": "--skip-bad",
}


def flag(option: str) -> str:
    """How an option is written on the command line, for messages."""
    return OPTION_FLAGS[option]
