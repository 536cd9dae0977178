"""Reading rubrics, items, gold answers and judgments, with problems a person can act on.

Every problem is an `InputProblem(path, line, field, message)`, printed as
`FILE:LINE: field: message`. Loaders keep going after a bad line so that one
run shows every problem in a file; `load_*` raise `InputError` at the end,
`iter_records`/`iter_judgments` append to the caller's list and leave raising
to the caller (they stream, so they cannot know the end in advance).

Validation takes the fast path first: pydantic validates each record. Only a
record pydantic rejects goes through the shipped JSON Schema (Draft 2020-12),
whose error paths (`criteria[2]`, `prompt[0].role`) and validators make
precise, human messages. Rules JSON Schema cannot express (strength against
preference, min against max words, weights summing to 1, a symmetric scale)
come from pydantic's own error. Checks that need another file (the rubric's
scale and criteria, the items' ids, duplicates) run after a record is valid.

Special fields used in messages: `(file)` for the file as a whole, `(line)`
for a line that cannot be read, `(record)` for a record as a whole, `(yaml)`
and `(json)` for a rubric that does not parse.
"""

from __future__ import annotations

import csv
import difflib
import functools
import gzip
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError
from pydantic import BaseModel
from pydantic import ValidationError as ModelError

from .errors import InputError, InputProblem
from .models import GoldAnswer, Item, Judgment, Rubric

PathLike = str | os.PathLike[str]
M = TypeVar("M", bound=BaseModel)

SCHEMA_DIR = Path(__file__).parent / "schemas"
_SCHEMA_NAMES: dict[type[BaseModel], str] = {Rubric: "rubric", Item: "item", GoldAnswer: "gold", Judgment: "judgment"}

FILE = "(file)"
LINE = "(line)"
RECORD = "(record)"

# CSV cells are text; these columns hold lists written as `a;b` (or JSON), numbers, or JSON.
CSV_LIST_COLUMNS = frozenset({"criteria", "tags", "decisive_criteria", "cues"})
CSV_INT_COLUMNS = frozenset({"strength"})
CSV_FLOAT_COLUMNS = frozenset({"seconds"})
CSV_JSON_COLUMNS = frozenset({"acceptable", "key_points"})
CSV_LIST_SEPARATOR = ";"

_IDENTIFIER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:/-]*$"
_BLANK_PATTERN = r"\S"


# --------------------------------------------------------------------------- reading lines


def _display(path: PathLike) -> str:
    return os.fspath(path)


def _open_binary(path: Path) -> IO[bytes]:
    if path.suffix == ".gz":
        return gzip.open(path, "rb")
    return open(path, "rb")


def _file_problem(path: PathLike, exc: OSError) -> InputProblem:
    shown = _display(path)
    if isinstance(exc, FileNotFoundError):
        return InputProblem(shown, None, FILE, "file not found")
    if isinstance(exc, IsADirectoryError):
        return InputProblem(shown, None, FILE, "is a directory, not a file")
    return InputProblem(shown, None, FILE, f"cannot read the file: {exc.strerror or exc}")


def _undecodable(path: str, line: int, exc: UnicodeDecodeError) -> InputProblem:
    byte = exc.object[exc.start : exc.start + 1].hex()
    return InputProblem(
        path,
        line,
        LINE,
        f"not valid UTF-8 (byte 0x{byte} at column {exc.start + 1}); save the file as UTF-8",
    )


