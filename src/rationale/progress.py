"""A trainee's progress over time, from the database: `rationale progress NAME`.

Every graded answer of the annotator counts: drill answers are grouped by
drill session, answers graded from files (`rationale grade`) by grading run.
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
* a suggested next focus, from the weakest of the above.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import sqlite_utils

from .scheduling import earlier_preference, original_order_preferences, swap_preference

# Below these counts a rate says too little to base advice on.
MIN_OPPORTUNITIES = 2
MIN_SIDED_ANSWERS = 5
BIAS_THRESHOLD = 0.2
CONSISTENCY_TARGET = 0.8
WEAK_CRITERION_RATE = 0.6


@dataclass
class SessionPoint:
    label: str  # "drill 3" or "graded run 7"
    kind: str  # drill | graded
    started: str | None
    answered: int
    accuracy: float
    mean_score: float
    rationale_quality: float | None
    pass_rate: float


@dataclass
class CriterionCurve:
    criterion: str
    points: list[float | None]  # one per session: cited / decisive, None where it was never decisive
    cited: int
    decisive: int

    @property
    def rate(self) -> float | None:
        return self.cited / self.decisive if self.decisive else None


@dataclass
class MissedKeyPoint:
    item_id: str
    key_point: str
    text: str
    missed: int
    seen: int


@dataclass
class Bias:
    answers: int  # answers with a side chosen (ties left out)
    picked_rate: float | None  # share picking the shown-A (or longer) response
    gold_rate: float | None  # share where the gold picks it, on the same answers

    @property
    def bias(self) -> float | None:
        if self.picked_rate is None or self.gold_rate is None:
            return None
        return self.picked_rate - self.gold_rate


@dataclass
class Progress:
    annotator: str
    answered: int
    sessions: list[SessionPoint]
    criteria: list[CriterionCurve]
    missed_key_points: list[MissedKeyPoint]
    position: Bias
    length: Bias
    swaps: int
    swaps_consistent: int
    top_findings: list[tuple[str, int]]
    next_focus: list[str] = field(default_factory=list)

    @property
    def consistency(self) -> float | None:
        return self.swaps_consistent / self.swaps if self.swaps else None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for curve, raw in zip(self.criteria, data["criteria"]):
            raw["rate"] = curve.rate
        data["position"]["bias"] = self.position.bias
        data["length"]["bias"] = self.length.bias
        data["consistency"] = self.consistency
        data["top_findings"] = [{"code": c, "count": n} for c, n in self.top_findings]
        return data


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
    rationale_quality: float | None
    key_points_missed: list[str]
    gold: dict[str, Any]
    shown_preference: str
    shown_gold_preference: str
    shown_longer: str | None  # "A" or "B" as shown; None when equally long
    swapped: bool
    grade_id: str


_COLUMNS = (
    "g.id as grade_id, g.score, g.passed, g.preference_correct, g.components, g.key_points_missed,"
    " j.item_id, j.version, j.preference, j.criteria, gd.body as gold_body,"
    " length(it.response_a) as len_a, length(it.response_b) as len_b"
)


def _rows(db: sqlite_utils.Database, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    cursor = db.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _answers(db: sqlite_utils.Database, annotator: str) -> list[_Answer]:
    drill = _rows(
        db,
        f"select {_COLUMNS}, s.number, s.started, p.swapped, p.shown_preference, p.answered_at"
        " from drill_presentations p join drill_sessions s on s.id = p.session_id"
        " join grades g on g.id = p.grade_id join judgments j on j.hash = p.judgment_hash"
        " join gold gd on gd.hash = g.gold_hash join items it on it.hash = j.item_hash"
        " where s.annotator = ? and p.answered_at is not null order by p.answered_at, p.position",
        [annotator],
    )
    graded = _rows(
        db,
        f"select {_COLUMNS}, g.run_id, coalesce(r.started, g.graded_at) as started"
        " from grades g join judgments j on j.hash = g.judgment_hash"
        " join gold gd on gd.hash = g.gold_hash join items it on it.hash = j.item_hash"
        " left join runs r on r.id = g.run_id"
        " where g.annotator = ? and g.id not in"
        "   (select grade_id from drill_presentations where grade_id is not null)"
        " order by started, g.rowid",
        [annotator],
    )
    answers = []
    for row in drill:
        answers.append(_answer(row, (row["number"], f"drill {row['number']}"), "drill", bool(row["swapped"]), row["shown_preference"]))
    for row in graded:
        label = f"graded run {row['run_id']}" if row["run_id"] is not None else "graded"
        answers.append(_answer(row, (0, label), "graded", False, row["preference"]))
    return answers


def _answer(row: dict[str, Any], group: tuple[int, str], kind: str, swapped: bool, shown_preference: str) -> _Answer:
    # A swapped drill answer is stored as shown: its judgment, item and gold all name the sides the
    # trainee saw, so only `preference` is mapped back to the original order.
    gold = json.loads(row["gold_body"])
    components = json.loads(row["components"] or "{}")
    len_a, len_b = row["len_a"], row["len_b"]
    longer = None if len_a == len_b else ("A" if len_a > len_b else "B")
    return _Answer(
        group=group,
        kind=kind,
        started=row["started"],
        item_id=row["item_id"],
        version=row["version"],
        preference=swap_preference(row["preference"]) if swapped else row["preference"],
        criteria=json.loads(row["criteria"] or "[]"),
        score=row["score"],
        passed=bool(row["passed"]),
        preference_correct=bool(row["preference_correct"]),
        rationale_quality=components.get("rationale_quality"),
        key_points_missed=json.loads(row["key_points_missed"] or "[]"),
        gold=gold,
        shown_preference=shown_preference,
        shown_gold_preference=gold["preference"],
        shown_longer=longer,
        swapped=swapped,
        grade_id=row["grade_id"],
    )


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _bias(pairs: list[tuple[str, str]], side: str) -> Bias:
    """pairs: (trainee's shown choice, gold's shown choice) for answers where the trainee chose a side."""
    if not pairs:
        return Bias(0, None, None)
    picked = sum(1 for mine, _ in pairs if mine == side) / len(pairs)
    gold = sum(1 for _, theirs in pairs if theirs == side) / len(pairs)
    return Bias(len(pairs), picked, gold)


def compute_progress(db: sqlite_utils.Database, annotator: str) -> Progress:
    answers = _answers(db, annotator)
    drill_groups = sorted({a.group for a in answers if a.kind == "drill"})
    graded_groups = [g for g in dict.fromkeys(a.group for a in answers if a.kind == "graded")]
    # Graded runs and drill sessions are laid out in the order they started.
    started: dict[tuple[int, str], str] = {}
    for a in answers:
        started.setdefault(a.group, a.started or "")
    groups = sorted(graded_groups + drill_groups, key=lambda g: (started.get(g, ""), g))
    by_group: dict[tuple[int, str], list[_Answer]] = defaultdict(list)
    for a in answers:
        by_group[a.group].append(a)

    sessions = []
    for g in groups:
        rows = by_group[g]
        quality = [a.rationale_quality for a in rows if a.rationale_quality is not None]
        sessions.append(
            SessionPoint(
                label=g[1],
                kind=rows[0].kind,
                started=rows[0].started,
                answered=len(rows),
                accuracy=sum(a.preference_correct for a in rows) / len(rows),
                mean_score=sum(a.score for a in rows) / len(rows),
                rationale_quality=_mean(quality),
                pass_rate=sum(a.passed for a in rows) / len(rows),
            )
        )

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
        curves.append(CriterionCurve(c, points, cited, decisive))

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
    missed_points = [
        MissedKeyPoint(item_id, kp, texts[(item_id, kp)], count, seen[(item_id, kp)])
        for (item_id, kp), count in sorted(missed.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    ]

    sided = [a for a in answers if a.shown_preference in ("A", "B")]
    position = _bias([(a.shown_preference, a.shown_gold_preference) for a in sided], "A")
    with_longer = [a for a in sided if a.shown_longer is not None]
    length = _bias(
        [
            (
                "longer" if a.shown_preference == a.shown_longer else "shorter",
                "longer" if a.shown_gold_preference == a.shown_longer else "shorter",
            )
            for a in with_longer
        ],
        "longer",
    )

    versions = original_order_preferences(db, annotator)
    swaps = consistent = 0
    for a in answers:
        if not a.swapped:
            continue
        earlier = earlier_preference(versions, a.item_id, a.version)
        if earlier is not None:
            swaps += 1
            consistent += earlier == a.preference

    finding_counts = Counter(
        code
        for (code,) in db.conn.execute(
            "select f.code from findings f join grades g on g.id = f.grade_id where g.annotator = ?"
            " and f.code not in ('wrong_preference', 'missed_key_point')",
            [annotator],
        )
    )
    progress = Progress(
        annotator=annotator,
        answered=len(answers),
        sessions=sessions,
        criteria=curves,
        missed_key_points=missed_points,
        position=position,
        length=length,
        swaps=swaps,
        swaps_consistent=consistent,
        top_findings=finding_counts.most_common(5),
    )
    progress.next_focus = suggest_focus(progress)
    return progress


def suggest_focus(p: Progress) -> list[str]:
    """Advice, most pressing first; each line names the evidence behind it."""
    advice = []
    if not p.answered:
        return ["No graded answers yet: run `rationale drill` to start."]
    weak = [c for c in p.criteria if c.decisive >= MIN_OPPORTUNITIES and (c.rate or 0) < WEAK_CRITERION_RATE]
    weak.sort(key=lambda c: (c.rate or 0, -c.decisive))
    for c in weak[:2]:
        advice.append(
            f"Cite {c.criterion} when it decides the pair: you named it in {c.cited} of the {c.decisive} answers where it was decisive."
        )
    if p.missed_key_points and p.missed_key_points[0].missed >= 2:
        k = p.missed_key_points[0]
        advice.append(f"Revisit {k.item_id}: you missed “{k.text}” {k.missed} of {k.seen} times.")
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
    if p.top_findings:
        code, count = p.top_findings[0]
        advice.append(f"Most frequent finding in your rationales: {code} ({count} times).")
    last = p.sessions[-1]
    if not advice or (last.accuracy >= 0.9 and last.pass_rate >= 0.9):
        advice.append("Your last session was strong: drill with --order new to meet harder pairs.")
    return advice


# --------------------------------------------------------------------------- rendering


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def render_text(p: Progress) -> str:
    lines = [f"Progress of {p.annotator}: {p.answered} graded answer(s) in {len(p.sessions)} session(s)"]
    if not p.answered:
        lines.append("No graded answers yet: run `rationale drill` to start.")
        return "\n".join(lines)
    lines.append("")
    lines.append(f"{'session':<16} {'answers':>7} {'accuracy':>8} {'score':>6} {'rationale':>9} {'passed':>7}")
    for s in p.sessions:
        quality = "–" if s.rationale_quality is None else f"{s.rationale_quality * 100:.0f}"
        lines.append(
            f"{s.label:<16} {s.answered:>7} {_pct(s.accuracy):>8} {s.mean_score:>6.0f} {quality:>9} {_pct(s.pass_rate):>7}"
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
    if p.top_findings:
        lines.append("Frequent findings: " + ", ".join(f"{c} ({n})" for c, n in p.top_findings))
    lines.append("")
    lines.append("Next focus:")
    lines += [f"  - {a}" for a in p.next_focus]
    return "\n".join(lines)


CURVE_COLOURS = ["#3b6ea8", "#2e7d32", "#c62828", "#9a6700", "#6f42c1", "#0a7f86", "#b35900", "#57606a"]


def line_chart(labels: list[str], series: dict[str, list[float | None]], *, title: str, y_max: float = 1.0) -> str:
    """Lines over sessions (values 0..y_max, gaps where None), as inline SVG; every label escaped."""
    width, height, left, right, top, bottom = 640, 240, 44, 150, 14, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(len(labels), 1)

    def x(i: int) -> float:
        return left + (plot_w * i / (count - 1) if count > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h * (1 - v / y_max)

    parts = []
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        ty = y(tick * y_max)
        parts.append(f'<line x1="{left}" y1="{ty:.1f}" x2="{left + plot_w}" y2="{ty:.1f}" stroke="#d0d7de"/>')
        parts.append(f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end">{tick * y_max:.0%}</text>' if y_max == 1.0
                     else f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end">{tick * y_max:g}</text>')
    for i, label in enumerate(labels):
        parts.append(f'<text x="{x(i):.1f}" y="{height - bottom + 16}" text-anchor="middle">{escape(label)}</text>')
    for n, (name, values) in enumerate(series.items()):
        colour = CURVE_COLOURS[n % len(CURVE_COLOURS)]
        segment: list[str] = []
        segments = []
        for i, v in enumerate(values):
            if v is None:
                if segment:
                    segments.append(segment)
                segment = []
                continue
            segment.append(f"{x(i):.1f},{y(v):.1f}")
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}"><title>{escape(name)}: {v:.2f}</title></circle>')
        if segment:
            segments.append(segment)
        for seg in segments:
            if len(seg) > 1:
                parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{" ".join(seg)}"/>')
        ly = top + 14 * n + 6
        parts.append(f'<rect x="{left + plot_w + 12}" y="{ly - 8}" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{left + plot_w + 26}" y="{ly + 1}">{escape(name)}</text>')
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" font-family="system-ui, sans-serif" font-size="11" fill="#24292f">'
        + "".join(parts)
        + "</svg>"
    )


def render_html(p: Progress) -> str:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("rationale", "templates"), autoescape=select_autoescape(["html", "j2"]))
    labels = [s.label for s in p.sessions]
    charts = {
        "overall": line_chart(
            labels,
            {
                "accuracy": [s.accuracy for s in p.sessions],
                "score / 100": [s.mean_score / 100 for s in p.sessions],
                "rationale quality": [s.rationale_quality for s in p.sessions],
            },
            title="Accuracy and score per session",
        ),
        "criteria": line_chart(labels, {c.criterion: c.points for c in p.criteria}, title="Decisive criteria cited per session"),
    }
    return env.get_template("progress.html.j2").render(p=p, charts=charts, pct=_pct)


def render(p: Progress, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(p.to_json(), indent=2, ensure_ascii=False)
    if fmt == "html":
        return render_html(p)
    return render_text(p)


def progress_report(annotator: str, *, db_path: str | None, fmt: str = "text", output: str | None = None) -> str:
    """Compute and render; write to `output` when given (returning a one-line note), else return the report."""
    from .db import open_db

    db = open_db(db_path)
    try:
        text = render(compute_progress(db, annotator), fmt)
    finally:
        db.close()
    if output:
        Path(output).write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        return f"wrote {output}"
    return text
