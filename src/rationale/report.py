"""Rendering: a grading report as text or JSON, and a rubric for people to read.

Text is produced line by line and JSON is written result by result, so a
report on 100,000 judgments never exists twice in memory as one string.
Colour is added with click.style; click.echo drops it when stdout is not a
terminal, and NO_COLOR (https://no-color.org) turns it off everywhere.
"""

from __future__ import annotations

import io
import json
import os
import textwrap
from collections.abc import Iterator
from typing import IO, Any

import click

from .grading import GradingReport, JudgmentResult
from .models import Rubric

SEVERITY_MARK = {"critical": "!!", "major": "! ", "minor": "- ", "info": "i "}
JSON_REPORT_VERSION = 1


def _style(text: str, **styles: Any) -> str:
    if os.environ.get("NO_COLOR"):
        return text
    return click.style(text, **styles)


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "n/a"


def _answer(preference: str, strength: int | None) -> str:
    return preference if strength is None else f"{preference} {strength:+d}" if strength else f"{preference} 0"


# --------------------------------------------------------------------------- text


def iter_grading_text(report: GradingReport) -> Iterator[str]:
    """The per-judgment feedback table, then the summary, one line at a time."""
    results = report.results
    rubric = report.rubric
    annotators = {r.annotator for r in results}
    show_annotator = len(annotators) > 1
    yield _style(
        f"Graded {len(results)} judgment{'s' if len(results) != 1 else ''}"
        + (f" by {next(iter(annotators))}" if len(annotators) == 1 else f" by {len(annotators)} annotators" if annotators else "")
        + f" with {rubric.id} v{rubric.version} (rubric {rubric.hash}, pass mark {rubric.pass_mark:g})",
        bold=True,
    )
    yield ""
    item_width = max([len("item"), *(len(r.item_id) for r in results)])
    who_width = max([len("annotator"), *(len(r.annotator) for r in results)]) if show_annotator else 0
    head = f"{'item':<{item_width}}  " + (f"{'annotator':<{who_width}}  " if show_annotator else "")
    head += f"{'answer':<9}{'gold':<8}{'score':>5}  result  findings"
    yield _style(head, bold=True)
    indent = " " * (item_width + 2 + (who_width + 2 if show_annotator else 0))
    for r in results:
        yield from _result_lines(r, item_width, who_width, show_annotator, indent)
    yield ""
    yield from _summary_lines(report)


def _result_lines(r: JudgmentResult, item_width: int, who_width: int, show_annotator: bool, indent: str) -> Iterator[str]:
    top = r.top_findings()
    mark = "✓" if r.preference_correct else "✗"
    result = _style("pass", fg="green") if r.passed else _style("FAIL", fg="red", bold=True)
    line = f"{r.item_id:<{item_width}}  " + (f"{r.annotator:<{who_width}}  " if show_annotator else "")
    line += f"{_answer(r.preference, r.strength):<6}{mark} {_answer(r.gold_preference, r.gold_strength):<7} "
    line += f"{r.score:>5.1f}  {result}    " + _codes(r)
    yield line.rstrip()
    for f in top:
        yield f"{indent}{SEVERITY_MARK.get(f.severity, '  ')} {f.message}"


def _codes(r: JudgmentResult) -> str:
    """The result's finding codes (info notes left out), most severe first, repeats counted."""
    counts: dict[str, int] = {}
    for f in r.findings:
        if f.severity != "info":
            counts[f.code] = counts.get(f.code, 0) + 1
    return ", ".join(code if n == 1 else f"{code} ×{n}" for code, n in counts.items()) or "-"


def _summary_lines(report: GradingReport) -> Iterator[str]:
    s = report.summary
    yield _style("Summary", bold=True)
    yield f"  judgments       {s.n}"
    yield f"  accuracy        {_percent(s.preference_correct, s.n)} ({s.preference_correct}/{s.n} preferences agree with gold)"
    yield f"  mean score      {s.mean_score:.1f}" if s.mean_score is not None else "  mean score      n/a"
    yield (
        f"  pass rate       {_percent(s.passed, s.n)} ({s.passed}/{s.n} scored {report.rubric.pass_mark:g}+ with no critical finding)"
    )
    if s.weakest_criteria:
        yield "  weakest criteria"
        for w in s.weakest_criteria:
            yield f"    {w.name} ({w.criterion}): missed {w.missed}× where decisive, cited {w.irrelevant}× where not"
    if s.most_missed_key_points:
        yield "  most-missed key points"
        for p in s.most_missed_key_points:
            yield f"    {p.item_id}/{p.key_point} (missed {p.missed}×): {p.text}"
    if s.finding_counts:
        listed = ", ".join(f"{code} {count}" for code, count in s.finding_counts.items())
        yield from textwrap.wrap(listed, width=WRAP, initial_indent="  findings        ", subsequent_indent=" " * 18)
    c = report.counts
    yield ""
    yield (
        f"Stored in {report.db_path} (run {report.run_id}): {c['judgments_new']} new judgment"
        f"{'s' if c['judgments_new'] != 1 else ''} ({c['judgments_revised']} revised), {c['grades_new']} new grade"
        f"{'s' if c['grades_new'] != 1 else ''}. Browse with: datasette {report.db_path}"
    )


