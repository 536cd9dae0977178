"""Calibration batches: how far annotators agree with each other and with gold, and where the guideline is unclear.

`analyse_batch` is pure: judgments, items, rubric and (optionally) gold in, a
`CalibrationReport` out. `calibrate_files` loads the files, analyses, and
stores the batch; `annotator_history` reads the stored batches back.

Figures with too little behind them are not shown as numbers: agreement
below the minimum overlap says "not enough overlap", and an annotator with
fewer gold items than `min_items` gets the verdict "not enough evidence",
which is not a fail.
"""

from __future__ import annotations

import json
import math
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

import numpy as np

from . import agreement as ag
from .errors import InputError, InputProblem
from .models import PREFERENCES, GoldAnswer, Grade, Item, Judgment, Rubric, content_hash

DEFAULT_THRESHOLD = 0.8
DEFAULT_MIN_ITEMS = 20
CONTESTED_SHOWN = 5
MIN_RATERS_FOR_RELIABILITY = 3
LENGTH_MARGIN = 0.10  # responses within 10% of each other's length count as the same length

MEETS = "meets threshold"
BELOW = "below threshold"
NOT_ENOUGH_EVIDENCE = "not enough evidence"


# --------------------------------------------------------------------------- report shapes


@dataclass
class Rate:
    """An annotator's rate of something against gold's rate on the same items."""

    count: int
    n: int
    rate: float | None
    low: float | None
    high: float | None
    gold_rate: float | None
    flagged: bool  # gold's rate lies outside the annotator's Wilson 95% interval

    @classmethod
    def of(cls, count: int, n: int, gold_count: int | None, gold_n: int | None, *, only_above: bool = False) -> "Rate":
        if n == 0:
            return cls(count, 0, None, None, None, None, False)
        low, high = ag.wilson_interval(count, n)
        gold_rate = gold_count / gold_n if gold_count is not None and gold_n else None
        flagged = gold_rate is not None and (low > gold_rate or (not only_above and high < gold_rate))
        return cls(count, n, count / n, low, high, gold_rate, flagged)


@dataclass
class ConsistencyCheck:
    first: str
    second: str
    swapped: bool
    first_preference: str
    second_preference: str  # as answered, before mapping a swapped pair back
    consistent: bool


@dataclass
class AnnotatorResult:
    name: str
    judged: int
    gold_items: int = 0
    correct: int = 0
    accuracy: float | None = None
    accuracy_low: float | None = None
    accuracy_high: float | None = None
    verdict: str = NOT_ENOUGH_EVIDENCE
    threshold_inside_interval: bool = False
    mean_score: float | None = None  # the grader's 0-100 score (preference, strength, criteria, key points, evidence, writing)
    strength_credit: float | None = None  # mean 0-1 strength component: closeness to gold's strength
    mean_strength_distance: float | None = None
    pass_rate: float | None = None
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)  # gold -> answered -> count
    missed_criteria: list[dict[str, Any]] = field(default_factory=list)
    missed_key_points: list[dict[str, Any]] = field(default_factory=list)
    position: Rate | None = None  # share of A among the annotator's A/B choices
    ties: Rate | None = None  # share of tie choices
    length: Rate | None = None  # share of non-tie choices for the longer response
    consistency: list[ConsistencyCheck] = field(default_factory=list)
    kappa_with_peers: float | None = None
    agreement_with_peers: float | None = None
    reliability: float | None = None  # Dawid-Skene estimate, no gold needed
    biases: list[str] = field(default_factory=list)

    @property
    def consistency_rate(self) -> float | None:
        if not self.consistency:
            return None
        return sum(c.consistent for c in self.consistency) / len(self.consistency)


@dataclass
class ContestedItem:
    item_id: str
    entropy: float
    votes: dict[str, list[str]]  # preference -> annotators
    criteria_by_side: dict[str, dict[str, int]]  # preference -> criterion -> how many of that side appealed to it
    gold_preference: str | None
    key_points_missed: list[dict[str, Any]]  # by the votes that disagree with gold
    majority: str | None
    dawid_skene: str | None


@dataclass
class CalibrationReport:
    batch: str
    rubric: dict[str, str]
    threshold: float
    min_items: int
    min_overlap: int
    items: int
    annotators: list[str]
    judgments: int
    has_gold: bool
    agreement: dict[str, Any]
    annotator_results: list[AnnotatorResult]
    consensus: dict[str, Any]
    contested: list[ContestedItem]
    patterns: list[dict[str, Any]]
    questions: list[str]
    proposal: list[str]
    notes: list[str]

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)

    def annotator(self, name: str) -> AnnotatorResult:
        for result in self.annotator_results:
            if result.name == name:
                return result
        raise KeyError(name)


def _plain(value: Any) -> Any:
    """JSON-able form: dataclasses and Estimates become dicts, numpy scalars floats, NaN null."""
    if isinstance(value, ag.Estimate):
        return _plain(value.as_dict())
    if isinstance(value, ag.PairMatrix):
        return _plain(value.as_dict())
    if isinstance(value, AnnotatorResult):
        data = {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
        data["consistency_rate"] = value.consistency_rate
        return data
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (np.floating, float)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.integer):
        return int(value)
    return value


