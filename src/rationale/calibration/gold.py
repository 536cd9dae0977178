"""Each annotator (and each model judge) against gold: accuracy with its interval and verdict, precision,
recall and F1, scores, confusion, misses, biases, and accuracy without one's own vote.

Biases set the annotator's rate (choosing A, calling ties, choosing the longer
response) against gold's rate on the same items; one is flagged when gold's
rate lies outside the annotator's Wilson 95% interval. Self-consistency on
repeated pairs is set against the other annotators' rate on the same pairs
(gold is consistent by construction, so against gold any slip would be
flagged, which the interval does not support).
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from ..grading.strength import strength_credit

from .. import agreement as ag
from ..models import (
    PREFERENCES,
    AnnotatorResult,
    ClassScore,
    ConsistencyCheck,
    GoldAnswer,
    Grade,
    Item,
    Judgment,
    LeaveOneOut,
    Rate,
    Rubric,
    swap_side,
)
from ..votes import vote_winner

FROM_VOTES_TAG = "from-votes:"  # gold made from votes is tagged from-votes:<rule> by `rationale import`
SHOWN_IN_A_LINE = 5  # repeated pairs named in a self-consistency line; the full list is in the report's JSON

LENGTH_MARGIN = 0.10  # responses within 10% of each other's length count as the same length

MEETS = "meets threshold"
BELOW = "below threshold"
NOT_ENOUGH_EVIDENCE = "not enough evidence"


def rate_of(count: int, n: int, gold_count: int | None, gold_n: int | None, *, only_above: bool = False) -> Rate:
    """`count` of `n` with its Wilson interval, set against gold's `gold_count` of `gold_n`."""
    if n == 0:
        return Rate(count=count, n=0, rate=None, low=None, high=None, gold_rate=None, flagged=False)
    low, high = ag.wilson_interval(count, n)
    gold_rate = gold_count / gold_n if gold_count is not None and gold_n else None
    flagged = gold_rate is not None and (low > gold_rate or (not only_above and high < gold_rate))
    return Rate(count=count, n=n, rate=count / n, low=low, high=high, gold_rate=gold_rate, flagged=flagged)


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


def accepted(preference: str, gold: GoldAnswer) -> bool:
    """Whether an answer is right: gold's preference or one gold accepts (as the grader's preference component)."""
    return preference == gold.preference or (gold.acceptable is not None and preference in gold.acceptable.preferences)


def class_scores(result: AnnotatorResult, pairs: Sequence[tuple[str, str]]) -> None:
    """Precision, recall and F1 per answer class and their macro means, from (gold, answer) pairs.

    As scikit-learn's precision_recall_fscore_support with its default labels
    (the classes in gold or in the answers) and zero_division=0: a class
    nobody used does not drag the macro mean down, and an undefined ratio
    counts 0. Macro = the unweighted mean over those classes, the figure
    published judge evaluations (PandaLM's) report.
    """
    classes = [p for p in PREFERENCES if any(p in pair for pair in pairs)]
    result.classes = classes
    if not classes:
        return
    scores = {}
    for label in classes:
        tp = sum(g == label and a == label for g, a in pairs)
        support = sum(g == label for g, _ in pairs)
        predicted = sum(a == label for _, a in pairs)
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[label] = ClassScore(precision=precision, recall=recall, f1=f1, support=support, predicted=predicted)
    result.per_class = scores
    result.precision = float(np.mean([c.precision for c in scores.values()]))
    result.recall = float(np.mean([c.recall for c in scores.values()]))
    result.f1 = float(np.mean([c.f1 for c in scores.values()]))


def gold_rule(gold: GoldAnswer) -> str | None:
    """The vote rule gold was made with ("majority", "plurality"), or None when it was not made from votes."""
    return next((t[len(FROM_VOTES_TAG):] for t in gold.tags if t.startswith(FROM_VOTES_TAG)), None)


# `rationale import` says in the gold which votes made it: "(2 for A, 1 tie; 3 votes; rule: majority)".
_VOTES_NOTE = re.compile(r"\(((?:\d+ (?:for A|for B|tie)(?:, )?)+); \d+ votes?; rule: \w+\)")
_VOTE_COUNT = re.compile(r"(\d+) (for A|for B|tie)")


