"""Pieces every importer shares: reading source rows, building validated
records, imported gold, seeded A/B order, vote counting, field templates.

Two kinds of trouble are kept apart on purpose:

* A *bad row* is malformed input (not JSON, a required field missing or of
  the wrong type, a label outside ``--labels``). It is an `InputProblem`
  (``FILE:LINE: field: message``); the import fails with exit 2 and writes
  nothing unless ``--skip-bad`` is given.
* A *skipped row* is well formed but cannot make a fair pair (the two
  responses are identical or one is empty, chosen and rejected share no
  prompt, the votes have no majority). It is always skipped and counted with
  its reason, because the source is not wrong, it just holds no usable pair.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import InputProblem
from ..io.reader import iter_rows
from ..models import AcceptableAlternatives, GoldAnswer
from .options import ImportUsageError, flag

M = TypeVar("M", bound=BaseModel)

# Imported gold has a side but no strength: the sources say which response is
# better, never by how much. We record a moderate default (2 = "better" on the
# -3..+3 scale of the shipped rubrics) and accept the whole correct side
# (1..3 or -3..-1) so that a trainee is never marked down on strength for data
# whose strength nobody measured.
IMPORTED_STRENGTH = 2
IMPORTED_STRENGTH_BOUND = 3
IMPORTED_TAG = "imported"
NO_RATIONALE = "no human rationale was provided."


# --------------------------------------------------------------------------- building records


def build(
    model: type[M],
    path: Path,
    line: int,
    problems: list[InputProblem],
    source_fields: Mapping[str, str] | None = None,
    **data: Any,
) -> M | None:
    """Construct `model`; on failure append one problem per error, naming the source's field."""
    try:
        return model(**data)
    except ValidationError as exc:
        names = source_fields or {}
        for error in exc.errors():
            loc = [str(part) for part in error["loc"]]
            field = names.get(loc[0], loc[0]) if loc else model.__name__
            if len(loc) > 1:
                field = ".".join([field, *loc[1:]])
            problems.append(InputProblem(str(path), line, field, error["msg"]))
        return None


def rows_until_limit(sources: Sequence[Path], out: Any) -> Iterator[tuple[Path, int, dict[str, Any]]]:
    """Every row of every source with its file and line, counted as read; stops at the limit."""
    for path in sources:
        for line, row in iter_rows(path, out.problems):
            if out.full:
                out.summary.limit_reached = True
                return
            out.read()
            yield path, line, row


def identifier(text: str) -> str:
    """Make `text` usable inside an item id (letters, digits and _.:/- only)."""
    cleaned = re.sub(r"[^A-Za-z0-9_.:/-]+", "-", text).strip("-")
    return cleaned or "x"


def short_hash(*parts: str) -> str:
    h = hashlib.sha1()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()[:12]


def swapped(seed: int, key: str) -> bool:
    """Deterministic coin flip per item: the same seed and item always land the same way."""
    return bool(hashlib.sha256(f"{seed}:{key}".encode()).digest()[0] & 1)


def is_blank(text: object) -> bool:
    return not isinstance(text, str) or not text.strip()


# --------------------------------------------------------------------------- gold and votes


def imported_gold(item_id: str, preference: str, because: str, tags: Iterable[str]) -> GoldAnswer:
    """Gold for data that says which side won but not why (see IMPORTED_STRENGTH)."""
    if preference == "tie":
        strength, acceptable = 0, None
    else:
        sign = -1 if preference == "A" else 1
        strength = sign * IMPORTED_STRENGTH
        low, high = sorted((sign * 1, sign * IMPORTED_STRENGTH_BOUND))
        acceptable = AcceptableAlternatives(strength_min=low, strength_max=high)
    return GoldAnswer(
        item_id=item_id,
        preference=preference,
        strength=strength,
        acceptable=acceptable,
        reference_rationale=f"Imported gold: {because}; {NO_RATIONALE}",
        tags=[IMPORTED_TAG, *tags],
    )


def majority(votes: Iterable[str]) -> tuple[str | None, Counter[str]]:
    """The preference with strictly more votes than any other, or None (no votes, or a draw)."""
    counts = Counter(votes)
    ranked = counts.most_common()
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None, counts
    return ranked[0][0], counts