# --------------------------------------------------------------------------- agreement


def _agreement(judgments: Sequence[Judgment], rubric: Rubric, min_overlap: int, samples: int, seed: int) -> dict[str, Any]:
    preference = ag.Ratings.from_votes(((j.item_id, j.annotator, j.preference) for j in judgments), PREFERENCES)
    tie = PREFERENCES.index("tie")
    kw = {"min_overlap": min_overlap, "samples": samples, "seed": seed}
    raw = ag.pair_tables(preference)
    with np.errstate(divide="ignore", invalid="ignore"):
        pair_agreement = np.trace(raw, axis1=2, axis2=3) / raw.sum(axis=(2, 3))
    names = [str(r) for r in preference.rater_keys]
    section: dict[str, Any] = {
        "preference": {
            "percent_agreement": ag.percent_agreement(preference, **kw),
            "percent_agreement_without_ties": ag.percent_agreement(preference, exclude=tie, **kw),
            "fleiss_kappa": ag.fleiss_kappa(preference, **kw),
            "krippendorff_alpha": ag.krippendorff_alpha(preference, level="nominal", **kw),
            "gwet_ac1": ag.gwet_ac1(preference, **kw),
            "pabak": ag.pabak(preference, **kw),
            "cohen_kappa": ag.cohen_kappa_matrix(preference, **kw),
            "pairwise_agreement": {
                "raters": names,
                "values": [[None if i == j or not np.isfinite(pair_agreement[i, j]) else float(pair_agreement[i, j])
                            for j in range(len(names))] for i in range(len(names))],
                "overlap": raw.sum(axis=(2, 3)).tolist(),
            },
        }
    }
    scale = list(range(-rubric.max_strength, rubric.max_strength + 1))
    with_strength = [j for j in judgments if j.strength is not None]
    if with_strength:
        strength = ag.Ratings.from_votes(((j.item_id, j.annotator, j.strength) for j in with_strength), scale)
        section["strength"] = {
            "percent_agreement": ag.percent_agreement(strength, **kw),
            "krippendorff_alpha": ag.krippendorff_alpha(strength, level="ordinal", **kw),
            "weighted_kappa_linear": ag.cohen_kappa_matrix(strength, weights="linear", **kw),
            "weighted_kappa_quadratic": ag.cohen_kappa_matrix(strength, weights="quadratic", **kw),
        }
    else:
        section["strength"] = None
    section["_ratings"] = preference
    return section


def _paradox_note(section: dict[str, Any]) -> str | None:
    pref = section["preference"]
    agree, alpha, ac1 = pref["percent_agreement"], pref["krippendorff_alpha"], pref["gwet_ac1"]
    if not (agree.available and alpha.available and ac1.available):
        return None
    if agree.value >= 0.75 and alpha.value < 0.4 and ac1.value >= 0.6:
        return (
            f"Raw agreement is high ({agree.value:.0%}) but alpha is low ({alpha.value:.2f}) while AC1 is high"
            f" ({ac1.value:.2f}): one answer dominates the batch (the prevalence paradox), so chance agreement"
            " is high and kappa-type coefficients are small. Read AC1/PABAK beside them."
        )
    return None


# --------------------------------------------------------------------------- against gold


def _longer_side(item: Item) -> str | None:
    a, b = len(item.response_a.split()), len(item.response_b.split())
    if max(a, b) == 0 or abs(a - b) / max(a, b) < LENGTH_MARGIN:
        return None
    return "A" if a > b else "B"


def _pair_key(item: Item) -> tuple[str, str, str]:
    return (item.prompt_text.strip(), item.response_a.strip(), item.response_b.strip())


def repeated_pairs(items: dict[str, Item]) -> list[tuple[str, str, bool]]:
    """(first item, second item, swapped) for items showing the same pair again, or with A and B exchanged."""
    first: dict[tuple[str, str, str], str] = {}
    found: list[tuple[str, str, bool]] = []
    for item_id in sorted(items):
        key = _pair_key(items[item_id])
        prompt, a, b = key
        if key in first:
            found.append((first[key], item_id, False))
        elif (prompt, b, a) in first and a != b:
            found.append((first[(prompt, b, a)], item_id, True))
        else:
            first[key] = item_id
    return found


_MIRROR = {"A": "B", "B": "A", "tie": "tie"}


def _consistency(annotator_votes: dict[str, Judgment], pairs: list[tuple[str, str, bool]]) -> list[ConsistencyCheck]:
    checks = []
    for first, second, swapped in pairs:
        if first in annotator_votes and second in annotator_votes:
            p1 = annotator_votes[first].preference
            p2 = annotator_votes[second].preference
            expected = _MIRROR[p1] if swapped else p1
            checks.append(ConsistencyCheck(first, second, swapped, p1, p2, p2 == expected))
    return checks


