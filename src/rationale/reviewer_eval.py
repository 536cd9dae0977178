"""Is the LLM reviewer any good? Its verdicts against the leads' gold answers.

Only critiques made *without* `--with-gold` count: a reviewer that was shown
the gold answer agreeing with it says nothing about the reviewer.

* agreement with ties: the share of critiques whose final verdict (A, B or tie)
  equals gold's preference;
* agreement without ties: the same over pairs where neither gold nor the
  reviewer said tie (the MT-Bench "w/o tie" setting);
* order consistency: the share of swapped critiques whose two verdicts (A/B in
  the given order and swapped) agree;
* Cohen's kappa between reviewer and gold over the three labels, chance-corrected
  agreement (1 perfect, 0 chance level).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

LABELS = ("A", "B", "tie")


def cohens_kappa(first: Sequence[str], second: Sequence[str]) -> float | None:
    """Cohen's kappa of two raters over the same cases; None when undefined (no cases, or chance agreement is 1)."""
    if len(first) != len(second):
        raise ValueError("both raters must rate the same cases")
    n = len(first)
    if n == 0:
        return None
    observed = sum(a == b for a, b in zip(first, second)) / n
    count_a, count_b = Counter(first), Counter(second)
    expected = sum(count_a[label] * count_b[label] for label in set(count_a) | set(count_b)) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def kappa_label(kappa: float | None) -> str:
    """Landis and Koch's words for a kappa."""
    if kappa is None:
        return "undefined"
    for bound, words in ((0.0, "poor"), (0.2, "slight"), (0.4, "fair"), (0.6, "moderate"), (0.8, "substantial")):
        if kappa <= bound:
            return words
    return "almost perfect"


@dataclass
class ReviewerEvaluation:
    model: str | None
    critiques: int  # ok critiques on items with gold, made without gold
    agreement_with_ties: float | None
    pairs_without_ties: int
    agreement_without_ties: float | None
    swapped: int
    order_consistency: float | None
    kappa: float | None
    kappa_words: str
    excluded_with_gold: int
    confusion: dict[str, dict[str, int]]  # gold label -> reviewer label -> count

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def evaluate_rows(rows: Sequence[dict[str, Any]], model: str | None = None, excluded_with_gold: int = 0) -> ReviewerEvaluation:
    """Rows carry `reviewer` (final verdict), `gold` (preference) and `consistent` (1, 0 or None)."""
    reviewer = [r["reviewer"] for r in rows]
    gold = [r["gold"] for r in rows]
    n = len(rows)
    agree = sum(a == b for a, b in zip(reviewer, gold))
    decisive = [(a, b) for a, b in zip(reviewer, gold) if a != "tie" and b != "tie"]
    swapped = [r["consistent"] for r in rows if r["consistent"] is not None]
    confusion = {g: {r: 0 for r in LABELS} for g in LABELS}
    for a, b in zip(reviewer, gold):
        confusion[b][a] += 1
    kappa = cohens_kappa(reviewer, gold)
    return ReviewerEvaluation(
        model=model,
        critiques=n,
        agreement_with_ties=agree / n if n else None,
        pairs_without_ties=len(decisive),
        agreement_without_ties=(sum(a == b for a, b in decisive) / len(decisive)) if decisive else None,
        swapped=len(swapped),
        order_consistency=(sum(swapped) / len(swapped)) if swapped else None,
        kappa=kappa,
        kappa_words=kappa_label(kappa),
        excluded_with_gold=excluded_with_gold,
        confusion=confusion,
    )


def evaluate_reviewer(db_path: str | Path | None, model: str | None = None, annotator: str | None = None) -> ReviewerEvaluation:
    """Evaluate the stored critiques of `model` (all models when None) on items that have gold."""
    from .db import open_db

    db = open_db(db_path)
    where = ["c.status = 'ok'"]
    params: list[Any] = []
    if model:
        where.append("c.model = ?")
        params.append(model)
    if annotator:
        where.append("c.annotator = ?")
        params.append(annotator)
    sql = f"""
        select c.preference as reviewer, g.preference as gold, c.consistent, c.with_gold
        from critiques c join gold g on g.hash = c.gold_hash
        where {' and '.join(where)}
        order by c.annotator, c.item_id
    """
    rows = [dict(zip(("reviewer", "gold", "consistent", "with_gold"), r)) for r in db.conn.execute(sql, params)]
    independent = [r for r in rows if not r["with_gold"]]
    return evaluate_rows(independent, model=model, excluded_with_gold=len(rows) - len(independent))


def render_evaluation(ev: ReviewerEvaluation) -> list[str]:
    def pct(x: float | None) -> str:
        return "n/a" if x is None else f"{100 * x:.1f}%"

    lines = [
        f"Reviewer evaluation{f' of {ev.model}' if ev.model else ''}: {ev.critiques} critiques on items with gold",
        f"  agreement with gold (ties included):  {pct(ev.agreement_with_ties)}",
        f"  agreement with gold (without ties):   {pct(ev.agreement_without_ties)} over {ev.pairs_without_ties} decisive pairs",
        f"  consistency across A/B orders:        {pct(ev.order_consistency)} of {ev.swapped} swapped critiques",
        f"  Cohen's kappa vs gold:                {'n/a' if ev.kappa is None else f'{ev.kappa:.3f}'} ({ev.kappa_words})",
        "  confusion (rows gold, columns reviewer):  " + "  ".join(f"{label:>4}" for label in LABELS),
    ]
    for g in LABELS:
        lines.append(f"    gold {g:<4}" + " " * 30 + "  ".join(f"{ev.confusion[g][r]:>4}" for r in LABELS))
    if ev.excluded_with_gold:
        lines.append(f"  ({ev.excluded_with_gold} critiques made --with-gold are left out: that reviewer saw the answer)")
    if ev.critiques == 0:
        lines.append("  No critiques to evaluate: run `rationale critique --evaluate` on judgments of items with gold.")
    return lines