def shared_prefix(first: Sequence[Any], second: Sequence[Any]) -> int:
    """How many leading turns two conversations share (the prompt both responses answer)."""
    shared = 0
    for a, b in zip(first, second):
        if a != b:
            break
        shared += 1
    return shared


SKIP_NO_MAJORITY = "no gold: the votes have no majority"


def majority_gold(
    item_id: str, votes: Iterable[str], because: str, tags: Iterable[str], out: Any, path: Path, line: int
) -> GoldAnswer | None:
    """Gold from the votes' strict majority, `because` naming who voted ("the majority of judges prefer {winner}");
    without a majority the item gets no gold and the skip is counted."""
    winner, counts = majority(votes)
    if winner is None:
        out.skip(path, line, SKIP_NO_MAJORITY)
        return None
    return imported_gold(item_id, winner, f"{because.format(winner=winner)} ({describe_votes(counts)})", tags)


def describe_votes(counts: Counter[str]) -> str:
    total = sum(counts.values())
    parts = [f"{counts[p]} {'tie' if p == 'tie' else 'for ' + p}" for p in ("A", "B", "tie") if counts[p]]
    return f"{', '.join(parts)}; {total} vote{'s' if total != 1 else ''}"


DEFAULT_LABELS = {"a": "A", "b": "B", "tie": "tie"}


def parse_labels(spec: str) -> dict[str, str]:
    """`0=tie,1=A,2=B` -> {"0": "tie", "1": "A", "2": "B"}."""
    labels: dict[str, str] = {}
    for part in spec.split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        target = {"a": "A", "b": "B", "tie": "tie"}.get(value.strip().lower())
        if not sep or not key.strip() or target is None:
            raise ImportUsageError(f"{flag('labels')}: {part.strip()!r} should look like VALUE=A, VALUE=B or VALUE=tie")
        labels[key.strip()] = target
    if not labels:
        raise ImportUsageError(f"{flag('labels')}: give at least one VALUE=A|B|tie")
    return labels


def label_to_preference(value: object, labels: Mapping[str, str] | None) -> str | None:
    """Map a source label to A/B/tie; None when it is not a known label."""
    if isinstance(value, bool) or value is None:
        return None
    key = str(value).strip()
    if labels:
        return labels.get(key)
    return DEFAULT_LABELS.get(key.lower())


# --------------------------------------------------------------------------- field templates


class MissingField(LookupError):
    """A field named in the field map, the gold field or a template is not in the record."""


def lookup(record: Mapping[str, Any], field: str) -> Any:
    """A field by name; a dotted name reaches into nested objects when no key matches it whole."""
    if field in record:
        return record[field]
    node: Any = record
    for part in field.split("."):
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise MissingField(field)
    return node


class FieldTemplate:
    """A mapping target: a plain source field name, or a template such as
    ``{instruction}\\n\\n{input}``. Backslash escapes \\n and \\t are honoured
    because shells pass them through single quotes literally."""

    def __init__(self, spec: str):
        self.spec = spec
        self.is_template = "{" in spec
        self.text = spec.replace("\\n", "\n").replace("\\t", "\t") if self.is_template else spec
        if self.is_template:
            try:
                self.fields = [name for _, name, _, _ in string.Formatter().parse(self.text) if name is not None]
            except ValueError as exc:
                raise ImportUsageError(f"{flag('field_map')} template {spec!r} is not valid: {exc}") from None
            if any(not name for name in self.fields):
                raise ImportUsageError(f"{flag('field_map')} template {spec!r} has an empty {{}}; name a field inside the braces")
        else:
            self.fields = [spec]

    def render(self, record: Mapping[str, Any]) -> tuple[Any, str | None]:
        """(value, None) or (None, 'missing field' message)."""
        try:
            if not self.is_template:
                return lookup(record, self.spec), None
            # Assembled by hand rather than str.format_map, which would read
            # `{a.b}` as attribute access instead of a nested field.
            parts: list[str] = []
            for literal, name, spec, _ in string.Formatter().parse(self.text):
                parts.append(literal)
                if name is not None:
                    value = lookup(record, name)
                    parts.append(format("" if value is None else value, spec or ""))
            return "".join(parts), None
        except MissingField as missing:
            return None, f"field {missing.args[0]!r} is missing"
