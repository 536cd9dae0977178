"""Reading the reviewer's replies: one JSON object, validated against the reply models and the rubric.

A reply that is not valid raises `InvalidReply` with a one-line reason, which
the batch sends back once as a repair request.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..models import CriterionScore, GoldAnswer, GoldDraftReply, ReviewerCritique, ReviewerVerdict, Rubric

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


DRAFT_TAG = "llm-draft"


def parse_gold_draft(text: str, rubric: Rubric, item_id: str, fixed: GoldAnswer | None = None) -> GoldDraftReply:
    """The drafting model's reply, checked against the rubric, the lead's fixed choice and the gold format;
    InvalidReply otherwise (the batch asks once for a repair). :func:`draft_gold_answer` makes the gold of it."""
    reply = _validated(GoldDraftReply, text, rubric)
    for name in ("strength_min", "strength_max"):
        if getattr(reply, name) > rubric.max_strength:
            raise InvalidReply(f"{name} {getattr(reply, name)} is above the rubric's maximum {rubric.max_strength}")
    unknown = sorted(set(reply.decisive_criteria) - set(rubric.criterion_ids))
    if unknown:
        raise InvalidReply(f"decisive_criteria: unknown criterion ids {', '.join(unknown)}")
    if fixed is not None and reply.preference != fixed.preference:
        raise InvalidReply(f"preference {reply.preference} contradicts the lead's fixed choice {fixed.preference}")
    try:
        draft_gold_answer(reply, item_id, fixed)
    except ValidationError as exc:
        raise InvalidReply(_validation_summary(exc)) from None
    return reply


def draft_gold_answer(reply: GoldDraftReply, item_id: str, fixed: GoldAnswer | None = None) -> GoldAnswer:
    """A checked draft reply as a gold answer for `item_id`: key points get ids kp1, kp2, ...; tagged llm-draft,
    keeping the fixed gold's tags and safety marking."""
    sign = -1 if reply.preference == "A" else 1
    mildest = max(reply.strength_min, 1) if reply.preference != "tie" else 0
    low, high = sorted((sign * mildest, sign * reply.strength_max))
    tags = [t for t in (fixed.tags if fixed is not None else []) if t != DRAFT_TAG]
    return GoldAnswer.model_validate(
        {
            "item_id": item_id,
            "preference": reply.preference,
            "strength": reply.signed_strength,
            "acceptable": None if low == high == reply.signed_strength else {"strength_min": low, "strength_max": high},
            "decisive_criteria": list(dict.fromkeys(reply.decisive_criteria)),
            "key_points": [
                {"id": f"kp{n}", "text": kp.text.strip(), "about": kp.about, "cues": [c for c in kp.cues if c.strip()]}
                for n, kp in enumerate(reply.key_points, 1)
            ],
            "reference_rationale": reply.reference_rationale.strip(),
            "safety_critical": fixed.safety_critical if fixed is not None else False,
            "tags": [*tags, DRAFT_TAG],
        }
    )
