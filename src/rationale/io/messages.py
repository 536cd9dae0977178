"""Schema-error wording: turning a rejected record into `field: message` pairs a person can act on.

Validation takes the fast path first: pydantic validates each record. Only a
record pydantic rejects goes through the shipped JSON Schema (Draft 2020-12),
whose error paths (`criteria[2]`, `prompt[0].role`) and validators make
precise, human messages. Rules JSON Schema cannot express (strength against
preference, min against max words, weights summing to 1, a symmetric scale)
come from pydantic's own error.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError
from pydantic import BaseModel
from pydantic import ValidationError as ModelError

from ..errors import InputProblem
from ..models import GoldAnswer, Item, Judgment, Rubric
from .reader import RECORD

M = TypeVar("M", bound=BaseModel)

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
_SCHEMA_NAMES: dict[type[BaseModel], str] = {Rubric: "rubric", Item: "item", GoldAnswer: "gold", Judgment: "judgment"}

_IDENTIFIER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:/-]*$"
_BLANK_PATTERN = r"\S"


@functools.cache
def _schema_validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


MISSING = "is required but missing"
"""The message for a required field left out (the CLI recognises it to suggest an option that fills it)."""


def _field_name(path: Iterable[Any]) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or RECORD


def _quote(value: str, limit: int = 40) -> str:
    shown = value if len(value) <= limit else value[: limit - 1] + "…"
    return repr(shown)


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {_quote(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "an object",
    "null": "null",
}


def _alternatives(options: list[Any]) -> str:
    words = [str(o) for o in options]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " or " + words[-1]


def _expected_types(types: list[str]) -> str:
    names = [_TYPE_NAMES.get(t, t) for t in types if t != "null"] or ["null"]
    return _alternatives(list(dict.fromkeys(names)))


def _subject(path: list[Any]) -> str:
    """The noun for an enum message: the last named field on the path (`role`, `preference`)."""
    for part in reversed(path):
        if isinstance(part, str):
            return part.rstrip("s") if part in ("preferences",) else part
    return "value"


def _branch_errors(error: SchemaError) -> list[SchemaError] | None:
    """For anyOf/oneOf: the errors of the first branch whose type fits the value, or None if none fits."""
    branches: dict[int, list[SchemaError]] = {}
    for sub in error.context or []:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    for index in sorted(branches):
        errors = branches[index]
        if not any(e.validator == "type" and not e.relative_path for e in errors):
            return errors
    return None


def _schema_types(schema: Any) -> list[str]:
    if not isinstance(schema, dict):
        return []
    found: list[str] = []
    kind = schema.get("type")
    if isinstance(kind, str):
        found.append(kind)
    elif isinstance(kind, list):
        found.extend(kind)
    for key in ("anyOf", "oneOf"):
        for sub in schema.get(key, []):
            found.extend(_schema_types(sub))
    return found


Message = tuple[list[Any], str, str]
"""(path, kind, message); kind ranks the errors on one field."""


def _schema_messages(error: SchemaError, model: type[BaseModel]) -> list[Message]:
    """(path, kind, message) for one jsonschema error; kind ranks errors on the same field."""
    path = list(error.absolute_path)
    if error.validator in ("anyOf", "oneOf"):
        fitting = _branch_errors(error)
        if fitting is None:
            expected = _expected_types(_schema_types(error.schema))
            return [(path, "type", f"expected {expected}, got {_describe(error.instance)}")]
        return [message for sub in fitting for message in _schema_messages(sub, model)]
    wording = _WORDING.get(str(error.validator))
    found = wording(error, path, model) if wording is not None else None
    return found if found is not None else [(path, str(error.validator), error.message)]


def _required(error: SchemaError, path: list[Any], model: type[BaseModel]) -> list[Message]:
    instance = error.instance
    missing = [name for name in error.validator_value if isinstance(instance, dict) and name not in instance]
    return [(path + [name], "required", MISSING) for name in missing]


def _additional(error: SchemaError, path: list[Any], model: type[BaseModel]) -> list[Message]:
    instance = error.instance
    allowed = list(error.schema.get("properties", {}))
    extras = [key for key in instance if key not in allowed] if isinstance(instance, dict) else []
    messages = []
    for key in extras:
        close = difflib.get_close_matches(str(key), allowed, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        messages.append((path + [key], "extra", f"unknown field ({hint}allowed: {', '.join(allowed)})"))
    return messages


def _enum(error: SchemaError, path: list[Any], model: type[BaseModel]) -> list[Message]:
    instance = error.instance
    options = _alternatives(error.validator_value)
    if "propertyNames" in error.schema_path:  # the instance is the offending key of a mapping
        return [(path, "enum", f"unknown key {_quote(str(instance))} (expected {options})")]
    if isinstance(instance, str):
        return [(path, "enum", f"unknown {_subject(path)} {_quote(instance)} (expected {options})")]
    return [(path, "enum", f"expected {options}, got {_describe(instance)}")]


def _type(error: SchemaError, path: list[Any], model: type[BaseModel]) -> list[Message]:
    instance = error.instance
    types = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
    hint = "; put it in quotes" if types == ["string"] and isinstance(instance, (int, float)) else ""
    return [(path, "type", f"expected {_expected_types(types)}, got {_describe(instance)}{hint}")]


def _text_rule(error: SchemaError, path: list[Any], model: type[BaseModel]) -> list[Message] | None:
    """minLength and pattern on text: blank, not an id, or not matching."""
    instance = error.instance
    if not isinstance(instance, str):
        return None
    if error.validator == "minLength" or error.validator_value == _BLANK_PATTERN:
        if not instance.strip():
            message = "is blank"
            if model is Judgment and path == ["rationale"]:
                message += "; leave the field out for vote-only data"
            return [(path, "blank", message)]
    if error.validator_value == _IDENTIFIER_PATTERN:
        # 'a, b' in one entry of a list is two ids written the way a spreadsheet cell lists them.
        several = "; in CSV, separate several with ';' (a;b)" if "," in instance and path and isinstance(path[-1], int) else ""
        return [
            (
                path,
                "pattern",
                f"{_quote(instance)} is not a valid id: use letters, digits and _ . : / -, starting with a letter or digit{several}",
            )
        ]
    return [(path, "pattern", f"{_quote(instance)} does not match the pattern {error.validator_value}")]


def _bound(words: str, kind: str = "range") -> Callable[[SchemaError, list[Any], type[BaseModel]], list[Message]]:
    def wording(error: SchemaError, path: list[Any], model: type[BaseModel]) -> list[Message]:
        return [(path, kind, f"must be {words} {error.validator_value}, got {error.instance!r}")]

    return wording


def _max_length(error: SchemaError, path: list[Any], model: type[BaseModel]) -> list[Message]:
    length = len(error.instance) if isinstance(error.instance, str) else 0
    return [(path, "length", f"is {length:,} characters long; the limit is {error.validator_value:,}")]


def _min_items(error: SchemaError, path: list[Any], model: type[BaseModel]) -> list[Message]:
    count = error.validator_value
    return [(path, "length", f"needs at least {count} entr{'y' if count == 1 else 'ies'}, got {len(error.instance)}")]


_WORDING: dict[str, Callable[[SchemaError, list[Any], type[BaseModel]], list[Message] | None]] = {
    "required": _required,
    "additionalProperties": _additional,
    "enum": _enum,
    "type": _type,
    "minLength": _text_rule,
    "pattern": _text_rule,
    "maxLength": _max_length,
    "minimum": _bound("at least"),
    "maximum": _bound("at most"),
    "exclusiveMinimum": _bound("greater than"),
    "exclusiveMaximum": _bound("less than"),
    "minItems": _min_items,
}
"""How each JSON Schema validator's error is worded; a validator not listed keeps jsonschema's message."""


def _jsonable(value: Any) -> Any:
    """What JSON Schema can check: keys as text (YAML writes `1:` for level 1), dates as text."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