@functools.lru_cache(maxsize=4096)
def _votes_named(reference_rationale: str) -> tuple[tuple[str, int], ...] | None:
    """The votes imported gold says it was made from, as sorted (side, count) pairs; None when it does not say."""
    note = _VOTES_NOTE.search(reference_rationale)
    if note is None:
        return None
    return tuple(sorted((side.removeprefix("for "), int(n)) for n, side in _VOTE_COUNT.findall(note.group(1))))


def made_from_these_votes(answer: GoldAnswer, votes: Iterable[Judgment]) -> bool:
    """Whether gold made from votes can have been made from this batch's votes on its item.

    Gold that names its votes (as `rationale import` writes it) was made from these annotators only when the
    batch's votes on the item are exactly those: another panel calibrated on imported gold (a new team on
    PandaLM's items) is not scored against its own votes. Gold that does not name them is taken to be.
    """
    named = _votes_named(answer.reference_rationale)
    return named is None or named == tuple(sorted(Counter(j.preference for j in votes).items()))


def leave_one_out(
    result: AnnotatorResult, votes: dict[str, Judgment], panel_votes: dict[str, dict[str, Judgment]],
    gold: dict[str, GoldAnswer],
) -> None:
    """Accuracy against gold remade from the other annotators' votes, on items whose gold came from votes.

    An annotator is one of the voters their gold was made from, so plain
    accuracy credits them with agreeing with themselves (one of three votes
    decides a 2-1 split). Without their vote the same rule may name no
    winner (the other two split): those items are counted, not scored.
    """
    scored, correct, without_winner, rules = 0, 0, 0, set()
    for item_id, judgment in votes.items():
        answer = gold.get(item_id)
        rule = gold_rule(answer) if answer is not None else None
        if rule is None or not made_from_these_votes(answer, panel_votes.get(item_id, {}).values()):
            continue
        result.own_vote_in_gold += 1
        rules.add(rule)
        others = [j.preference for name, j in panel_votes.get(item_id, {}).items() if name != result.name]
        winner, _ = vote_winner(others, rule)  # type: ignore[arg-type]
        if winner is None:
            without_winner += 1
            continue
        scored += 1
        correct += judgment.preference == winner
    if not result.own_vote_in_gold:
        return
    low, high = ag.wilson_interval(correct, scored) if scored else (None, None)
    result.leave_one_out = LeaveOneOut(
        rule=", ".join(sorted(rules)), items=scored, correct=correct, accuracy=correct / scored if scored else None,
        low=low, high=high, without_winner=without_winner,
    )


def self_consistency(result: AnnotatorResult, peers: Iterable[AnnotatorResult]) -> None:
    """The annotator's consistent share of repeated pairs, flagged only when the peers' pooled rate on
    repeated pairs lies above the annotator's Wilson interval (a slip or two among many is not a bias)."""
    if not result.consistency:
        return
    agreed = sum(c.consistent for c in result.consistency)
    peer_checks = [c for peer in peers if peer.name != result.name for c in peer.consistency]
    peer_agreed = sum(c.consistent for c in peer_checks)
    rate = rate_of(agreed, len(result.consistency), peer_agreed if peer_checks else None, len(peer_checks) or None)
    result.self_consistency = rate.model_copy(update={
        "flagged": rate.gold_rate is not None and rate.high is not None and rate.high < rate.gold_rate,
        "reference": "the other annotators",
    })


def consistency_checks(annotator_votes: dict[str, Judgment], pairs: list[tuple[str, str, bool]]) -> list[ConsistencyCheck]:
    """The annotator's answers on repeated pairs: the same answer, or its mirror for a swapped pair."""
    checks = []
    for first, second, swapped in pairs:
        if first in annotator_votes and second in annotator_votes:
            p1 = annotator_votes[first].preference
            p2 = annotator_votes[second].preference
            expected = swap_side(p1) if swapped else p1
            checks.append(
                ConsistencyCheck(first=first, second=second, swapped=swapped, first_preference=p1,
                                 second_preference=p2, consistent=p2 == expected)
            )
    return checks


def gold_section(
    result: AnnotatorResult,
    votes: dict[str, Judgment],
    grades: dict[str, Grade],
    items: dict[str, Item],
    gold: dict[str, GoldAnswer],
    rubric: Rubric,
    threshold: float,
    min_items: int,
) -> None:
    """Fill in the annotator's figures against gold, on the items both answered and graded."""
    graded = [item_id for item_id in votes if item_id in gold and item_id in grades]
    result.gold_items = len(graded)
    if not graded:
        return
    _accuracy(result, [grades[i].preference_correct for i in graded], threshold, min_items)
    _scores(result, [grades[i] for i in graded])
    _confusion(result, graded, votes, gold)
    _misses(result, graded, grades, gold, rubric)
    _biases(result, graded, votes, items, gold)


