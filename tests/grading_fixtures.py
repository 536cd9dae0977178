"""A tiny visible grading fixture shared by the grading tests.

A two-criterion rubric (accuracy, clarity), one item where Response A
subtracts instead of adding and Response B is right, and the lead's gold
answer (B much better, accuracy decisive, two key points).
"""

from __future__ import annotations

from rationale.grading.context import make_context
from rationale.models import GoldAnswer, Item, Judgment, Rubric

LABELS = {
    -3: "A is much better",
    -2: "A is better",
    -1: "A is slightly better",
    0: "About the same",
    1: "B is slightly better",
    2: "B is better",
    3: "B is much better",
}

GOOD_RATIONALE = (
    'Response A is wrong: it says "return a - b", so it will subtract instead of add. '
    'Response B "returns the sum of a and b", which is correct and clear.'
)


DEFAULT_WEIGHTS = {
    "preference": 0.3,
    "strength": 0.1,
    "criteria": 0.15,
    "key_points": 0.25,
    "evidence": 0.1,
    "rationale_quality": 0.1,
}


def make_rubric(*, weights: dict[str, float] | None = None, pass_mark: float = 70, **rationale: object) -> Rubric:
    requirements = {
        "min_words": 10,
        "max_words": 60,
        "must_cite_criterion": True,
        "must_quote_evidence": True,
        "vague_phrases": ["better overall", "more helpful"],
    }
    requirements.update(rationale)
    levels = {str(n): f"level {n}" for n in range(1, 6)}
    return Rubric.model_validate(
        {
            "id": "tiny",
            "title": "Tiny rubric",
            "version": "1",
            "criteria": [
                {
                    "id": "accuracy",
                    "name": "Accuracy",
                    "description": "Claims and code are correct.",
                    "weight": 2,
                    "levels": levels,
                    "cues": ["correct", "wrong", "error", "bug"],
                },
                {
                    "id": "clarity",
                    "name": "Clarity",
                    "description": "Easy to follow.",
                    "weight": 1,
                    "levels": levels,
                    "cues": ["clear", "confusing"],
                },
            ],
            "strength_scale": [{"value": v, "label": label} for v, label in LABELS.items()],
            "rationale": requirements,
            "scoring": {"weights": weights or DEFAULT_WEIGHTS, "pass_mark": pass_mark},
        }
    )


ITEM = Item(
    id="add-two",
    prompt="Write a Python function that adds two numbers.",
    response_a="def add(a, b):\n    return a - b\n\nThis function returns the difference.",
    response_b="def add(a, b):\n    return a + b\n\nThis returns the sum of a and b.",
)


def make_gold(**fields: object) -> GoldAnswer:
    data: dict[str, object] = {
        "item_id": "add-two",
        "preference": "B",
        "strength": 3,
        "decisive_criteria": ["accuracy"],
        "key_points": [
            {"id": "subtracts", "text": "A subtracts instead of adding.", "cues": ["subtract", "minus"]},
            {"id": "b-sums", "text": "B returns the sum.", "pattern": r"\bsum\b"},
        ],
        "reference_rationale": "A subtracts; B adds.",
    }
    data.update(fields)
    return GoldAnswer.model_validate(data)


def make_judgment(**fields: object) -> Judgment:
    data: dict[str, object] = {
        "item_id": "add-two",
        "annotator": "trainee",
        "preference": "B",
        "strength": 3,
        "criteria": ["accuracy"],
        "rationale": GOOD_RATIONALE,
    }
    data.update(fields)
    return Judgment.model_validate(data)


def context(judgment: Judgment | None = None, gold: GoldAnswer | None = None, rubric: Rubric | None = None):
    return make_context(judgment or make_judgment(), ITEM, gold or make_gold(), rubric or make_rubric())