def _gold_section(
    result: AnnotatorResult,
    votes: dict[str, Judgment],
    grades: dict[str, Grade],
    items: dict[str, Item],
    gold: dict[str, GoldAnswer],
    rubric: Rubric,
    threshold: float,
    min_items: int,
) -> None:
    graded = [item_id for item_id in votes if item_id in gold and item_id in grades]
    result.gold_items = len(graded)
    if not graded:
        return
    result.correct = sum(grades[i].preference_correct for i in graded)
    result.accuracy = result.correct / len(graded)
    result.accuracy_low, result.accuracy_high = ag.wilson_interval(result.correct, len(graded))
    result.threshold_inside_interval = result.accuracy_low <= threshold <= result.accuracy_high
    if len(graded) < min_items:
        result.verdict = NOT_ENOUGH_EVIDENCE
    else:
        result.verdict = MEETS if result.accuracy >= threshold else BELOW
    result.mean_score = float(np.mean([grades[i].score for i in graded]))
    result.pass_rate = float(np.mean([grades[i].passed for i in graded]))
    credits = [grades[i].components.get("strength") for i in graded]
    credits = [c for c in credits if c is not None]
    result.strength_credit = float(np.mean(credits)) if credits else None
    distances = [grades[i].strength_distance for i in graded if grades[i].strength_distance is not None]
    result.mean_strength_distance = float(np.mean(distances)) if distances else None
    result.confusion = {g: {a: 0 for a in PREFERENCES} for g in PREFERENCES}
    for i in graded:
        result.confusion[gold[i].preference][votes[i].preference] += 1

    names = {c.id: c.name for c in rubric.criteria}
    missed_criteria: Counter[str] = Counter()
    decisive_seen: Counter[str] = Counter()
    missed_points: Counter[tuple[str, str]] = Counter()
    for i in graded:
        decisive_seen.update(set(gold[i].decisive_criteria))
        missed_criteria.update(
            {f.criterion for f in grades[i].findings if f.code == "missed_decisive_criterion" and f.criterion}
        )
        missed_points.update((i, kp) for kp in grades[i].key_points_missed)
    result.missed_criteria = [
        {"criterion": c, "name": names.get(c, c), "missed": n, "decisive": decisive_seen[c]}
        for c, n in sorted(missed_criteria.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    point_text = {(g.item_id, kp.id): kp.text for g in gold.values() for kp in g.key_points}
    result.missed_key_points = [
        {"item_id": item_id, "key_point": kp, "text": point_text.get((item_id, kp), kp)}
        for (item_id, kp), _ in sorted(missed_points.items())
    ]

    # Biases: the annotator's rate set against gold's rate on the same items.
    chosen = [votes[i].preference for i in graded]
    golden = [gold[i].preference for i in graded]
    # Position is judged among decisive answers so that a tie habit does not read as an A/B habit.
    sided = [p for p in chosen if p != "tie"]
    gold_sided = [p for p in golden if p != "tie"]
    result.position = Rate.of(sided.count("A"), len(sided), gold_sided.count("A"), len(gold_sided))
    result.ties = Rate.of(chosen.count("tie"), len(chosen), golden.count("tie"), len(golden))
    longer = {i: _longer_side(items[i]) for i in graded}
    mine = [i for i in graded if longer[i] and votes[i].preference != "tie"]
    theirs = [i for i in graded if longer[i] and gold[i].preference != "tie"]
    result.length = Rate.of(
        sum(votes[i].preference == longer[i] for i in mine),
        len(mine),
        sum(gold[i].preference == longer[i] for i in theirs),
        len(theirs),
        only_above=True,
    )


def _bias_flags(result: AnnotatorResult) -> list[str]:
    flags = []
    if result.position and result.position.flagged:
        flags.append(
            f"position: chooses A in {result.position.rate:.0%} of decisive answers, gold {result.position.gold_rate:.0%}"
        )
    if result.ties and result.ties.flagged:
        flags.append(f"ties: calls a tie {result.ties.rate:.0%} of the time, gold {result.ties.gold_rate:.0%}")
    if result.length and result.length.flagged:
        flags.append(
            f"length: prefers the longer response {result.length.rate:.0%} of the time, gold {result.length.gold_rate:.0%}"
        )
    inconsistent = [c for c in result.consistency if not c.consistent]
    if inconsistent:
        shown = ", ".join(f"{c.first}/{c.second}{' (swapped)' if c.swapped else ''}" for c in inconsistent)
        flags.append(f"self-consistency: {len(inconsistent)} of {len(result.consistency)} repeated pairs answered differently ({shown})")
    return flags


# --------------------------------------------------------------------------- consensus and ambiguity


def _consensus(preference: ag.Ratings, gold: dict[str, GoldAnswer] | None) -> tuple[dict[str, Any], dict[str, str | None], dict[str, str | None], dict[str, float]]:
    majority_codes = ag.majority_vote(preference)
    model = ag.dawid_skene(preference)
    ds_codes = model.labels
    items = [str(k) for k in preference.item_keys]
    majority = {item: (PREFERENCES[c] if c >= 0 else None) for item, c in zip(items, majority_codes)}
    ds = {item: PREFERENCES[c] for item, c in zip(items, ds_codes)}
    # With fewer than three annotators EM cannot tell whose errors are whose, so no reliabilities are given.
    reliability = (
        {str(name): float(r) for name, r in zip(preference.rater_keys, model.reliability())}
        if preference.n_raters >= MIN_RATERS_FOR_RELIABILITY
        else {}
    )
    differ = [
        {
            "item_id": item,
            "majority": majority[item],
            "dawid_skene": ds[item],
            "dawid_skene_confidence": float(model.posteriors[index].max()),
        }
        for index, item in enumerate(items)
        if majority[item] != ds[item]
    ]
    section: dict[str, Any] = {
        "items": [
            {
                "item_id": item,
                "majority": majority[item],
                "dawid_skene": ds[item],
                "dawid_skene_confidence": float(model.posteriors[index].max()),
                "gold": gold[item].preference if gold and item in gold else None,
            }
            for index, item in enumerate(items)
        ],
        "differ": differ,
        "reliability": reliability,
        "em_iterations": model.iterations,
        "em_converged": model.converged,
        "no_majority": sum(1 for v in majority.values() if v is None),
    }
    if gold:
        scored = [i for i in items if i in gold]
        if scored:
            section["majority_accuracy"] = sum(majority[i] == gold[i].preference for i in scored) / len(scored)
            section["dawid_skene_accuracy"] = sum(ds[i] == gold[i].preference for i in scored) / len(scored)
    return section, majority, ds, reliability


def appealed_criteria(judgment: Judgment, finder: Any) -> set[str]:
    """Criteria a judgment appeals to: those it lists plus those its rationale names by cue."""
    found = set(judgment.criteria)
    if judgment.rationale and finder is not None:
        found.update(cid for cid, _, _ in finder.criteria_in(judgment.rationale))
    return found


def _criterion_finder(rubric: Rubric) -> Any:
    try:
        from .checks import RubricContext
    except ImportError:  # checks is optional for agreement-only use
        return None
    return RubricContext.build(rubric)


def _contested(
    by_item: dict[str, dict[str, Judgment]],
    grades: dict[tuple[str, str], Grade],
    gold: dict[str, GoldAnswer] | None,
    rubric: Rubric,
    majority: dict[str, str | None],
    ds: dict[str, str | None],
) -> list[ContestedItem]:
    finder = _criterion_finder(rubric)
    ranked = []
    for item_id, votes in by_item.items():
        if len(votes) < 2:
            continue
        counts = Counter(j.preference for j in votes.values())
        entropy = ag.vote_entropy([counts.get(p, 0) for p in PREFERENCES])
        if entropy > 0:
            ranked.append((entropy, len(votes), item_id))
    ranked.sort(key=lambda t: (-t[0], -t[1], t[2]))
    contested = []
    for entropy, _, item_id in ranked:
        votes = by_item[item_id]
        sides: dict[str, list[str]] = defaultdict(list)
        criteria: dict[str, Counter[str]] = defaultdict(Counter)
        for annotator, judgment in sorted(votes.items()):
            sides[judgment.preference].append(annotator)
            criteria[judgment.preference].update(appealed_criteria(judgment, finder))
        gold_answer = gold.get(item_id) if gold else None
        missed: list[dict[str, Any]] = []
        if gold_answer is not None:
            texts = {kp.id: kp.text for kp in gold_answer.key_points}
            tally: Counter[str] = Counter()
            wrong = 0
            for annotator, judgment in votes.items():
                grade = grades.get((annotator, item_id))
                if grade is not None and not grade.preference_correct:
                    wrong += 1
                    tally.update(grade.key_points_missed)
            missed = [
                {"key_point": kp, "text": texts.get(kp, kp), "missed_by": n, "of": wrong}
                for kp, n in sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))
            ]
        contested.append(
            ContestedItem(
                item_id=item_id,
                entropy=entropy,
                votes={p: sides[p] for p in PREFERENCES if p in sides},
                criteria_by_side={p: dict(sorted(criteria[p].items(), key=lambda kv: (-kv[1], kv[0]))) for p in PREFERENCES if p in sides},
                gold_preference=gold_answer.preference if gold_answer else None,
                key_points_missed=missed,
                majority=majority.get(item_id),
                dawid_skene=ds.get(item_id),
            )
        )
    return contested


