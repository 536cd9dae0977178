"""Label Studio: the JSON export of a project whose labeling config uses the
``<Pairwise>`` tag, with the reasoning typed into a ``<TextArea>``::

    <View>
      <Text name="prompt" value="$prompt"/>
      <Pairwise name="pw" toName="text1,text2"/>
      <Text name="text1" value="$text1"/>
      <Text name="text2" value="$text2"/>
      <TextArea name="rationale" toName="prompt"/>
    </View>

Every task is ``{"id", "data": {...}, "annotations": [...]}``; an annotation's
``result`` holds ``{"type": "pairwise", "value": {"selected": "left"|"right"}}``
and ``{"type": "textarea", "from_name": "rationale", "value": {"text": [...]}}``.
Left is response A, right is response B. Targets are task data keys:
``--map prompt=prompt --map response_a=text1 --map response_b=text2`` (the
defaults); ``--rationale-field`` names the TextArea (default: the first
TextArea in the result).

Each annotation that is not cancelled becomes a judgment: annotator =
``completed_by`` (its email when the export has one, else ``user-<id>``),
``seconds`` = ``lead_time``, ``timestamp`` = ``created_at``. An annotation
marked ``ground_truth`` is not a judgment but the gold, with its TextArea
text as the reference rationale; without one, ``--gold-from-votes
majority|plurality`` makes gold from the judgments.

A project may also ask for escalation, read by the control's name::

      <Rating name="confidence" toName="prompt" maxRating="5"/>
      <Choices name="flags" toName="prompt" choice="multiple">
        <Choice value="edge_case"/> <Choice value="guideline_unclear"/> ...
      </Choices>
      <TextArea name="flag_note" toName="prompt"/>

``{"type": "rating", "from_name": "confidence", "value": {"rating": 4}}`` is the
confidence (1-5), the ``flags`` choices are the flags, the ``flag_note`` TextArea
the note (never taken for the rationale).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import InputProblem
from ..models import GoldAnswer, Item, Judgment
from .common import IMPORTED_TAG, build, identifier, imported_gold, gold_from_votes, rows_until_limit
from .options import ImportUsageError, flag

TARGETS = ("prompt", "response_a", "response_b")
DEFAULTS = {"prompt": "prompt", "response_a": "text1", "response_b": "text2"}
SELECTED = {"left": "A", "right": "B"}
SKIP_CANCELLED = "annotation was cancelled (skipped by the annotator)"
SKIP_NO_ANNOTATIONS = "task has no pairwise annotation"
CONFIDENCE, FLAGS, FLAG_NOTE = "confidence", "flags", "flag_note"


def _annotator(completed_by: Any) -> str | None:
    if isinstance(completed_by, dict):
        email = completed_by.get("email")
        if isinstance(email, str) and email.strip():
            return email
        completed_by = completed_by.get("id")
    if completed_by is None or isinstance(completed_by, bool):
        return None
    return f"user-{completed_by}"


def _text(value: dict[str, Any]) -> str | None:
    text = value.get("text")
    if isinstance(text, list):
        text = "\n".join(str(t) for t in text)
    return text if isinstance(text, str) and text.strip() else None


def _read_annotation(
    annotation: dict[str, Any], rationale_name: str | None
) -> tuple[str | None, str | None, dict[str, Any], str | None]:
    """(preference, rationale, escalation fields, problem)."""
    preference, rationale = None, None
    escalation: dict[str, Any] = {}
    for result in annotation.get("result") or []:
        if not isinstance(result, dict):
            continue
        kind, name = result.get("type"), result.get("from_name")
        value = result.get("value") if isinstance(result.get("value"), dict) else {}
        if kind == "pairwise" and preference is None:
            selected = value.get("selected")
            preference = SELECTED.get(selected)
            if preference is None:
                return None, None, {}, f"pairwise selected must be 'left' or 'right', got {selected!r}"
        elif kind == "textarea" and name == FLAG_NOTE and rationale_name != FLAG_NOTE:
            escalation["flag_note"] = _text(value)
        elif kind == "textarea" and rationale is None and (rationale_name is None or name == rationale_name):
            rationale = _text(value)
        elif kind == "rating" and name == CONFIDENCE:
            escalation["confidence"] = value.get("rating")
        elif kind == "choices" and name == FLAGS:
            escalation["flags"] = value.get("choices") or []
    return preference, rationale, escalation, None


def import_rows(sources: Sequence[Path], options, out) -> None:
    unknown = sorted(set(options.field_map) - set(TARGETS))
    if unknown:
        raise ImportUsageError(f"{flag('field_map')} {unknown[0]}: label-studio targets are {', '.join(TARGETS)}")
    names = {target: options.field_map.get(target, DEFAULTS[target]) for target in TARGETS}
    for path, line, task in rows_until_limit(sources, out):
        stem = identifier(path.name.split(".")[0])
        _import_task(path, line, stem, task, names, options, out)


def _import_task(path: Path, line: int, stem: str, task: dict[str, Any], names, options, out) -> None:
    where = str(path)
    data = task.get("data")
    if not isinstance(data, dict):
        out.bad([InputProblem(where, line, "data", "required object is missing")])
        return
    missing = [InputProblem(where, line, f"data.{names[t]}", "required field is missing") for t in TARGETS if names[t] not in data]
    if missing:
        out.bad(missing)
        return
    task_id = task.get("id")
    item_id = f"ls-{identifier(str(task_id))}" if task_id is not None else f"ls-{stem}-{line}"
    item = build(
        Item, path, line, out.problems,
        {t: f"data.{names[t]}" for t in TARGETS},
        id=item_id, prompt=data[names["prompt"]], response_a=data[names["response_a"]],
        response_b=data[names["response_b"]], source=f"{path.name}:{line}", tags=["label-studio"],
    )
    if item is None:
        return
    read = _annotations(path, line, item_id, task, options, out)
    if read is None:
        return
    judgments, gold = read
    if not judgments and gold is None:
        out.skip(path, line, SKIP_NO_ANNOTATIONS)
        return
    if gold is None and options.gold_from_votes:
        gold = gold_from_votes(options.gold_from_votes, item, (j.preference for j in judgments),
                               "the Label Studio annotators", ["label-studio"], out, path, line)
    out.add(item, gold, judgments, path=path, line=line)


def _annotations(path: Path, line: int, item_id: str, task: dict[str, Any], options, out):  # type: ignore[no-untyped-def]
    """(judgments, ground-truth gold or None) from the task's annotations; None when one is malformed."""
    where = str(path)
    judgments: list[Judgment] = []
    gold: GoldAnswer | None = None
    for index, annotation in enumerate(task.get("annotations") or []):
        if not isinstance(annotation, dict):
            continue
        if annotation.get("was_cancelled"):
            out.skip(path, line, SKIP_CANCELLED)
            continue
        preference, rationale, escalation, problem = _read_annotation(annotation, options.rationale_field)
        if problem:
            out.bad([InputProblem(where, line, f"annotations.{index}.result", problem)])
            return None
        if preference is None:
            continue
        if annotation.get("ground_truth") and gold is None:
            gold = _ground_truth(item_id, preference, rationale)
            continue
        annotator = _annotator(annotation.get("completed_by"))
        if annotator is None:
            out.bad([InputProblem(where, line, f"annotations.{index}.completed_by", "required field is missing")])
            return None
        lead_time = annotation.get("lead_time")
        judgment = build(
            Judgment, path, line, out.problems,
            {"seconds": f"annotations.{index}.lead_time", "timestamp": f"annotations.{index}.created_at",
             **{name: f"annotations.{index}.result.{name}" for name in (CONFIDENCE, FLAGS, FLAG_NOTE)}},
            item_id=item_id, annotator=annotator, preference=preference, rationale=rationale, **escalation,
            seconds=lead_time if isinstance(lead_time, (int, float)) and not isinstance(lead_time, bool) else None,
            timestamp=annotation.get("created_at"),
        )
        if judgment is None:
            return None
        judgments.append(judgment)
    return judgments, gold


def _ground_truth(item_id: str, preference: str, rationale: str | None) -> GoldAnswer:
    """Gold from the annotation marked ground truth, its TextArea text as the reference rationale."""
    side = "response A (left)" if preference == "A" else "response B (right)"
    gold = imported_gold(item_id, preference, f"the Label Studio ground-truth annotation picks {side}", ["label-studio"])
    if rationale:
        gold = gold.model_copy(update={"reference_rationale": rationale, "tags": [IMPORTED_TAG, "label-studio", "ground-truth"]})
    return gold