def _text_lines(path: PathLike, problems: list[InputProblem]) -> Iterator[tuple[int, str | None]]:
    """Yield (line number, text) per physical line, decoding each line on its own.

    Decoding per line lets a stray Latin-1 byte be reported where it is
    while the rest of the file is still checked. An undecodable line is
    reported and yielded as None. A leading UTF-8 BOM is dropped.
    """
    shown = _display(path)
    try:
        handle = _open_binary(Path(path))
    except OSError as exc:
        problems.append(_file_problem(path, exc))
        return
    with handle:
        try:
            for number, raw in enumerate(handle, start=1):
                if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                    raw = raw[3:]
                try:
                    yield number, raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    problems.append(_undecodable(shown, number, exc))
                    yield number, None
        except OSError as exc:  # a directory opens on some systems and fails on read; a bad gzip fails here
            problems.append(_file_problem(path, exc))


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _iter_jsonl(path: PathLike, problems: list[InputProblem]) -> Iterator[tuple[int, dict]]:
    shown = _display(path)
    seen_content = False
    for number, text in _text_lines(path, problems):
        if text is None:
            seen_content = True
            continue
        if not text.strip():
            continue
        seen_content = True
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            problems.append(InputProblem(shown, number, LINE, f"malformed JSON: {exc.msg} at column {exc.colno}"))
            continue
        if not isinstance(record, dict):
            problems.append(
                InputProblem(shown, number, RECORD, f"expected a JSON object on each line, got {_json_kind(record)}")
            )
            continue
        yield number, record
    if not seen_content and not any(p.path == shown and p.field == FILE for p in problems):
        problems.append(InputProblem(shown, None, FILE, "file holds no records"))


_SKIP = object()  # a cell already reported as bad; leave its field out


def _csv_cell(column: str, text: str, path: str, line: int, problems: list[InputProblem]) -> Any:
    """Turn one non-empty CSV cell into the value its field expects."""
    stripped = text.strip()
    if column in CSV_JSON_COLUMNS or (column in CSV_LIST_COLUMNS and stripped.startswith("[")):
        try:
            return json.loads(stripped)
        except json.JSONDecodeError as exc:
            problems.append(InputProblem(path, line, column, f"malformed JSON in the cell: {exc.msg} at column {exc.colno}"))
            return _SKIP
    if column in CSV_LIST_COLUMNS:
        return [part.strip() for part in stripped.split(CSV_LIST_SEPARATOR) if part.strip()]
    if column in CSV_INT_COLUMNS and re.fullmatch(r"[+-]?\d+", stripped):
        return int(stripped)
    if column in CSV_FLOAT_COLUMNS:
        try:
            return float(stripped)
        except ValueError:
            return text
    if column == "prompt" and stripped.startswith("[{"):
        # A chat prompt may be written as JSON turns; anything else is a plain prompt.
        try:
            turns = json.loads(stripped)
        except json.JSONDecodeError:
            return text
        return turns if isinstance(turns, list) else text
    return text


def _iter_csv(path: PathLike, problems: list[InputProblem]) -> Iterator[tuple[int, dict]]:
    shown = _display(path)
    last_line = 0
    saw_bad_line = False

    def lines() -> Iterator[str]:
        nonlocal last_line, saw_bad_line
        for number, text in _text_lines(path, problems):
            last_line = number
            if text is None:
                saw_bad_line = True
                yield "\n"  # keep csv's row boundaries; the problem is already reported
            else:
                yield text

    reader = csv.reader(lines())
    header: list[str] | None = None
    rows = 0
    while True:
        start = last_line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(InputProblem(shown, start, LINE, f"malformed CSV: {exc}"))
            continue
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [cell.strip() for cell in row]
            repeated = sorted({c for c in header if header.count(c) > 1 and c})
            if repeated:
                problems.append(InputProblem(shown, start, RECORD, f"header repeats column {', '.join(repeated)}"))
            if "" in header:
                problems.append(
                    InputProblem(shown, start, RECORD, f"header column {header.index('') + 1} has no name")
                )
            continue
        rows += 1
        if len(row) > len(header):
            problems.append(
                InputProblem(
                    shown, start, RECORD, f"row has {len(row)} cells but the header names {len(header)} columns"
                )
            )
            continue
        record: dict[str, Any] = {}
        for column, cell in zip(header, row):
            if not column or not cell.strip():
                continue  # an empty cell means the field is absent
            value = _csv_cell(column, cell, shown, start, problems)
            if value is not _SKIP:
                record[column] = value
        yield start, record
    if rows == 0 and not saw_bad_line and not any(p.path == shown and p.field == FILE for p in problems):
        problems.append(
            InputProblem(shown, None, FILE, "file holds no records" if header is None else "file holds a header but no records")
        )


