"""Problems with user input, reported as `FILE:LINE: field: what is wrong`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class InputProblem:
    path: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.field}: {self.message}"


class InputError(Exception):
    """Every problem found in the input at once; the CLI prints them and exits 2."""

    def __init__(self, problems: list[InputProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def unwritable_output(path: object, option: str, exc: OSError) -> InputError:
    """An output path the file system refused, said in the user's terms (a file where a folder must be, ...)."""
    from pathlib import Path

    blocking = next((p for p in reversed(Path(str(path)).parents) if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        reason = f"{blocking} is a file, not a folder"
    elif isinstance(exc, IsADirectoryError):
        reason = "it is a folder: give a file name"
    else:
        where = f" ({exc.filename})" if exc.filename is not None and str(exc.filename) != str(path) else ""
        reason = (exc.strerror or str(exc)).lower() + where
    return InputError([InputProblem(str(path), None, option, f"cannot be written: {reason}")])
