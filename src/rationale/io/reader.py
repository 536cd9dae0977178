"""One streaming reader for every input file: JSON Lines, CSV and JSON arrays, plain or gzip.

Loaders (rubric, items, gold, judgments) and importers both read through
here, so a file's problems read the same wherever it is read:
`FILE:LINE: field: message` (see `rationale.errors`). Special fields:
`(file)` for the file as a whole, `(line)` for a line that cannot be read,
`(record)` for a record as a whole.

Nothing is read before the first record is asked for and only one line is
held at a time (a JSON array, which the standard library cannot stream, is
the exception). Each line is decoded on its own, so a stray Latin-1 byte is
reported where it is while the rest of the file is still checked. A UTF-8
BOM, CRLF line endings and blank lines are accepted silently. Gzip is
recognised by its magic bytes (or a `.gz` name).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import InputError, InputProblem

PathLike = str | os.PathLike[str]

FILE = "(file)"
LINE = "(line)"
RECORD = "(record)"

# CSV cells are text; these columns hold lists written as `a;b` (or JSON), numbers, or JSON.
CSV_LIST_COLUMNS = frozenset({"criteria", "tags", "decisive_criteria", "cues", "flags"})
CSV_INT_COLUMNS = frozenset({"strength", "confidence"})
CSV_FLOAT_COLUMNS = frozenset({"seconds"})
CSV_JSON_COLUMNS = frozenset({"acceptable", "key_points", "edge_case"})
CSV_LIST_SEPARATOR = ";"
GZIP_MAGIC = b"\x1f\x8b"
MAX_DEPTH = 32  # lists and objects nested deeper than this are refused: no input shape needs more than 4


STDIN = "-"  # a path of "-" reads standard input (JSON Lines), shown as <stdin> in messages


def _display(path: PathLike) -> str:
    return "<stdin>" if os.fspath(path) == STDIN else os.fspath(path)


def _open_binary(path: Path) -> IO[bytes]:
    if os.fspath(path) == STDIN:
        stdin = sys.stdin.buffer
        if not hasattr(stdin, "peek"):  # a pipe's buffer has it; an in-memory stand-in may not
            stdin = io.BufferedReader(stdin)  # type: ignore[arg-type]
        return gzip.GzipFile(fileobj=stdin) if stdin.peek(2)[:2] == GZIP_MAGIC else stdin
    handle = open(path, "rb")
    if path.suffix == ".gz" or handle.peek(2)[:2] == GZIP_MAGIC:
        handle.close()
        return gzip.open(path, "rb")
    return handle


def _file_problem(path: PathLike, exc: OSError) -> InputProblem:
    shown = _display(path)
    if isinstance(exc, FileNotFoundError):
        return InputProblem(shown, None, FILE, "file not found")
    if isinstance(exc, IsADirectoryError):
        return InputProblem(shown, None, FILE, "is a directory, not a file")
    return InputProblem(shown, None, FILE, f"cannot read the file: {exc.strerror or exc}")


def unreadable(path: PathLike) -> InputProblem | None:
    """The problem with opening `path` for reading (not found, a directory, no permission), or None ('-' is stdin)."""
    if str(path) == "-":
        return None
    try:
        with open(path, "rb"):
            return None
    except OSError as exc:
        return _file_problem(path, exc)


def _undecodable(path: str, line: int, exc: UnicodeDecodeError) -> InputProblem:
    byte = exc.object[exc.start : exc.start + 1].hex()
    return InputProblem(
        path,
        line,
        LINE,
        f"not valid UTF-8 (byte 0x{byte} at column {exc.start + 1}); save the file as UTF-8",
    )


def decode_whole(data: bytes, shown: str) -> str:
    """A whole file's bytes as text (a UTF-8 BOM dropped), or InputError naming the line and column of a bad byte."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1)
        byte = data[exc.start : exc.start + 1].hex()
        raise InputError(
            [InputProblem(shown, line, LINE, f"not valid UTF-8 (byte 0x{byte} at column {column + 1}); save the file as UTF-8")]
        ) from None


def read_text(path: PathLike, limit: int) -> str:
    """A small text file read whole ('-' is stdin): InputError when missing, over `limit` bytes or not UTF-8."""
    shown = _display(path)
    try:
        if os.fspath(path) == STDIN:
            data = sys.stdin.buffer.read(limit + 1)
        else:
            with open(path, "rb") as handle:
                data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError([_file_problem(path, exc)]) from None
    if len(data) > limit:
        raise InputError([InputProblem(shown, None, FILE, f"is larger than {limit:,} bytes")])
    return decode_whole(data, shown)


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
    number = 0
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
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:  # a cut-short or damaged .gz
            problems.append(_gzip_problem(shown, number + 1, exc))
        except OSError as exc:  # a directory opens on some systems and fails on read
            problems.append(_file_problem(path, exc))


