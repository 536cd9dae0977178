"""A trainee's progress over time, from the database: `rationale progress NAME`.

Every graded answer of the annotator counts once: drill answers are grouped by
drill session, answers graded from files (`rationale grade`) by grading run.
A revision (`rationale revise`) belongs to the answer it revises: it is no
session and no answer of its own, so the session figures and the biases
measure the answers as first given, and the revisions are summed up apart
(how many answers were revised, their mean score before and after).
Reported:

* accuracy (preference agrees with the gold) and mean score per session, with
  the mean rationale-quality credit;
* a learning curve per criterion: of the items where the gold says the
  criterion decides the pair, the share where the trainee cited it;
* the key points most often missed;
* position bias (how often the response *shown* as A is picked, against how
  often the gold picks it on the same answers), self-consistency on swapped
  re-serves, and length bias (how often the longer response is picked,
  against the gold);
* escalation judgment per session (edge cases flagged, clear items flagged) and
  confidence calibration (the mean stated probability of being right against how
  often the answers were right), with accuracy by confidence level overall;
* a suggested next focus, from the weakest of the above.
"""

from __future__ import annotations


from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from . import store
from .drill.scheduling import earlier_preference, original_order_preferences
from .calibration.escalation import confidence_calibration
from .models import CONFIDENCE_STATED, Bias, CriterionCurve, FindingCount, MissedKeyPointSeen, Progress, Revisions, SessionPoint, swap_side

# Below these counts a rate says too little to base advice on.
MIN_OPPORTUNITIES = 2
MIN_SIDED_ANSWERS = 5
BIAS_THRESHOLD = 0.2
CONSISTENCY_TARGET = 0.8
WEAK_CRITERION_RATE = 0.6
SHOWN_ELSEWHERE = ("wrong_preference", "missed_key_point")  # the curves and key points already tell these


@dataclass
class _Answer:
    group: tuple[int, str]  # (sort key, label)
    kind: str
    started: str | None
    item_id: str
    version: int
    preference: str  # original orientation
    criteria: list[str]
    score: float
    passed: bool
    preference_correct: bool
    verdict: float | None
    reasoning: float | None
    key_points_missed: list[str]
    gold: dict[str, Any]
    shown_preference: str
    shown_gold_preference: str
    shown_longer: str | None  # "A" or "B" as shown; None when equally long
    swapped: bool
    grade_id: str
    confidence: int | None = None
    escalation: str | None = None  # hit | miss | false_alarm | None


def _answers(db: sqlite_utils.Database, annotator: str) -> list[_Answer]:
    answers = []
    for row in store.progress.drilled_answers(db, annotator):
        answers.append(_answer(row, (row["number"], f"drill {row['number']}"), "drill", bool(row["swapped"]), row["shown_preference"]))
    for row in store.progress.graded_answers(db, annotator):
        label = f"graded run {row['run_id']}" if row["run_id"] is not None else "graded"
        answers.append(_answer(row, (0, label), "graded", False, row["preference"]))
    return answers


def _missed(row: dict[str, Any]) -> list[str]:
    """The gold's key points the answer missed: the grade's list without the ones it partly made (the drill told
    the trainee "partly made"; they are not missed here either). Grades stored without per-point results keep
    the grade's list as it is."""
    missed = json.loads(row["key_points_missed"] or "[]")
    if not row.get("key_points"):
        return missed
    partly = {kp["key_point"] for kp in json.loads(row["key_points"]) if kp.get("status") == "partial"}
    return [kp for kp in missed if kp not in partly]


