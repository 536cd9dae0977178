"""A calibration report as terminal text, Markdown or JSON, and an annotator's history across batches.

Text, Markdown and the HTML page (`calibration_html`, which also holds
`render`, the choice among the four) share one set of row builders so that
all show the same figures.
"""

from __future__ import annotations

import json

from ..models import AnnotatorHistory, AnnotatorResult, CalibrationReport, Estimate, PairTable, Rate
from .formatters import DASH, md_table, number, percent, table

fmt = number
pct = percent


def estimate_text(est: Estimate | None, *, percent: bool = False) -> str:
    if est is None:
        return DASH
    if not est.available:
        return est.reason or DASH
    show = pct if percent else fmt
    if est.low is None:
        return show(est.value)
    return f"{show(est.value)} [{show(est.low)}, {show(est.high)}]"


def rate_text(rate: Rate | None) -> str:
    if rate is None or rate.rate is None:
        return DASH
    mark = " !" if rate.flagged else ""
    return f"{pct(rate.rate)} (gold {pct(rate.gold_rate)}){mark}"


COEFFICIENTS = [
    ("percent agreement", "percent_agreement", True),
    ("percent agreement without ties", "percent_agreement_without_ties", True),
    ("Krippendorff's alpha", "krippendorff_alpha", False),
    ("Fleiss' kappa", "fleiss_kappa", False),
    ("Gwet's AC1", "gwet_ac1", False),
    ("PABAK", "pabak", False),
]


def agreement_rows(report: CalibrationReport) -> list[list[str]]:
    pref = report.agreement["preference"]
    strength = report.agreement.get("strength") or {}
    rows = []
    for label, key, as_percent in COEFFICIENTS:
        shown_label = label + (" (nominal / ordinal)" if key == "krippendorff_alpha" else "")
        in_strength = estimate_text(strength.get(key), percent=as_percent) if key in strength else DASH
        rows.append([shown_label, estimate_text(pref.get(key), percent=as_percent), in_strength])
    return rows


def matrix_rows(matrix: PairTable) -> tuple[list[str], list[list[str]]]:
    names = [str(r) for r in matrix.raters]
    rows = []
    for i, name in enumerate(names):
        row = [name]
        for j in range(len(names)):
            if i == j:
                row.append(DASH)
            else:
                est = matrix.estimate(i, j)
                row.append(fmt(est.value) if est.available else "n/a")
        rows.append(row)
    return ["", *names], rows


def annotator_rows(report: CalibrationReport) -> tuple[list[str], list[list[str]]]:
    if report.has_gold:
        headers = ["annotator", "items", "gold", "accuracy [95% CI]", "verdict", "score", "strength", "kappa w/ peers", "reliability (DS)"]
        rows = [
            [
                r.name,
                str(r.judged),
                str(r.gold_items),
                f"{pct(r.accuracy)} [{pct(r.accuracy_low)}, {pct(r.accuracy_high)}]" if r.accuracy is not None else DASH,
                r.verdict,
                fmt(r.mean_score, 1),
                fmt(r.strength_credit),
                fmt(r.kappa_with_peers),
                fmt(r.reliability),
            ]
            for r in report.annotator_results
        ]
    else:
        headers = ["annotator", "items", "agreement w/ peers", "kappa w/ peers", "reliability (DS)"]
        rows = [
            [r.name, str(r.judged), pct(r.agreement_with_peers), fmt(r.kappa_with_peers), fmt(r.reliability)]
            for r in report.annotator_results
        ]
    return headers, rows


def bias_rows(report: CalibrationReport) -> tuple[list[str], list[list[str]]]:
    headers = ["annotator", "A among A/B", "ties", "longer response", "self-consistency"]
    rows = []
    for r in report.annotator_results:
        consistency = DASH
        if r.consistency:
            agreed = sum(c.consistent for c in r.consistency)
            consistency = f"{agreed}/{len(r.consistency)} repeated pairs" + (" !" if agreed < len(r.consistency) else "")
        rows.append([r.name, rate_text(r.position), rate_text(r.ties), rate_text(r.length), consistency])
    return headers, rows


def coaching_lines(r: AnnotatorResult) -> list[str]:
    lines = []
    for bias in r.biases:
        lines.append(f"bias: {bias}")
    if r.missed_criteria:
        top = ", ".join(f"{m['name']} (missed {m['missed']} of {m['decisive']})" for m in r.missed_criteria[:3])
        lines.append(f"misses decisive criteria: {top}")
    if r.missed_key_points:
        counts: dict[str, int] = {}
        for kp in r.missed_key_points:
            counts[kp["text"]] = counts.get(kp["text"], 0) + 1
        top = "; ".join(f"{text} ({n}x)" for text, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3])
        lines.append(f"misses key points: {top}")
    return lines


