"""One set of formatters for every report: numbers, percentages, tables, terminal styling.

Each report keeps the look it always had through the arguments (a missing
value shows as an em dash in calibration reports, an en dash in progress
reports, "n/a" in grade and reviewer summaries).
"""

from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Sequence
from html import escape
from typing import Any

DASH = "—"
WRAP = 100

_ANSI_COLOURS = {"black": 30, "red": 31, "green": 32, "yellow": 33, "blue": 34, "magenta": 35, "cyan": 36, "white": 37}


def number(value: float | None, digits: int = 2, missing: str = DASH) -> str:
    return missing if value is None else f"{value:.{digits}f}"


def percent(value: float | None, digits: int = 0, missing: str = DASH) -> str:
    """A share 0..1 as a percentage (0.5 -> "50%")."""
    return missing if value is None else f"{value:.{digits}%}"


def share(part: int, whole: int, missing: str = "n/a") -> str:
    """`part` of `whole` as a whole percentage."""
    return f"{100 * part / whole:.0f}%" if whole else missing


EMPTY_RESPONSE = "(empty response)"


def shown_response(text: str | None) -> str:
    """A response as people see it: an empty one (a model that answered nothing) says so instead of showing nothing."""
    return EMPTY_RESPONSE if text is None or not str(text).strip() else str(text)


def plural(count: int, word: str, many: str | None = None) -> str:
    """The word for a count: "1 judgment", "2 judgments"."""
    return word if count == 1 else (many or word + "s")


def style(text: str, *, fg: str | None = None, bold: bool = False) -> str:
    """ANSI colour and weight, as click.style writes them; none under NO_COLOR (https://no-color.org).

    The CLI's output functions drop the codes when stdout is not a terminal.
    """
    if os.environ.get("NO_COLOR"):
        return text
    codes = ([f"\x1b[{_ANSI_COLOURS[fg]}m"] if fg else []) + (["\x1b[1m"] if bold else [])
    return "".join(codes) + text + "\x1b[0m"


# Control characters (C0 but newline and tab, DEL, C1) and the bidirectional overrides that can reorder a
# line on screen ("Trojan Source"). In trainee or model text they could move the cursor, recolour or clear
# the terminal, or disguise what a line says, so they are shown as visible escapes instead.
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: object) -> str:
    """Untrusted text made inert for a terminal: each control character becomes a visible `\\x1b`-style escape."""
    return _TERMINAL_UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", str(text))


def table(headers: list[str], rows: list[list[str]]) -> list[str]:
    """A plain-text table: columns padded to their widest cell, a rule under the header."""
    widths = [max(len(str(c)) for c in col) for col in zip(headers, *rows)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


# What starts a Markdown block at the head of a line: a heading, a list item, a setext underline or rule
# (`-`, `+`, `=`, `#`, each followed by a space, the same mark or the line's end), an ordered list item.
_MD_BLOCK_MARK = re.compile(r"^([ \t]*)([#+=-](?=[\s#+=-]|$))", re.M)
_MD_ORDERED_MARK = re.compile(r"^([ \t]*\d+)([.)])(?=\s|$)", re.M)


def md_text(text: Any) -> str:
    """Make untrusted text inert in Markdown: HTML-escape it and neutralise links, images, emphasis and block marks.

    A backslash is escaped first, so `\\*` in the text cannot turn the escape of `*` back into emphasis;
    control characters become visible escapes (`terminal_safe`), as a Markdown file is also read with `cat`.
    """
    if text is None:
        return ""
    escaped = escape(terminal_safe(text), quote=False)
    escaped = re.sub(r"([\\\[\]!`*_|~])", r"\\\1", escaped)
    escaped = _MD_BLOCK_MARK.sub(r"\1\\\2", escaped)
    return _MD_ORDERED_MARK.sub(r"\1\\\2", escaped)


def md_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table; every cell is made inert (`md_text`): names and ids in it are people's text."""

    def esc(cell: object) -> str:
        return md_text(cell)

    return [
        "| " + " | ".join(esc(h) for h in headers) + " |",
        "|" + "|".join("---" for _ in headers) + "|",
        *("| " + " | ".join(esc(c) for c in r) + " |" for r in rows),
    ]


def wrapped(text: str, indent: str, hanging: str = "", width: int = WRAP) -> list[str]:
    """`text` on lines of at most `width`, whitespace runs folded; at least one line."""
    return textwrap.wrap(
        " ".join(text.split()), width=width, initial_indent=indent, subsequent_indent=indent + hanging
    ) or [indent]
