"""The options an import takes, and how each is spelled on the command line (its flag).

The flag names live here, once: the CLI declares its options from
`OPTION_FLAGS`, and messages about an option name it through `flag()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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


OPTION_FLAGS: dict[str, str] = {
    "seed": "--seed",
    "limit": "--limit",
    "field_map": "--map",
    "gold_field": "--gold-field",
    "gold_from_votes": "--gold-from-votes",
    "vote_fields": "--vote-fields",
    "labels": "--labels",
    "rationale_field": "--rationale-field",
    "skip_bad": "--skip-bad",
}


def flag(option: str) -> str:
    """How an option is written on the command line, for messages."""
    return OPTION_FLAGS[option]
