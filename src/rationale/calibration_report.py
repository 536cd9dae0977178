"""Rendering a calibration report: terminal text, JSON, Markdown and a self-contained HTML page.

Text and Markdown share one set of row builders so that both show the same
figures. The HTML page draws its charts as inline SVG from geometry computed
here; every name and rationale reaches the page through Jinja2 autoescaping,
and the page loads nothing from the network.
"""

from __future__ import annotations

import json
from typing import Any

from .agreement import Estimate, PairMatrix
from .calibration import AnnotatorHistory, AnnotatorResult, CalibrationReport, Rate
from .models import PREFERENCES

DASH = "—"


# --------------------------------------------------------------------------- formatting


def fmt(value: float | None, digits: int = 2) -> str:
    return DASH if value is None else f"{value:.{digits}f}"


def pct(value: float | None) -> str:
    return DASH if value is None else f"{value:.0%}"


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


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(c)) for c in col) for col in zip(headers, *rows)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def _md_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    esc = lambda c: str(c).replace("|", "\\|")  # noqa: E731
    return [
        "| " + " | ".join(esc(h) for h in headers) + " |",
        "|" + "|".join("---" for _ in headers) + "|",
        *("| " + " | ".join(esc(c) for c in r) + " |" for r in rows),
    ]


# --------------------------------------------------------------------------- shared rows


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
    for label, key, percent in COEFFICIENTS:
        shown_label = label + (" (nominal / ordinal)" if key == "krippendorff_alpha" else "")
        rows.append([shown_label, estimate_text(pref.get(key), percent=percent), estimate_text(strength.get(key), percent=percent) if key in strength else DASH])
    return rows


def matrix_rows(matrix: PairMatrix) -> tuple[list[str], list[list[str]]]:
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
    out += ["", "Agreement among annotators (95% bootstrap intervals over items)"]
    out += ["  " + line for line in _table(["", "preference", "strength"], agreement_rows(report))]
    pref = report.agreement["preference"]
    out += ["", "Cohen's kappa, preference (pairs of annotators; n/a = not enough overlap or no variation)"]
    out += ["  " + line for line in _table(*matrix_rows(pref["cohen_kappa"]))]
    strength = report.agreement.get("strength")
    if strength:
        out += ["", "Weighted kappa, strength (quadratic)"]
        out += ["  " + line for line in _table(*matrix_rows(strength["weighted_kappa_quadratic"]))]
    out += ["", "Each annotator" + (" against gold" if report.has_gold else "")]
    out += ["  " + line for line in _table(*annotator_rows(report))]
    if report.has_gold:
        out += ["", "Biases against gold on the same items (! = gold's rate is outside the annotator's 95% interval)"]
        out += ["  " + line for line in _table(*bias_rows(report))]
        coaching = [(r.name, coaching_lines(r)) for r in report.annotator_results]
        if any(lines for _, lines in coaching):
            out += ["", "Coaching"]
            for name, lines in coaching:
                if lines:
                    out.append(f"  {name}")
                    out += [f"    - {line}" for line in lines]
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
    out += _md_table(["coefficient", "preference", "strength"], agreement_rows(report))
    out += ["", "### Cohen's kappa (preference)", ""] + _md_table(*matrix_rows(report.agreement["preference"]["cohen_kappa"]))
    strength = report.agreement.get("strength")
    if strength:
        out += ["", "### Weighted kappa (strength, quadratic)", ""] + _md_table(*matrix_rows(strength["weighted_kappa_quadratic"]))
    out += ["", "## Each annotator" + (" against gold" if report.has_gold else ""), ""] + _md_table(*annotator_rows(report))
    if report.has_gold:
        out += ["", "### Biases", "", "`!` = gold's rate is outside the annotator's 95% interval.", ""]
        out += _md_table(*bias_rows(report))
        coaching = [(r.name, coaching_lines(r)) for r in report.annotator_results]
        if any(lines for _, lines in coaching):
            out += ["", "### Coaching", ""]
            for name, lines in coaching:
                if lines:
                    out.append(f"- **{name}**")
                    out += [f"  - {line}" for line in lines]
    out += ["", "## Consensus without gold", ""] + [line.strip() if not line.startswith("  ") else "- " + line.strip() for line in consensus_lines(report)]
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


# --------------------------------------------------------------------------- HTML charts


def _heat_colour(value: float | None) -> str:
    """White at 0, deepening blue towards 1, red below 0; grey where there is no number."""
    if value is None:
        return "#e5e7eb"
    v = max(-1.0, min(1.0, value))
    if v >= 0:
        r, g, b = (int(255 - (255 - c) * v) for c in (37, 99, 235))
    else:
        r, g, b = (int(255 - (255 - c) * -v) for c in (220, 38, 38))
    return f"#{r:02x}{g:02x}{b:02x}"


def _heat_map(matrix: PairMatrix, title: str) -> dict[str, Any]:
    names = [str(r) for r in matrix.raters]
    cell, left, top = 64, 130, 110
    cells = []
    for i in range(len(names)):
        for j in range(len(names)):
            est = matrix.estimate(i, j) if i != j else None
            value = est.value if est is not None and est.available else None
            cells.append(
                {
                    "x": left + j * cell,
                    "y": top + i * cell,
                    "fill": "#f3f4f6" if i == j else _heat_colour(value),
                    "label": DASH if i == j else (fmt(value) if value is not None else "n/a"),
                    "dark": value is not None and abs(value) > 0.6,
                    "tip": "" if i == j else f"{names[i]} / {names[j]}: {estimate_text(est)} on {est.n if est else 0} shared items",
                }
            )
    return {
        "title": title,
        "names": names,
        "cell": cell,
        "left": left,
        "top": top,
        "width": left + cell * len(names) + 20,
        "height": top + cell * len(names) + 20,
        "cells": cells,
    }


