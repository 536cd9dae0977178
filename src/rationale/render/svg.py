"""Small inline-SVG charts for self-contained HTML reports.

Charts are built as markup strings by Jinja2-free code, so every label passes
through `escape()` here; templates insert the result with `|safe`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

PALETTE = {"bar": "#3b6ea8", "good": "#2e7d32", "bad": "#c62828", "grid": "#d0d7de", "text": "#24292f"}


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    max_value: float | None = None,
    width: int = 560,
    bar_height: int = 22,
    value_format: str = "{:.0f}",
    title: str = "",
) -> str:
    """Horizontal bars, one per label; values are drawn at the end of each bar."""
    label_width = 190
    top = max_value if max_value is not None else max([*values, 1e-9])
    height = bar_height * len(labels) + 10
    plot = width - label_width - 60
    rows = []
    for i, (label, value) in enumerate(zip(labels, values)):
        y = 5 + i * bar_height
        length = 0 if top <= 0 else max(0.0, plot * value / top)
        rows.append(
            f'<text x="{label_width - 6}" y="{y + bar_height * 0.68:.1f}" text-anchor="end">{escape(str(label))}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{bar_height - 6}" fill="{PALETTE["bar"]}"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{y + bar_height * 0.68:.1f}">{escape(value_format.format(value))}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="system-ui, sans-serif" font-size="12" fill="{PALETTE["text"]}">'
        + "".join(rows)
        + "</svg>"
    )


def histogram(values: Sequence[float], *, bins: int = 10, low: float = 0, high: float = 100, title: str = "") -> str:
    """Vertical histogram of values in [low, high] with `bins` equal bins."""
    counts = [0] * bins
    for v in values:
        index = int((min(max(v, low), high) - low) / (high - low) * bins)
        counts[min(index, bins - 1)] += 1
    width, height, pad = 560, 180, 28
    bar_w = (width - 2 * pad) / bins
    top = max(counts) or 1
    parts = [
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="{PALETTE["grid"]}"/>'
    ]
    for i, count in enumerate(counts):
        h = (height - 2 * pad) * count / top
        x = pad + i * bar_w
        parts.append(
            f'<rect x="{x + 2:.1f}" y="{height - pad - h:.1f}" width="{bar_w - 4:.1f}" height="{h:.1f}" fill="{PALETTE["bar"]}"/>'
        )
        if count:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{height - pad - h - 4:.1f}" text-anchor="middle">{count}</text>')
        edge = low + (high - low) * i / bins
        parts.append(f'<text x="{x:.1f}" y="{height - pad + 14}" text-anchor="middle">{edge:g}</text>')
    parts.append(f'<text x="{width - pad:.1f}" y="{height - pad + 14}" text-anchor="middle">{high:g}</text>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'font-family="system-ui, sans-serif" font-size="11" fill="{PALETTE["text"]}">' + "".join(parts) + "</svg>"
    )


CURVE_COLOURS = ["#3b6ea8", "#2e7d32", "#c62828", "#9a6700", "#6f42c1", "#0a7f86", "#b35900", "#57606a"]


def _legend_entry(x: float, y: float, colour: str, name: str) -> list[str]:
    """A coloured square and the series' name (escaped), right of a chart."""
    return [f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>',
            f'<text x="{x + 18}" y="{y + 1}">{escape(name)}</text>']


def _legend_bottom(top: float, entries: int) -> float:
    """Where a legend of `entries` names (one per 20 px, as `_legend_entry` places them) ends: the chart is at least this tall."""
    return top + 20 * entries + 8


