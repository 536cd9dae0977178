"""A calibration report as one self-contained HTML page: tables, heat maps, confusion matrices, accuracy bars.

The page draws its charts as inline SVG from geometry computed here; every
name and rationale reaches the page through the environment's autoescaping,
and the page loads nothing from the network.
"""

from __future__ import annotations

from typing import Any

from ..models import PREFERENCES, AnnotatorResult, CalibrationReport, PairTable
from .calibration import (
    DASH,
    agreement_base,
    agreement_rows,
    annotator_rows,
    bias_rows,
    class_score_caption,
    class_score_rows,
    judge_rows,
    coaching_lines,
    confidence_rows,
    CONFIDENCE_CAPTION,
    consensus_lines,
    contested_blocks,
    escalation_rows,
    ESCALATION_CAPTION,
    estimate_text,
    fmt,
    pct,
    render_json,
    render_markdown,
    render_text,
)
from .env import render as render_template
from .svg import reliability_curve


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


def _heat_map(matrix: PairTable, title: str) -> dict[str, Any]:
    names = [str(r) for r in matrix.raters]
    # Row names fit left of the grid (about 7 px a character at 12 px), column names slanted at 35° above it
    # and past its right edge (cos 35° and sin 35° of their length), and the grid fits the page's 1,000 px
    # where cells of 36 px allow (beyond, the card scrolls sideways, not the page).
    longest = max((len(n) for n in names), default=0)
    left, top = max(80, min(240, 16 + 7 * longest)), max(110, 30 + 4 * longest)
    right = max(20, int(5.8 * longest) - 16)
    cell = max(36, min(64, (1000 - left - right) // max(len(names), 1)))
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
    legend_top = top + cell * len(names) + 18
    return {
        "title": title,
        "names": names,
        "cell": cell,
        "left": left,
        "top": top,
        "width": max(left + cell * len(names) + right, left + 30 * len(LEGEND_STEPS) + 60),
        "height": legend_top + 44,
        "cells": cells,
        "legend": _legend(left, legend_top),
    }


# What each colour of a heat map means: kappa from -1 (red: worse than chance) through 0 (white) to 1 (blue).
LEGEND_STEPS = (-1.0, -0.5, 0.0, 0.2, 0.4, 0.6, 0.8, 1.0)


def _legend(left: int, top: int) -> dict[str, Any]:
    width = 30
    steps = [{"x": left + i * width, "fill": _heat_colour(v), "label": f"{v:g}"} for i, v in enumerate(LEGEND_STEPS)]
    return {"y": top, "width": width, "steps": steps, "na_x": left + width * len(LEGEND_STEPS) + 12, "na_fill": _heat_colour(None)}


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


def _reliability(report: CalibrationReport) -> str:
    """The reliability curve of every annotator who gave a confidence: the levels they used."""
    series = {
        r.name: [(lv.stated, lv.accuracy, lv.low, lv.high, lv.n) for lv in r.confidence.levels if lv.n]
        for r in report.annotator_results
        if r.confidence is not None
    }
    return reliability_curve(series, title="Reliability curve: accuracy by stated confidence") if series else ""


def render_html(report: CalibrationReport) -> str:
    pref = report.agreement.preference
    strength = report.agreement.strength
    heat_maps = [_heat_map(pref.cohen_kappa, "Cohen's kappa, preference")]
    if strength:
        heat_maps.append(_heat_map(strength.weighted_kappa_quadratic, "Weighted kappa, strength (quadratic)"))
    return render_template(
        "calibration.html.j2",
        report=report,
        agreement_rows=agreement_rows(report),
        agreement_base=agreement_base(report),
        annotator_table=annotator_rows(report),
        judge_table=judge_rows(report) if report.judge_results else None,
        score_table=class_score_rows(report),
        score_caption=class_score_caption(report),
        bias_table=bias_rows(report) if report.has_gold else None,
        escalation_table=escalation_rows(report),
        escalation_caption=ESCALATION_CAPTION,
        confidence_table=confidence_rows(report),
        confidence_caption=CONFIDENCE_CAPTION,
        reliability=_reliability(report),
        coaching=[(r.name, coaching_lines(r)) for r in report.annotator_results],
        consensus=consensus_lines(report),
        contested=contested_blocks(report),
        heat_maps=heat_maps,
        confusions=[c for c in (_confusion(r) for r in report.annotator_results) if c],
        accuracy=_accuracy_chart(report),
    )


def render(report: CalibrationReport, fmt_name: str) -> str:
    """The report as `text`, `json`, `md` or `html`."""
    return {"text": render_text, "json": render_json, "md": render_markdown, "html": render_html}[fmt_name](report)
