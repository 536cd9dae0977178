"""Pieces every importer shares: reading source rows, building validated
records, imported gold, seeded A/B order, vote counting, field templates.

Two kinds of trouble are kept apart on purpose:

* A *bad row* is malformed input (not JSON, a required field missing or of
  the wrong type, a label outside ``--labels``). It is an `InputProblem`
  (``FILE:LINE: field: message``); the import fails with exit 2 and writes
  nothing unless ``--skip-bad`` is given.
* A *skipped row* is well formed but cannot make a pair (the two
  conversations share no prompt, a judge voted twice, a record has no
  submitted answer). It is skipped and counted with its reason, because the
  source is not wrong, it just holds no usable pair.

A third kind is neither: a *kept shape*, what real data holds and we import
as it is, counted with what was done (an empty response, a JSON true written
as text, identical responses tagged with a tie as gold, a label read as a
missing vote). See `ImportWriter.keep`.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import json
import typing
import types

from pydantic import BaseModel, ValidationError

from ..errors import InputProblem
from ..io.reader import iter_rows
from ..models import AcceptableAlternatives, GoldAnswer
from ..models.inputs import IMPORTED_GOLD_NOTE
from ..votes import VOTE_RULES, vote_winner
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
    """Construct `model`; on failure append one problem per wrong field, naming the source's field.

    A field whose type is a union (an item's prompt: text or chat turns) fails
    once per branch in pydantic; only the branch that fits the value's type
    is reported, or one message naming what the field may be when none fits.
    """
    try:
        return model(**data)
    except ValidationError as exc:
        names = source_fields or {}
        for loc, message in _one_error_per_field(model, exc.errors(), data):
            field = names.get(loc[0], loc[0]) if loc else model.__name__
            if len(loc) > 1:
                field = ".".join([field, *loc[1:]])
            problems.append(InputProblem(str(path), line, field, message))
        return None


_FRIENDLY = {"String should match pattern '\\S'": "must not be blank", "String should have at least 1 character": "must not be blank"}


def _is_union(model: type[BaseModel], name: str) -> bool:
    info = model.model_fields.get(name)
    origin = typing.get_origin(info.annotation) if info else None
    return origin in (typing.Union, types.UnionType)


def _one_error_per_field(model: type[BaseModel], errors: list[Any], data: Mapping[str, Any]) -> list[tuple[list[str], str]]:
    """(location, message) pairs with a union field's branch errors folded into the branch its value fits."""
    out: list[tuple[list[str], str]] = []
    unions: dict[str, list[tuple[str, list[str], str]]] = {}
    for error in errors:
        loc = [str(part) for part in error["loc"]]
        message = _FRIENDLY.get(error["msg"], error["msg"])
        if len(loc) > 1 and _is_union(model, loc[0]):
            unions.setdefault(loc[0], []).append((loc[1], [loc[0], *loc[2:]], message))
        else:
            out.append((loc, message))
    for name, branch_errors in unions.items():
        value = data.get(name)
        kind = "str" if isinstance(value, str) else "list" if isinstance(value, list) else None
        fitting = [(loc, msg) for branch, loc, msg in branch_errors if kind and kind in branch]
        if fitting:
            out.extend(fitting)
        else:
            shown = sorted({branch.replace("constrained-", "") for branch, _, _ in branch_errors})
            out.append(([name], f"must be one of: {', '.join(shown)}; got {type(value).__name__}"))
    return out


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


KEPT_EMPTY = "a response is empty (imported; drills and exports show it as '(empty response)')"
KEPT_NOT_TEXT = "a response was a JSON true/false or number (imported as text, spelt as in the file)"


def response_text(value: Any) -> tuple[Any, bool]:
    """(text, converted): a JSON boolean or number as the file spells it ("true", "3.5"); anything else unchanged.

    JSON spelling rather than Python's ("True") because it is what the file
    holds; docs/IMPORT.md says where a source's booleans probably came from.
    """
    if isinstance(value, (bool, int, float)):
        return json.dumps(value), True
    return value, False


# --------------------------------------------------------------------------- transcripts

# A turn starts at the beginning of the text or after a blank line; a role word
# elsewhere inside a turn (hh-rlhf has 73 such) is text, not a new turn.
TRANSCRIPT_ROLES = {"human": "user", "user": "user", "assistant": "assistant", "system": "system"}
_TURN_ANY = re.compile(r"(?:^|\n\n)(human|user|assistant|system):", re.IGNORECASE)
_TURN_HH = re.compile(r"(?:^|\n\n)(Human|Assistant):")


def split_turns(text: str, *, hh: bool = False) -> list[tuple[str, str]] | None:
    """[(role, content), ...] (roles user/assistant/system), or None when text comes before the first turn.

    `hh` keeps to hh-rlhf's own markers (``Human:``/``Assistant:``, capitalised);
    otherwise ``user:``, ``assistant:``, ``human:`` and ``system:`` in any case.
    """
    parts = (_TURN_HH if hh else _TURN_ANY).split(text)
    if parts[0].strip() or len(parts) < 3:
        return None
    return [(TRANSCRIPT_ROLES[parts[i].lower()], parts[i + 1].strip()) for i in range(1, len(parts), 2)]


def render_turns(turns: Sequence[tuple[str, str]]) -> str:
    """A response that is one assistant turn is its text; a longer tail keeps its roles, ``Assistant: ...``."""
    if len(turns) == 1 and turns[0][0] == "assistant":
        return turns[0][1]
    return "\n\n".join(f"{role.capitalize()}: {content}" for role, content in turns)


KEPT_LONG_TAIL = "the two sides differ in more than their last turn (each response is the rest of its conversation, roles kept)"


def split_conversations(first: str, second: str, *, hh: bool = False):  # type: ignore[no-untyped-def]
    """(prompt turns, response 1, response 2, whether a response spans several turns) for two transcripts
    that share their opening turns, or None when either is not a transcript or they share no turn."""
    turns_1, turns_2 = split_turns(first, hh=hh), split_turns(second, hh=hh)
    if not turns_1 or not turns_2:
        return None
    shared = shared_prefix(turns_1, turns_2)
    if shared == len(turns_1) == len(turns_2):
        shared -= 1  # identical transcripts: the last turn is each side's (identical) response
    if shared == 0:
        return None
    rest_1, rest_2 = turns_1[shared:], turns_2[shared:]
    long_tail = any(len(rest) != 1 or rest[0][0] != "assistant" for rest in (rest_1, rest_2))
    prompt = [{"role": role, "content": content} for role, content in turns_1[:shared]]
    return prompt, render_turns(rest_1), render_turns(rest_2), long_tail


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
        reference_rationale=f"{IMPORTED_GOLD_NOTE}{because}; {NO_RATIONALE}",
        tags=[IMPORTED_TAG, *tags],
    )


