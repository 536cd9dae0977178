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

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .. import store
from ..agreement import cohens_kappa
from ..models import ReviewerEvaluation

LABELS = ("A", "B", "tie")


def kappa_label(kappa: float | None) -> str:
    """Landis and Koch's words for a kappa."""
    if kappa is None:
        return "undefined"
    for bound, words in ((0.0, "poor"), (0.2, "slight"), (0.4, "fair"), (0.6, "moderate"), (0.8, "substantial")):
        if kappa <= bound:
            return words
    return "almost perfect"


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
    db = store.open_db(db_path)
    rows = store.critiques.verdicts_against_gold(db, model, annotator)
    independent = [r for r in rows if not r["with_gold"]]
    return evaluate_rows(independent, model=model, excluded_with_gold=len(rows) - len(independent))
