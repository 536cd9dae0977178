"""Where annotators split: consensus without gold, the most contested items, and questions for the guideline."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from .. import agreement as ag
from ..models import PREFERENCES, ContestedItem, GoldAnswer, Grade, Judgment, Rubric

MIN_RATERS_FOR_RELIABILITY = 3
MIN_FLAGS_TO_CONTEST = 2
"""Annotators who must flag an item the votes agree on for it to count as contested."""


WITHHELD_TWO_RATERS = (
    "no item has three or more votes: with two, a disagreement is one vote against one, which neither"
    " a majority nor Dawid-Skene can resolve, so consensus labels and their accuracy against gold are withheld"
)


def consensus(preference: ag.Ratings, gold: dict[str, GoldAnswer] | None) -> tuple[dict[str, Any], dict[str, str | None], dict[str, str | None], dict[str, float]]:
    majority_codes = ag.majority_vote(preference)
    items = [str(k) for k in preference.item_keys]
    majority = {item: (PREFERENCES[c] if c >= 0 else None) for item, c in zip(items, majority_codes)}
    most_votes = int(preference.value_counts().sum(axis=1).max()) if preference.n_items else 0
    if most_votes < MIN_RATERS_FOR_RELIABILITY:
        return _withheld(items, majority, gold), majority, {item: None for item in items}, {}
    model = ag.dawid_skene(preference)
    ds_codes = model.labels
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


def _withheld(items: list[str], majority: dict[str, str | None], gold: dict[str, GoldAnswer] | None) -> dict[str, Any]:
    """The consensus section when no item has three votes: the agreed labels only, and why the rest is missing."""
    return {
        "items": [
            {"item_id": item, "majority": majority[item], "dawid_skene": None, "dawid_skene_confidence": None,
             "gold": gold[item].preference if gold and item in gold else None}
            for item in items
        ],
        "differ": [],
        "reliability": {},
        "em_iterations": 0,
        "em_converged": False,
        "no_majority": sum(1 for v in majority.values() if v is None),
        "withheld": WITHHELD_TWO_RATERS,
    }


def appealed_criteria(judgment: Judgment, finder: Any) -> set[str]:
    """Criteria a judgment appeals to: those it lists plus those its rationale names by cue."""
    found = set(judgment.criteria)
    if judgment.rationale and finder is not None:
        found.update(cid for cid, _, _ in finder.criteria_in(judgment.rationale))
    return found


def _criterion_finder(rubric: Rubric) -> Any:
    """The grader's reading of which criteria a rationale's words appeal to."""
    from ..grading.context import RubricContext

    return RubricContext.build(rubric)


def contested_items(
    by_item: dict[str, dict[str, Judgment]],
    grades: dict[tuple[str, str], Grade],
    gold: dict[str, GoldAnswer] | None,
    rubric: Rubric,
    majority: dict[str, str | None],
    ds: dict[str, str | None],
) -> list[ContestedItem]:
    """Items the votes split on (by vote entropy), and items several annotators flagged though they agree.

    Ranked by entropy, then by how many annotators flagged the item; each carries the flags and notes.
    """
    finder = _criterion_finder(rubric)
    ranked = []
    for item_id, votes in by_item.items():
        if len(votes) < 2:
            continue
        counts = Counter(j.preference for j in votes.values())
        entropy = ag.vote_entropy([counts.get(p, 0) for p in PREFERENCES])
        flagged = sum(1 for j in votes.values() if j.flags)
        if entropy > 0 or flagged >= MIN_FLAGS_TO_CONTEST:
            ranked.append((entropy, flagged, len(votes), item_id))
    ranked.sort(key=lambda t: (-t[0], -t[1], -t[2], t[3]))
    contested = []
    for entropy, _, _, item_id in ranked:
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
                flags=dict(sorted(Counter(f for j in votes.values() for f in j.flags).items(), key=lambda kv: (-kv[1], kv[0]))),
                flag_notes=[
                    {"annotator": annotator, "flags": list(j.flags), "note": j.flag_note}
                    for annotator, j in sorted(votes.items())
                    if j.flags
                ],
                gold_edge_case=gold_answer.edge_case.reason if gold_answer is not None and gold_answer.edge_case else None,
            )
        )
    return contested


def patterns(contested: list[ContestedItem], rubric: Rubric) -> list[dict[str, Any]]:
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


def questions_and_proposal(
    contested: list[ContestedItem], patterns: list[dict[str, Any]], rubric: Rubric, asked: int | None = None
) -> tuple[list[str], list[str], list[str]]:
    """The summary, the questions for the next calibration session and the guideline proposal, from every contested
    item (most contested first); `asked`: how many of the most contested a flagged item is asked about among."""
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
        items = _first_ids(pattern["items"])
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
        ids = _first_ids([c.item_id for c in tie_splits])
        questions.append(
            f"How close must two responses be to call a tie? {len(tie_splits)} contested {'item' if len(tie_splits) == 1 else 'items'} split between a tie and a preference ({ids})."
        )
        proposal.append("State the tie rule with a borderline example on each side of it.")
    # Key points the disagreeing votes missed, grouped by wording across items.
    missed_by_text: dict[str, list[str]] = defaultdict(list)
    missed_votes: Counter[str] = Counter()
    for c in split:
        for kp in c.key_points_missed:
            missed_by_text[kp["text"]].append(c.item_id)
            missed_votes[kp["text"]] += kp["missed_by"]
    for c in [c for c in contested[:asked] if sum(c.flags.values())]:
        flagged_by = len(c.flag_notes)
        if flagged_by < MIN_FLAGS_TO_CONTEST and c.gold_edge_case is None:
            continue
        notes = "; ".join(f"\u201c{n['note']}\u201d" for n in c.flag_notes if n["note"])
        kinds = ", ".join(c.flags)
        lead = f" The gold marks it as an edge case: {c.gold_edge_case}" if c.gold_edge_case else ""
        questions.append(
            f"{flagged_by} annotator{'' if flagged_by == 1 else 's'} flagged item {c.item_id} ({kinds})"
            + (f": {notes}" if notes else "") + f" (vote entropy {c.entropy:.2f} bits).{lead}"
        )
        proposal.append(
            f"Say in the guideline how to answer pairs like item {c.item_id}, or that they are to be escalated"
            f" ({kinds}): annotators could not decide it from the guideline as written."
        )
    for text, count in missed_votes.most_common(3):
        where = missed_by_text[text]
        listed = _first_ids(where)
        questions.append(
            f"\u201c{text}\u201d was missed {count} time(s) by votes that disagreed with gold (items {listed})."
            " Does the guideline tell annotators to look for it?"
        )
        proposal.append(f"Name \u201c{text}\u201d as something to check, with item {where[0]} as the example.")
    return summary, questions, proposal


def _first_ids(ids: list[str], shown: int = 4) -> str:
    """The first item ids and how many more: a list cut short must not read as the whole of it."""
    more = len(ids) - shown
    return ", ".join(ids[:shown]) + (f" and {more} more" if more > 0 else "")