def _confusion(r: AnnotatorResult) -> dict[str, Any] | None:
    if not r.confusion:
        return None
    cell, left, top = 46, 60, 44
    peak = max((n for row in r.confusion.values() for n in row.values()), default=0) or 1
    cells = []
    for i, g in enumerate(PREFERENCES):
        for j, a in enumerate(PREFERENCES):
            n = r.confusion[g][a]
            share = n / peak
            base = (22, 163, 74) if g == a else (220, 38, 38)
            colour = "#" + "".join(f"{int(255 - (255 - c) * share):02x}" for c in base)
            cells.append({"x": left + j * cell, "y": top + i * cell, "n": n, "fill": colour, "dark": share > 0.6})
    return {"name": r.name, "cell": cell, "left": left, "top": top, "labels": list(PREFERENCES), "cells": cells,
            "width": left + 3 * cell + 10, "height": top + 3 * cell + 10}


def _accuracy_chart(report: CalibrationReport) -> dict[str, Any] | None:
    rows = [r for r in report.annotator_results if r.accuracy is not None]
    if not rows:
        return None
    left, width, row_h, top = 150, 420, 30, 24
    x = lambda v: left + v * width  # noqa: E731
    bars = [
        {
            "name": r.name,
            "y": top + k * row_h + row_h / 2,
            "x": x(r.accuracy),
            "x_low": x(r.accuracy_low),
            "x_high": x(r.accuracy_high),
            "label": f"{pct(r.accuracy)} [{pct(r.accuracy_low)}, {pct(r.accuracy_high)}] n={r.gold_items}",
            "colour": {"meets threshold": "#16a34a", "below threshold": "#dc2626"}.get(r.verdict, "#6b7280"),
            "verdict": r.verdict,
        }
        for k, r in enumerate(rows)
    ]
    ticks = [{"x": x(t / 10), "label": f"{t * 10}%"} for t in range(0, 11, 2)]
    height = top + row_h * len(rows) + 30
    return {
        "bars": bars,
        "ticks": ticks,
        "threshold_x": x(report.threshold),
        "threshold": pct(report.threshold),
        "left": left,
        "right": left + width,
        "top": top,
        "bottom": height - 24,
        "width": left + width + 340,
        "height": height,
    }


def render_html(report: CalibrationReport) -> str:
    from jinja2 import Environment, PackageLoader

    env = Environment(loader=PackageLoader("rationale", "templates"), autoescape=True)
    template = env.get_template("calibration.html.j2")
    pref = report.agreement["preference"]
    strength = report.agreement.get("strength")
    heat_maps = [_heat_map(pref["cohen_kappa"], "Cohen's kappa, preference")]
    if strength:
        heat_maps.append(_heat_map(strength["weighted_kappa_quadratic"], "Weighted kappa, strength (quadratic)"))
    return template.render(
        report=report,
        agreement_rows=agreement_rows(report),
        annotator_table=annotator_rows(report),
        bias_table=bias_rows(report) if report.has_gold else None,
        coaching=[(r.name, coaching_lines(r)) for r in report.annotator_results],
        consensus=consensus_lines(report),
        contested=contested_blocks(report),
        heat_maps=heat_maps,
        confusions=[c for c in (_confusion(r) for r in report.annotator_results) if c],
        accuracy=_accuracy_chart(report),
    )


def render(report: CalibrationReport, fmt_name: str) -> str:
    return {"text": render_text, "json": render_json, "md": render_markdown, "html": render_html}[fmt_name](report)


# --------------------------------------------------------------------------- history


def render_history(history: AnnotatorHistory, fmt_name: str = "text") -> str:
    if fmt_name == "json":
        return json.dumps(history.to_dict(), indent=2, ensure_ascii=False) + "\n"
    headers = ["batch", "created", "items", "accuracy [95% CI]", "verdict", "kappa w/ peers", "A among A/B", "ties", "longer", "biases"]
    rows = [
        [
            r.batch,
            r.created[:16],
            str(r.judged),
            f"{pct(r.accuracy)} [{pct(r.accuracy_low)}, {pct(r.accuracy_high)}]" if r.accuracy is not None else DASH,
            r.verdict or DASH,
            fmt(r.kappa_with_peers),
            f"{pct(r.share_a)} (gold {pct(r.gold_share_a)})" if r.share_a is not None else DASH,
            f"{pct(r.tie_rate)} (gold {pct(r.gold_tie_rate)})" if r.tie_rate is not None else DASH,
            f"{pct(r.longer_rate)} (gold {pct(r.gold_longer_rate)})" if r.longer_rate is not None else DASH,
            "; ".join(b.split(":")[0] for b in r.biases) or "none",
        ]
        for r in history.rows
    ]
    if not history.rows:
        return f"No stored calibration batches for {history.annotator}.\n"
    if fmt_name == "md":
        lines = [f"# Calibration history: {history.annotator}", ""] + _md_table(headers, rows)
        if history.drift:
            lines += ["", "## Drift", ""] + [f"- {d}" for d in history.drift]
        return "\n".join(lines) + "\n"
    lines = [f"Calibration history for {history.annotator} ({len(history.rows)} batches)", ""] + _table(headers, rows)
    if history.drift:
        lines += ["", "Drift"] + [f"  - {d}" for d in history.drift]
    return "\n".join(lines) + "\n"