def consensus_lines(report: CalibrationReport) -> list[str]:
    c = report.consensus
    total = len(c["items"])
    lines = [
        f"Majority vote and Dawid-Skene agree on {total - len(c['differ'])} of {total} items"
        f" ({c['no_majority']} without a majority; EM {'converged' if c['em_converged'] else 'did not converge'}"
        f" in {c['em_iterations']} iterations)."
    ]
    if "majority_accuracy" in c:
        lines.append(
            f"Against gold: majority vote {pct(c['majority_accuracy'])}, Dawid-Skene {pct(c['dawid_skene_accuracy'])}."
        )
    for d in c["differ"]:
        lines.append(
            f"  {d['item_id']}: majority {d['majority'] or 'none (split)'}, Dawid-Skene {d['dawid_skene']}"
            f" (posterior {d['dawid_skene_confidence']:.2f})"
        )
    return lines


def contested_blocks(report: CalibrationReport, limit: int = 5) -> list[tuple[str, list[str]]]:
    blocks = []
    for c in report.contested[:limit]:
        votes = " | ".join(f"{side}: {', '.join(names)}" for side, names in c.votes.items())
        head = f"{c.item_id}  entropy {c.entropy:.2f} bits  votes {votes}" + (f"  gold {c.gold_preference}" if c.gold_preference else "")
        lines = []
        for side, criteria in c.criteria_by_side.items():
            shown = ", ".join(f"{k} ({n})" for k, n in criteria.items()) or "no criterion named"
            lines.append(f"{side} side appeals to: {shown}")
        for kp in c.key_points_missed:
            lines.append(f"missed by {kp['missed_by']} of {kp['of']} wrong votes: {kp['text']}")
        blocks.append((head, lines))
    return blocks


# --------------------------------------------------------------------------- text


def render_text(report: CalibrationReport) -> str:
    out = [
        f"Calibration batch {report.batch}: rubric {report.rubric['id']} v{report.rubric['version']},"
        f" {report.items} items, {len(report.annotators)} annotators, {report.judgments} judgments",
    ]
    if report.has_gold:
        out.append(f"Verdicts: accuracy >= {report.threshold:.0%} on at least {report.min_items} gold items")
    out += _text_agreement(report) + _text_annotators(report)
    out += ["", "Consensus without gold"] + ["  " + line for line in consensus_lines(report)]
    if report.contested:
        out += ["", "Most contested items (vote entropy)"]
        for head, lines in contested_blocks(report):
            out.append(f"  {head}")
            out += [f"    {line}" for line in lines]
    if report.questions:
        out += ["", "Questions for the next calibration session"]
        out += [f"  {n}. {q}" for n, q in enumerate(report.questions, 1)]
    if report.proposal:
        out += ["", "For a guideline-improvement proposal"] + [f"  - {p}" for p in report.proposal]
    if report.notes:
        out += ["", "Notes"] + [f"  - {n}" for n in report.notes]
    return "\n".join(out) + "\n"


def _indented(lines: list[str]) -> list[str]:
    return ["  " + line for line in lines]


def _text_agreement(report: CalibrationReport) -> list[str]:
    out = ["", "Agreement among annotators (95% bootstrap intervals over items)"]
    out += _indented(table(["", "preference", "strength"], agreement_rows(report)))
    out += ["", "Cohen's kappa, preference (pairs of annotators; n/a = not enough overlap or no variation)"]
    out += _indented(table(*matrix_rows(report.agreement.preference.cohen_kappa)))
    strength = report.agreement.strength
    if strength:
        out += ["", "Weighted kappa, strength (quadratic)"]
        out += _indented(table(*matrix_rows(strength.weighted_kappa_quadratic)))
    return out


def _text_annotators(report: CalibrationReport) -> list[str]:
    out = ["", "Each annotator" + (" against gold" if report.has_gold else "")]
    out += _indented(table(*annotator_rows(report)))
    if not report.has_gold:
        return out
    out += ["", "Biases against gold on the same items (! = gold's rate is outside the annotator's 95% interval)"]
    out += _indented(table(*bias_rows(report)))
    coaching = [(r.name, coaching_lines(r)) for r in report.annotator_results]
    if any(lines for _, lines in coaching):
        out += ["", "Coaching"]
        for name, lines in coaching:
            if lines:
                out.append(f"  {name}")
                out += [f"    - {line}" for line in lines]
    return out


