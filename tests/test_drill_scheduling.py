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


# --------------------------------------------------------------------------- a swapped re-serve's gold

from pathlib import Path  # noqa: E402

from rationale.drill.scheduling import swap_mentions  # noqa: E402
from rationale.grading import Grader  # noqa: E402
from rationale.io import load_references  # noqa: E402
from rationale.models import Judgment, swap_side  # noqa: E402

DRILL = Path(__file__).resolve().parents[1] / "examples" / "drill"


def test_a_mirrored_answer_to_a_swapped_pair_gets_the_grade_of_the_answer_it_mirrors():
    # The same reasoning about the same responses, with A and B renamed as the pair is shown: every
    # example judgment keeps its score and key-point results (before, 10 of the 16 passing ones lost
    # 1-34 points, told a point about one response was said of the other).
    rubric, items, gold = load_references(DRILL.parent.parent / "rubrics" / "hhh.yaml", DRILL / "items.jsonl",
                                          DRILL / "gold.jsonl")
    grader = Grader(rubric)
    for line in (DRILL / "judgments.jsonl").read_text(encoding="utf-8").splitlines():
        judgment = Judgment.model_validate_json(line)
        mirrored = judgment.model_copy(update={
            "preference": swap_side(judgment.preference),
            "strength": None if judgment.strength is None else -judgment.strength,
            "rationale": None if judgment.rationale is None else swap_mentions(judgment.rationale),
        })
        original = grader.grade(judgment, items[judgment.item_id], gold[judgment.item_id])
        shown = grader.grade(mirrored, swap_item(items[judgment.item_id]), swap_gold(gold[judgment.item_id]))
        assert shown.score == original.score, judgment.item_id
        assert [k.status for k in shown.key_points] == [k.status for k in original.key_points], judgment.item_id


def test_a_swapped_golds_key_points_and_reasons_name_the_responses_as_shown():
    gold = GoldAnswer.model_validate({
        "item_id": "x", "preference": "A", "strength": -2,
        "key_points": [{"id": "k1", "text": "A's premise that the charger pushes full power is false."},
                       {"id": "k2", "text": "Response B explains the negotiation.", "about": "B"},
                       {"id": "k3", "text": "Both keep to the question."}],
        "reference_rationale": "The first response is wrong; the second one is right.",
        "edge_case": {"reason": "Response A's claim needs an expert."},
    })
    swapped = swap_gold(gold)
    assert [(k.text, k.about) for k in swapped.key_points] == [
        ("B's premise that the charger pushes full power is false.", "B"),
        ("Response A explains the negotiation.", "A"),
        ("Both keep to the question.", "both"),
    ]
    assert swapped.reference_rationale == "The second response is wrong; the first one is right."
    assert swapped.edge_case.reason == "Response B's claim needs an expert."
    assert (swapped.preference, swapped.strength) == ("B", 2)


def test_renaming_leaves_words_that_name_no_response_alone():
    text = "A Boolean is a type; Apple and Bash are names; it is a first draft."
    assert swap_mentions(text) == text
