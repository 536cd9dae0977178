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

Escalation, found the same way as the rationale (a ``{vote}`` template, the
single vote's column, or the key inside object votes): ``--confidence-field``
(a whole number 1-5), ``--flags-field`` (a JSON list of flags or a string of
them separated by commas or semicolons) and ``--flag-note-field`` (text; it
needs a flag). Anything else is a bad row; a confidence, flag or note beside
an empty vote is left out and counted.

Judges: ``--judge-fields NAME=FIELD,...`` are verdicts of model judges,
written to ``judges.jsonl`` (annotator = NAME) and never part of gold.
``--join FILE --on KEY`` attaches the rows of FILE whose KEY equals the
source row's (model verdicts kept in their own files); ``--join-swapped FILE``
does the same for a run with A and B exchanged, whose verdicts land on a
mirrored item ``<id>-swapped`` (the same pair, B first), so `calibrate` reads
the judge's consistency across orders.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, InputProblem
from ..io.reader import iter_rows
from ..models import CONFIDENCE_LEVELS, FLAGS, GoldAnswer, Item, Judgment, swap_side
from ..models.base import FLAG_NOTE_MAX
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
KEPT_ESCALATION_WITHOUT_VOTE = "a confidence, flags or flag note beside an empty vote (left out: a judgment needs a choice)"

PER_VOTE = {  # option -> (what it reads, the column suffix its {vote} example uses)
    "rationale_field": ("rationale", "reason"),
    "confidence_field": ("confidence", "confidence"),
    "flags_field": ("flag", "flags"),
    "flag_note_field": ("flag note", "flag_note"),
}
"""Options naming something each vote carries: a column per vote ('{vote}_reason'), the single vote's column, or a key in object votes."""
FLAG_SEPARATORS = re.compile(r"[,;]")


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
    for option, (what, _) in PER_VOTE.items():
        if getattr(options, option) and not options.vote_fields:
            raise ImportUsageError(f"{flag(option)} needs {flag('vote_fields')} (a {what} belongs to a vote)")
    if options.flag_note_field and not options.flags_field:
        raise ImportUsageError(f"{flag('flag_note_field')} needs {flag('flags_field')} (a flag note explains a flag)")
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
    fields.update(_per_vote_columns(options))
    return fields


def _per_vote_columns(options) -> set[str]:  # type: ignore[no-untyped-def]
    """The row's columns the PER_VOTE options name (`{vote}` filled in for each vote column)."""
    columns: set[str] = set()
    for option in PER_VOTE:
        spec = getattr(options, option)
        if spec and "{vote}" in spec:
            columns.update(spec.replace("{vote}", column) for column in options.vote_fields)
        elif spec:
            columns.add(spec)
    return columns


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
    columns = {column: "vote_fields" for column in options.vote_fields} | {c: "judge_fields" for _, c in options.judge_fields}
    found: set[str] = set()  # the record fields seen, to name a vote or judge column no record has
    for path, line, row in rows_until_limit(sources, out):
        stem = identifier(path.name.split(".")[0])
        bad: list[InputProblem] = []
        if joined is not None:
            extra = joined.take(row)
            if extra is None:
                out.keep(path, line, f"no row in the --join file(s) for this {options.join_on} (its judges give no verdict)")
            else:
                row = _merge(path, line, row, extra, bad)
        found.update(row)
        mirror = swapped.take(row) if swapped is not None else None
        _import_row(path, line, stem, row, templates, options, out, bad, mirror)
    _refuse_absent_columns(columns, found, sources)
    if not out.summary.limit_reached:
        for table in (joined, swapped):
            if table is not None:
                table.report_unused(out)


def _refuse_absent_columns(columns: dict[str, str], found: set[str], sources: Sequence[Path]) -> None:
    """A --vote-fields or --judge-fields column that no record has is a misspelt name, not a column of missing
    votes: importing on would make gold from fewer votes than asked, without a word. Refused, with --skip-bad too."""
    import difflib

    if not found:
        return
    problems = []
    for column, option in columns.items():
        if column in found:
            continue
        close = difflib.get_close_matches(column, sorted(found), n=1, cutoff=0.8)
        fields = sorted(found)
        shown = ", ".join(fields[:20]) + (f" and {len(fields) - 20} more" if len(fields) > 20 else "")
        problems.append(InputProblem(str(sources[0]), None, flag(option),
                                     f"no record has a field {column!r}" + (f" (did you mean {close[0]!r}?)" if close else "")
                                     + f"; the records' fields: {shown}"))
    if problems:
        raise InputError(problems)


def _vote(row: dict[str, Any], column: str, options) -> tuple[Any, dict[str, tuple[str, Any]], list[str]]:  # type: ignore[no-untyped-def]
    """(label, {option: (where it was read, value)} for the PER_VOTE options given, problems) of one vote column;
    label None when the column holds no vote."""
    value = row.get(column)
    label = next((value[k] for k in VOTE_LABEL_KEYS if k in value), None) if isinstance(value, dict) else value
    read: dict[str, tuple[str, Any]] = {}
    problems: list[str] = []
    for option, (_, suffix) in PER_VOTE.items():
        spec = getattr(options, option)
        if not spec:
            continue
        if "{vote}" in spec:
            name = spec.replace("{vote}", column)
            read[option] = (name, row.get(name))
        elif isinstance(value, dict):
            read[option] = (f"{column}.{spec}", value.get(spec))
        elif len(options.vote_fields) == 1:
            read[option] = (spec, row.get(spec))
        else:
            problems.append(f"votes are plain labels, so {flag(option)} must name a column per vote, e.g. '{{vote}}_{suffix}'")
    return label, read, problems


@dataclass(frozen=True)
class _Vote:
    """One annotator's vote as read: the choice, and what the per-vote options found beside it."""

    annotator: str
    preference: str
    rationale: Any
    confidence: int | None = None
    flags: tuple[str, ...] = ()
    flag_note: str | None = None


@dataclass
class _Row:
    """What one source row says once read: the item's fields, the gold label, the votes and the judges' verdicts."""

    values: dict[str, Any]
    gold: str | None
    votes: list[_Vote]
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
        gold = gold_from_votes(options.gold_from_votes, item, (v.preference for v in read.votes), "the annotators", [], out, path, line)
    out.add(item, gold, judgments[0], judges=judgments[1], path=path, line=line)
    if mirror is not None:
        _import_mirror(path, line, item, gold, row, mirror, templates, options, out)


def _judgments(path: Path, line: int, item_id: str, read: _Row, options, out):  # type: ignore[no-untyped-def]
    """(annotators' judgments, judges' verdicts) for the item, or None when one does not validate."""
    judgments, judges = [], []
    for vote in read.votes:
        judgment = build(
            Judgment, path, line, out.problems, {"annotator": vote.annotator, "rationale": options.rationale_field or "rationale"},
            item_id=item_id, annotator=vote.annotator, preference=vote.preference,
            rationale=vote.rationale if isinstance(vote.rationale, str) and vote.rationale.strip() else None,
            confidence=vote.confidence, flags=list(vote.flags), flag_note=vote.flag_note,
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
    # The source's own votes, and what they carry (rationale, confidence, flags), are not the swapped run's.
    theirs = set(options.vote_fields) | {c for _, c in options.judge_fields} | _per_vote_columns(options)
    swapped_row = {k: v for k, v in row.items() if k not in theirs}
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


def _votes(row: dict[str, Any], options, where: str, line: int, bad: list[InputProblem], out) -> list[_Vote]:  # type: ignore[no-untyped-def]
    """The vote of each vote column that holds one; problems appended to `bad`."""
    votes: list[_Vote] = []
    for column in options.vote_fields:
        label, read, problems = _vote(row, column, options)
        if label is None or label == "":
            _left_out(read, where, line, out)
            continue
        if problems:
            bad.extend(InputProblem(where, line, column, problem) for problem in problems)
            continue
        before = len(bad)
        preference = _preference(label, column, options, where, line, bad, out)
        escalation = _escalation(read, where, line, bad)
        if preference is not None:
            rationale = read.get("rationale_field", ("", None))[1]
            votes.append(_Vote(column, preference, rationale, **escalation))
        elif len(bad) == before:  # a label read as a missing vote
            _left_out(read, where, line, out)
    return votes


def _left_out(read: dict[str, tuple[str, Any]], where: str, line: int, out) -> None:  # type: ignore[no-untyped-def]
    """Count a confidence, flags or note that no vote carries (an annotator may flag a pair and not choose)."""
    given = [value for option, (_, value) in read.items() if option != "rationale_field"]
    if any(value not in (None, "", []) for value in given):
        out.keep(where, line, KEPT_ESCALATION_WITHOUT_VOTE)


def _escalation(read: dict[str, tuple[str, Any]], where: str, line: int, bad: list[InputProblem]) -> dict[str, Any]:
    """The vote's confidence, flags and flag note, read strictly; each problem appended to `bad`."""
    found: dict[str, Any] = {}
    if "confidence_field" in read:
        name, raw = read["confidence_field"]
        if raw is not None and raw != "":
            if isinstance(raw, int) and not isinstance(raw, bool) and raw in CONFIDENCE_LEVELS:
                found["confidence"] = raw
            else:
                text = " (text: write the number without quotes)" if isinstance(raw, str) else ""
                bad.append(InputProblem(where, line, name, f"confidence must be a whole number from 1 (a guess) to 5 (certain), not {_shown(raw)}{text}"))
    flags_ok = True
    if "flags_field" in read:
        before = len(bad)
        found["flags"] = _flags(*read["flags_field"], where, line, bad)
        flags_ok = len(bad) == before
    if "flag_note_field" in read:
        name, raw = read["flag_note_field"]
        if isinstance(raw, str) and raw.strip():
            if len(raw) > FLAG_NOTE_MAX:
                bad.append(InputProblem(where, line, name, f"a flag note is at most {FLAG_NOTE_MAX} characters; this one has {len(raw):,}"))
            elif flags_ok and not found.get("flags"):
                flags_name = read["flags_field"][0]
                bad.append(InputProblem(where, line, name, f"a flag note needs a flag, and {flags_name} gives none for this vote"))
            else:
                found["flag_note"] = raw
        elif raw is not None and not isinstance(raw, str):
            bad.append(InputProblem(where, line, name, f"a flag note must be text, not {_shown(raw)}"))
    return found


def _flags(name: str, raw: Any, where: str, line: int, bad: list[InputProblem]) -> tuple[str, ...]:
    """Flags from a JSON list or a string separated by commas or semicolons ("edge_case, needs_expert")."""
    if raw is None:
        return ()
    if isinstance(raw, str):
        given: list[Any] = [part.strip() for part in FLAG_SEPARATORS.split(raw) if part.strip()]
    elif isinstance(raw, list):
        given = raw
    else:
        bad.append(InputProblem(where, line, name, f"flags must be a JSON list or a comma-separated string, not {_shown(raw)}"))
        return ()
    flags: list[str] = []
    for value in given:
        if value not in FLAGS:
            bad.append(InputProblem(where, line, name, f"unknown flag {_shown(value)}; the flags are {', '.join(FLAGS)}"))
        elif value in flags:
            bad.append(InputProblem(where, line, name, f"flag {_shown(value)} is listed twice"))
        else:
            flags.append(value)
    return tuple(flags)


def _shown(value: Any) -> str:
    """A value as the JSON source spells it (true, "4", 2.5), for messages."""
    return json.dumps(value, ensure_ascii=False)[:80]


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
