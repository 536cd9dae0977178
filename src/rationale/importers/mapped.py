"""Any JSON Lines file (or JSON array) by field mapping: formats ``jsonl`` and ``json``.

Targets and where they come from (``--map TARGET=SOURCE``; SOURCE is a field
name, a dotted path into nested objects, or a template such as
``'{instruction}\\n\\n{input}'``):

* ``prompt``, ``response_a``, ``response_b``: required; each defaults to the
  field of the same name. A prompt field holding a list of ``{role,
  content}`` becomes chat turns. When the prompt is empty or absent and both
  responses are whole conversations (``user: ...\\n\\nassistant: ...``), the
  turns they share become the prompt and what follows is each response.
* ``id``: optional; default ``<file name>-<line>``.
* ``domain``: optional.

A response that is a JSON boolean or number is written as text, spelt as
in the file (``true``, ``3.5``); an empty response is imported as it is.
Both are counted in the summary.

Gold: ``--gold-field F`` (the value mapped with ``--labels``, default labels
A, B, tie) or ``--gold-from-votes majority|plurality``. Votes:
``--vote-fields a1,a2,a3`` makes one judgment per column that has a value
(annotator = the column name). A vote is a label, or an object ``{"label":
..., <rationale field>: ...}``. ``--rationale-field R`` names the reasoning:
a column per vote when R contains ``{vote}`` (``--rationale-field
'{vote}_reason'``), the single vote's column when there is one vote field,
or the key inside object votes. ``--labels V=missing`` reads a label as no
vote at all.

Judges: ``--judge-fields NAME=FIELD,...`` are verdicts of model judges,
written to ``judges.jsonl`` (annotator = NAME) and never part of gold.
``--join FILE --on KEY`` attaches the rows of FILE whose KEY equals the
source row's (model verdicts kept in their own files); ``--join-swapped FILE``
does the same for a run with A and B exchanged, whose verdicts land on a
mirrored item ``<id>-swapped`` (the same pair, B first), so `calibrate` reads
the judge's consistency across orders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputProblem
from ..io.reader import iter_rows
from ..models import GoldAnswer, Item, Judgment, swap_side
from .common import (
    KEPT_LONG_TAIL,
    KEPT_NOT_TEXT,
    MISSING,
    FieldTemplate,
    MissingField,
    build,
    gold_from_votes,
    identifier,
    imported_gold,
    is_blank,
    kept_missing,
    label_to_preference,
    lookup,
    response_text,
    rows_until_limit,
    split_conversations,
)
from .options import ImportUsageError, flag

TARGETS = ("id", "prompt", "response_a", "response_b", "domain")
REQUIRED = ("prompt", "response_a", "response_b")
VOTE_LABEL_KEYS = ("label", "preference", "value", "choice")
SWAPPED_SUFFIX = "-swapped"
SWAPPED_TAG = "swapped-order"
KEPT_CONVERSATION = "the prompt was empty and the responses whole conversations (split into prompt turns and responses)"


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
    names = [c for c in options.vote_fields] + [name for name, _ in options.judge_fields]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise ImportUsageError(f"{repeated[0]!r} names two raters; give each vote or judge field its own name (NAME=FIELD)")
    return templates


def _known_labels(labels) -> str:
    return ", ".join(labels) if labels else "A, B, tie"


# --------------------------------------------------------------------------- joined files


@dataclass
class _Joined:
    """The rows of the files joined with --join (or --join-swapped), by key; only the fields the options read."""

    key: str
    rows: dict[str, tuple[Path, int, dict[str, Any]]] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, paths: Sequence[Path], key: str | None, wanted: set[str], out) -> "_Joined | None":  # type: ignore[no-untyped-def]
        if not paths or key is None:
            return None
        joined = cls(key)
        for path in paths:
            seen: set[str] = set()
            for line, row in iter_rows(path, out.problems):
                if key not in row or row[key] in (None, ""):
                    out.bad([InputProblem(str(path), line, key, f"the join key ({flag('join_on')}) is missing")])
                    continue
                value = _key(row[key])
                again = value in seen
                seen.add(value)
                if value in joined.rows:
                    first_path, first_line, first = joined.rows[value]
                    # Another file's row for the same key is merged when they agree; one file naming a key twice is wrong.
                    clash = [f for f in row if f in wanted and f in first and first[f] != row[f]]
                    if clash or again:
                        what = f"field {clash[0]!r} differs from" if clash else "appears again after"
                        out.bad([InputProblem(str(path), line, key, f"{key} {row[key]!r} {what} {first_path}:{first_line}")])
                        continue
                    first.update({f: v for f, v in row.items() if f in wanted})
                    continue
                joined.rows[value] = (path, line, {f: v for f, v in row.items() if f in wanted})
        return joined

    def take(self, row: dict[str, Any]) -> dict[str, Any] | None:
        """The joined fields for the source row, or None when no joined row has its key."""
        if self.key not in row:
            return None
        value = _key(row[self.key])
        found = self.rows.get(value)
        if found is None:
            return None
        self.used.add(value)
        return found[2]

    def report_unused(self, out) -> None:  # type: ignore[no-untyped-def]
        for value, (path, line, _) in self.rows.items():
            if value not in self.used:
                out.skip(path, line, f"joined row's {self.key} matches no source row")


def _key(value: Any) -> str:
    # 5 and "5" name the same row: keys are compared as text.
    return str(value).strip()


def _wanted_fields(templates: dict[str, FieldTemplate], options) -> set[str]:  # type: ignore[no-untyped-def]
    """The top-level fields the options read from a row: what a joined row has to keep."""
    fields = {name.split(".")[0] for template in templates.values() for name in template.fields}
    fields.update(options.vote_fields)
    fields.update(column.split(".")[0] for _, column in options.judge_fields)
    if options.gold_field:
        fields.add(options.gold_field.split(".")[0])
    if options.rationale_field:
        if "{vote}" in options.rationale_field:
            fields.update(options.rationale_field.replace("{vote}", column) for column in options.vote_fields)
        else:
            fields.add(options.rationale_field)
    return fields


def _merge(path: Path, line: int, row: dict[str, Any], extra: dict[str, Any], bad: list[InputProblem]) -> dict[str, Any]:
    """The source row with the joined fields added; a field both hold with different values is a problem."""
    merged = dict(row)
    for name, value in extra.items():
        if name in row and row[name] != value:
            bad.append(InputProblem(str(path), line, name, f"the joined file gives {value!r}, the source {row[name]!r}"))
        merged[name] = value
    return merged


# --------------------------------------------------------------------------- rows


def import_rows(sources: Sequence[Path], options, out) -> None:
    templates = _templates(options)
    wanted = _wanted_fields(templates, options) - ({options.join_on} if options.join_on else set())
    joined = _Joined.load(options.joins, options.join_on, wanted, out)
    swapped = _Joined.load(options.swapped_joins, options.join_on, wanted, out)
    for path, line, row in rows_until_limit(sources, out):
        stem = identifier(path.name.split(".")[0])
        bad: list[InputProblem] = []
        if joined is not None:
            extra = joined.take(row)
            if extra is None:
                out.keep(path, line, f"no row in the --join file(s) for this {options.join_on} (its judges give no verdict)")
            else:
                row = _merge(path, line, row, extra, bad)
        mirror = swapped.take(row) if swapped is not None else None
        _import_row(path, line, stem, row, templates, options, out, bad, mirror)
    if not out.summary.limit_reached:
        for table in (joined, swapped):
            if table is not None:
                table.report_unused(out)


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


@dataclass
class _Row:
    """What one source row says once read: the item's fields, the gold label, the votes and the judges' verdicts."""

    values: dict[str, Any]
    gold: str | None
    votes: list[tuple[str, str, Any]]  # (annotator, preference, rationale)
    judges: list[tuple[str, str]]  # (judge, preference)


def _read(path: Path, line: int, row: dict[str, Any], templates, options, out, bad: list[InputProblem]) -> _Row:  # type: ignore[no-untyped-def]
    where = str(path)
    values: dict[str, Any] = {}
    for target, template in templates.items():
        value, missing = template.render(row)
        if missing and not (target == "prompt" and _conversations(row, templates)):
            bad.append(InputProblem(where, line, template.spec, missing))
        values[target] = value
    return _Row(
        values=values,
        gold=_gold_label(row, options, where, line, bad, out),
        votes=_votes(row, options, where, line, bad, out),
        judges=_judges(row, options, where, line, bad, out),
    )


def _conversations(row: dict[str, Any], templates) -> bool:  # type: ignore[no-untyped-def]
    """Whether both responses are whole conversations that share their opening turns."""
    texts = [templates[t].render(row)[0] for t in ("response_a", "response_b")]
    return all(isinstance(t, str) for t in texts) and split_conversations(texts[0], texts[1]) is not None


def _import_row(path: Path, line: int, stem: str, row: dict[str, Any], templates, options, out,  # type: ignore[no-untyped-def]
                bad: list[InputProblem], mirror: dict[str, Any] | None) -> None:
    read = _read(path, line, row, templates, options, out, bad)
    if bad:
        out.bad(bad)
        return
    values = read.values
    for target in ("response_a", "response_b"):
        values[target], converted = response_text(values[target])
        if converted:
            out.keep(path, line, KEPT_NOT_TEXT)
    no_prompt = values["prompt"] is None or (isinstance(values["prompt"], str) and is_blank(values["prompt"]))
    if no_prompt and isinstance(values["response_a"], str) and isinstance(values["response_b"], str):
        split = split_conversations(values["response_a"], values["response_b"])
        if split is not None:
            values["prompt"], values["response_a"], values["response_b"], long_tail = split
            out.keep(path, line, KEPT_CONVERSATION)
            if long_tail:
                out.keep(path, line, KEPT_LONG_TAIL)
    item_id = identifier(str(values["id"])) if values.get("id") not in (None, "") else f"{stem}-{line}"
    item = build(
        Item, path, line, out.problems,
        {t: templates[t].spec for t in templates},
        id=item_id, prompt=values["prompt"], response_a=values["response_a"], response_b=values["response_b"],
        domain=values.get("domain"), source=f"{path.name}:{line}", tags=["imported"],
    )
    if item is None:
        return
    judgments = _judgments(path, line, item_id, read, options, out)
    if judgments is None:
        return
    gold = None
    if read.gold is not None:
        raw = lookup(row, options.gold_field)
        gold = imported_gold(item_id, read.gold, f"the source field {options.gold_field!r} is {raw!r} ({read.gold})", [])
    elif options.gold_from_votes:
        gold = gold_from_votes(options.gold_from_votes, item, (p for _, p, _ in read.votes), "the annotators", [], out, path, line)
    out.add(item, gold, judgments[0], judges=judgments[1], path=path, line=line)
    if mirror is not None:
        _import_mirror(path, line, item, gold, row, mirror, templates, options, out)


def _judgments(path: Path, line: int, item_id: str, read: _Row, options, out):  # type: ignore[no-untyped-def]
    """(annotators' judgments, judges' verdicts) for the item, or None when one does not validate."""
    judgments, judges = [], []
    for annotator, preference, rationale in read.votes:
        judgment = build(
            Judgment, path, line, out.problems, {"annotator": annotator, "rationale": options.rationale_field or "rationale"},
            item_id=item_id, annotator=annotator, preference=preference,
            rationale=rationale if isinstance(rationale, str) and rationale.strip() else None,
        )
        if judgment is None:
            return None
        judgments.append(judgment)
    for judge, preference in read.judges:
        verdict = build(Judgment, path, line, out.problems, {"annotator": judge}, item_id=item_id, annotator=judge, preference=preference)
        if verdict is None:
            return None
        judges.append(verdict)
    return judgments, judges


def _import_mirror(path: Path, line: int, item: Item, gold: GoldAnswer | None, row: dict[str, Any],  # type: ignore[no-untyped-def]
                   mirror: dict[str, Any], templates, options, out) -> None:
    """The same pair with A and B exchanged, carrying the verdicts of the --join-swapped file."""
    bad: list[InputProblem] = []
    swapped_row = {k: v for k, v in row.items() if k not in set(options.vote_fields) | {c for _, c in options.judge_fields}}
    swapped_row.update(mirror)
    votes = _votes(swapped_row, options, str(path), line, bad, out)
    judges = _judges(swapped_row, options, str(path), line, bad, out)
    if bad:
        out.bad(bad)
        return
    mirrored_id = item.id + SWAPPED_SUFFIX
    mirrored = item.model_copy(update={
        "id": mirrored_id, "response_a": item.response_b, "response_b": item.response_a, "tags": [*item.tags, SWAPPED_TAG],
    })
    mirrored_gold = None
    if gold is not None:
        mirrored_gold = imported_gold(
            mirrored_id, swap_side(gold.preference),
            f"the gold of {item.id}, whose pair this is with A and B exchanged", [SWAPPED_TAG],
        )
    judgments = _judgments(path, line, mirrored_id, _Row({}, None, votes, judges), options, out)
    if judgments is not None:
        out.add(mirrored, mirrored_gold, judgments[0], judges=judgments[1], path=path, line=line)


def _gold_label(row: dict[str, Any], options, where: str, line: int, bad: list[InputProblem], out) -> str | None:  # type: ignore[no-untyped-def]
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
    elif preference == MISSING:
        out.keep(where, line, f"gold {kept_missing(raw)}: item kept without gold")
        return None
    return preference


def _votes(row: dict[str, Any], options, where: str, line: int, bad: list[InputProblem], out) -> list[tuple[str, str, Any]]:  # type: ignore[no-untyped-def]
    """(column, preference, rationale) per vote column that holds a vote; problems appended to `bad`."""
    votes: list[tuple[str, str, Any]] = []
    for column in options.vote_fields:
        label, rationale, problem = _vote(row, column, options)
        if problem:
            bad.append(InputProblem(where, line, column, problem))
            continue
        preference = _preference(label, column, options, where, line, bad, out)
        if preference is not None:
            votes.append((column, preference, rationale))
    return votes


def _judges(row: dict[str, Any], options, where: str, line: int, bad: list[InputProblem], out) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(judge, preference) per judge field that holds a verdict."""
    verdicts = []
    for judge, column in options.judge_fields:
        try:
            label = lookup(row, column)
        except MissingField:
            label = None
        preference = _preference(label, column, options, where, line, bad, out)
        if preference is not None:
            verdicts.append((judge, preference))
    return verdicts


def _preference(label: Any, column: str, options, where: str, line: int, bad: list[InputProblem], out) -> str | None:  # type: ignore[no-untyped-def]
    """A vote's preference; None for no vote (empty, or a label read as missing, which is counted)."""
    if label is None or label == "":
        return None
    preference = label_to_preference(label, options.labels)
    if preference is None:
        bad.append(InputProblem(where, line, column, f"label {label!r} is not one of {_known_labels(options.labels)} ({flag('labels')})"))
        return None
    if preference == MISSING:
        out.keep(where, line, f"{column}: {kept_missing(label)}")
        return None
    return preference