def _is_csv(path: PathLike) -> bool:
    name = os.fspath(path).lower()
    return name.endswith(".csv") or name.endswith(".csv.gz")


def iter_records(path: PathLike, problems: list[InputProblem]) -> Iterator[tuple[int, dict]]:
    """Stream the records of a JSONL or CSV file as (1-based line, dict).

    Nothing is read before the first record is asked for and only one line is
    held at a time. Unreadable lines (not UTF-8, malformed JSON, not an
    object) and file-level problems (missing, empty) are appended to
    `problems` and skipped. A UTF-8 BOM, CRLF line endings and blank lines
    are accepted silently.

    CSV: the first non-blank row is the header naming the fields; an empty
    cell means the field is absent; `criteria`, `tags`, `decisive_criteria`
    and `cues` are lists written `a;b` (or as a JSON list); `strength` and
    `seconds` are numbers; `acceptable` and `key_points` are JSON; a
    `prompt` cell holding a JSON list of chat turns is read as turns. The
    line of a record is the line its row starts on.
    """
    if _is_csv(path):
        return _iter_csv(path, problems)
    return _iter_jsonl(path, problems)


# --------------------------------------------------------------------------- validation messages


@functools.cache
def _schema_validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


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


def _schema_messages(error: SchemaError, model: type[BaseModel]) -> list[tuple[list[Any], str, str]]:
    """(path, kind, message) for one jsonschema error; kind ranks errors on the same field."""
    path = list(error.absolute_path)
    instance = error.instance
    validator = error.validator
    if validator in ("anyOf", "oneOf"):
        fitting = _branch_errors(error)
        if fitting is None:
            expected = _expected_types(_schema_types(error.schema))
            return [(path, "type", f"expected {expected}, got {_describe(instance)}")]
        messages: list[tuple[list[Any], str, str]] = []
        for sub in fitting:
            messages.extend(_schema_messages(sub, model))
        return messages
    if validator == "required":
        missing = [name for name in error.validator_value if isinstance(instance, dict) and name not in instance]
        return [(path + [name], "required", "is required but missing") for name in missing]
    if validator == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extras = [key for key in instance if key not in allowed] if isinstance(instance, dict) else []
        messages = []
        for key in extras:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            messages.append((path + [key], "extra", f"unknown field ({hint}allowed: {', '.join(allowed)})"))
        return messages
    if validator == "enum":
        options = _alternatives(error.validator_value)
        if "propertyNames" in error.schema_path:  # the instance is the offending key of a mapping
            return [(path, "enum", f"unknown key {_quote(str(instance))} (expected {options})")]
        if isinstance(instance, str):
            return [(path, "enum", f"unknown {_subject(path)} {_quote(instance)} (expected {options})")]
        return [(path, "enum", f"expected {options}, got {_describe(instance)}")]
    if validator == "type":
        types = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        hint = "; put it in quotes" if types == ["string"] and isinstance(instance, (int, float)) else ""
        return [(path, "type", f"expected {_expected_types(types)}, got {_describe(instance)}{hint}")]
    if validator in ("minLength", "pattern") and isinstance(instance, str):
        if validator == "minLength" or error.validator_value == _BLANK_PATTERN:
            if not instance.strip():
                message = "is blank"
                if model is Judgment and path == ["rationale"]:
                    message += "; leave the field out for vote-only data"
                return [(path, "blank", message)]
        if error.validator_value == _IDENTIFIER_PATTERN:
            return [
                (
                    path,
                    "pattern",
                    f"{_quote(instance)} is not a valid id: use letters, digits and _ . : / -, starting with a letter or digit",
                )
            ]
        return [(path, "pattern", f"{_quote(instance)} does not match the pattern {error.validator_value}")]
    if validator == "maxLength":
        return [(path, "length", f"is longer than {error.validator_value} characters")]
    if validator == "minimum":
        return [(path, "range", f"must be at least {error.validator_value}, got {instance!r}")]
    if validator == "maximum":
        return [(path, "range", f"must be at most {error.validator_value}, got {instance!r}")]
    if validator == "exclusiveMinimum":
        return [(path, "range", f"must be greater than {error.validator_value}, got {instance!r}")]
    if validator == "exclusiveMaximum":
        return [(path, "range", f"must be less than {error.validator_value}, got {instance!r}")]
    if validator == "minItems":
        count = error.validator_value
        return [(path, "length", f"needs at least {count} entr{'y' if count == 1 else 'ies'}, got {len(instance)}")]
    return [(path, validator, error.message)]


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


