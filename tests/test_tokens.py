"""Tokens: every word of a rationale read once, with the trainee's own words (outside quotes) counted apart."""

from __future__ import annotations

from rationale.grading.lexicon import Tokens

TEXT = 'B is correct: it says "the loop never terminates early" and A is wrong about the recursion limit.'
QUOTE = (TEXT.index('"'), TEXT.index('"', TEXT.index('"') + 1) + 1)


def test_words_inside_a_quote_are_content_but_not_the_trainees_own():
    tokens = Tokens(TEXT, [QUOTE])
    quoted = [w for w, q in zip(tokens.content, tokens.content_quoted) if q]
    assert quoted == ["loop", "terminates", "early"]  # "the" and "never" carry no content of their own
    everything = Tokens(TEXT)
    assert tokens.content == everything.content
    n = len(tokens.starts)
    assert tokens.own_content(0, n) == everything.own_content(0, n) - len(quoted)
    # "never" inside the quote is not the trainee's negation
    assert everything.negated(0, n) and not tokens.negated(0, n)


def test_overlapping_quote_spans_count_as_their_union():
    start, end = QUOTE
    overlapping = Tokens(TEXT, [(start, start + 15), (start + 5, end)])
    union = Tokens(TEXT, [(start, end)])
    n = len(union.starts)
    assert overlapping.content_quoted == union.content_quoted
    assert [overlapping.own_words(0, i) for i in range(n + 1)] == [union.own_words(0, i) for i in range(n + 1)]
    assert [overlapping.verdict(0, i) for i in range(n + 1)] == [union.verdict(0, i) for i in range(n + 1)]


def test_a_quote_span_holding_no_word_changes_nothing():
    plain = Tokens(TEXT)
    blank = Tokens(TEXT, [(TEXT.index(":"), TEXT.index(":") + 1)])
    n = len(plain.starts)
    assert blank.content_quoted == plain.content_quoted == [False] * len(plain.content)
    assert [blank.own_content(0, i) for i in range(n + 1)] == [plain.own_content(0, i) for i in range(n + 1)]
