"""How well the grade agrees with an expert lead's scores on a set of scored judgments.

A *lead-scored set* is a JSONL file of judgments (the usual fields) each with the
score an experienced annotation lead gave it (``expected_score``, 0-100) and
whether the lead would accept it (``expected_pass``). The measures are the ones a
lead would ask for: Spearman rank correlation of the two scores, pass/fail agreement,
lenient passes (the grade passes what the lead fails) and harsh fails (the reverse),
and the mean absolute difference of the scores; also per band of the lead's score.

``bench/grader_agreement.py`` prints them for the shared set and the project's own
held-out set; ``tests/test_grader_agreement.py`` keeps them above a floor.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..models import GoldAnswer, Grade, Item, Judgment, Rubric
from .grader import Grader

BANDS = (("strong (80-100)", 80, 101), ("middling (50-79)", 50, 80), ("weak (0-49)", 0, 50))


@dataclass(frozen=True)
class ScoredCase:
    case_id: str
    judgment: Judgment
    expected_score: float
    expected_pass: bool


@dataclass
class Agreement:
    n: int
    spearman: float
    pass_agreement: float
    lenient: int
    harsh: int
    mean_abs_difference: float
    bands: dict[str, tuple[int, float]] = field(default_factory=dict)  # band -> (n, mean abs difference)
    wrong_choice_mean: float | None = None  # the grade's mean on judgments whose choice the gold does not accept
    disagreements: list[tuple[str, float, float, bool, bool]] = field(default_factory=list)


def load_cases(path: str | Path) -> list[ScoredCase]:
    cases = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        judgment = Judgment.model_validate(
            {k: record[k] for k in ("item_id", "preference", "strength", "criteria", "rationale") if k in record}
            | {"annotator": f"{record.get('annotator', 'lead-set')}-{record['case_id'].lower()}"}
        )
        cases.append(ScoredCase(record["case_id"], judgment, float(record["expected_score"]), bool(record["expected_pass"])))
    return cases


def _ranks(values: Sequence[float]) -> list[float]:
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    """Spearman's rank correlation (average ranks for ties)."""
    ra, rb = _ranks(a), _ranks(b)
    n = len(ra)
    ma, mb = sum(ra) / n, sum(rb) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    sa = sum((x - ma) ** 2 for x in ra) ** 0.5
    sb = sum((y - mb) ** 2 for y in rb) ** 0.5
    return cov / (sa * sb) if sa and sb else 0.0


def measure(
    cases: Sequence[ScoredCase], rubric: Rubric, items: Mapping[str, Item], gold: Mapping[str, GoldAnswer]
) -> tuple[Agreement, list[Grade]]:
    grader = Grader(rubric)
    grades = [grader.grade(c.judgment, items[c.judgment.item_id], gold[c.judgment.item_id]) for c in cases]
    expected = [c.expected_score for c in cases]
    got = [g.score for g in grades]
    agree = [g.passed == c.expected_pass for g, c in zip(grades, cases)]
    bands = {}
    for name, low, high in BANDS:
        members = [(e, s) for e, s in zip(expected, got) if low <= e < high]
        if members:
            bands[name] = (len(members), sum(abs(e - s) for e, s in members) / len(members))
    wrong = [g.score for g in grades if not g.preference_correct]
    return (
        Agreement(
            n=len(cases),
            spearman=spearman(expected, got),
            pass_agreement=sum(agree) / len(cases),
            lenient=sum(g.passed and not c.expected_pass for g, c in zip(grades, cases)),
            harsh=sum(c.expected_pass and not g.passed for g, c in zip(grades, cases)),
            mean_abs_difference=sum(abs(e - s) for e, s in zip(expected, got)) / len(cases),
            bands=bands,
            wrong_choice_mean=sum(wrong) / len(wrong) if wrong else None,
            disagreements=[
                (c.case_id, c.expected_score, g.score, c.expected_pass, g.passed)
                for c, g in zip(cases, grades)
                if g.passed != c.expected_pass
            ],
        ),
        grades,
    )