def _answer(row: dict[str, Any], group: tuple[int, str], kind: str, swapped: bool, shown_preference: str) -> _Answer:
    # A swapped drill answer is stored as shown: its judgment, item and gold all name the sides the
    # trainee saw, so only `preference` is mapped back to the original order.
    gold = json.loads(row["gold_body"])
    len_a, len_b = row["len_a"], row["len_b"]
    longer = None if len_a == len_b else ("A" if len_a > len_b else "B")
    return _Answer(
        group=group,
        kind=kind,
        started=row["started"],
        item_id=row["item_id"],
        version=row["version"],
        preference=swap_side(row["preference"]) if swapped else row["preference"],
        criteria=json.loads(row["criteria"] or "[]"),
        score=row["score"],
        passed=bool(row["passed"]),
        preference_correct=bool(row["preference_correct"]),
        verdict=row["verdict_score"],
        reasoning=row["reasoning_score"],
        key_points_missed=_missed(row),
        gold=gold,
        shown_preference=shown_preference,
        shown_gold_preference=gold["preference"],
        shown_longer=longer,
        swapped=swapped,
        grade_id=row["grade_id"],
        confidence=row["confidence"],
        escalation=row["escalation"],
    )


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _bias(pairs: list[tuple[str, str]], side: str) -> Bias:
    """pairs: (trainee's shown choice, gold's shown choice) for answers where the trainee chose a side."""
    if not pairs:
        return Bias(answers=0, picked_rate=None, gold_rate=None)
    picked = sum(1 for mine, _ in pairs if mine == side) / len(pairs)
    gold = sum(1 for _, theirs in pairs if theirs == side) / len(pairs)
    return Bias(answers=len(pairs), picked_rate=picked, gold_rate=gold)


Group = tuple[int, str]


def compute_progress(db: sqlite_utils.Database, annotator: str) -> Progress:
    answers = _answers(db, annotator)
    groups, by_group = _grouped(answers)
    sided = [a for a in answers if a.shown_preference in ("A", "B")]
    swaps, consistent = _swap_consistency(db, annotator, answers)
    finding_counts = store.progress.finding_counts(db, annotator, SHOWN_ELSEWHERE)
    progress = Progress(
        annotator=annotator,
        answered=len(answers),
        sessions=[_session(g, by_group[g]) for g in groups],
        criteria=_curves(answers, groups, by_group),
        missed_key_points=_missed_key_points(answers),
        position=_bias([(a.shown_preference, a.shown_gold_preference) for a in sided], "A"),
        length=_length_bias(sided),
        swaps=swaps,
        swaps_consistent=consistent,
        top_findings=[FindingCount(code=code, count=n) for code, n in finding_counts.most_common(5)],
        revisions=_revisions(db, annotator),
        escalation_hits=sum(a.escalation == "hit" for a in answers),
        escalation_misses=sum(a.escalation == "miss" for a in answers),
        false_alarms=sum(a.escalation == "false_alarm" for a in answers),
        confidence=confidence_calibration([(a.confidence, a.preference_correct) for a in answers if a.confidence is not None]),
    )
    progress.next_focus = suggest_focus(progress)
    return progress


def _grouped(answers: list[_Answer]) -> tuple[list[Group], dict[Group, list[_Answer]]]:
    """Graded runs and drill sessions, laid out in the order they started, with their answers."""
    drill_groups = sorted({a.group for a in answers if a.kind == "drill"})
    graded_groups = [g for g in dict.fromkeys(a.group for a in answers if a.kind == "graded")]
    started: dict[Group, str] = {}
    for a in answers:
        started.setdefault(a.group, a.started or "")
    groups = sorted(graded_groups + drill_groups, key=lambda g: (started.get(g, ""), g))
    by_group: dict[Group, list[_Answer]] = defaultdict(list)
    for a in answers:
        by_group[a.group].append(a)
    return groups, by_group


def _session(group: Group, rows: list[_Answer]) -> SessionPoint:
    verdicts = [a.verdict for a in rows if a.verdict is not None]
    reasoning = [a.reasoning for a in rows if a.reasoning is not None]
    confident = [a for a in rows if a.confidence is not None]
    return SessionPoint(
        label=group[1],
        kind=rows[0].kind,
        started=rows[0].started,
        answered=len(rows),
        accuracy=sum(a.preference_correct for a in rows) / len(rows),
        mean_score=sum(a.score for a in rows) / len(rows),
        mean_verdict=_mean(verdicts),
        mean_reasoning=_mean(reasoning),
        pass_rate=sum(a.passed for a in rows) / len(rows),
        edge_cases=sum(a.escalation in ("hit", "miss") for a in rows),
        escalated=sum(a.escalation == "hit" for a in rows),
        false_alarms=sum(a.escalation == "false_alarm" for a in rows),
        confident_answers=len(confident),
        mean_stated=_mean([CONFIDENCE_STATED[a.confidence] for a in confident]),  # type: ignore[index]
        accuracy_stated=_mean([float(a.preference_correct) for a in confident]),
    )


