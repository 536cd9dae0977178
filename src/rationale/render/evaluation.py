"""`critique --evaluate` for people: every figure with its n and 95% interval, the baselines beside the model,
and the verdict in words first."""

from __future__ import annotations

from ..models import Proportion, ReviewerEvaluation

LABELS = ("A", "B", "tie")


def _p(p: Proportion | None) -> str:
    if p is None or p.n == 0:
        return "n/a (n = 0)"
    return f"{100 * (p.value or 0):5.1f}%  {p.successes:>4}/{p.n:<4} [{100 * p.low:.1f}%, {100 * p.high:.1f}%]"


def render_evaluation(ev: ReviewerEvaluation) -> list[str]:
    who = f" of {ev.model}" if ev.model else ""
    lines = [
        f"Reviewer evaluation{who}: {ev.judgments} judgments of items with gold, each counted once",
        f"  VERDICT: {ev.verdict}",
        *(f"    - {r}" for r in ev.verdict_reasons),
        "  figure (95% Wilson interval)          rate      k/n   interval",
        f"  failed (no valid reply)               {_p(ev.failures)}",
        f"  agreement with gold, ties included    {_p(ev.agreement_with_ties)}",
        f"  agreement with gold, without ties     {_p(ev.agreement_without_ties)}",
        f"  consistent across A/B orders          {_p(ev.order_consistency)}",
        f"  picks the response shown first        {_p(ev.first_position)}",
    ]
    k = ev.kappa
    if k.value is None:
        lines.append(f"  Cohen's kappa vs gold                 n/a ({k.reason or 'undefined'})")
    else:
        interval = "" if k.low is None else f" [{k.low:.3f}, {k.high:.3f}]"
        lines.append(f"  Cohen's kappa vs gold                 {k.value:.3f}{interval} ({ev.kappa_words}; bootstrap, n={k.n})")
        if k.note:
            lines.append(f"    ({k.note})")
    lines.append("  baselines on the same judgments       agreement with ties                agreement without ties")
    for b in ev.baselines:
        lines.append(f"    {b.name:<34}  {_p(b.agreement_with_ties)}  {_p(b.agreement_without_ties)}")
    if ev.reviewed_grades is not None:
        lines.append(f"  reviewed grade agrees with the grader on pass/fail  {_p(ev.reviewed_grades)}")
    lines.append("  confusion (rows gold, columns reviewer):  " + "  ".join(f"{label:>4}" for label in LABELS))
    for g in LABELS:
        lines.append(f"    gold {g:<4}" + " " * 30 + "  ".join(f"{ev.confusion[g][r]:>4}" for r in LABELS))
    if ev.duplicates_left_out:
        lines.append(f"  ({ev.duplicates_left_out} older critiques of the same judgments left out: other rubric versions or re-runs)")
    if ev.excluded_with_gold:
        lines.append(f"  ({ev.excluded_with_gold} critiques made --with-gold left out: that reviewer saw the answer)")
    return lines