def render_json(report: CalibrationReport) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- markdown


def render_markdown(report: CalibrationReport) -> str:
    out = [
        f"# Calibration batch `{report.batch}`",
        "",
        f"Rubric **{report.rubric['id']}** v{report.rubric['version']}: {report.items} items,"
        f" {len(report.annotators)} annotators, {report.judgments} judgments."
        + (f" Verdicts need accuracy ≥ {report.threshold:.0%} on at least {report.min_items} gold items." if report.has_gold else ""),
        "",
        "## Agreement among annotators",
        "",
        "95% bootstrap intervals over items.",
        "",
    ]
    out += md_table(["coefficient", "preference", "strength"], agreement_rows(report))
    out += ["", "### Cohen's kappa (preference)", ""] + md_table(*matrix_rows(report.agreement.preference.cohen_kappa))
    strength = report.agreement.strength
    if strength:
        out += ["", "### Weighted kappa (strength, quadratic)", ""] + md_table(*matrix_rows(strength.weighted_kappa_quadratic))
    out += _md_annotators(report)
    out += ["", "## Consensus without gold", ""]
    out += [line.strip() if not line.startswith("  ") else "- " + line.strip() for line in consensus_lines(report)]
    if report.contested:
        out += ["", "## Where the guideline is unclear", ""]
        for head, lines in contested_blocks(report):
            out.append(f"- **{head}**")
            out += [f"  - {line}" for line in lines]
    if report.questions:
        out += ["", "### Questions for the next calibration session", ""] + [f"{n}. {q}" for n, q in enumerate(report.questions, 1)]
    if report.proposal:
        out += ["", "### For a guideline-improvement proposal", ""] + [f"- {p}" for p in report.proposal]
    if report.notes:
        out += ["", "## Notes", ""] + [f"- {n}" for n in report.notes]
    return "\n".join(out) + "\n"


def _md_annotators(report: CalibrationReport) -> list[str]:
    out = ["", "## Each annotator" + (" against gold" if report.has_gold else ""), ""] + md_table(*annotator_rows(report))
    if not report.has_gold:
        return out
    out += ["", "### Biases", "", "`!` = gold's rate is outside the annotator's 95% interval.", ""]
    out += md_table(*bias_rows(report))
    coaching = [(r.name, coaching_lines(r)) for r in report.annotator_results]
    if any(lines for _, lines in coaching):
        out += ["", "### Coaching", ""]
        for name, lines in coaching:
            if lines:
                out.append(f"- **{name}**")
                out += [f"  - {line}" for line in lines]
    return out


# --------------------------------------------------------------------------- history


def render_history(history: AnnotatorHistory, fmt_name: str = "text") -> str:
    if fmt_name == "json":
        return json.dumps(history.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if not history.rows:
        return f"No stored calibration batches for {history.annotator}.\n"
    headers = ["batch", "created", "items", "accuracy [95% CI]", "verdict", "kappa w/ peers", "A among A/B", "ties", "longer", "biases"]
    rows = [_history_row(r) for r in history.rows]
    if fmt_name == "md":
        lines = [f"# Calibration history: {history.annotator}", ""] + md_table(headers, rows)
        if history.drift:
            lines += ["", "## Drift", ""] + [f"- {d}" for d in history.drift]
        return "\n".join(lines) + "\n"
    lines = [f"Calibration history for {history.annotator} ({len(history.rows)} batches)", ""] + table(headers, rows)
    if history.drift:
        lines += ["", "Drift"] + [f"  - {d}" for d in history.drift]
    return "\n".join(lines) + "\n"


def _history_row(r) -> list[str]:  # type: ignore[no-untyped-def]
    def against_gold(rate: float | None, gold: float | None) -> str:
        return f"{pct(rate)} (gold {pct(gold)})" if rate is not None else DASH

    return [
        r.batch,
        r.created[:16],
        str(r.judged),
        f"{pct(r.accuracy)} [{pct(r.accuracy_low)}, {pct(r.accuracy_high)}]" if r.accuracy is not None else DASH,
        r.verdict or DASH,
        fmt(r.kappa_with_peers),
        against_gold(r.share_a, r.gold_share_a),
        against_gold(r.tie_rate, r.gold_tie_rate),
        against_gold(r.longer_rate, r.gold_longer_rate),
        "; ".join(b.split(":")[0] for b in r.biases) or "none",
    ]
