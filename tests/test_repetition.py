"""The same sentence said again is named once (grading/repetition.py)."""

from __future__ import annotations

from rationale.grading.repetition import repeated_sentence

LONG = "B is better because A crashes with ZeroDivisionError on an empty list."


def test_a_sentence_said_twice_is_a_repeat():
    assert repeated_sentence([LONG, "B returns None first.", LONG]) == (0, 2)


def test_case_and_punctuation_do_not_hide_a_repeat():
    assert repeated_sentence([LONG, LONG.replace("better", "BETTER").rstrip(".") + "!"]) == (0, 2)


def test_a_long_sentence_one_word_apart_is_a_repeat():
    assert repeated_sentence([LONG, LONG.replace("B is better", "B is much better")]) == (0, 2)


def test_the_same_claim_about_the_other_response_is_not_a_repeat():
    assert repeated_sentence(["A crashes on an empty list.", "B crashes on an empty list."]) is None


def test_a_long_sentence_said_of_the_other_response_is_not_a_repeat():
    assert repeated_sentence([LONG, LONG.replace("A crashes", "B crashes").replace("B is better", "A is better")]) is None
    assert repeated_sentence([LONG, LONG.replace("A crashes", "B crashes")]) is None


def test_short_sentences_that_differ_by_a_word_are_not_repeats():
    assert repeated_sentence(["A is better.", "A is much better."]) is None


def test_different_sentences_are_not_repeats():
    assert repeated_sentence([LONG, "B checks for an empty list first and returns None, as the prompt requires."]) is None