def _gzip_problem(shown: str, line: int, exc: Exception) -> InputProblem:
    """A gzip file that stops or breaks before its end: where the readable part ends, and why."""
    why = "it ends before its data does (cut short in a copy or download?)" if isinstance(exc, EOFError) else f"its data is damaged ({exc})"
    return InputProblem(shown, line, FILE, f"the gzip data stops being readable at this line: {why}")


class JSONProblem(ValueError):
    """JSON the standard parser accepts but an input file must not hold; the message says what and where."""

    def __init__(self, message: str, field: str = LINE):
        super().__init__(message)
        self.field = field


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # dict() builds the object in C; only when it comes out shorter than the pairs is a key repeated,
    # and only then are the pairs walked again to name the first key given twice.
    record = dict(pairs)
    if len(record) == len(pairs):
        return record
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise JSONProblem(f"key {key!r} is given twice in one object; only one can count", field=key)
        seen.add(key)
    raise AssertionError("unreachable: a shorter dict has a repeated key")  # pragma: no cover


def _no_constant(name: str) -> Any:
    raise JSONProblem(f"{name} is not a number JSON allows; write a finite number")


def _depth_problem(value: Any) -> str | None:
    """Lists and objects nested deeper than MAX_DEPTH, found without recursion."""
    level = [value]
    for depth in range(MAX_DEPTH + 1):
        level = [child for node in level if isinstance(node, (list, dict))
                 for child in (node.values() if isinstance(node, dict) else node)]
        if not level:
            return None
    return f"lists and objects nested more than {MAX_DEPTH} levels deep; no input needs that"


_DECODER = json.JSONDecoder(object_pairs_hook=_unique_keys, parse_constant=_no_constant)
_DECODER_REPEATS = json.JSONDecoder(parse_constant=_no_constant)


def loads(text: str, *, unique_keys: bool = True) -> Any:
    """json.loads for input files: duplicate keys, NaN/Infinity and deep nesting raise JSONProblem.

    json.JSONDecodeError (malformed JSON) is raised as json.loads raises it. `unique_keys=False` leaves
    repeated keys to the caller (the rubric loader reports them with both lines).
    """
    try:
        if type(text) is str and not text.startswith("\ufeff"):
            # What json.loads does with these arguments, without building a new decoder for every line
            # (json.loads makes one per call when given hooks: 2% of a re-run reading 100k judgments).
            value = (_DECODER if unique_keys else _DECODER_REPEATS).decode(text)
        else:  # bytes, or a BOM: json.loads decodes the one and refuses the other with its own message
            value = json.loads(text, object_pairs_hook=_unique_keys if unique_keys else None, parse_constant=_no_constant)
    except RecursionError:
        raise JSONProblem(f"lists and objects nested more than {MAX_DEPTH} levels deep; no input needs that") from None
    # Each list or object in the value opened with a bracket in the text, so a text with few brackets (every
    # record of every input shape) cannot nest deeply: counting them is a tenth of walking the value.
    problem = _depth_problem(value) if text.count("[") + text.count("{") > MAX_DEPTH else None
    if problem:
        raise JSONProblem(problem)
    return value


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


def _json_record(text: str, path: str, line: int, problems: list[InputProblem]) -> dict | None:
    """The JSON object on one line, or None with the problem appended."""
    try:
        record = loads(text)
    except json.JSONDecodeError as exc:
        problems.append(InputProblem(path, line, LINE, f"malformed JSON: {exc.msg} at column {exc.colno}"))
        return None
    except JSONProblem as exc:
        problems.append(InputProblem(path, line, exc.field, str(exc)))
        return None
    if not isinstance(record, dict):
        problems.append(InputProblem(path, line, RECORD, f"expected a JSON object on each line, got {_json_kind(record)}"))
        return None
    return record


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
        record = _json_record(text, shown, number, problems)
        if record is not None:
            yield number, record
    if not seen_content and not any(p.path == shown and p.field == FILE for p in problems):
        problems.append(InputProblem(shown, None, FILE, "file holds no records"))


_SKIP = object()  # a cell already reported as bad; leave its field out