def _patterns(contested: list[ContestedItem], rubric: Rubric) -> list[dict[str, Any]]:
    """Criteria pulled against each other: one side of a split appeals to X and not Y, the other to Y and not X."""
    names = {c.id: c.name for c in rubric.criteria}
    trades: dict[tuple[str, str], set[str]] = defaultdict(set)
    for item in contested:
        sides = list(item.criteria_by_side.items())
        for i in range(len(sides)):
            for j in range(i + 1, len(sides)):
                left, right = set(sides[i][1]), set(sides[j][1])
                for x in left - right:
                    for y in right - left:
                        trades[tuple(sorted((x, y)))].add(item.item_id)  # type: ignore[arg-type]
    ranked = sorted(trades.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    return [
        {"criteria": list(pair), "names": [names.get(c, c) for c in pair], "items": sorted(ids), "count": len(ids)}
        for pair, ids in ranked
    ]


def _questions_and_proposal(
    contested: list[ContestedItem], patterns: list[dict[str, Any]], rubric: Rubric
) -> tuple[list[str], list[str], list[str]]:
    questions: list[str] = []
    proposal: list[str] = []
    summary: list[str] = []
    split = [c for c in contested if len(c.votes) > 1]
    if patterns:
        top = patterns[0]
        a, b = top["names"]
        summary.append(
            f"Most disagreements trade {a.lower()} against {b.lower()} ({top['count']} of {len(split)} contested items)."
        )
    priority = rubric.criteria_priority
    for pattern in patterns[:3]:
        (x, y), (a, b) = pattern["criteria"], pattern["names"]
        items = ", ".join(pattern["items"][:4])
        if x in priority and y in priority:
            first = a if priority.index(x) < priority.index(y) else b
            rule = f"The rubric's priority puts {first} first; is that rule being applied, or is it unclear when it applies?"
        else:
            rule = "The rubric sets no priority between them."
        questions.append(f"When {a} and {b} point to different responses (items {items}), which should decide? {rule}")
        proposal.append(
            f"Add a worked example contrasting {a} with {b}, using item {pattern['items'][0]}, that states which wins and why."
        )
    tie_splits = [c for c in split if "tie" in c.votes]
    if tie_splits:
        ids = ", ".join(c.item_id for c in tie_splits[:4])
        questions.append(
            f"How close must two responses be to call a tie? {len(tie_splits)} contested item(s) split between a tie and a preference ({ids})."
        )
        proposal.append("State the tie rule with a borderline example on each side of it.")
    # Key points the disagreeing votes missed, grouped by wording across items.
    missed_by_text: dict[str, list[str]] = defaultdict(list)
    missed_votes: Counter[str] = Counter()
    for c in split:
        for kp in c.key_points_missed:
            missed_by_text[kp["text"]].append(c.item_id)
            missed_votes[kp["text"]] += kp["missed_by"]
    for text, count in missed_votes.most_common(3):
        where = missed_by_text[text]
        listed = ", ".join(where[:4]) + (f" and {len(where) - 4} more" if len(where) > 4 else "")
        questions.append(
            f"\u201c{text}\u201d was missed {count} time(s) by votes that disagreed with gold (items {listed})."
            " Does the guideline tell annotators to look for it?"
        )
        proposal.append(f"Name \u201c{text}\u201d as something to check, with item {where[0]} as the example.")
    return summary, questions, proposal


# --------------------------------------------------------------------------- the analysis


def analyse_batch(
    judgments: Sequence[Judgment],
    items: dict[str, Item],
    rubric: Rubric,
    gold: dict[str, GoldAnswer] | None = None,
    *,
    batch: str = "batch",
    threshold: float = DEFAULT_THRESHOLD,
    min_items: int = DEFAULT_MIN_ITEMS,
    min_overlap: int = ag.MIN_OVERLAP,
    samples: int = ag.BOOTSTRAP_SAMPLES,
    seed: int = ag.DEFAULT_SEED,
    grades: dict[tuple[str, str], Grade] | None = None,
) -> CalibrationReport:
    """Everything a lead needs about one batch. `grades` (annotator, item) -> Grade are computed when not given."""
    if not judgments:
        raise ValueError("a calibration batch needs at least one judgment")
    by_annotator: dict[str, dict[str, Judgment]] = defaultdict(dict)
    by_item: dict[str, dict[str, Judgment]] = defaultdict(dict)
    for j in judgments:
        by_annotator[j.annotator][j.item_id] = j
        by_item[j.item_id][j.annotator] = j
    annotators = sorted(by_annotator)
    if gold and grades is None:
        grades = grade_batch(judgments, items, rubric, gold)
    grades = grades or {}

    section = _agreement(judgments, rubric, min_overlap, samples, seed)
    preference: ag.Ratings = section.pop("_ratings")
    notes = []
    paradox = _paradox_note(section)
    if paradox:
        notes.append(paradox)
    fleiss = section["preference"]["fleiss_kappa"]
    if not fleiss.available:
        notes.append(
            f"Fleiss' kappa is {fleiss.reason}: it needs the same number of raters on every item;"
            " Krippendorff's alpha and AC1 allow missing votes."
        )

    consensus, majority, ds, reliability = _consensus(preference, gold)
    kappa: ag.PairMatrix = section["preference"]["cohen_kappa"]
    pair_agree = section["preference"]["pairwise_agreement"]
    index = {str(name): i for i, name in enumerate(kappa.raters)}
    pairs = repeated_pairs(items)

    results = []
    for name in annotators:
        votes = by_annotator[name]
        result = AnnotatorResult(name=name, judged=len(votes))
        if gold:
            mine = {item_id: grades[(name, item_id)] for item_id in votes if (name, item_id) in grades}
            _gold_section(result, votes, mine, items, gold, rubric, threshold, min_items)
        result.consistency = _consistency(votes, pairs)
        i = index[name]
        result.kappa_with_peers = kappa.mean_for(i)
        peers = [v for j, v in enumerate(pair_agree["values"][i]) if j != i and v is not None and pair_agree["overlap"][i][j] >= min_overlap]
        result.agreement_with_peers = float(np.mean(peers)) if peers else None
        result.reliability = reliability.get(name)
        result.biases = _bias_flags(result)
        results.append(result)

    contested = _contested(by_item, grades, gold, rubric, majority, ds)
    patterns = _patterns(contested[:CONTESTED_SHOWN * 2], rubric)
    summary, questions, proposal = _questions_and_proposal(contested[: CONTESTED_SHOWN * 2], patterns, rubric)
    notes.extend(summary)
    if not gold:
        notes.append("No gold given: accuracy, verdicts and biases against gold are left out; consensus labels stand in.")
    return CalibrationReport(
        batch=batch,
        rubric={"id": rubric.id, "version": rubric.version, "hash": rubric.content_hash},
        threshold=threshold,
        min_items=min_items,
        min_overlap=min_overlap,
        items=len(by_item),
        annotators=annotators,
        judgments=len(judgments),
        has_gold=bool(gold),
        agreement=section,
        annotator_results=results,
        consensus=consensus,
        contested=contested,
        patterns=patterns,
        questions=questions,
        proposal=proposal,
        notes=notes,
    )


def grade_batch(
    judgments: Iterable[Judgment], items: dict[str, Item], rubric: Rubric, gold: dict[str, GoldAnswer]
) -> dict[tuple[str, str], Grade]:
    """Grade every judgment that has gold, with the same grader `rationale grade` uses."""
    from .grader import Grader

    grader = Grader(rubric)
    return {
        (j.annotator, j.item_id): grader.grade(j, items[j.item_id], gold[j.item_id])
        for j in judgments
        if j.item_id in gold
    }


# --------------------------------------------------------------------------- files and storage


def load_batch(
    judgment_paths: Sequence[str | os.PathLike[str]],
    *,
    items_path: str | os.PathLike[str],
    rubric_path: str | os.PathLike[str],
    gold_path: str | os.PathLike[str] | None = None,
) -> tuple[list[Judgment], dict[str, Item], Rubric, dict[str, GoldAnswer] | None]:
    """Load and check every input; raise InputError with all problems before anything is written."""
    from .loaders import iter_judgments, load_references

    problems: list[InputProblem] = []
    rubric, items, gold = load_references(rubric_path, items_path, gold_path, problems)
    judgments = [j for _, _, j in iter_judgments(judgment_paths, items, rubric, problems)]
    if not judgments and not problems:
        problems.append(InputProblem(os.fspath(judgment_paths[0]), None, "(file)", "no judgments to calibrate"))
    if problems:
        raise InputError(problems)
    return judgments, items, rubric, gold


def default_batch_name(judgments: Sequence[Judgment]) -> str:
    """Named by content, so running the same batch again replaces it instead of adding a duplicate."""
    return "batch-" + content_hash(sorted(j.content_hash for j in judgments))[:10]


def calibrate_files(
    judgment_paths: Sequence[str | os.PathLike[str]],
    *,
    items_path: str | os.PathLike[str],
    rubric_path: str | os.PathLike[str],
    gold_path: str | os.PathLike[str] | None = None,
    batch: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    min_items: int = DEFAULT_MIN_ITEMS,
    db_path: str | os.PathLike[str] | None = None,
    samples: int = ag.BOOTSTRAP_SAMPLES,
    seed: int = ag.DEFAULT_SEED,
) -> CalibrationReport:
    """Load, analyse and store a calibration batch (re-running a batch name replaces its stored results)."""
    judgments, items, rubric, gold = load_batch(
        judgment_paths, items_path=items_path, rubric_path=rubric_path, gold_path=gold_path
    )
    name = batch or default_batch_name(judgments)
    grades = grade_batch(judgments, items, rubric, gold) if gold else {}
    report = analyse_batch(
        judgments, items, rubric, gold, batch=name, threshold=threshold, min_items=min_items,
        samples=samples, seed=seed, grades=grades,
    )
    inputs = {
        "judgments": [os.fspath(p) for p in judgment_paths],
        "items": os.fspath(items_path),
        "rubric": os.fspath(rubric_path),
        "gold": os.fspath(gold_path) if gold_path else None,
        "batch": name,
        "threshold": threshold,
        "min_items": min_items,
    }
    store_batch(db_path, report, judgments, items, rubric, gold, grades, inputs)
    return report


def store_batch(
    db_path: str | os.PathLike[str] | None,
    report: CalibrationReport,
    judgments: Sequence[Judgment],
    items: dict[str, Item],
    rubric: Rubric,
    gold: dict[str, GoldAnswer] | None,
    grades: dict[tuple[str, str], Grade],
    inputs: dict[str, Any],
) -> int:
    """Write the batch in one transaction: foundation rows (items, gold, judgments, grades) and the calibration tables."""
    from . import store
    from .db import open_db

    db = open_db(db_path)
    try:
        with db.conn:
            run_id = store.start_run(db, "calibrate", inputs, rubric.content_hash)
            store.save_rubric(db, rubric)
            item_hashes = store.save_items(db, items)
            if gold:
                store.save_gold(db, gold, item_hashes)
                rows = [
                    store.GradedJudgment(j, item_hashes[j.item_id], grades[(j.annotator, j.item_id)])
                    for j in judgments
                    if (j.annotator, j.item_id) in grades
                ]
                counts = store.save_judgments_and_grades(db, rows, run_id)
                stored_judgments = counts.judgments_new
            else:
                stored_judgments = 0
            batch_id = _write_calibration_tables(db, report, judgments, run_id)
            store.finish_run(db, run_id, {"judgments": len(judgments), "judgments_new": stored_judgments, "batch_id": batch_id})
    finally:
        db.close()
    return batch_id


def _write_calibration_tables(db: Any, report: CalibrationReport, judgments: Sequence[Judgment], run_id: int) -> int:
    from .store import utc_now

    conn = db.conn
    old = [row[0] for row in conn.execute("select id from calibration_batches where name = ?", (report.batch,))]
    for batch_id in old:
        for table in ("calibration_votes", "calibration_items", "calibration_annotators"):
            conn.execute(f"delete from {table} where batch_id = ?", (batch_id,))
        conn.execute("delete from calibration_batches where id = ?", (batch_id,))
    data = report.to_dict()
    cursor = conn.execute(
        "insert into calibration_batches (name, run_id, rubric_hash, created, threshold, min_items, items,"
        " annotators, judgments, has_gold, report) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            report.batch,
            run_id,
            report.rubric["hash"],
            utc_now(),
            report.threshold,
            report.min_items,
            report.items,
            len(report.annotators),
            report.judgments,
            int(report.has_gold),
            json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        ),
    )
    batch_id = int(cursor.lastrowid)
    conn.executemany(
        "insert into calibration_votes (batch_id, annotator, item_id, preference, strength, judgment_hash)"
        " values (?, ?, ?, ?, ?, ?)",
        [(batch_id, j.annotator, j.item_id, j.preference, j.strength, j.content_hash) for j in judgments],
    )
    entropy = {c.item_id: c.entropy for c in report.contested}
    votes_per_item = Counter(j.item_id for j in judgments)
    conn.executemany(
        "insert into calibration_items (batch_id, item_id, votes, entropy, majority, dawid_skene, gold)"
        " values (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                batch_id,
                row["item_id"],
                votes_per_item[row["item_id"]],
                entropy.get(row["item_id"], 0.0),
                row["majority"],
                row["dawid_skene"],
                row["gold"],
            )
            for row in report.consensus["items"]
        ],
    )
    rows = []
    for r in report.annotator_results:
        rows.append(
            (
                batch_id,
                r.name,
                r.judged,
                r.gold_items,
                r.correct,
                r.accuracy,
                r.accuracy_low,
                r.accuracy_high,
                r.verdict if report.has_gold else None,
                r.mean_score,
                r.strength_credit,
                r.kappa_with_peers,
                r.agreement_with_peers,
                r.reliability,
                r.position.rate if r.position else None,
                r.position.gold_rate if r.position else None,
                r.ties.rate if r.ties else None,
                r.ties.gold_rate if r.ties else None,
                r.length.rate if r.length else None,
                r.length.gold_rate if r.length else None,
                r.consistency_rate,
                json.dumps(r.biases, ensure_ascii=False),
            )
        )
    conn.executemany(
        "insert into calibration_annotators (batch_id, annotator, judged, gold_items, correct, accuracy,"
        " accuracy_low, accuracy_high, verdict, mean_score, strength_credit, kappa_with_peers,"
        " agreement_with_peers, reliability, share_a, gold_share_a, tie_rate, gold_tie_rate, longer_rate,"
        " gold_longer_rate, consistency, biases) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return batch_id


@dataclass
class HistoryRow:
    batch: str
    created: str
    judged: int
    gold_items: int
    accuracy: float | None
    accuracy_low: float | None
    accuracy_high: float | None
    verdict: str | None
    kappa_with_peers: float | None
    agreement_with_peers: float | None
    share_a: float | None
    gold_share_a: float | None
    tie_rate: float | None
    gold_tie_rate: float | None
    longer_rate: float | None
    gold_longer_rate: float | None
    consistency: float | None
    biases: list[str]


@dataclass
class AnnotatorHistory:
    annotator: str
    rows: list[HistoryRow]
    drift: list[str]

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)


