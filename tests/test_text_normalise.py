"""Normalising text for quote checks collapses whitespace exactly as the regex \\s+ did."""

from __future__ import annotations

import re
import sys

from rationale.grading.text import _CURLY, shorten, normalise

_SPACE = re.compile(r"\s")


def _by_regex(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_CURLY).casefold()).strip()


def test_str_split_breaks_at_exactly_the_characters_the_regex_calls_whitespace():
    chars = map(chr, range(sys.maxunicode + 1))
    assert [c for c in chars if c.isspace()] == [chr(c) for c in range(sys.maxunicode + 1) if _SPACE.match(chr(c))]


def test_runs_of_any_whitespace_become_one_space_as_with_the_regex():
    for c in " \t\n\r\x0b\x0c\x1c\x85\u00a0\u1680\u2000\u2007\u200a\u2028\u3000":
        text = f"{c}“Returns{c}{c}A list”{c} ok {c}"
        assert normalise(text) == _by_regex(text) == '"returns a list" ok'


def test_a_shortened_span_keeps_one_space_between_words():
    assert shorten("  it says\u00a0 \n this  ") == "it says this"