def _pydantic_message(error: dict[str, Any]) -> str:
    kind = error["type"]
    if kind.startswith("datetime"):
        return f"expected a date-time like 2024-05-01T09:30:00Z, got {_describe(error.get('input'))}"
    message = str(error["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
    return message


def _record_problems(model: type[BaseModel], record: dict, exc: ModelError) -> list[tuple[str, str]]:
    """(field, message) pairs for a record pydantic rejected."""
    model_errors = exc.errors(include_url=False)
    rejected_tops = {str(e["loc"][0]) for e in model_errors if e["loc"]}
    whole_record = any(not e["loc"] for e in model_errors)

    ranked: dict[str, list[tuple[str, str]]] = {}
    order: list[str] = []
    for error in _schema_validator(_SCHEMA_NAMES[model]).iter_errors(_jsonable(record)):
        for path, kind, message in _schema_messages(error, model):
            # pydantic is lenient where the schema is strict ("3" for 3): report only what pydantic rejects.
            if path and str(path[0]) not in rejected_tops and not whole_record:
                continue
            field = _field_name(path)
            if field not in ranked:
                ranked[field] = []
                order.append(field)
            ranked[field].append((kind, message))

    found: list[tuple[str, str]] = []
    for field in order:
        entries = ranked[field]
        # A value of the wrong type, outside an enum or blank makes its other complaints noise.
        for preferred in ("enum", "type", "blank"):
            if any(kind == preferred for kind, _ in entries):
                entries = [e for e in entries if e[0] == preferred]
                break
        for _, message in dict.fromkeys(entries):
            found.append((field, message))

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


def _validate(
    model: type[M], record: dict, path: str, line: int | None, problems: list[InputProblem]
) -> M | None:
    try:
        return model.model_validate(record)
    except ModelError as exc:
        for field, message in _record_problems(model, record, exc):
            problems.append(InputProblem(path, line, field, message))
        return None


def _raise_if(problems: list[InputProblem]) -> None:
    if problems:
        raise InputError(problems)


# --------------------------------------------------------------------------- rubric


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
    try:
        data_bytes = Path(path).read_bytes()
    except OSError as exc:
        raise InputError([_file_problem(path, exc)]) from None
    if data_bytes.startswith(b"\xef\xbb\xbf"):
        data_bytes = data_bytes[3:]
    try:
        text = data_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data_bytes.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data_bytes.rfind(b"\n", 0, exc.start) + 1)
        byte = data_bytes[exc.start : exc.start + 1].hex()
        raise InputError(
            [InputProblem(shown, line, LINE, f"not valid UTF-8 (byte 0x{byte} at column {column + 1}); save the file as UTF-8")]
        ) from None
    if not text.strip():
        raise InputError([InputProblem(shown, None, FILE, "file is empty; expected a rubric")])

    is_json = shown.lower().endswith(".json")
    if is_json:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                [InputProblem(shown, exc.lineno, "(json)", f"malformed JSON: {exc.msg} at column {exc.colno}")]
            ) from None
    else:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or str(exc)
            context = getattr(exc, "context", None)
            detail = f"{problem} ({context})" if context else problem
            where = f" at column {mark.column + 1}" if mark is not None else ""
            raise InputError(
                [InputProblem(shown, mark.line + 1 if mark is not None else None, "(yaml)", f"invalid YAML: {detail}{where}")]
            ) from None

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
    try:
        rubric = Rubric.model_validate(data)
    except ModelError as exc:
        for field, message in _record_problems(Rubric, data, exc):
            problems.append(InputProblem(shown, _line_of(field, lines), field, message))
        rubric = None
    _raise_if(problems)
    assert rubric is not None
    return rubric