def annotator_history(db_path: str | os.PathLike[str] | None, annotator: str) -> AnnotatorHistory:
    """The annotator's figures in every stored batch, oldest first, and what changed between the first and last."""
    from .db import open_db

    db = open_db(db_path)
    try:
        cursor = db.conn.execute(
            "select b.name, b.created, a.* from calibration_annotators a join calibration_batches b on b.id = a.batch_id"
            " where a.annotator = ? order by b.created, b.id",
            (annotator,),
        )
        names = [d[0] for d in cursor.description]
        records = [dict(zip(names, row)) for row in cursor.fetchall()]
    finally:
        db.close()
    rows = [
        HistoryRow(
            batch=r["name"],
            created=r["created"],
            judged=r["judged"],
            gold_items=r["gold_items"],
            accuracy=r["accuracy"],
            accuracy_low=r["accuracy_low"],
            accuracy_high=r["accuracy_high"],
            verdict=r["verdict"],
            kappa_with_peers=r["kappa_with_peers"],
            agreement_with_peers=r["agreement_with_peers"],
            share_a=r["share_a"],
            gold_share_a=r["gold_share_a"],
            tie_rate=r["tie_rate"],
            gold_tie_rate=r["gold_tie_rate"],
            longer_rate=r["longer_rate"],
            gold_longer_rate=r["gold_longer_rate"],
            consistency=r["consistency"],
            biases=json.loads(r["biases"] or "[]"),
        )
        for r in records
    ]
    return AnnotatorHistory(annotator=annotator, rows=rows, drift=_drift(rows))


