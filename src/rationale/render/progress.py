"""A trainee's progress as terminal text, JSON or a self-contained HTML page with line charts."""

from __future__ import annotations

import json
from functools import partial

from ..models import Progress
from .env import render as render_template
from .formatters import percent, plural
from .svg import line_chart

_pct = partial(percent, missing="–")


def render_text(p: Progress) -> str:
    lines = [f"Progress of {p.annotator}: {p.answered} graded {plural(p.answered, 'answer')}"
             f" in {len(p.sessions)} {plural(len(p.sessions), 'session')}"]
    if not p.answered:
        lines.append("No graded answers yet: run `rationale drill` to start.")
        return "\n".join(lines)
    lines.append("")
    lines.append(f"{'session':<16} {'answers':>7} {'accuracy':>8} {'score':>6} {'verdict':>7} {'reasoning':>9} {'passed':>7}")
    for s in p.sessions:
        verdict = "–" if s.mean_verdict is None else f"{s.mean_verdict:.0f}"
        reasoning = "–" if s.mean_reasoning is None else f"{s.mean_reasoning:.0f}"
        lines.append(
            f"{s.label:<16} {s.answered:>7} {_pct(s.accuracy):>8} {s.mean_score:>6.0f} {verdict:>7} {reasoning:>9}"
            f" {_pct(s.pass_rate):>7}"
        )
    if p.criteria:
        lines.append("")
        lines.append("Criteria cited when decisive (per session, oldest first):")
        for c in p.criteria:
            curve = " ".join(_pct(v) for v in c.points)
            lines.append(f"  {c.criterion:<22} {c.cited}/{c.decisive}  {curve}")
    if p.missed_key_points:
        lines.append("")
        lines.append("Key points most often missed:")
        for k in p.missed_key_points:
            lines.append(f"  {k.missed}/{k.seen}  {k.item_id}: {k.text}")
    lines.append("")
    lines.append(
        f"Position bias: picked the response shown as A in {_pct(p.position.picked_rate)} of {p.position.answers}"
        f" sided answers; the gold: {_pct(p.position.gold_rate)}."
    )
    if p.swaps:
        lines.append(f"Consistency on swapped re-serves: {p.swaps_consistent}/{p.swaps}.")
    lines.append(
        f"Length bias: picked the longer response in {_pct(p.length.picked_rate)} of {p.length.answers}"
        f" answers; the gold: {_pct(p.length.gold_rate)}."
    )
    lines += escalation_lines(p)
    if p.top_findings:
        lines.append("Frequent findings: " + ", ".join(f"{f.code} ({f.count})" for f in p.top_findings))
    if p.revisions.answers:
        lines.append(revisions_line(p))
    lines.append("")
    lines.append("Next focus:")
    lines += [f"  - {a}" for a in p.next_focus]
    return "\n".join(lines)


def escalation_lines(p: Progress) -> list[str]:
    """Escalation and confidence per session, and overall; nothing when the trainee never met either."""
    lines = []
    if p.escalation_hits or p.escalation_misses or p.false_alarms:
        per_session = " ".join(f"{s.escalated}/{s.edge_cases}" if s.edge_cases else "–" for s in p.sessions)
        lines.append(
            f"Escalation: flagged {p.escalation_hits} of {p.escalation_hits + p.escalation_misses} edge cases"
            f" (per session: {per_session}); flagged {p.false_alarms} clear {plural(p.false_alarms, 'pair')}."
        )
    c = p.confidence
    if c is not None:
        gaps = " ".join(
            "–" if s.mean_stated is None or s.accuracy_stated is None else f"{s.mean_stated - s.accuracy_stated:+.0%}"
            for s in p.sessions
        )
        lines.append(
            f"Confidence: {c.verdict} on {c.n} {plural(c.n, 'answer')}: stated {c.mean_stated:.0%}, right {c.accuracy:.0%}"
            f" (Brier {c.brier:.3f}, ECE {c.ece:.3f}); stated minus right per session: {gaps}."
        )
    return lines


def revisions_line(p: Progress) -> str:
    r = p.revisions
    scores = "" if r.mean_before is None else f"; mean score {r.mean_before:.0f} as first given, {r.mean_after:.0f} after revision"
    return f"Revised: {r.answers} {plural(r.answers, 'answer')}{scores} (each counted once above, as first given)."


def render_html(p: Progress) -> str:
    labels = [s.label for s in p.sessions]
    charts = {
        "overall": line_chart(
            labels,
            {
                "accuracy": [s.accuracy for s in p.sessions],
                "score / 100": [s.mean_score / 100 for s in p.sessions],
                "reasoning / 100": [None if s.mean_reasoning is None else s.mean_reasoning / 100 for s in p.sessions],
            },
            title="Accuracy and score per session",
        ),
        "criteria": line_chart(labels, {c.criterion: c.points for c in p.criteria}, title="Decisive criteria cited per session"),
    }
    if p.escalation_hits or p.escalation_misses or p.false_alarms or p.confidence is not None:
        charts["judgment"] = line_chart(
            labels,
            {
                "edge cases escalated": [s.escalated / s.edge_cases if s.edge_cases else None for s in p.sessions],
                "clear pairs flagged": [s.false_alarms / s.answered for s in p.sessions],
                "stated confidence": [s.mean_stated for s in p.sessions],
                "right when stating it": [s.accuracy_stated for s in p.sessions],
            },
            title="Escalation and confidence per session",
        )
    return render_template(
        "progress.html.j2", p=p, charts=charts, pct=_pct, revisions=revisions_line(p), judgment=escalation_lines(p)
    )


def render(p: Progress, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(p.to_json(), indent=2, ensure_ascii=False)
    if fmt == "html":
        return render_html(p)
    return render_text(p)