def _framed(parts: list[str], title: str, width: int, height: int) -> str:
    """The chart's parts in an <svg> element sized for the page, its title (escaped) as the accessible label."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" font-family="system-ui, sans-serif" font-size="13" fill="#24292f">'
        + "".join(parts)
        + "</svg>"
    )


def line_chart(labels: list[str], series: dict[str, list[float | None]], *, title: str, y_max: float = 1.0) -> str:
    """Lines over sessions (values 0..y_max), as inline SVG; every label escaped.

    Drawn to be read at the page's own size: 13 px text, the full 860 px width,
    a dot with its value beside it when a series has a single point, and a
    dashed line across sessions where a series has no value (a criterion
    that did not decide any pair that session), so no point stands alone.
    """
    legend_w = min(260, 24 + 8 * max((len(name) for name in series), default=0))
    width, height, left, top, bottom = 860, 280, 48, 16, 44
    right = legend_w + 16
    plot_w, plot_h = width - left - right, height - top - bottom
    height = max(height, _legend_bottom(top, len(series)))
    count = max(len(labels), 1)

    def x(i: int) -> float:
        return left + (plot_w * i / (count - 1) if count > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / y_max)

    parts = []
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        ty = y(tick * y_max)
        text = f"{tick * y_max:.0%}" if y_max == 1.0 else f"{tick * y_max:g}"
        parts.append(f'<line x1="{left}" y1="{ty:.1f}" x2="{left + plot_w}" y2="{ty:.1f}" stroke="#d0d7de"/>')
        parts.append(f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end">{text}</text>')
    step = max(1, math.ceil(len(labels) * 90 / plot_w))  # at most one label per 90 px: never overlapping
    for i, label in enumerate(labels):
        if i % step == 0 or i == len(labels) - 1:
            parts.append(f'<text x="{x(i):.1f}" y="{top + plot_h + 20}" text-anchor="middle">{escape(label)}</text>')
    placed: dict[int, list[float]] = {}  # value labels already drawn at each session: a label must not cover another
    for n, (name, values) in enumerate(series.items()):
        colour = CURVE_COLOURS[n % len(CURVE_COLOURS)]
        points = [(i, v) for i, v in enumerate(values) if v is not None]
        for (i, v), (j, w) in zip(points, points[1:]):
            dash = "" if j == i + 1 else ' stroke-dasharray="5 4"'
            parts.append(
                f'<line x1="{x(i):.1f}" y1="{y(v):.1f}" x2="{x(j):.1f}" y2="{y(w):.1f}" stroke="{colour}" stroke-width="2.5"{dash}/>'
            )
        for i, v in points:
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="4.5" fill="{colour}"><title>{escape(name)}: {v:.2f}</title></circle>')
        if len(points) == 1:
            i, v = points[0]
            value = f"{v:.0%}" if y_max == 1.0 else f"{v:g}"
            ty = max(y(v) - 8, 13.0)  # a value at 100% sits inside the chart, not cut by its top edge
            while any(abs(ty - other) < 14 for other in placed.get(i, [])):  # 13 px text, one line apart
                ty += 14
            placed.setdefault(i, []).append(ty)
            parts.append(f'<text x="{x(i) + 8:.1f}" y="{ty:.1f}" fill="{colour}">{value}</text>')
        parts += _legend_entry(left + plot_w + 16, top + 20 * n + 8, colour, name)
    return _framed(parts, title, width, height)


def reliability_curve(series: dict[str, list[tuple[float, float, float, float, int]]], *, title: str) -> str:
    """Accuracy against stated confidence, one line per annotator, as inline SVG; every label escaped.

    Each point is (stated probability, accuracy, interval low, interval high, answers) of one confidence
    level; the interval is drawn as a vertical bar, and the dashed diagonal is perfect calibration
    (right as often as stated). Points above the diagonal are under-confident, below it over-confident.
    """
    legend_w = min(260, 24 + 8 * max((len(name) for name in series), default=0))
    width, height, left, top, bottom = 860, 340, 56, 16, 48
    right = legend_w + 16
    plot_w, plot_h = width - left - right, height - top - bottom
    height = max(height, _legend_bottom(top, len(series)))  # every name in the legend, below the plot if need be
    lo = 0.4  # the scale starts below the lowest stated probability (50%)

    def x(v: float) -> float:
        return left + plot_w * (v - lo) / (1 - lo)

    def y(v: float) -> float:
        return top + plot_h * (1 - v)

    parts = []
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        parts.append(f'<line x1="{left}" y1="{y(tick):.1f}" x2="{left + plot_w}" y2="{y(tick):.1f}" stroke="#d0d7de"/>')
        parts.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{tick:.0%}</text>')
    for tick in (0.5, 0.625, 0.75, 0.875, 1.0):
        parts.append(f'<text x="{x(tick):.1f}" y="{top + plot_h + 18}" text-anchor="middle">{tick:.1%}</text>')
    parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h + 42}" text-anchor="middle">stated confidence (1 = 50% … 5 = 100%)</text>')
    parts.append(
        f'<line x1="{x(lo):.1f}" y1="{y(lo):.1f}" x2="{x(1):.1f}" y2="{y(1):.1f}" stroke="#57606a" stroke-dasharray="6 4">'
        "<title>perfect calibration</title></line>"
    )
    for n, (name, points) in enumerate(series.items()):
        colour = CURVE_COLOURS[n % len(CURVE_COLOURS)]
        # side by side, so intervals at one level do not hide each other; at most 24 px apart in all, inside the plot
        shift = (n - (len(series) - 1) / 2) * min(4.0, 24 / max(len(series) - 1, 1))
        for (s, a, _, _, _), (t, b, _, _, _) in zip(points, points[1:]):
            parts.append(
                f'<line x1="{x(s) + shift:.1f}" y1="{y(a):.1f}" x2="{x(t) + shift:.1f}" y2="{y(b):.1f}" stroke="{colour}" stroke-width="2.5"/>'
            )
        for s, a, low, high, count in points:
            parts.append(f'<line x1="{x(s) + shift:.1f}" y1="{y(low):.1f}" x2="{x(s) + shift:.1f}" y2="{y(high):.1f}" stroke="{colour}" stroke-width="1.5"/>')
            parts.append(
                f'<circle cx="{x(s) + shift:.1f}" cy="{y(a):.1f}" r="4.5" fill="{colour}"><title>{escape(name)}: stated {s:.0%},'
                f' right {a:.0%} [{low:.0%}, {high:.0%}] of {count}</title></circle>'
            )
        parts += _legend_entry(left + plot_w + 16, top + 20 * n + 8, colour, name)
    return _framed(parts, title, width, height)