def _drift(rows: list[HistoryRow]) -> list[str]:
    scored = [r for r in rows if r.accuracy is not None]
    notes = []
    if len(scored) >= 2:
        first, last = scored[0], scored[-1]
        change = last.accuracy - first.accuracy
        separate = last.accuracy_low > first.accuracy_high or last.accuracy_high < first.accuracy_low
        direction = "up" if change > 0 else "down" if change < 0 else "unchanged"
        notes.append(
            f"accuracy {direction} {abs(change):.0%} from {first.batch} to {last.batch}"
            + (" (the intervals do not overlap: a real change)" if separate else " (the intervals overlap: could be noise)")
        )
    peers = [r for r in rows if r.kappa_with_peers is not None]
    if len(peers) >= 2:
        notes.append(f"kappa with peers {peers[0].kappa_with_peers:.2f} -> {peers[-1].kappa_with_peers:.2f}")
    if len(rows) >= 2:
        before = {b.split(":")[0] for b in rows[0].biases}
        after = {b.split(":")[0] for b in rows[-1].biases}
        for bias in sorted(after - before):
            notes.append(f"new bias since {rows[0].batch}: {bias}")
        for bias in sorted(before - after):
            notes.append(f"no longer shows {bias} bias")
    return notes


# --------------------------------------------------------------------------- portfolio sections