def _csv_cell(column: str, text: str, path: str, line: int, problems: list[InputProblem]) -> Any:
    """Turn one non-empty CSV cell into the value its field expects."""
    stripped = text.strip()
    if column in CSV_JSON_COLUMNS or (column in CSV_LIST_COLUMNS and stripped.startswith("[")):
        try:
            return loads(stripped)
        except json.JSONDecodeError as exc:
            problems.append(InputProblem(path, line, column, f"malformed JSON in the cell: {exc.msg} at column {exc.colno}"))
            return _SKIP
        except JSONProblem as exc:
            problems.append(InputProblem(path, line, column, f"in the cell: {exc}"))
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
            turns = loads(stripped)
        except (json.JSONDecodeError, JSONProblem):
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

    reader = csv.reader(lines(), strict=True)  # strict: a quote never closed is an error, not the rest of the file
    header: list[str] | None = None
    rows = 0
    while True:
        start = last_line + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(InputProblem(shown, start, LINE, _csv_error(str(exc))))
            saw_bad_line = True
            continue
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [cell.strip() for cell in row]
            problems.extend(InputProblem(shown, start, RECORD, message) for message in _header_problems(header))
            continue
        rows += 1
        record = _csv_record(header, row, shown, start, problems)
        if record is not None:
            yield start, record
    if rows == 0 and not saw_bad_line and not any(p.path == shown and p.field == FILE for p in problems):
        problems.append(
            InputProblem(shown, None, FILE, "file holds no records" if header is None else "file holds a header but no records")
        )


def _csv_error(message: str) -> str:
    if message == "unexpected end of data":
        return "malformed CSV: a quoted cell starting on this line is never closed (a missing \"?)"
    return f"malformed CSV: {message}"


def _header_problems(header: list[str]) -> list[str]:
    found = []
    repeated = sorted({c for c in header if header.count(c) > 1 and c})
    if repeated:
        found.append(f"header repeats column {', '.join(repeated)}")
    if "" in header:
        found.append(f"header column {header.index('') + 1} has no name")
    return found


def _csv_record(header: list[str], row: list[str], path: str, line: int, problems: list[InputProblem]) -> dict | None:
    """A row's record by the header's names; None (the problem appended) when its cells do not fit the columns."""
    if len(row) != len(header):
        problems.append(InputProblem(path, line, RECORD, f"row has {len(row)} cells but the header names {len(header)} columns"))
        return None
    record: dict[str, Any] = {}
    for column, cell in zip(header, row):
        if not column or not cell.strip():
            continue  # an empty cell means the field is absent
        value = _csv_cell(column, cell, path, line, problems)
        if value is not _SKIP:
            record[column] = value
    return record


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


def iter_rows(path: PathLike, problems: list[InputProblem]) -> Iterator[tuple[int, dict]]:
    """Stream the records of a JSON Lines file or a JSON array as (1-based line, dict): what importers read.

    A JSON array is read whole (the standard library cannot stream it), but
    each record still gets the line it starts on. An empty file holds no rows
    and is not a problem: an import of it writes nothing.
    """
    shown = _display(path)
    lines = _text_lines(path, problems)
    for number, text in lines:
        if text is None:
            continue
        if not text.strip():
            continue
        if text.lstrip().startswith("["):
            rest = [t for _, t in lines]
            if None in rest:
                return  # a line that is not UTF-8 (reported) would leave a hole in the array's JSON
            yield from _iter_json_array(text + "".join(rest), shown, number - 1, problems)  # type: ignore[arg-type]
            return
        record = _json_record(text, shown, number, problems)
        if record is not None:
            yield number, record
        break
    for number, text in lines:
        if text is None or not text.strip():
            continue
        record = _json_record(text, shown, number, problems)
        if record is not None:
            yield number, record


_WS = re.compile(r"\s*")


def _iter_json_array(text: str, path: str, offset: int, problems: list[InputProblem]) -> Iterator[tuple[int, dict]]:
    """The objects of a JSON array; `offset` is the number of lines before `text` in the file."""
    decoder = json.JSONDecoder(object_pairs_hook=_unique_keys, parse_constant=_no_constant)
    pos = _WS.match(text, text.index("[") + 1).end()
    line, counted_to = 1 + offset, 0
    if text[pos : pos + 1] == "]":
        return
    while True:
        line += text.count("\n", counted_to, pos)
        counted_to = pos
        try:
            record, end = decoder.raw_decode(text, pos)
            problem = _depth_problem(record)
            if problem:
                raise JSONProblem(problem)
        except json.JSONDecodeError as exc:
            problems.append(InputProblem(path, exc.lineno + offset, FILE, f"malformed JSON: {exc.msg} at column {exc.colno}"))
            return
        except RecursionError:
            problems.append(InputProblem(path, line, RECORD, f"lists and objects nested more than {MAX_DEPTH} levels deep; no input needs that"))
            return
        except JSONProblem as exc:
            problems.append(InputProblem(path, line, RECORD if exc.field == LINE else exc.field, str(exc)))
            return
        if isinstance(record, dict):
            yield line, record
        else:
            problems.append(InputProblem(path, line, RECORD, f"expected a JSON object in the array, got {_json_kind(record)}"))
        pos = _WS.match(text, end).end()
        sep = text[pos : pos + 1]
        if sep == "]":
            return
        if sep != ",":
            line += text.count("\n", counted_to, pos)
            problems.append(InputProblem(path, line, FILE, "malformed JSON: expected ',' or ']' after a record"))
            return
        pos = _WS.match(text, pos + 1).end()
