"""Is this model fit to review? Its verdicts against the leads' gold, beside reviewers that need no model.

Only critiques made *without* `--with-gold` count (a reviewer shown the answer
says nothing by agreeing with it), and each judgment counts once: its newest
critique by the model, so re-critiquing under an edited rubric does not count
a judgment twice. Every proportion is k of n with a Wilson 95% interval:

* the failure rate: judgments the model could not critique (no valid reply);
* agreement with gold with ties, and without ties (pairs where neither gold nor
  the reviewer said tie, the MT-Bench "w/o tie" setting), over successful critiques;
* order consistency: swapped critiques whose two verdicts agree;
* the first-position rate: of the reviewer's decisive verdicts in both orders,
  the share that pick the response shown first (50% without position bias; a
  reviewer answering by position scores near 100% here and near 50% on
  consistency);
* trivial baselines on the same judgments: always A, always B, and the majority
  class (gold's most common label here: chosen knowing this very gold, so the
  best a constant reviewer could do);
* Cohen's kappa against gold with a bootstrap interval (chance-corrected: a
  constant reviewer scores 0);
* where reviewed grades exist, how often they agree with the deterministic
  grade on pass/fail.

`verdict` says in words whether a lead may rely on it, the first of: answers by
position, fails too often, no better (or not shown better) than a baseline, too
few judgments to tell, fit to review, usable with care.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import store
from ..agreement import cohens_kappa_estimate, wilson_interval
from ..models import Baseline, Estimate, Proportion, ReviewerEvaluation

LABELS = ("A", "B", "tie")
MIN_JUDGMENTS = 10  # fewer successful critiques than this cannot tell a reviewer from a coin
POSITION_BOUND = 0.75  # a first-position interval wholly above this (or below 1 - this) is answering by position
MAX_FAILURE_RATE = 0.2  # a failure rate whose interval is wholly above this is too unreliable to run
FIT_KAPPA = 0.6  # kappa's lower bound from which agreement is "substantial" (Landis and Koch)


def kappa_label(kappa: float | None) -> str:
    """Landis and Koch's words for a kappa."""
    if kappa is None:
        return "undefined"
    for bound, words in ((0.0, "poor"), (0.2, "slight"), (0.4, "fair"), (0.6, "moderate"), (0.8, "substantial")):
        if kappa <= bound:
            return words
    return "almost perfect"


def proportion(successes: int, n: int) -> Proportion:
    low, high = wilson_interval(successes, n)
    return Proportion(successes=successes, n=n, value=successes / n if n else None, low=low, high=high)


def _agreement(reviewer: Sequence[str], gold: Sequence[str]) -> tuple[Proportion, Proportion]:
    """(agreement with ties, agreement without ties) of one reviewer's labels against gold."""
    decisive = [(a, b) for a, b in zip(reviewer, gold) if a != "tie" and b != "tie"]
    return (
        proportion(sum(a == b for a, b in zip(reviewer, gold)), len(gold)),
        proportion(sum(a == b for a, b in decisive), len(decisive)),
    )


def baselines(gold: Sequence[str]) -> list[Baseline]:
    """Always A, always B and the majority class, scored on the same judgments as the model."""
    majority = Counter(gold).most_common(1)[0][0] if gold else "A"
    out = []
    for name, label, description in (
        ("always A", "A", "says A every time"),
        ("always B", "B", "says B every time"),
        (f"majority class ({majority})", majority, "says gold's most common label here every time (chosen knowing this gold)"),
    ):
        with_ties, without = _agreement([label] * len(gold), gold)
        out.append(Baseline(name=name, description=description, agreement_with_ties=with_ties, agreement_without_ties=without))
    return out


def first_position(rows: Sequence[dict[str, Any]]) -> Proportion:
    """Decisive verdicts picking the response shown first: A in the given order, B (mapped back) when swapped."""
    first = decisive = 0
    for r in rows:
        if r.get("verdict_ab") in ("A", "B"):
            decisive += 1
            first += r["verdict_ab"] == "A"
        if r.get("verdict_ba") in ("A", "B"):
            decisive += 1
            first += r["verdict_ba"] == "B"  # mapped back: the swapped request showed B first
    return proportion(first, decisive)


def _pct(p: Proportion) -> str:
    return f"{100 * (p.value or 0):.0f}% [{100 * p.low:.0f}%, {100 * p.high:.0f}%] of {p.n}"


