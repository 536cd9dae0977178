"""The duplicate check's memory: where each annotator first answered each item."""

from __future__ import annotations

import tracemalloc

from rationale.io.first_answers import DENSE_MIN, FirstAnswers

ITEMS = [f"item-{i:04d}" for i in range(1000)]


def test_a_second_answer_gets_the_place_of_the_first():
    answers = FirstAnswers(ITEMS)
    assert answers.first_or_record("ana", "item-0001", 7) is None
    assert answers.first_or_record("ana", "item-0001", 9) == 7
    assert answers.first_or_record("ben", "item-0001", 11) is None  # another annotator's own first answer


def test_an_annotator_who_answers_many_items_still_gets_every_earlier_place():
    answers = FirstAnswers(ITEMS)
    for line, item_id in enumerate(ITEMS, start=1):
        assert answers.first_or_record("ana", item_id, line) is None
    assert [answers.first_or_record("ana", item_id, 5000) for item_id in ITEMS] == list(range(1, 1001))


def test_ids_not_among_the_items_are_checked_too_once_answers_are_many():
    answers = FirstAnswers(ITEMS)
    for line, item_id in enumerate(ITEMS[:DENSE_MIN], start=1):
        answers.first_or_record("ana", item_id, line)
    assert answers.first_or_record("ana", "no-such-item", 100) is None
    assert answers.first_or_record("ana", "no-such-item", 101) == 100


def test_an_annotator_answering_every_item_costs_about_eight_bytes_an_item():
    items = [f"item-{i:05d}" for i in range(10_000)]
    tracemalloc.start()
    answers = FirstAnswers(items)
    before = tracemalloc.get_traced_memory()[0]
    for annotator in range(20):
        for line, item_id in enumerate(items, start=1):
            answers.first_or_record(f"annotator-{annotator}", item_id, line)
    grown = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert grown < 20 * 10_000 * 10  # 200,000 answers in under 2 MB (a dict per annotator took about 10 MB)