def shared_prefix(first: Sequence[Any], second: Sequence[Any]) -> int:
    """How many leading turns two conversations share (the prompt both responses answer)."""
    shared = 0
    for a, b in zip(first, second):
        if a != b:
            break
        shared += 1
    return shared


NO_GOLD_FROM_VOTES = {
    "majority": "no gold: no label has more than half of the votes (item kept without gold)",
    "plurality": "no gold: the most votes are shared by two labels (item kept without gold)",
}
FROM_VOTES_TAG = "from-votes"
"""Gold made from votes is tagged ``from-votes:<rule>``, so `calibrate` can remake it without an annotator's own vote."""


def gold_from_votes(
    rule: str, item: Any, votes: Iterable[str], who: str, tags: Iterable[str], out: Any, path: Path, line: int
) -> GoldAnswer | None:
    """Gold for `item` from the votes under `rule` (see votes.VOTE_RULES), `who` naming the voters ("the judges").

    Without a winner the item keeps its votes but gets no gold; that is counted
    (`grade` skips its judgments, `calibrate` still uses them for agreement).
    Identical responses are left to the writer, which gives them a tie.
    """
    winner, counts = vote_winner(votes, rule)  # type: ignore[arg-type]
    if winner is None:
        if item.response_a.strip() != item.response_b.strip():
            out.keep(path, line, NO_GOLD_FROM_VOTES[rule])
        return None
    share = "more than half of the votes" if rule == "majority" else "more votes than any other label"
    because = f"{winner} has {share} of {who} ({describe_votes(counts)}; rule: {rule})"
    return imported_gold(item.id, str(winner), because, [*tags, f"{FROM_VOTES_TAG}:{rule}"])


def check_vote_rule(rule: str | None) -> None:
    if rule is not None and rule not in VOTE_RULES:
        raise ImportUsageError(f"{flag('gold_from_votes')}: choose one of {', '.join(VOTE_RULES)}, not {rule!r}")


def describe_votes(counts: Counter[str]) -> str:
    total = sum(counts.values())
    parts = [f"{counts[p]} {'tie' if p == 'tie' else 'for ' + p}" for p in ("A", "B", "tie") if counts[p]]
    return f"{', '.join(parts)}; {total} vote{'s' if total != 1 else ''}"


DEFAULT_LABELS = {"a": "A", "b": "B", "tie": "tie"}
MISSING = "missing"
"""A label mapped to ``missing`` (``--labels garbage=missing``) is no vote at all: the row stays, the vote is left out."""
LABEL_TARGETS = {"a": "A", "b": "B", "tie": "tie", MISSING: MISSING}


def parse_labels(spec: str) -> dict[str, str]:
    """`0=tie,1=A,2=B,garbage=missing` -> {"0": "tie", "1": "A", "2": "B", "garbage": "missing"}."""
    labels: dict[str, str] = {}
    for part in spec.split(","):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        target = LABEL_TARGETS.get(value.strip().lower())
        if not sep or not key.strip() or target is None:
            raise ImportUsageError(
                f"{flag('labels')}: {part.strip()!r} should look like VALUE=A, VALUE=B, VALUE=tie or VALUE=missing"
            )
        if labels.get(key.strip(), target) != target:  # `1=A,1=B`: which one was meant is not ours to guess
            raise ImportUsageError(f"{flag('labels')}: {key.strip()!r} is mapped twice, to {labels[key.strip()]} and to {target}")
        labels[key.strip()] = target
    if not labels:
        raise ImportUsageError(f"{flag('labels')}: give at least one VALUE=A|B|tie|missing")
    return labels


def label_to_preference(value: object, labels: Mapping[str, str] | None) -> str | None:
    """Map a source label to A/B/tie, or MISSING when `--labels` maps it to a missing vote; None when unknown."""
    if isinstance(value, bool) or value is None:
        return None
    key = str(value).strip()
    if labels:
        return labels.get(key)
    return DEFAULT_LABELS.get(key.lower())


def kept_missing(label: object) -> str:
    """The kept-shape line for votes whose label `--labels` maps to a missing vote."""
    return f"label {label!r} read as a missing vote ({flag('labels')} {label}={MISSING})"


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
            # Stripped so that an empty field at either end ('{instruction}\n\n{input}' without input) leaves no blank line.
            return "".join(parts).strip(), None
        except MissingField as missing:
            return None, f"field {missing.args[0]!r} is missing"
