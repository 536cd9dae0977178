"""The limits on what people write (README, "Limits and guarantees"), as the models apply them."""

from __future__ import annotations

import sys

from rationale.models.base import MAX_WORD_CHARS, words_problem


def test_a_word_one_past_the_limit_is_refused_with_its_length():
    assert words_problem("B is right " + "x" * (MAX_WORD_CHARS + 1)) == (
        f"holds a word of {MAX_WORD_CHARS + 1} characters (at most {MAX_WORD_CHARS}): {'x' * 20!r}..."
    )


def test_words_at_the_limit_are_fine():
    assert words_problem(" ".join(["x" * MAX_WORD_CHARS] * 3)) is None


def test_every_kind_of_white_space_separates_words():
    spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert len(spaces) > 20  # tabs, line breaks, no-break and em spaces...
    assert [words_problem("y" * MAX_WORD_CHARS + space + "z" * MAX_WORD_CHARS) for space in spaces] == [None] * len(spaces)


def test_a_long_word_among_unicode_spaces_is_still_found():
    assert words_problem("a\u00a0b\u2003" + "y" * (MAX_WORD_CHARS + 1)) is not None
