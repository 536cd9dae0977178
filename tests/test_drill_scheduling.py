"""Which items a drill serves: Leitner boxes, orders, swapped re-serves."""

from __future__ import annotations

import random

import pytest

from rationale.models import GoldAnswer, Item
from rationale.drill.scheduling import (
    TOP_BOX,
    Presentation,
    ScheduleEntry,
    after_answer,
    plan_session,
    swap_gold,
    swap_item,
)

ITEMS = [f"item-{n}" for n in range(1, 11)]


def entry(item_id: str, *, box: int, due: int, passed: bool, last_session: int = 1) -> ScheduleEntry:
    return ScheduleEntry(item_id, box, due, times_seen=1, times_passed=int(passed), last_passed=passed, last_session=last_session)


def test_a_missed_item_goes_to_box_one_and_is_due_next_session():
    before = entry("item-1", box=3, due=5, passed=True)
    after = after_answer(before, "item-1", passed=False, session_number=5)
    assert (after.box, after.due_session, after.last_passed) == (1, 6, False)


def test_a_passed_item_moves_up_a_box_and_waits_twice_as_long_each_box():
    first = after_answer(None, "item-1", passed=True, session_number=1)
    second = after_answer(first, "item-1", passed=True, session_number=3)
    assert (first.box, first.due_session) == (2, 3)
    assert (second.box, second.due_session) == (3, 7)
    assert (second.times_seen, second.times_passed) == (2, 2)


def test_the_box_never_goes_above_the_top_box():
    top = entry("item-1", box=TOP_BOX, due=20, passed=True)
    assert after_answer(top, "item-1", passed=True, session_number=20).box == TOP_BOX


def test_new_order_serves_only_items_never_answered():
    schedule = {"item-1": entry("item-1", box=1, due=2, passed=False)}
    plan = plan_session(ITEMS, schedule, session_number=2, order="new", n=20, rng=random.Random(0))
    assert {p.item_id for p in plan} == set(ITEMS) - {"item-1"}
    assert not any(p.swapped for p in plan)


def test_missed_order_serves_only_missed_items_that_are_due():
    schedule = {
        "item-1": entry("item-1", box=1, due=2, passed=False),
        "item-2": entry("item-2", box=2, due=3, passed=True),
        "item-3": entry("item-3", box=1, due=9, passed=False),
    }
    plan = plan_session(ITEMS, schedule, session_number=2, order="missed", n=10, rng=random.Random(0))
    assert plan == [Presentation("item-1")]


def test_mixed_order_includes_due_reviews_new_items_and_a_swapped_reserve():
    schedule = {
        "item-1": entry("item-1", box=1, due=2, passed=False),
        "item-2": entry("item-2", box=3, due=5, passed=True),
    }
    plan = plan_session(ITEMS, schedule, session_number=2, order="mixed", n=5, rng=random.Random(0))
    assert len(plan) == 5
    assert Presentation("item-1") in plan
    assert Presentation("item-2", swapped=True) in plan
    assert sum(1 for p in plan if p.item_id not in schedule) == 3


def test_mixed_order_never_swaps_when_nothing_was_answered_before():
    plan = plan_session(ITEMS, {}, session_number=1, order="mixed", n=10, rng=random.Random(0))
    assert len(plan) == 10 and not any(p.swapped for p in plan)


def test_swap_reserves_prefer_pairs_swapped_least_often():
    schedule = {i: entry(i, box=3, due=9, passed=True) for i in ("item-1", "item-2")}
    plan = plan_session(
        ["item-1", "item-2"], schedule, session_number=2, order="mixed", n=3, rng=random.Random(0),
        times_swapped={"item-1": 2},
    )
    assert [p.item_id for p in plan if p.swapped] == ["item-2"]


def test_mixed_order_tops_up_with_reviews_not_yet_due_when_new_items_run_out():
    schedule = {i: entry(i, box=3, due=9, passed=True) for i in ITEMS}
    plan = plan_session(ITEMS, schedule, session_number=2, order="mixed", n=4, rng=random.Random(0))
    assert len(plan) == 4
    assert len({p.item_id for p in plan}) == 4


def test_the_same_seed_gives_the_same_plan():
    a = plan_session(ITEMS, {}, session_number=1, order="mixed", n=5, rng=random.Random(7))
    b = plan_session(ITEMS, {}, session_number=1, order="mixed", n=5, rng=random.Random(7))
    assert a == b


def test_swapping_an_item_swaps_its_responses_only():
    item = Item(id="x", prompt="p", response_a="first", response_b="second")
    swapped = swap_item(item)
    assert (swapped.id, swapped.prompt, swapped.response_a, swapped.response_b) == ("x", "p", "second", "first")


@pytest.mark.parametrize(
    ("preference", "strength", "expected"),
    [("A", -2, ("B", 2)), ("B", 1, ("A", -1)), ("tie", 0, ("tie", 0))],
)
def test_swapping_gold_flips_the_side_and_the_strength_sign(preference, strength, expected):
    gold = GoldAnswer(item_id="x", preference=preference, strength=strength, reference_rationale="why")
    swapped = swap_gold(gold)
    assert (swapped.preference, swapped.strength) == expected


def test_swapping_gold_mirrors_the_acceptable_range():
    gold = GoldAnswer.model_validate(
        {
            "item_id": "x",
            "preference": "A",
            "strength": -2,
            "acceptable": {"preferences": ["tie"], "strength_min": -3, "strength_max": 0},
            "reference_rationale": "why",
        }
    )
    acceptable = swap_gold(gold).acceptable
    assert (acceptable.preferences, acceptable.strength_min, acceptable.strength_max) == (["tie"], 0, 3)