def _curves(answers: list[_Answer], groups: list[Group], by_group: dict[Group, list[_Answer]]) -> list[CriterionCurve]:
    """Per decisive criterion: the share of answers citing it, session by session."""
    criterion_ids: list[str] = []
    for a in answers:
        for c in a.gold.get("decisive_criteria", []):
            if c not in criterion_ids:
                criterion_ids.append(c)
    curves = []
    for c in criterion_ids:
        points: list[float | None] = []
        cited = decisive = 0
        for g in groups:
            relevant = [a for a in by_group[g] if c in a.gold.get("decisive_criteria", [])]
            hits = sum(1 for a in relevant if c in a.criteria)
            points.append(hits / len(relevant) if relevant else None)
            cited += hits
            decisive += len(relevant)
        curves.append(CriterionCurve(criterion=c, points=points, cited=cited, decisive=decisive))
    return curves


def _missed_key_points(answers: list[_Answer]) -> list[MissedKeyPointSeen]:
    missed: Counter[tuple[str, str]] = Counter()
    seen: Counter[tuple[str, str]] = Counter()
    texts: dict[tuple[str, str], str] = {}
    for a in answers:
        for kp in a.gold.get("key_points", []):
            key = (a.item_id, kp["id"])
            texts[key] = kp["text"]
            seen[key] += 1
            if kp["id"] in a.key_points_missed:
                missed[key] += 1
    return [
        MissedKeyPointSeen(item_id=item_id, key_point=kp, text=texts[(item_id, kp)], missed=count, seen=seen[(item_id, kp)])
        for (item_id, kp), count in sorted(missed.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    ]


def _length_bias(sided: list[_Answer]) -> Bias:
    with_longer = [a for a in sided if a.shown_longer is not None]
    return _bias(
        [
            (
                "longer" if a.shown_preference == a.shown_longer else "shorter",
                "longer" if a.shown_gold_preference == a.shown_longer else "shorter",
            )
            for a in with_longer
        ],
        "longer",
    )


def _swap_consistency(db: sqlite_utils.Database, annotator: str, answers: list[_Answer]) -> tuple[int, int]:
    """(swapped re-serves with an earlier answer, how many of them agree with it)."""
    versions = original_order_preferences(db, annotator)
    swaps = consistent = 0
    for a in answers:
        if not a.swapped:
            continue
        earlier = earlier_preference(versions, a.item_id, a.version)
        if earlier is not None:
            swaps += 1
            consistent += earlier == a.preference
    return swaps, consistent


def _revisions(db: sqlite_utils.Database, annotator: str) -> Revisions:
    """Each revised answer once: its score as first given, and its newest revision's."""
    rows = store.progress.revisions(db, annotator)
    revised_from = {r["judgment_hash"]: r["previous_hash"] for r in rows}

    def first_version(judgment_hash: str) -> str:
        while judgment_hash in revised_from:
            judgment_hash = revised_from[judgment_hash]
        return judgment_hash

    before: dict[str, float | None] = {}
    after: dict[str, float | None] = {}
    for r in rows:  # oldest first, so the last revision of an answer is the one kept
        answer = first_version(r["judgment_hash"])
        before.setdefault(answer, r["previous_score"])
        after[answer] = r["score"]
    pairs = [(before[a], after[a]) for a in after if before[a] is not None and after[a] is not None]
    return Revisions(
        answers=len(after),
        mean_before=_mean([b for b, _ in pairs]),
        mean_after=_mean([a for _, a in pairs]),
    )


def suggest_focus(p: Progress) -> list[str]:
    """Advice, most pressing first; each line names the evidence behind it."""
    if not p.answered:
        return ["No graded answers yet: run `rationale drill` to start."]
    advice = _criterion_advice(p) + _escalation_advice(p) + _bias_advice(p)
    if p.top_findings:
        top = p.top_findings[0]
        advice.append(f"Most frequent finding in your rationales: {top.code} ({top.count} time{'s' if top.count != 1 else ''}).")
    last = p.sessions[-1]
    if not advice or (last.accuracy >= 0.9 and last.pass_rate >= 0.9):
        advice.append("Your last session was strong: drill with --order new to meet harder pairs.")
    return advice


def _criterion_advice(p: Progress) -> list[str]:
    advice = []
    weak = [c for c in p.criteria if c.decisive >= MIN_OPPORTUNITIES and (c.rate or 0) < WEAK_CRITERION_RATE]
    weak.sort(key=lambda c: (c.rate or 0, -c.decisive))
    for c in weak[:2]:
        advice.append(
            f"Cite {c.criterion} when it decides the pair: you named it in {c.cited} of the {c.decisive} answers where it was decisive."
        )
    if p.missed_key_points and p.missed_key_points[0].missed >= 2:
        k = p.missed_key_points[0]
        advice.append(f"Revisit {k.item_id}: you missed “{k.text}” {k.missed} of {k.seen} times.")
    return advice


def _escalation_advice(p: Progress) -> list[str]:
    advice = []
    if p.escalation_misses:
        met = p.escalation_hits + p.escalation_misses
        advice.append(
            f"Escalate what the guideline cannot decide: you flagged {p.escalation_hits} of the {met} edge cases you met"
            " (press f in the drill and say why)."
        )
    if p.false_alarms >= MIN_OPPORTUNITIES and p.false_alarms > p.escalation_hits:
        advice.append(
            f"Flag less: {p.false_alarms} of your flags were on pairs the guideline decides; answer those yourself."
        )
    c = p.confidence
    if c is not None and c.verdict in ("over-confident", "under-confident"):
        advice.append(
            f"You are {c.verdict}: you state {c.mean_stated:.0%} on average and are right {c.accuracy:.0%} of the time."
            + (" Lower your confidence where you have not checked the facts." if c.verdict == "over-confident" else "")
        )
    return advice


def _bias_advice(p: Progress) -> list[str]:
    advice = []
    if p.position.answers >= MIN_SIDED_ANSWERS and p.position.bias is not None and abs(p.position.bias) >= BIAS_THRESHOLD:
        side = "A" if p.position.bias > 0 else "B"
        advice.append(
            f"Watch position bias: you pick the response shown as {side} more often than the gold does"
            f" ({p.position.picked_rate:.0%} picked A vs {p.position.gold_rate:.0%} for the gold). Read both before deciding."
        )
    if p.swaps >= MIN_OPPORTUNITIES and (p.consistency or 0) < CONSISTENCY_TARGET:
        advice.append(
            f"Be consistent: with A and B swapped you gave the same answer {p.swaps_consistent} of {p.swaps} times."
        )
    if p.length.answers >= MIN_SIDED_ANSWERS and p.length.bias is not None and p.length.bias >= BIAS_THRESHOLD:
        advice.append(
            f"Watch length bias: you pick the longer response {p.length.picked_rate:.0%} of the time, the gold {p.length.gold_rate:.0%}."
            " Length is not a reason on its own."
        )
    return advice


def load_progress(annotator: str, *, db_path: str | None) -> Progress:
    db = store.open_db(db_path)
    try:
        return compute_progress(db, annotator)
    finally:
        db.close()


def known_annotators(db_path: str | None) -> list[str]:
    """Every annotator with a graded answer: what `progress` suggests for a name it does not know."""
    db = store.open_db(db_path)
    try:
        return store.progress.annotators(db)
    finally:
        db.close()


def progress_report(annotator: str, *, db_path: str | None, fmt: str = "text") -> str:
    """Compute and render a trainee's progress as text, JSON or HTML."""
    from .render.progress import render

    return render(load_progress(annotator, db_path=db_path), fmt)
