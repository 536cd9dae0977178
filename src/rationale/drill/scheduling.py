"""Which items a drill serves, and when a missed one comes back.

Spaced repetition runs on a Leitner schedule kept per (annotator, item) in
the `drill_schedule` table. The clock is the annotator's session number, not
wall time, so a trainee who drills once a week and one who drills hourly both
see a missed item again in their very next session:

* an item that was not passed goes to box 1 and is due next session;
* a passed item moves up one box (at most `TOP_BOX`); box b waits 2**(b-1)
  sessions, so a well-known item comes back after 2, 4, 8, 16 sessions.

"Missed" means the grade did not pass (wrong preference, or a rationale below
the rubric's pass mark): both are worth practising again.

A pair already answered in an earlier session is sometimes served again with
A and B swapped (`mixed` order only). The trainee's answer is graded against
the gold with its sides swapped too, and stored as shown: the swapped pair is
an item version of its own (same id, its own content hash), the swapped gold
points at it, and the judgment, grade and findings all speak of the sides the
trainee saw, so a stored rationale never contradicts its stored choice. The
presentation's `swapped` flag, and the judgment's item version, tell readers
to map the choice back (`swap_preference`) when comparing it with answers on
the original order, which is how `rationale progress` measures
self-consistency.
"""


from __future__ import annotations

import math
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import astuple, dataclass
from typing import Literal

import sqlite_utils

from .. import store
from ..grading.matching import key_point_side
from ..grading.quotes import analyse_rationale
from ..models import AcceptableAlternatives, GoldAnswer, Item, swap_side

Order = Literal["new", "missed", "mixed"]
ORDERS: tuple[str, ...] = ("new", "missed", "mixed")
TOP_BOX = 5
SWAP_SHARE = 0.2  # share of a mixed session spent on swapped re-serves


@dataclass(frozen=True)
class ScheduleEntry:
    item_id: str
    box: int
    due_session: int
    times_seen: int
    times_passed: int
    last_passed: bool
    last_session: int


@dataclass(frozen=True)
class Presentation:
    item_id: str
    swapped: bool = False


def wait_for_box(box: int) -> int:
    """Sessions until an item in `box` is due again."""
    return 2 ** (box - 1)


def after_answer(entry: ScheduleEntry | None, item_id: str, *, passed: bool, session_number: int) -> ScheduleEntry:
    """The schedule entry once the item has been answered in `session_number`."""
    box = 1 if not passed else min((entry.box if entry else 1) + 1, TOP_BOX)
    return ScheduleEntry(
        item_id=item_id,
        box=box,
        due_session=session_number + wait_for_box(box),
        times_seen=(entry.times_seen if entry else 0) + 1,
        times_passed=(entry.times_passed if entry else 0) + int(passed),
        last_passed=passed,
        last_session=session_number,
    )


def plan_session(
    item_ids: Sequence[str],
    schedule: Mapping[str, ScheduleEntry],
    *,
    session_number: int,
    order: Order,
    n: int,
    rng: random.Random,
    times_swapped: Mapping[str, int] | None = None,
    swap_share: float = SWAP_SHARE,
) -> list[Presentation]:
    """Choose up to `n` presentations from `item_ids` (the items that have gold).

    * `new`: items this annotator has never answered.
    * `missed`: items whose last answer did not pass and that are due.
    * `mixed`: due reviews (up to half the session), a few swapped re-serves of
      pairs answered in earlier sessions, new items for the rest; topped up with
      reviews not yet due when new items run out. Served in shuffled order.
    """
    if n <= 0:
        return []
    times_swapped = times_swapped or {}
    available = list(item_ids)
    new = [i for i in available if i not in schedule]
    rng.shuffle(new)
    seen = [schedule[i] for i in available if i in schedule]
    due = sorted(
        (e for e in seen if e.due_session <= session_number),
        key=lambda e: (e.last_passed, e.box, e.due_session, e.item_id),
    )

    if order == "new":
        return [Presentation(i) for i in new[:n]]
    if order == "missed":
        missed = [e for e in due if not e.last_passed]
        return [Presentation(e.item_id) for e in missed[:n]]

    return _mixed_plan(new, seen, due, session_number=session_number, n=n, rng=rng,
                       times_swapped=times_swapped, swap_share=swap_share)