def portfolio_sections(db: Any) -> dict[str, list[str]]:
    """The quality audit and the guideline-improvement proposal from the newest stored batch.

    `rationale export` shows them; nothing is returned when no batch was calibrated.
    """
    if "calibration_batches" not in db.table_names():
        return {}
    row = db.execute("select name, report from calibration_batches order by id desc limit 1").fetchone()
    if row is None or not row[1]:
        return {}
    name, report = row[0], json.loads(row[1])
    preference = report.get("agreement", {}).get("preference", {})

    def figure(key: str, percent: bool = False) -> str | None:
        entry = preference.get(key) or {}
        value = entry.get("value")
        if value is None:
            return None
        shown = (lambda v: f"{100 * v:.0f}%") if percent else (lambda v: f"{v:.2f}")
        interval = f" [{shown(entry['low'])}, {shown(entry['high'])}]" if entry.get("low") is not None else ""
        return shown(value) + interval

    audit = [
        f"Batch {name}: {report.get('items')} items, {len(report.get('annotators', []))} annotators,"
        f" {report.get('judgments')} judgments under rubric {report.get('rubric', {}).get('id')}"
        f" v{report.get('rubric', {}).get('version')}."
    ]
    agreement = [
        f"{label} {text}"
        for label, text in (
            ("percent agreement", figure("percent_agreement", percent=True)),
            ("Krippendorff's alpha", figure("krippendorff_alpha")),
            ("Gwet's AC1", figure("gwet_ac1")),
        )
        if text
    ]
    if agreement:
        audit.append("Agreement on the preference: " + "; ".join(agreement) + " (95% bootstrap intervals).")
    for result in report.get("annotator_results", []):
        line = f"{result['name']}: {result['verdict']}"
        if result.get("accuracy") is not None:
            line += (
                f", accuracy {100 * result['accuracy']:.0f}%"
                f" [{100 * result['accuracy_low']:.0f}%, {100 * result['accuracy_high']:.0f}%]"
                f" on {result['gold_items']} gold items"
            )
        if result.get("biases"):
            line += "; " + "; ".join(result["biases"])
        audit.append(line + ".")
    consensus = report.get("consensus") or {}
    if consensus.get("dawid_skene_accuracy") is not None:
        audit.append(
            f"Consensus against gold: majority vote {100 * consensus['majority_accuracy']:.0f}%,"
            f" Dawid-Skene {100 * consensus['dawid_skene_accuracy']:.0f}%."
        )
    proposal = [*report.get("proposal", []), *(f"Open question: {q}" for q in report.get("questions", []))]
    return {"audit": audit, "proposal": proposal}