def judge_section(
    result: AnnotatorResult, votes: dict[str, Judgment], items: dict[str, Item], gold: dict[str, GoldAnswer],
    threshold: float, min_items: int,
) -> None:
    """A model judge against gold: its verdicts are not graded (no rationale to read), only compared."""
    scored = [item_id for item_id in votes if item_id in gold]
    result.gold_items = len(scored)
    if not scored:
        return
    _accuracy(result, [accepted(votes[i].preference, gold[i]) for i in scored], threshold, min_items)
    _confusion(result, scored, votes, gold)
    _biases(result, scored, votes, items, gold)


def _confusion(result: AnnotatorResult, scored: list[str], votes: dict[str, Judgment], gold: dict[str, GoldAnswer]) -> None:
    result.confusion = {g: {a: 0 for a in PREFERENCES} for g in PREFERENCES}
    for i in scored:
        result.confusion[gold[i].preference][votes[i].preference] += 1
    class_scores(result, [(gold[i].preference, votes[i].preference) for i in scored])


def _accuracy(result: AnnotatorResult, right: list[bool], threshold: float, min_items: int) -> None:
    result.correct = sum(right)
    result.accuracy = result.correct / len(right)
    result.accuracy_low, result.accuracy_high = ag.wilson_interval(result.correct, len(right))
    result.threshold_inside_interval = result.accuracy_low <= threshold <= result.accuracy_high
    if len(right) < min_items:
        result.verdict = NOT_ENOUGH_EVIDENCE
    else:
        result.verdict = MEETS if result.accuracy >= threshold else BELOW


def _scores(result: AnnotatorResult, grades: list[Grade]) -> None:
    result.mean_score = float(np.mean([g.score for g in grades]))
    result.pass_rate = float(np.mean([g.passed for g in grades]))
    credits = [strength_credit(g.strength_distance) for g in grades if g.strength_distance is not None]
    result.strength_credit = float(np.mean(credits)) if credits else None
    distances = [g.strength_distance for g in grades if g.strength_distance is not None]
    result.mean_strength_distance = float(np.mean(distances)) if distances else None


def _misses(
    result: AnnotatorResult, graded: list[str], grades: dict[str, Grade], gold: dict[str, GoldAnswer], rubric: Rubric
) -> None:
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


def _biases(
    result: AnnotatorResult, graded: list[str], votes: dict[str, Judgment], items: dict[str, Item],
    gold: dict[str, GoldAnswer],
) -> None:
    """The annotator's rates set against gold's rates on the same items."""
    chosen = [votes[i].preference for i in graded]
    golden = [gold[i].preference for i in graded]
    # Position is judged among decisive answers so that a tie habit does not read as an A/B habit.
    sided = [p for p in chosen if p != "tie"]
    gold_sided = [p for p in golden if p != "tie"]
    result.position = rate_of(sided.count("A"), len(sided), gold_sided.count("A"), len(gold_sided))
    result.ties = rate_of(chosen.count("tie"), len(chosen), golden.count("tie"), len(golden))
    longer = {i: _longer_side(items[i]) for i in graded}
    mine = [i for i in graded if longer[i] and votes[i].preference != "tie"]
    theirs = [i for i in graded if longer[i] and gold[i].preference != "tie"]
    result.length = rate_of(
        sum(votes[i].preference == longer[i] for i in mine),
        len(mine),
        sum(gold[i].preference == longer[i] for i in theirs),
        len(theirs),
        only_above=True,
    )


def bias_flags(result: AnnotatorResult) -> list[str]:
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
    if result.self_consistency and result.self_consistency.flagged:
        inconsistent = [c for c in result.consistency if not c.consistent]
        shown = ", ".join(f"{c.first}/{c.second}{' (swapped)' if c.swapped else ''}" for c in inconsistent[:SHOWN_IN_A_LINE])
        if len(inconsistent) > SHOWN_IN_A_LINE:
            shown += f" and {len(inconsistent) - SHOWN_IN_A_LINE} more"
        flags.append(
            f"self-consistency: {len(inconsistent)} of {len(result.consistency)} repeated pairs answered differently"
            f" (the others: {result.self_consistency.gold_rate:.1%} consistent) ({shown})"
        )
    return flags
