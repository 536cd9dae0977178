"""Loading a rubric from YAML or JSON, with each problem on the line of the offending key.

Special fields used in messages: `(yaml)` and `(json)` for a rubric that does
not parse, `(file)` for the file as a whole, `(record)` for a document that
is not a mapping.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml
from pydantic import ValidationError as ModelError

from ..errors import InputError, InputProblem
from ..models import Rubric
from ..models.inputs import rubric_consistency
from .messages import _field_name, record_problems
from .reader import FILE, LINE, MAX_DEPTH, RECORD, JSONProblem, PathLike, _display, _json_kind, loads, read_text

MAX_RUBRIC_BYTES = 1_000_000  # the shipped rubrics are under 10 kB
MAX_YAML_VALUES = 100_000  # values in the document once every alias is expanded (a "billion laughs" bomb has 10^9)


def _yaml_lines(text: str) -> tuple[dict[tuple[str, ...], int], list[tuple[tuple[str, ...], str, int, int]]]:
    """Map each key path of a YAML/JSON document to its 1-based line; also list repeated keys."""
    lines: dict[tuple[str, ...], int] = {}
    repeats: list[tuple[tuple[str, ...], str, int, int]] = []
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return lines, repeats

    def walk(node: yaml.Node | None, prefix: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            first_seen: dict[str, int] = {}
            for key, value in node.value:
                name = str(key.value)
                line = key.start_mark.line + 1
                if name in first_seen:
                    repeats.append((prefix, name, first_seen[name], line))
                else:
                    first_seen[name] = line
                lines.setdefault(prefix + (name,), line)
                walk(value, prefix + (name,))
        elif isinstance(node, yaml.SequenceNode):
            for index, value in enumerate(node.value):
                lines.setdefault(prefix + (str(index),), value.start_mark.line + 1)
                walk(value, prefix + (str(index),))

    walk(root, ())
    return lines, repeats


def _line_of(field: str, lines: dict[tuple[str, ...], int]) -> int | None:
    parts = tuple(p for p in re.split(r"[.\[\]]+", field) if p)
    while parts:
        if parts in lines:
            return lines[parts]
        parts = parts[:-1]
    return None


def load_rubric(path: PathLike) -> Rubric:
    """Load a rubric from YAML (`.yaml`/`.yml`, or anything not `.json`) or JSON.

    Problems point at the line of the offending key where the file's node
    tree gives one (also for JSON, which YAML's parser reads); a key written
    twice in one mapping is an error rather than the last one silently winning.
    """
    shown = _display(path)
    text = _rubric_text(path)
    data = _parse(text, shown)
    if data is None:  # only comments
        raise InputError([InputProblem(shown, None, FILE, "file is empty; expected a rubric")])
    if not isinstance(data, dict):
        raise InputError([InputProblem(shown, 1, RECORD, f"a rubric must be a mapping of fields, got {_json_kind(data)}")])

    lines, repeats = _yaml_lines(text)
    problems = [
        InputProblem(
            shown,
            second,
            _field_name(list(prefix) + [name]) if prefix else name,
            f"key {name!r} is given twice (lines {first} and {second}); only one can count",
        )
        for prefix, name, first, second in repeats
    ]
    # Checked on the raw document as well, so a rubric with wrong fields hears of its inconsistencies in
    # the same run instead of in a second one (the model only looks at them once every field is valid).
    consistency = _consistency(data)
    try:
        rubric = Rubric.model_validate(data)
    except ModelError as exc:
        for field, message in record_problems(Rubric, data, exc):
            if not any(said in message for _, said in consistency):  # the model's summary of those listed below
                problems.append(InputProblem(shown, _line_of(field, lines), field, message))
        problems += [InputProblem(shown, _line_of(field, lines), field, message) for field, message in consistency]
        rubric = None
    if problems:
        raise InputError(problems)
    assert rubric is not None
    return rubric


def _consistency(data: dict[str, Any]) -> list[tuple[str, str]]:
    """`rubric_consistency` of whatever parts of a raw rubric document are well formed."""
    criteria = data.get("criteria") if isinstance(data.get("criteria"), list) else []
    ids = [c["id"] for c in criteria if isinstance(c, dict) and isinstance(c.get("id"), str)]
    priority = data.get("criteria_priority") if isinstance(data.get("criteria_priority"), list) else []
    scale = data.get("strength_scale") if isinstance(data.get("strength_scale"), list) else []
    values = [s["value"] for s in scale if isinstance(s, dict) and type(s.get("value")) is int]
    found = rubric_consistency(ids, [p for p in priority if isinstance(p, str)], values if len(values) == len(scale) else [])
    # "criteria_priority: criteria_priority names ..." reads as a stutter, as record_problems knows too
    return [(field, message.removeprefix(f"{field} ")) for field, message in found]


def _rubric_text(path: PathLike) -> str:
    """The file as text (a BOM dropped), or InputError: unreadable, not UTF-8, empty."""
    shown = _display(path)
    text = read_text(path, MAX_RUBRIC_BYTES)
    if not text.strip():
        raise InputError([InputProblem(shown, None, FILE, "file is empty; expected a rubric")])
    return text


def _parse(text: str, shown: str) -> Any:
    """JSON for a `.json` name, else YAML; InputError on a syntax error, with its line and column."""
    if shown.lower().endswith(".json"):
        try:
            return loads(text, unique_keys=False)  # a repeated key is reported below, with both its lines
        except json.JSONDecodeError as exc:
            raise InputError(
                [InputProblem(shown, exc.lineno, "(json)", f"malformed JSON: {exc.msg} at column {exc.colno}")]
            ) from None
        except JSONProblem as exc:
            raise InputError([InputProblem(shown, None, "(json)", str(exc))]) from None
    try:
        return _bounded_yaml(text, shown)
    except RecursionError:
        raise InputError([InputProblem(shown, None, "(yaml)", f"lists and mappings nested more than {MAX_DEPTH} levels deep")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        detail = f"{problem} ({context})" if context else problem
        where = f" at column {mark.column + 1}" if mark is not None else ""
        raise InputError(
            [InputProblem(shown, mark.line + 1 if mark is not None else None, "(yaml)", f"invalid YAML: {detail}{where}")]
        ) from None


def _bounded_yaml(text: str, shown: str) -> Any:
    """yaml.safe_load, refusing a document whose aliases expand past MAX_YAML_VALUES values or nest past MAX_DEPTH.

    The node tree is composed first (an alias is one shared node, so this is
    cheap even for a bomb) and its expanded size counted with a memo before
    anything is built from it.
    """
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        sizes: dict[int, int] = {}

        def size(current: yaml.Node, depth: int) -> int:
            if id(current) in sizes:
                return sizes[id(current)]
            if depth > MAX_DEPTH:
                raise InputError([InputProblem(shown, current.start_mark.line + 1, "(yaml)",
                                               f"lists and mappings nested more than {MAX_DEPTH} levels deep")])
            sizes[id(current)] = MAX_YAML_VALUES + 1  # a node that contains itself counts as too large
            total = 1
            if isinstance(current, yaml.SequenceNode):
                children = list(current.value)
            elif isinstance(current, yaml.MappingNode):
                children = [part for pair in current.value for part in pair]
            else:
                children = []
            for child in children:
                total += size(child, depth + 1)
                if total > MAX_YAML_VALUES:
                    break
            sizes[id(current)] = total
            return total

        if size(node, 0) > MAX_YAML_VALUES:
            raise InputError([InputProblem(shown, None, "(yaml)",
                                           f"expands to more than {MAX_YAML_VALUES:,} values through its aliases (& and *);"
                                           " a rubric needs a few hundred")])
        return loader.construct_document(node)
    finally:
        loader.dispose()
