"""One judgment graded, in the form the `grade` pipeline keeps: plain tuples, cheap to send between processes.

A Grade is a pydantic model with nested findings and key points; pickling one to
and from a worker process and again through the write spool cost as much as a
third of the parent process's time. So the process that grades (a worker, or
the parent itself) turns the grade at once into what the rest of the pipeline
needs: the report's compact result and, for a new grade, the rows to store.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..models import GoldAnswer, Grade, Judgment, JudgmentResult
from ..store import PreparedGrade, prepare_grade
from .tally import judgment_result

SHARED_MAX = 50_000
"""Distinct findings and names kept to share between results (they recur across thousands of judgments)."""


class Outcome(NamedTuple):
    result: JudgmentResult  # path "" and line 0: the reader, which knows them, fills them in
    prepared: PreparedGrade | None  # the rows to store; None when the grade was stored already


_shared: dict[Any, Any] = {}


def graded_outcome(judgment: Judgment, gold: GoldAnswer, item_hash: str, grade: Grade) -> Outcome:
    """The outcome of a new grade of `judgment`, an answer to the item version `item_hash`."""
    if len(_shared) > SHARED_MAX:
        _shared.clear()  # sharing only saves memory; past this the results are on disk anyway
    return Outcome(judgment_result("", 0, judgment, gold, grade, _shared), prepare_grade(judgment, item_hash, grade))