_UNION_TAG = re.compile(r"[\[\]()]|^(str|int|float|bool|none|list|dict|constrained-str)$")


def _pydantic_path(loc: tuple[Any, ...], model: type[BaseModel], message: str) -> list[Any]:
    path = [part for part in loc if isinstance(part, int) or not _UNION_TAG.search(str(part))]
    if not path:
        # A whole-record rule; its message starts with the field it is about.
        first = message.split(" ", 1)[0]
        first = {"criterion": "criteria"}.get(first, first)
        if first in model.model_fields:
            path = [first]
    return path


_STRICT_TYPES = {"int_type": "a whole number", "float_type": "a number", "finite_number": "a finite number"}
"""pydantic's strict-type errors the JSON Schema cannot see (3.0 is an integer to JSON Schema; .inf a number)."""


def _pydantic_message(error: dict[str, Any]) -> str:
    kind = error["type"]
    if kind.startswith("datetime"):
        return f"expected a date-time like 2024-05-01T09:30:00Z, got {_describe(error.get('input'))}"
    if kind in _STRICT_TYPES:
        return f"expected {_STRICT_TYPES[kind]}, got {_describe(error.get('input'))}"
    message = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
    return message


def record_problems(model: type[BaseModel], record: dict, exc: ModelError) -> list[tuple[str, str]]:
    """(field, message) pairs for a record pydantic rejected."""
    model_errors = exc.errors(include_url=False)
    found = _schema_problems(model, record, model_errors)
    schema_fields = {field for field, _ in found}
    schema_tops = {field.split(".")[0].split("[")[0] for field in schema_fields}
    for error in model_errors:
        message = _pydantic_message(error)
        path = _pydantic_path(tuple(error["loc"]), model, message)
        field = _field_name(path)
        if path and isinstance(path[-1], str) and message.startswith(f"{path[-1]} "):
            message = message[len(path[-1]) + 1 :]  # "strength: strength +2 ..." reads as a stutter
        top = field.split(".")[0].split("[")[0]
        custom = error["type"] in ("value_error", "assertion_error")
        if (custom and field not in schema_fields) or top not in schema_tops:
            if (field, message) not in found:
                found.append((field, message))
    return found