def verdict_in_words(ev: ReviewerEvaluation) -> tuple[str, list[str]]:
    """(verdict, reasons): may a lead rely on this reviewer? The first condition that holds decides."""
    ok = ev.agreement_with_ties
    reasons = []
    pos = ev.first_position
    by_position = pos.n > 0 and (pos.low > POSITION_BOUND or pos.high < 1 - POSITION_BOUND)
    if pos.n:
        reasons.append(f"picks the response shown first in {_pct(pos)} decisive verdicts (50% without position bias)")
    if ev.failures.n:
        reasons.append(f"fails on {_pct(ev.failures)} judgments")
    best = max(ev.baselines, key=lambda b: b.agreement_with_ties.value or 0.0)
    if ok.n:
        reasons.append(
            f"agrees with gold on {_pct(ok)}; {best.name} would agree on {100 * (best.agreement_with_ties.value or 0):.0f}%"
        )
    if ev.kappa.value is not None:
        interval = "" if ev.kappa.low is None else f" [{ev.kappa.low:.2f}, {ev.kappa.high:.2f}]"
        reasons.append(f"Cohen's kappa {ev.kappa.value:.2f}{interval} ({ev.kappa_words})")
    if ev.judgments == 0:
        return "nothing to evaluate: critique judgments of items with gold first", reasons
    if by_position:
        side = "first" if pos.low > POSITION_BOUND else "second"
        return f"answers by position (picks the {side} response shown); do not use", reasons
    if ev.failures.low > MAX_FAILURE_RATE:
        return f"fails too often ({100 * (ev.failures.value or 0):.0f}% of judgments); do not rely on it", reasons
    best_value = best.agreement_with_ties.value or 0.0
    if ok.n and (ok.value or 0.0) <= best_value:
        return f"no better than {best.name}; do not use", reasons
    if ok.n >= MIN_JUDGMENTS and ok.low <= best_value:
        return f"not shown better than {best.name} (n={ok.n}); do not rely on it", reasons
    if ok.n < MIN_JUDGMENTS:
        return f"too few judgments to tell ({ok.n} critiqued; at least {MIN_JUDGMENTS}): evaluate on more", reasons
    kappa_floor = ev.kappa.low if ev.kappa.low is not None else ev.kappa.value
    if kappa_floor is not None and kappa_floor >= FIT_KAPPA:
        return "fit to review: agrees with gold well beyond chance and the baselines; leads still check its escalations", reasons
    return f"usable with care: better than the baselines, but its agreement is {ev.kappa_words}; leads check every escalation", reasons


def evaluate_rows(
    rows: Sequence[dict[str, Any]], model: str | None = None, *, excluded_with_gold: int = 0,
    duplicates_left_out: int = 0, reviewed_pass: tuple[int, int] | None = None,
) -> ReviewerEvaluation:
    """Rows carry `status` (ok | failed; ok when absent), `reviewer` (final verdict), `gold`, `consistent`
    (1, 0 or None) and, optionally, `verdict_ab` / `verdict_ba` (the latter mapped back)."""
    ok = [r for r in rows if r.get("status", "ok") == "ok"]
    reviewer = [r["reviewer"] for r in ok]
    gold = [r["gold"] for r in ok]
    with_ties, without_ties = _agreement(reviewer, gold)
    swapped = [r["consistent"] for r in ok if r["consistent"] is not None]
    confusion = {g: {r: 0 for r in LABELS} for g in LABELS}
    for a, b in zip(reviewer, gold):
        confusion[b][a] += 1
    kappa = cohens_kappa_estimate(reviewer, gold) if ok else Estimate(value=None, n=0, reason="no successful critiques")
    ev = ReviewerEvaluation(
        model=model,
        judgments=len(rows),
        duplicates_left_out=duplicates_left_out,
        excluded_with_gold=excluded_with_gold,
        failures=proportion(len(rows) - len(ok), len(rows)),
        agreement_with_ties=with_ties,
        agreement_without_ties=without_ties,
        order_consistency=proportion(sum(1 for c in swapped if c), len(swapped)),
        first_position=first_position(ok),
        kappa=kappa,
        kappa_words=kappa_label(kappa.value),
        baselines=baselines(gold),
        confusion=confusion,
        reviewed_grades=proportion(*reviewed_pass) if reviewed_pass and reviewed_pass[1] else None,
        verdict="",
    )
    ev.verdict, ev.verdict_reasons = verdict_in_words(ev)
    return ev


def evaluate_reviewer(db_path: str | Path | None, model: str | None = None, annotator: str | None = None) -> ReviewerEvaluation:
    """Evaluate the stored critiques of `model` (all models when None) on items that have gold; sends nothing."""
    db = store.open_db(db_path)
    try:
        rows, older, with_gold = store.evaluation.newest_critiques_with_gold(db, model, annotator)
        reviewed = store.reviewed_grades.pass_agreement(db, model, [r["judgment_hash"] for r in rows])
    finally:
        db.conn.close()
    return evaluate_rows(rows, model=model, excluded_with_gold=with_gold, duplicates_left_out=older, reviewed_pass=reviewed)
