"""Argilla: records exported with a ranking question over the two responses
and a text question holding each annotator's reasoning.

Three export shapes are read, recognised record by record:

* Argilla 2 nested (``dataset.records.to_json(path)``, or
  ``records.to_list(flatten=False)`` dumped as JSON Lines)::

    {"id": "rec-1", "fields": {"prompt": ..., "response_a": ..., "response_b": ...},
     "responses": {"ranking": [{"value": ["response_b", "response_a"], "user_id": "..."}],
                   "rationale": [{"value": "B cites ...", "user_id": "..."}]}, ...}

* Argilla 2 flat (``records.to_list(flatten=True)``): fields at the top level
  and ``ranking.responses``, ``ranking.responses.users``,
  ``ranking.responses.status`` lists side by side.
* Argilla 1 ``FeedbackDataset`` records: ``responses`` is a list of
  ``{"user_id", "values": {"ranking": {"value": [{"value": "response_a", "rank": 2}, ...]}}, "status"}``.

Argilla 2 gives a ranking as option values best first; Argilla 1 gives
``{value, rank}`` pairs (equal ranks mean a tie). The options are matched to
A and B by the field names of the two responses unless ``--labels`` says
otherwise (``--labels reply-1=A,reply-2=B``). Targets: ``--map prompt=F
--map response_a=F --map response_b=F --map ranking=QUESTION``
(defaults: prompt, response_a, response_b, ranking); ``--rationale-field
QUESTION`` (default ``rationale``). Each submitted response becomes a
judgment (annotator = the Argilla user id); drafts and discarded responses
are skipped. Gold comes from ``--gold-from-votes majority|plurality``.

A dataset may also ask for escalation: a rating question ``confidence`` (1-5),
a multi-label question ``flags`` whose labels are the flags (``edge_case``,
``guideline_unclear``, ``needs_expert``, ``harmful_content``, ``cannot_judge``)
and a text question ``flag_note``; other question names are given with
``--map confidence=Q --map flags=Q --map flag_note=Q``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import InputProblem
from ..models import Item, Judgment
from .common import build, identifier, gold_from_votes, rows_until_limit
from .options import ImportUsageError, flag

TARGETS = ("prompt", "response_a", "response_b", "ranking", "confidence", "flags", "flag_note")
OPTIONAL_QUESTIONS = ("confidence", "flags", "flag_note")
"""Read when the dataset has them: a rating question (1-5), a multi-label question of flags, a text question."""
SKIP_NOT_SUBMITTED = "response not submitted (draft or discarded)"
SKIP_NO_RESPONSES = "record has no submitted ranking"


def _settings(options) -> tuple[dict[str, str], str, dict[str, str] | None]:
    unknown = sorted(set(options.field_map) - set(TARGETS))
    if unknown:
        raise ImportUsageError(f"{flag('field_map')} {unknown[0]}: argilla targets are {', '.join(TARGETS)}")
    names = {target: options.field_map.get(target, target) for target in TARGETS}
    return names, options.rationale_field or "rationale", options.labels


def _responses(record: dict[str, Any], question: str) -> list[tuple[str, Any, str | None]] | None:
    """[(user_id, value, status)] for `question`, whatever the export shape; None if absent."""
    responses = record.get("responses")
    if isinstance(responses, dict):  # Argilla 2 nested
        entries = responses.get(question)
        if entries is None:
            return None
        return [(str(e.get("user_id")), e.get("value"), e.get("status")) for e in entries if isinstance(e, dict)]
    if isinstance(responses, list):  # Argilla 1
        found = []
        for entry in responses:
            if isinstance(entry, dict) and question in (entry.get("values") or {}):
                value = entry["values"][question]
                found.append((str(entry.get("user_id")), value.get("value") if isinstance(value, dict) else value, entry.get("status")))
        return found
    key = f"{question}.responses"
    if key in record:  # Argilla 2 flat
        values = record.get(key) or []
        users = record.get(f"{key}.users") or []
        statuses = record.get(f"{key}.status") or [None] * len(values)
        return [(str(u), v, s) for u, v, s in zip(users, values, statuses)]
    return None


def _field(record: dict[str, Any], name: str) -> Any:
    fields = record.get("fields")
    if isinstance(fields, dict) and name in fields:
        return fields[name]
    return record.get(name)


def _side(option: Any, names: dict[str, str], labels: dict[str, str] | None) -> str | None:
    if labels:
        side = labels.get(str(option))
        return side if side in ("A", "B") else None
    if option == names["response_a"]:
        return "A"
    if option == names["response_b"]:
        return "B"
    return None


def ranking_preference(value: Any, names: dict[str, str], labels: dict[str, str] | None) -> tuple[str | None, str | None]:
    """(preference, None) or (None, what is wrong with the ranking)."""
    if not isinstance(value, list) or not value:
        return None, "must be a non-empty ranking (a list)"
    ranks: dict[str, float] = {}
    for position, entry in enumerate(value):
        if isinstance(entry, dict):
            option, rank = entry.get("value"), entry.get("rank")
            rank = position + 1 if rank is None else rank
        else:
            option, rank = entry, position + 1
        side = _side(option, names, labels)
        if side is not None and side not in ranks:
            if isinstance(rank, bool) or not isinstance(rank, (int, float)):
                return None, f"rank of {option!r} must be a number, got {rank!r}"
            ranks[side] = rank
    if len(ranks) < 2:
        shown = [e.get("value") if isinstance(e, dict) else e for e in value]
        return None, (
            f"ranking {shown!r} does not rank both {names['response_a']!r} and {names['response_b']!r};"
            f" name the options with {flag('labels')} OPTION=A,OPTION=B"
        )
    if ranks["A"] == ranks["B"]:
        return "tie", None
    return ("A" if ranks["A"] < ranks["B"] else "B"), None


def import_rows(sources: Sequence[Path], options, out) -> None:
    names, rationale_question, labels = _settings(options)
    for path, line, record in rows_until_limit(sources, out):
        stem = identifier(path.name.split(".")[0])
        _import_record(path, line, stem, record, names, rationale_question, labels, options, out)


def _import_record(path, line, stem, record, names, rationale_question, labels, options, out) -> None:
    bad: list[InputProblem] = []
    values = {}
    for target in ("prompt", "response_a", "response_b"):
        value = _field(record, names[target])
        if value is None:
            bad.append(InputProblem(str(path), line, names[target], "required field is missing"))
        values[target] = value
    rankings = _responses(record, names["ranking"])
    if rankings is None:
        bad.append(InputProblem(str(path), line, names["ranking"], "ranking question has no responses in this record"))
    if bad:
        out.bad(bad)
        return
    record_id = record.get("id") or record.get("external_id") or record.get("_server_id")
    item_id = f"argilla-{identifier(str(record_id))}" if record_id else f"argilla-{stem}-{line}"
    # An Argilla ChatField is a list of {role, content}: Item validates it as chat turns.
    prompt = values["prompt"]
    item = build(
        Item, path, line, out.problems,
        {"prompt": names["prompt"], "response_a": names["response_a"], "response_b": names["response_b"]},
        id=item_id, prompt=prompt, response_a=values["response_a"], response_b=values["response_b"],
        source=f"{path.name}:{line}", tags=["argilla"],
    )
    if item is None:
        return
    rationales = {user: value for user, value, _ in (_responses(record, rationale_question) or [])}
    extras = {name: {user: value for user, value, _ in (_responses(record, names[name]) or [])} for name in OPTIONAL_QUESTIONS}
    judgments = []
    for user, value, status in rankings:
        if status not in (None, "submitted"):
            out.skip(path, line, SKIP_NOT_SUBMITTED)
            continue
        preference, wrong = ranking_preference(value, names, labels)
        if wrong:
            out.bad([InputProblem(str(path), line, f"{names['ranking']} ({user})", wrong)])
            return
        rationale = rationales.get(user)
        note = extras["flag_note"].get(user)
        judgment = build(
            Judgment, path, line, out.problems,
            {"rationale": rationale_question, **{name: f"{names[name]} ({user})" for name in OPTIONAL_QUESTIONS}},
            item_id=item_id, annotator=user, preference=preference,
            rationale=rationale if isinstance(rationale, str) and rationale.strip() else None,
            confidence=extras["confidence"].get(user), flags=extras["flags"].get(user) or [],
            flag_note=note if isinstance(note, str) and note.strip() else None,
        )
        if judgment is None:
            return
        judgments.append(judgment)
    if not judgments:
        out.skip(path, line, SKIP_NO_RESPONSES)
        return
    gold = None
    if options.gold_from_votes:
        gold = gold_from_votes(options.gold_from_votes, item, (j.preference for j in judgments),
                               "the Argilla annotators", ["argilla"], out, path, line)
    out.add(item, gold, judgments, path=path, line=line)