def _mixed_plan(
    new: list[str],
    seen: list[ScheduleEntry],
    due: list[ScheduleEntry],
    *,
    session_number: int,
    n: int,
    rng: random.Random,
    times_swapped: Mapping[str, int],
    swap_share: float,
) -> list[Presentation]:
    """Due reviews, swapped re-serves, new items; topped up with reviews ahead of time; shuffled."""
    reviews = [e.item_id for e in due]
    take_reviews = reviews[: math.ceil(n / 2)]
    swap_pool = [
        e.item_id for e in seen if e.last_session < session_number and e.item_id not in take_reviews
    ]
    rng.shuffle(swap_pool)
    swap_pool.sort(key=lambda i: times_swapped.get(i, 0))  # stable: least swap-tested first
    take_swaps = swap_pool[: min(round(n * swap_share), n - len(take_reviews))] if n >= 2 else []
    room = n - len(take_reviews) - len(take_swaps)
    take_new = new[:room]
    plan = [Presentation(i) for i in take_reviews + take_new] + [Presentation(i, swapped=True) for i in take_swaps]
    if len(plan) < n:
        chosen = {p.item_id for p in plan}
        # Due items not yet taken first, then the ones due soonest.
        ahead = sorted(
            (e for e in seen if e.item_id not in chosen),
            key=lambda e: (e.due_session > session_number, e.due_session, e.box, e.item_id),
        )
        plan += [Presentation(e.item_id) for e in ahead[: n - len(plan)]]
    rng.shuffle(plan)
    return plan


# --------------------------------------------------------------------------- swapping


def swap_item(item: Item) -> Item:
    """The item as shown with A and B swapped."""
    return item.model_copy(update={"response_a": item.response_b, "response_b": item.response_a})


def swap_gold(gold: GoldAnswer) -> GoldAnswer:
    """The gold answer for the swapped presentation: sides and strength signs flipped, and every response its
    texts name renamed ("A's premise" becomes "B's premise"), so key points are looked for on the response
    they are about and the feedback a trainee reads names the response as shown."""
    acceptable = gold.acceptable
    if acceptable is not None:
        acceptable = AcceptableAlternatives(
            preferences=[swap_side(p) for p in acceptable.preferences],
            strength_min=None if acceptable.strength_max is None else -acceptable.strength_max,
            strength_max=None if acceptable.strength_min is None else -acceptable.strength_min,
        )
    fields = gold.model_dump()
    key_points = []
    for point in fields["key_points"]:
        # The side is read from the unswapped words, as grading the pair the right way round reads it; then renamed.
        about = point["about"] or key_point_side(point["text"])
        key_points.append({**point, "text": swap_mentions(point["text"]), "about": about and swap_side(about),
                           "cues": [swap_mentions(cue) for cue in point["cues"]]})
    fields["key_points"] = key_points
    if fields.get("edge_case"):
        fields["edge_case"] = {**fields["edge_case"], "reason": swap_mentions(fields["edge_case"]["reason"])}
    if fields.get("reference_rationale"):
        fields["reference_rationale"] = swap_mentions(fields["reference_rationale"])
    return GoldAnswer.model_validate(
        {
            **fields,
            "preference": swap_side(gold.preference),
            "strength": -gold.strength,
            "acceptable": None if acceptable is None else acceptable.model_dump(),
        }
    )


_RENAMED = {"A": "B", "B": "A", "first": "second", "second": "first", "First": "Second", "Second": "First",
            "FIRST": "SECOND", "SECOND": "FIRST"}


def swap_mentions(text: str) -> str:
    """`text` with each response it names renamed A <-> B, where the grader reads a mention ("Response A",
    "B's", "the first response"); other letters and words are left as written."""
    mentions = analyse_rationale(text).mentions
    if not mentions:
        return text
    parts = []
    position = 0
    for mention in mentions:
        span = text[mention.start : mention.end]
        renamed = re.sub(r"\b(?:[AB]|first|second|First|Second|FIRST|SECOND)\b", lambda m: _RENAMED[m.group()], span)
        parts += [text[position : mention.start], renamed]
        position = mention.end
    return "".join(parts) + text[position:]


def original_order_preferences(
    db: sqlite_utils.Database, annotator: str, item_id: str | None = None
) -> dict[tuple[str, int], str]:
    """{(item id, version): preference in the original A/B order} for the annotator's stored answers."""
    swapped = store.drill.swapped_item_hashes(db, annotator)
    return {
        (iid, version): swap_side(preference) if item_hash in swapped else preference
        for iid, version, preference, item_hash in store.drill.answers_as_stored(db, annotator, item_id)
    }


def earlier_preference(versions: Mapping[tuple[str, int], str], item_id: str, version: int) -> str | None:
    """The latest answer to `item_id` stored before `version` (from `original_order_preferences`)."""
    for v in range(version - 1, 0, -1):
        if (item_id, v) in versions:
            return versions[(item_id, v)]
    return None


# --------------------------------------------------------------------------- the stored schedule


def load_schedule(db: sqlite_utils.Database, annotator: str) -> dict[str, ScheduleEntry]:
    entries = {}
    for row in store.drill.schedule_rows(db, annotator):
        item_id, box, due_session, times_seen, times_passed, last_passed, last_session = row
        entries[item_id] = ScheduleEntry(item_id, box, due_session, times_seen, times_passed, bool(last_passed), last_session)
    return entries


def save_entry(db: sqlite_utils.Database, annotator: str, entry: ScheduleEntry) -> None:
    values = astuple(entry)
    store.drill.save_schedule_row(db, annotator, (*values[:5], int(entry.last_passed), entry.last_session))


def load_times_swapped(db: sqlite_utils.Database, annotator: str) -> dict[str, int]:
    return store.drill.times_swapped(db, annotator)
