"""Any JSON Lines file (or JSON array) by field mapping: formats ``jsonl`` and ``json``.

Targets and where they come from (``--map TARGET=SOURCE``; SOURCE is a field
name, a dotted path into nested objects, or a template such as
``'{instruction}\\n\\n{input}'``):

* ``prompt``, ``response_a``, ``response_b``: required; each defaults to the
  field of the same name. A prompt field holding a list of ``{role,
  content}`` becomes chat turns.
* ``id``: optional; default ``<file name>-<line>``.
* ``domain``: optional.

Gold: ``--gold-field F`` (the value mapped with ``--labels``, default labels
A, B, tie) or ``--gold-from-votes majority``. Votes: ``--vote-fields
a1,a2,a3`` makes one judgment per column that has a value (annotator = the
column name). A vote is a label, or an object ``{"label": ..., <rationale
field>: ...}``. ``--rationale-field R`` names the reasoning: a column per
vote when R contains ``{vote}`` (``--rationale-field '{vote}_reason'``), the
single vote's column when there is one vote field, or the key inside object
votes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import InputProblem
from ..models import Item, Judgment
from .common import (
    FieldTemplate,
    MissingField,
    build,
    identifier,
    imported_gold,
    label_to_preference,
    lookup,
    majority_gold,
    rows_until_limit,
)
from .options import ImportUsageError, flag

TARGETS = ("id", "prompt", "response_a", "response_b", "domain")
REQUIRED = ("prompt", "response_a", "response_b")
SKIP_IDENTICAL = "response_a and response_b are identical"
VOTE_LABEL_KEYS = ("label", "preference", "value", "choice")


def _templates(options) -> dict[str, FieldTemplate]:
    unknown = sorted(set(options.field_map) - set(TARGETS))
    if unknown:
        raise ImportUsageError(f"{flag('field_map')} {unknown[0]}: targets are {', '.join(TARGETS)}")
    templates = {t: FieldTemplate(options.field_map.get(t, t)) for t in REQUIRED}
    for optional in ("id", "domain"):
        if optional in options.field_map:
            templates[optional] = FieldTemplate(options.field_map[optional])
    if options.gold_from_votes and not options.vote_fields:
        raise ImportUsageError(f"{flag('gold_from_votes')} needs {flag('vote_fields')}")
    if options.rationale_field and not options.vote_fields:
        raise ImportUsageError(f"{flag('rationale_field')} needs {flag('vote_fields')} (a rationale belongs to a vote)")
    return templates


def _known_labels(labels) -> str:
    return ", ".join(labels) if labels else "A, B, tie"


def import_rows(sources: Sequence[Path], options, out) -> None:
    templates = _templates(options)
    for path, line, row in rows_until_limit(sources, out):
        stem = identifier(path.name.split(".")[0])
        _import_row(path, line, stem, row, templates, options, out)


def _vote(row: dict[str, Any], column: str, options) -> tuple[Any, Any, str | None]:
    """(label, rationale, problem) of one vote column; label None when the column holds no vote."""
    value = row.get(column)
    rationale_field = options.rationale_field
    if isinstance(value, dict):
        label = next((value[k] for k in VOTE_LABEL_KEYS if k in value), None)
        rationale = value.get(rationale_field) if rationale_field else None
        return label, rationale, None
    if value is None or value == "":
        return None, None, None
    rationale = None
    if rationale_field:
        if "{vote}" in rationale_field:
            rationale = row.get(rationale_field.replace("{vote}", column))
        elif len(options.vote_fields) == 1:
            rationale = row.get(rationale_field)
        else:
            return None, None, (
                f"votes are plain labels, so {flag('rationale_field')} must name a column per vote, e.g. '{{vote}}_reason'"
            )
    return value, rationale, None


def _import_row(path: Path, line: int, stem: str, row: dict[str, Any], templates, options, out) -> None:
    where = str(path)
    bad: list[InputProblem] = []
    values: dict[str, Any] = {}
    for target, template in templates.items():
        value, missing = template.render(row)
        if missing:
            bad.append(InputProblem(where, line, template.spec, missing))
        values[target] = value
    gold_preference = _gold_label(row, options, where, line, bad)
    votes = _votes(row, options, where, line, bad)
    if bad:
        out.bad(bad)
        return
    if isinstance(values["response_a"], str) and values["response_a"] == values["response_b"]:
        out.skip(path, line, SKIP_IDENTICAL)
        return
    item_id = identifier(str(values["id"])) if values.get("id") not in (None, "") else f"{stem}-{line}"
    for target in ("response_a", "response_b"):
        if isinstance(values[target], (int, float)) and not isinstance(values[target], bool):
            values[target] = str(values[target])
    item = build(
        Item, path, line, out.problems,
        {t: templates[t].spec for t in templates},
        id=item_id, prompt=values["prompt"], response_a=values["response_a"], response_b=values["response_b"],
        domain=values.get("domain"), source=f"{path.name}:{line}", tags=["imported"],
    )
    if item is None:
        return
    judgments = []
    for column, preference, rationale in votes:
        judgment = build(
            Judgment, path, line, out.problems, {"annotator": column, "rationale": options.rationale_field or "rationale"},
            item_id=item_id, annotator=column, preference=preference,
            rationale=rationale if isinstance(rationale, str) and rationale.strip() else None,
        )
        if judgment is None:
            return
        judgments.append(judgment)
    gold = None
    if gold_preference is not None:
        raw = lookup(row, options.gold_field)
        gold = imported_gold(item_id, gold_preference, f"the source field {options.gold_field!r} is {raw!r} ({gold_preference})", [])
    elif options.gold_from_votes == "majority":
        gold = majority_gold(item_id, (p for _, p, _ in votes), "the majority of votes prefer {winner}", [], out, path, line)
    out.add(item, gold, judgments, path=path, line=line)


def _gold_label(row: dict[str, Any], options, where: str, line: int, bad: list[InputProblem]) -> str | None:  # type: ignore[no-untyped-def]
    """The gold preference from `--gold-field`, or None (with a problem appended when it cannot be read)."""
    if not options.gold_field:
        return None
    try:
        raw = lookup(row, options.gold_field)
    except MissingField:
        bad.append(InputProblem(where, line, options.gold_field, "required field is missing"))
        return None
    preference = label_to_preference(raw, options.labels)
    if preference is None:
        bad.append(InputProblem(where, line, options.gold_field, f"label {raw!r} is not one of {_known_labels(options.labels)} ({flag('labels')})"))
    return preference


def _votes(row: dict[str, Any], options, where: str, line: int, bad: list[InputProblem]) -> list[tuple[str, str, Any]]:  # type: ignore[no-untyped-def]
    """(column, preference, rationale) per vote column that holds a vote; problems appended to `bad`."""
    votes: list[tuple[str, str, Any]] = []
    for column in options.vote_fields:
        label, rationale, problem = _vote(row, column, options)
        if problem:
            bad.append(InputProblem(where, line, column, problem))
            continue
        if label is None:
            continue
        preference = label_to_preference(label, options.labels)
        if preference is None:
            bad.append(InputProblem(where, line, column, f"label {label!r} is not one of {_known_labels(options.labels)} ({flag('labels')})"))
            continue
        votes.append((column, preference, rationale))
    return votes
