"""A small calibration batch with planted behaviour, shared by the calibration tests.

24 items. On even items response A is the longer one, on odd items B is.
Gold prefers the longer response on half the items and calls items 6 and 7
ties. Item `q22` repeats `q00` exactly and `q23` is `q01` with A and B
swapped, so self-consistency can be checked.

Annotators:
* `careful` answers like gold everywhere, citing the decisive criterion and the key point;
* `lengthy` always picks the longer response, citing helpfulness;
* `tied` calls a tie on 14 items and otherwise answers like gold;
* `rushed` answers only 12 items, like gold except q05 and the swapped copy q23.
"""

from __future__ import annotations

import json
from pathlib import Path

from rationale.models import GoldAnswer, Item, Judgment, Rubric

RUBRIC = {
    "id": "mini",
    "title": "Mini rubric",
    "version": "1",
    "criteria": [
        {
            "id": "correctness",
            "name": "Correctness",
            "description": "Facts are right.",
            "weight": 2,
            "levels": {str(n): f"level {n}" for n in range(1, 6)},
            "cues": ["correct", "wrong", "accurate"],
        },
        {
            "id": "helpfulness",
            "name": "Helpfulness",
            "description": "Meets the need.",
            "weight": 1,
            "levels": {str(n): f"level {n}" for n in range(1, 6)},
            "cues": ["helpful", "detail", "thorough"],
        },
        {
            "id": "concision",
            "name": "Concision",
            "description": "No padding.",
            "weight": 1,
            "levels": {str(n): f"level {n}" for n in range(1, 6)},
            "cues": ["concise", "padding"],
        },
    ],
    "strength_scale": [{"value": v, "label": f"step {v}"} for v in range(-3, 4)],
    "criteria_priority": ["correctness", "helpfulness", "concision"],
    "rationale": {"min_words": 3, "max_words": 200, "must_cite_criterion": False, "must_quote_evidence": False},
    "scoring": {
        "weights": {
            "preference": 0.5,
            "strength": 0.1,
            "criteria": 0.1,
            "key_points": 0.2,
            "evidence": 0.0,
            "rationale_quality": 0.1,
        },
        "pass_mark": 60,
    },
}

SHORT = "Paris is the capital."
LONG = "The capital of France is Paris, a city on the Seine with many museums and a long history of learning."


def rubric() -> Rubric:
    return Rubric.model_validate(RUBRIC)


def items() -> dict[str, Item]:
    out = {}
    for n in range(22):
        a, b = (LONG + f" ({n})", SHORT + f" ({n})") if n % 2 == 0 else (SHORT + f" ({n})", LONG + f" ({n})")
        out[f"q{n:02d}"] = Item(id=f"q{n:02d}", prompt=f"Question {n}?", response_a=a, response_b=b)
    out["q22"] = out["q00"].model_copy(update={"id": "q22"})
    out["q23"] = out["q01"].model_copy(
        update={"id": "q23", "response_a": out["q01"].response_b, "response_b": out["q01"].response_a}
    )
    return out


def longer(item: Item) -> str:
    return "A" if len(item.response_a) > len(item.response_b) else "B"


def _gold_side(n: int, item: Item) -> str:
    if n == 22:  # the same pair as q00
        return _gold_side(0, item)
    if n == 23:  # q01 with A and B swapped
        return _MIRROR[_gold_side(1, items()["q01"])]
    # Gold prefers the longer response on items 0-1, 4-5, 8-9, ... and the shorter on the rest.
    return longer(item) if (n // 2) % 2 == 0 else _MIRROR[longer(item)]


_MIRROR = {"A": "B", "B": "A", "tie": "tie"}


def gold() -> dict[str, GoldAnswer]:
    out = {}
    for item_id, item in items().items():
        n = int(item_id[1:])
        preference = "tie" if n in (6, 7) else _gold_side(n, item)
        out[item_id] = GoldAnswer(
            item_id=item_id,
            preference=preference,
            strength={"A": -2, "B": 2, "tie": 0}[preference],
            decisive_criteria=["correctness"],
            key_points=[{"id": "fact", "text": "names the right capital", "cues": ["right capital"]}],
            reference_rationale="The chosen response names the right capital.",
        )
    return out


def _judgment(annotator: str, item_id: str, preference: str, criterion: str, point: bool) -> Judgment:
    strength = {"A": -2, "B": 2, "tie": 0}[preference]
    rationale = f"Response {preference} is better on {criterion}" + (" because it names the right capital." if point else ".")
    if preference == "tie":
        rationale = "Both are about the same; neither is more correct" + (" and both name the right capital." if point else ".")
    return Judgment(
        item_id=item_id,
        annotator=annotator,
        preference=preference,
        strength=strength,
        criteria=[criterion],
        rationale=rationale,
    )


def judgments() -> list[Judgment]:
    its, gs = items(), gold()
    out = []
    for item_id, answer in gs.items():
        out.append(_judgment("careful", item_id, answer.preference, "correctness", True))
        out.append(_judgment("lengthy", item_id, longer(its[item_id]), "helpfulness", False))
        n = int(item_id[1:])
        tied = n < 14 and n not in (0, 1)
        out.append(_judgment("tied", item_id, "tie" if tied else answer.preference, "correctness", False))
        if n < 10 or n in (22, 23):
            wrong = n in (5, 23)
            pref = _MIRROR[answer.preference] if wrong else answer.preference
            out.append(_judgment("rushed", item_id, pref, "helpfulness" if wrong else "correctness", not wrong))
    return out


def write_files(folder: Path) -> dict[str, Path]:
    """The batch as the files `rationale calibrate` reads."""
    import yaml

    paths = {
        "rubric": folder / "rubric.yaml",
        "items": folder / "items.jsonl",
        "gold": folder / "gold.jsonl",
        "judgments": folder / "judgments.jsonl",
    }
    paths["rubric"].write_text(yaml.safe_dump(RUBRIC, sort_keys=False), encoding="utf-8")
    for key, records in (("items", items().values()), ("gold", gold().values()), ("judgments", judgments())):
        paths[key].write_text(
            "".join(json.dumps(r.model_dump(mode="json", exclude_none=True)) + "\n" for r in records), encoding="utf-8"
        )
    return paths