# --------------------------------------------------------------------------- items and gold


def load_items(path: PathLike) -> dict[str, Item]:
    """Load items (JSONL or CSV) keyed by id; raise InputError with every problem."""
    shown = _display(path)
    problems: list[InputProblem] = []
    items: dict[str, Item] = {}
    first_line: dict[str, int] = {}
    for line, record in iter_records(path, problems):
        item = _validate(Item, record, shown, line, problems)
        if item is None:
            continue
        if item.id in items:
            problems.append(
                InputProblem(shown, line, "id", f"duplicate item id {item.id!r} (first on line {first_line[item.id]})")
            )
            continue
        items[item.id] = item
        first_line[item.id] = line
    _raise_if(problems)
    return items


class _RubricTerms:
    """What records are checked against in a rubric, computed once rather than per record."""

    def __init__(self, rubric: Rubric):
        self.top = rubric.max_strength
        self.criteria = frozenset(rubric.criterion_ids)
        self.allowed = f"rubric {rubric.id} defines {', '.join(rubric.criterion_ids)}"

    def scale_problem(self, value: object) -> str | None:
        number = _whole_number(value)
        if number is None or -self.top <= number <= self.top:
            return None
        return f"{number} is outside the rubric's scale -{self.top}..{self.top}"

    def unknown_criteria(self, field: str, cited: object) -> list[tuple[str, str]]:
        if not isinstance(cited, list):
            return []
        return [
            (f"{field}[{index}]", f"unknown criterion {criterion!r} ({self.allowed})")
            for index, criterion in enumerate(cited)
            if isinstance(criterion, str) and criterion not in self.criteria
        ]


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _whole_number(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _unknown_item(value: object, items: dict[str, Item]) -> list[tuple[str, str]]:
    item_id = _text(value)
    if item_id is None or item_id in items:
        return []
    return [("item_id", f"unknown item {item_id!r} (not in the items file)")]


def _report_cross_checks(
    found: list[tuple[str, str]], path: str, line: int, problems: list[InputProblem], already: int
) -> bool:
    """Append cross-file problems not already reported for the field by shape checks; True if any."""
    if not found:
        return False
    reported = {p.field for p in problems[already:]}
    fresh = [(field, message) for field, message in found if field not in reported]
    problems.extend(InputProblem(path, line, field, message) for field, message in fresh)
    return bool(fresh)


def load_gold(path: PathLike, items: dict[str, Item], rubric: Rubric) -> dict[str, GoldAnswer]:
    """Load gold answers (JSONL or CSV) keyed by item id, checked against the items and the rubric.

    The checks against items and rubric also run on a record with other
    problems, wherever its values have the right type, so one pass shows all.
    """
    shown = _display(path)
    problems: list[InputProblem] = []
    gold: dict[str, GoldAnswer] = {}
    first_line: dict[str, int] = {}
    terms = _RubricTerms(rubric)
    for line, record in iter_records(path, problems):
        before = len(problems)
        answer = _validate(GoldAnswer, record, shown, line, problems)
        found = _unknown_item(record.get("item_id"), items)
        scale = terms.scale_problem(record.get("strength"))
        if scale:
            found.append(("strength", scale))
        acceptable = record.get("acceptable")
        if isinstance(acceptable, dict):
            for name in ("strength_min", "strength_max"):
                scale = terms.scale_problem(acceptable.get(name))
                if scale:
                    found.append((f"acceptable.{name}", scale))
        found.extend(terms.unknown_criteria("decisive_criteria", record.get("decisive_criteria")))
        item_id = _text(record.get("item_id"))
        if item_id is not None and item_id in first_line:
            found.append(("item_id", f"duplicate gold for item {item_id!r} (first on line {first_line[item_id]})"))
        elif item_id is not None:
            first_line[item_id] = line
        if _report_cross_checks(found, shown, line, problems, before) or answer is None:
            continue
        gold[answer.item_id] = answer
    _raise_if(problems)
    return gold


# --------------------------------------------------------------------------- judgments


def load_references(
    rubric_path: PathLike,
    items_path: PathLike,
    gold_path: PathLike | None = None,
    problems: list[InputProblem] | None = None,
) -> tuple[Rubric, dict[str, Item], dict[str, GoldAnswer] | None]:
    """Load the rubric, the items and (optionally) the gold that judgments are checked against.

    A bad rubric does not hide the problems of the items file: both are read
    before either raises. Gold is checked against both, so it waits until they
    are sound. Gold problems are appended to `problems` when the caller passes
    a list (to report them with the judgments' problems); otherwise they raise.
    """
    found: list[InputProblem] = []
    rubric = items = None
    try:
        rubric = load_rubric(rubric_path)
    except InputError as exc:
        found.extend(exc.problems)
    try:
        items = load_items(items_path)
    except InputError as exc:
        found.extend(exc.problems)
    if rubric is None or items is None:
        raise InputError(found)
    gold = None
    if gold_path is not None:
        try:
            gold = load_gold(gold_path, items, rubric)
        except InputError as exc:
            if problems is None:
                raise
            problems.extend(exc.problems)
    return rubric, items, gold


def iter_judgments(
    paths: Iterable[PathLike],
    items: dict[str, Item],
    rubric: Rubric,
    problems: list[InputProblem],
    annotator: str | None = None,
) -> Iterator[tuple[str, int, Judgment]]:
    """Stream valid judgments as (path, line, Judgment); append every problem found.

    Checks each record's shape, then against the other inputs: the item
    exists, the strength is on the rubric's scale, the cited criteria are the
    rubric's, and no annotator answers the same item twice across all the
    files (the message names where the first answer is). The checks against
    other inputs also run on a record with other problems, wherever its
    values have the right type, so one pass shows every problem.

    With `annotator`: a record without an annotator is taken to be theirs,
    and a record naming another annotator is skipped without any checks,
    since it is not what was asked for (a calibration batch mixes
    annotators). Lines that cannot be parsed are reported all the same: we
    cannot tell whose they are.
    """
    first_seen: dict[tuple[str, str], tuple[str, int]] = {}
    terms = _RubricTerms(rubric)
    for path in paths:
        shown = _display(path)
        for line, record in iter_records(path, problems):
            if annotator is not None:
                named = record.get("annotator")
                if named is None:
                    record = {**record, "annotator": annotator}
                elif isinstance(named, str) and named != annotator:
                    continue
            before = len(problems)
            judgment = _validate(Judgment, record, shown, line, problems)
            found = _unknown_item(record.get("item_id"), items)
            scale = terms.scale_problem(record.get("strength"))
            if scale:
                found.append(("strength", scale))
            found.extend(terms.unknown_criteria("criteria", record.get("criteria")))
            who, item_id = _text(record.get("annotator")), _text(record.get("item_id"))
            if who is not None and item_id is not None:
                if (who, item_id) in first_seen:
                    where_path, where_line = first_seen[(who, item_id)]
                    where = f"line {where_line}" if where_path == shown else f"{where_path}:{where_line}"
                    found.append(("item_id", f"duplicate judgment by {who!r} for item {item_id!r} (first on {where})"))
                else:
                    first_seen[(who, item_id)] = (shown, line)
            if _report_cross_checks(found, shown, line, problems, before) or judgment is None:
                continue
            yield shown, line, judgment
