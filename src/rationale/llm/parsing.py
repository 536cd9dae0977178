"""Reading the reviewer's replies: one JSON object, validated against the reply models and the rubric.

A reply that is not valid raises `InvalidReply` with a one-line reason, which
the batch sends back once as a repair request.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..models import CriterionScore, ReviewerCritique, ReviewerVerdict, Rubric

M = TypeVar("M", bound=BaseModel)


class InvalidReply(ValueError):
    pass


_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


def _json_object(text: str) -> dict[str, Any]:
    body = text.strip()
    fenced = _FENCE.match(body)
    if fenced:
        body = fenced.group(1)
    offset = text.find(body)  # where `body` starts in the reply, for error positions
    try:
        data = json.loads(body, strict=False)  # tolerate raw newlines inside strings
    except json.JSONDecodeError:
        start, end = body.find("{"), body.rfind("}")
        if start < 0 or end <= start:
            raise InvalidReply("the reply is not JSON") from None
        try:
            data = json.loads(body[start : end + 1], strict=False)
        except json.JSONDecodeError as exc:
            raise InvalidReply(f"the reply is not valid JSON ({exc.msg} at {_position(text, offset + start + exc.pos)})") from None
    if not isinstance(data, dict):
        raise InvalidReply("the reply is JSON but not an object")
    return data


def _position(text: str, index: int) -> str:
    """Line, column and character of `index` in the reply as received (1-based line and column)."""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return f"line {line} column {column} (character {index} of the reply)"


def _validation_summary(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err["loc"]) or "reply"
        parts.append(f"{where}: {err['msg']}")
    more = len(exc.errors()) - 5
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def _check_strength(strength: int, rubric: Rubric) -> None:
    if strength > rubric.max_strength:
        raise InvalidReply(f"strength {strength} is above the rubric's maximum {rubric.max_strength}")


def _validated(model: type[M], text: str, rubric: Rubric) -> M:
    """The reply as `model`, its strength within the rubric's scale; InvalidReply otherwise."""
    try:
        parsed = model.model_validate(_json_object(text))
    except ValidationError as exc:
        raise InvalidReply(_validation_summary(exc)) from None
    _check_strength(parsed.strength, rubric)  # type: ignore[attr-defined]
    return parsed


def parse_critique(text: str, rubric: Rubric) -> ReviewerCritique:
    parsed = _validated(ReviewerCritique, text, rubric)
    unknown = sorted(set(parsed.criteria) - set(rubric.criterion_ids))
    if unknown:
        raise InvalidReply(f"criteria: unknown criterion ids {', '.join(unknown)}")
    missing = [c for c in rubric.criterion_ids if c not in parsed.criteria]
    if missing:
        raise InvalidReply(f"criteria: no score for {', '.join(missing)}")
    return parsed


def criterion_scores(reviewed: ReviewerCritique, rubric: Rubric) -> list[CriterionScore]:
    """The reply's per-criterion scores as a list in the rubric's order."""
    return [
        CriterionScore(criterion=cid, score=reviewed.criteria[cid].score, comment=reviewed.criteria[cid].comment)
        for cid in rubric.criterion_ids
    ]


def parse_verdict(text: str, rubric: Rubric) -> ReviewerVerdict:
    return _validated(ReviewerVerdict, text, rubric)
