"""Where each annotator first answered each item: the duplicate check's memory, the one thing reading grows.

A judgments file must hold one answer per (annotator, item), and a second one is
reported with where the first is. So every answer's place (its line, and its file
when there are several) is kept until the input ends. Kept as a dict per
annotator, that is about 70 bytes an answer (58 MB per million): the one part of
a `grade` run that grew with its input. An annotator who answers many of the
items (the usual shape of a calibration or production batch) instead gets one
8-byte slot per item, in an array indexed by the item's position: about a tenth
of the size once they have answered a tenth of the items, and it does not grow
after that. An annotator who answers few items keeps the dict, which is smaller
for them.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

DENSE_SHARE = 10
"""An annotator's answers move to an array of the items once they cover 1/DENSE_SHARE of them (the sizes break even)."""
DENSE_MIN = 64
"""...and only past this many answers: a handful of items is cheaper in a dict whatever their share."""


class _Dense:
    """One annotator's answers as a slot per known item (0: not answered), plus a dict for ids not among the items."""

    __slots__ = ("slots", "others")

    def __init__(self, size: int) -> None:
        self.slots = array("Q", bytes(8 * size))
        self.others: dict[str, int] = {}


class FirstAnswers:
    """`first_or_record(annotator, item_id, place)`: the place of an earlier answer, else records this one.

    A place is any positive int below 2**64 (the caller packs line and file into it).
    """

    def __init__(self, item_ids: Iterable[str]) -> None:
        # The items file's own strings are the keys, so no string is kept per answer.
        self._ids = list(item_ids)
        self._position = {item_id: i for i, item_id in enumerate(self._ids)}
        self._dense_at = max(DENSE_MIN, len(self._position) // DENSE_SHARE)
        self._answers: dict[str, dict[str, int] | _Dense] = {}

    def first_or_record(self, annotator: str, item_id: str, place: int) -> int | None:
        answered = self._answers.get(annotator)
        if answered is None:
            answered = self._answers[annotator] = {}
        if type(answered) is dict:
            first = answered.get(item_id)
            if first is None:
                answered[self._key(item_id)] = place
                if len(answered) >= self._dense_at:
                    self._answers[annotator] = self._dense(answered)
            return first
        position = self._position.get(item_id)
        if position is None:  # not an item of the items file (reported as such); still one answer each
            first = answered.others.get(item_id)
            if first is None:
                answered.others[item_id] = place
            return first
        first = answered.slots[position]
        if first:
            return first
        answered.slots[position] = place
        return None

    def _key(self, item_id: str) -> str:
        """The items file's own string for this id (the record's equal one would be kept per answer)."""
        position = self._position.get(item_id)
        return item_id if position is None else self._ids[position]

    def _dense(self, answered: dict[str, int]) -> _Dense:
        dense = _Dense(len(self._position))
        for item_id, place in answered.items():
            position = self._position.get(item_id)
            if position is None:
                dense.others[item_id] = place
            else:
                dense.slots[position] = place
        return dense
