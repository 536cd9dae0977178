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

import gzip
import hashlib
import json
import re
import string
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import InputProblem
from ..models import AcceptableAlternatives, GoldAnswer

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


class ImportUsageError(ValueError):
    """The options do not make sense for the format (not a problem in the data)."""


# --------------------------------------------------------------------------- reading


def open_text(path: Path):
    """Open a text source; gzip is recognised by its magic bytes, not its name."""
    with open(path, "rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def iter_rows(path: Path, problems: list[InputProblem]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (line, record) from a JSON Lines file (plain or gzip) or a JSON array.

    JSON Lines are streamed. A JSON array is read whole (there is no way to
    stream it with the standard library) but each record still gets the line
    it starts on, so problems point at the right place.
    """
    with open_text(path) as handle:
        first = ""
        while True:
            ch = handle.read(1)
            if not ch or not ch.isspace():
                first = ch
                break
        if first == "[":
            yield from _iter_json_array(first + handle.read(), path, problems)
            return
        handle.seek(0)
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(InputProblem(str(path), line_no, "(line)", f"not valid JSON: {exc.msg}"))
                continue
            if not isinstance(record, dict):
                problems.append(InputProblem(str(path), line_no, "(line)", "expected a JSON object"))
                continue
            yield line_no, record


_WS = re.compile(r"\s*")


def _iter_json_array(text: str, path: Path, problems: list[InputProblem]) -> Iterator[tuple[int, dict[str, Any]]]:
    decoder = json.JSONDecoder()
    pos = _WS.match(text, 1).end()
    line, counted_to = 1, 0
    if text[pos : pos + 1] == "]":
        return
    while True:
        line += text.count("\n", counted_to, pos)
        counted_to = pos
        try:
            record, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            problems.append(InputProblem(str(path), exc.lineno, "(file)", f"not valid JSON: {exc.msg}"))
            return
        if isinstance(record, dict):
            yield line, record
        else:
            problems.append(InputProblem(str(path), line, "(record)", "expected a JSON object"))
        pos = _WS.match(text, end).end()
        sep = text[pos : pos + 1]
        if sep == "]":
            return
        if sep != ",":
            line += text.count("\n", counted_to, pos)
            problems.append(InputProblem(str(path), line, "(file)", "not valid JSON: expected ',' or ']' after a record"))
            return
        pos = _WS.match(text, pos + 1).end()


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
    """Every row of every source with its file and line, counted as read; stops at `--limit`."""
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
            raise ImportUsageError(f"--labels: {part.strip()!r} should look like VALUE=A, VALUE=B or VALUE=tie")
        labels[key.strip()] = target
    if not labels:
        raise ImportUsageError("--labels: give at least one VALUE=A|B|tie")
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
    """A field named in --map, --gold-field or a template is not in the record."""


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
                raise ImportUsageError(f"--map template {spec!r} is not valid: {exc}") from None
            if any(not name for name in self.fields):
                raise ImportUsageError(f"--map template {spec!r} has an empty {{}}; name a field inside the braces")
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