def _schema_problems(model: type[BaseModel], record: dict, model_errors: list[Any]) -> list[tuple[str, str]]:
    """The JSON Schema's messages for the fields pydantic rejected, the most telling per field."""
    rejected_tops = {str(e["loc"][0]) for e in model_errors if e["loc"]}
    whole_record = any(not e["loc"] for e in model_errors)
    ranked: dict[str, list[tuple[str, str]]] = {}
    for error in _schema_validator(_SCHEMA_NAMES[model]).iter_errors(_jsonable(record)):
        for path, kind, message in _schema_messages(error, model):
            # pydantic is lenient where the schema is strict ("3" for 3): report only what pydantic rejects.
            if path and str(path[0]) not in rejected_tops and not whole_record:
                continue
            ranked.setdefault(_field_name(path), []).append((kind, message))
    found: list[tuple[str, str]] = []
    for field, entries in ranked.items():
        # A value of the wrong type, outside an enum or blank makes its other complaints noise.
        for preferred in ("enum", "type", "blank"):
            if any(kind == preferred for kind, _ in entries):
                entries = [e for e in entries if e[0] == preferred]
                break
        for _, message in dict.fromkeys(entries):
            found.append((field, message))
    return found


def validate(model: type[M], record: dict, path: str, line: int | None, problems: list[InputProblem]) -> M | None:
    """The record as `model`, or None with every problem appended."""
    try:
        return model.model_validate(record)
    except ModelError as exc:
        for field, message in record_problems(model, record, exc):
            problems.append(InputProblem(path, line, field, message))
        return None