def render_grading_text(report: GradingReport) -> str:
    return "\n".join(iter_grading_text(report))


# --------------------------------------------------------------------------- JSON


def result_dict(r: JudgmentResult) -> dict[str, Any]:
    return {
        "file": r.path,
        "line": r.line,
        "item_id": r.item_id,
        "annotator": r.annotator,
        "judgment_hash": r.judgment_hash,
        "preference": r.preference,
        "strength": r.strength,
        "gold": {"preference": r.gold_preference, "strength": r.gold_strength},
        "score": r.score,
        "passed": r.passed,
        "preference_correct": r.preference_correct,
        "strength_distance": r.strength_distance,
        "key_points_missed": list(r.key_points_missed),
        "findings": [
            {
                "code": f.code,
                "severity": f.severity,
                "message": f.message,
                "span": f.span,
                "criterion": f.criterion,
                "key_point": f.key_point,
            }
            for f in r.findings
        ],
    }


def _head_dict(report: GradingReport) -> dict[str, Any]:
    s = report.summary
    r = report.rubric
    return {
        "version": JSON_REPORT_VERSION,
        "run": {
            "id": report.run_id,
            "db": report.db_path,
            "started": report.started,
            "finished": report.finished,
            "seconds": report.seconds,
            "inputs": report.inputs,
            "counts": report.counts,
        },
        "rubric": {"id": r.id, "title": r.title, "version": r.version, "hash": r.hash, "pass_mark": r.pass_mark},
        "summary": {
            "n": s.n,
            "preference_correct": s.preference_correct,
            "accuracy": s.accuracy,
            "mean_score": s.mean_score,
            "passed": s.passed,
            "pass_rate": s.pass_rate,
            "weakest_criteria": [
                {"criterion": w.criterion, "name": w.name, "missed": w.missed, "irrelevant": w.irrelevant}
                for w in s.weakest_criteria
            ],
            "most_missed_key_points": [
                {"item_id": p.item_id, "key_point": p.key_point, "text": p.text, "missed": p.missed}
                for p in s.most_missed_key_points
            ],
            "finding_counts": s.finding_counts,
        },
    }


def write_grading_json(report: GradingReport, out: IO[str]) -> None:
    """Write the report as one JSON document, streaming the per-judgment results."""
    head = json.dumps(_head_dict(report), indent=2, ensure_ascii=False)
    out.write(head[:-2] + ',\n  "results": [')
    for i, r in enumerate(report.results):
        text = json.dumps(result_dict(r), indent=2, ensure_ascii=False).replace("\n", "\n    ")
        out.write(("\n    " if i == 0 else ",\n    ") + text)
    out.write("\n  ]\n}\n" if report.results else "]\n}\n")


def grading_json(report: GradingReport) -> str:
    buffer = io.StringIO()
    write_grading_json(report, buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- rubric

WRAP = 100


def _wrapped(text: str, indent: str, hanging: str = "") -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()), width=WRAP, initial_indent=indent, subsequent_indent=indent + hanging
    ) or [indent]


def render_rubric(rubric: Rubric) -> str:
    lines: list[str] = []
    add = lines.append
    add(_style(f"{rubric.title}", bold=True) + f"  ({rubric.id} v{rubric.version}, hash {rubric.content_hash})")
    if rubric.description:
        lines.extend(_wrapped(rubric.description, ""))
    add("")
    total_weight = sum(c.weight for c in rubric.criteria)
    add(_style("Criteria", bold=True))
    for c in rubric.criteria:
        add(f"  {c.name} ({c.id}) — weight {c.weight:g} ({100 * c.weight / total_weight:.0f}%)")
        lines.extend(_wrapped(c.description, "    "))
        for level in ("5", "4", "3", "2", "1"):
            lines.extend(_wrapped(f"{level}: {c.levels[level]}", "    ", "   "))
        if c.cues:
            lines.extend(_wrapped(f"cues: {', '.join(c.cues)}", "    ", "      "))
    if rubric.criteria_priority:
        add("")
        add(_style("Priority when criteria conflict", bold=True))
        add("  " + " > ".join(rubric.criteria_priority))
    add("")
    add(_style("Preference strength", bold=True))
    for step in sorted(rubric.strength_scale, key=lambda s: s.value):
        add(f"  {step.value:+d}  {step.label}" if step.value else f"   0  {step.label}")
    req = rubric.rationale
    add("")
    add(_style("Rationale requirements", bold=True))
    add(f"  words: {req.min_words}–{req.max_words}")
    add(f"  must cite a criterion: {'yes' if req.must_cite_criterion else 'no'}")
    add(f"  must quote evidence: {'yes' if req.must_quote_evidence else 'no'}")
    if req.vague_phrases:
        lines.extend(_wrapped(f"vague phrases that need specifics: {', '.join(repr(p) for p in req.vague_phrases)}", "  ", "  "))
    add("")
    add(_style("Scoring", bold=True))
    weights = rubric.scoring.weights.model_dump()
    add("  " + ", ".join(f"{name.replace('_', ' ')} {100 * w:.0f}%" for name, w in weights.items()))
    add(f"  pass mark: {rubric.scoring.pass_mark:g}/100")
    return "\n".join(lines)
