"""Clause breaks: the pattern written for speed finds exactly the breaks of the plain one it replaced."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from rationale.grading.quotes import CLAUSE_BREAK

PLAIN = re.compile(
    r"[;]\s+|:\s+(?=[A-Z])|,\s+(?:while|whereas|but|so|which|because|although|though|yet)\s+"
    r"|\s+(?:while|whereas|but|because|so that|although|though)\s+|\s+[—–]\s+|\s-\s|\n"
)
"""The clause break as first written: alternatives, which the regex engine tries at every position."""

PIECES = st.sampled_from(
    [" ", "  ", "\n", "\t", "\u00a0", ";", ":", ",", ".", "-", "—", "–", "A", "b", "x", "while", "but", "so",
     "so that", "which", "yet", "though", "although", "whereas", "because", "Because", "z"]
)


def _breaks(pattern: re.Pattern, text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text, start, end)]


@settings(max_examples=1000, deadline=None)
@given(st.lists(PIECES, max_size=20).map("".join), st.data())
def test_clause_breaks_are_those_of_the_plain_pattern_in_any_part_of_any_text(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert _breaks(CLAUSE_BREAK, text, start, end) == _breaks(PLAIN, text, start, end)
    assert (CLAUSE_BREAK.search(text) is None) == (PLAIN.search(text) is None)


def test_clause_breaks_of_a_rationale_are_those_of_the_plain_pattern():
    text = (
        "A is wrong: It says the loop ends; B handles it, while A never checks the input - a bug.\n"
        "B is better because it is shorter — and so that users can follow it, which matters."
    )
    assert _breaks(CLAUSE_BREAK, text, 0, len(text)) == _breaks(PLAIN, text, 0, len(text))
    assert len(_breaks(PLAIN, text, 0, len(text))) >= 6
