"""The grade report as terminal text, and as JSON streamed result by result.

Text is produced line by line and JSON is written result by result, so a
report on 100,000 judgments never exists twice in memory as one string.
"""

from __future__ import annotations

import io
import json
import textwrap
from collections.abc import Iterable, Iterator
from typing import IO, Any

from ..models import GradeReport, JudgmentResult
from .formatters import WRAP, plural, share, style, terminal_safe

SEVERITY_MARK = {"critical": "!!", "major": "! ", "minor": "- ", "info": "i "}


def _answer(preference: str, strength: int | None) -> str:
    return preference if strength is None else f"{preference} {strength:+d}" if strength else f"{preference} 0"


# --------------------------------------------------------------------------- text


def iter_grading_text(report: GradeReport, *, shown: str = "all") -> Iterator[str]:
    """The per-judgment feedback table, then the summary, one line at a time.

    `shown`: "all" judgments in the table, only the "failures" (not passed), or "none" (the summary alone).
    The results are read once, as they are listed (see grading.results.SpooledResults).
    """
    results = report.results
    rubric = report.rubric
    annotators = results.annotators
    show_annotator = len(annotators) > 1
    yield style(
        f"Graded {len(results)} {plural(len(results), 'judgment')}"
        + (f" by {terminal_safe(next(iter(annotators)))}" if len(annotators) == 1 else f" by {len(annotators)} annotators" if annotators else "")
        + f" with {rubric.id} v{rubric.version} (rubric {rubric.hash}, pass mark {rubric.pass_mark:g})",
        bold=True,
    )
    yield ""
    listed = len(results) if shown == "all" else results.failed if shown == "failures" else 0
    if listed or shown == "all":
        rows = results if shown == "all" else (r for r in results if not r.passed)
        yield from _table_lines(rows, results.widths[shown], show_annotator)
        yield ""
    elif shown == "failures":
        yield "No failures."
        yield ""
    yield from _summary_lines(report)


def _table_lines(results: Iterable[JudgmentResult], widths: tuple[int, int], show_annotator: bool) -> Iterator[str]:
    item_width = max(len("item"), widths[0])
    who_width = max(len("annotator"), widths[1]) if show_annotator else 0
    head = f"{'item':<{item_width}}  " + (f"{'annotator':<{who_width}}  " if show_annotator else "")
    head += f"{'answer':<9}{'gold':<8}{'score':>5}  verdict reasoning  result  findings"
    yield style(head, bold=True)
    indent = " " * (item_width + 2 + (who_width + 2 if show_annotator else 0))
    # The same names, messages and marks recur on thousands of rows: each is made terminal-safe and styled once.
    safe: dict[str, str] = {}

    def shown(text: str) -> str:
        known = safe.get(text)
        if known is None:
            if len(safe) > 50_000:
                safe.clear()
            known = safe[text] = terminal_safe(text)
        return known

    passed, failed = style("pass", fg="green"), style("FAIL", fg="red", bold=True)
    # A finding's line under its row, by (severity, message): a few hundred distinct on 100k rows.
    noted: dict[tuple[str, str], str] = {}
    # The row up to the score is the item (and annotator) column, then the answer against the gold: each
    # part made once (a thousand items; a few dozen answer and gold pairs) rather than on every row.
    items: dict[str, str] = {}
    annotators: dict[str, str] = {}
    answers: dict[tuple[Any, ...], str] = {}
    for r in results:
        who = items.get(r.item_id)
        if who is None:
            if len(items) > 50_000:
                items.clear()
            who = items[r.item_id] = f"{shown(r.item_id):<{item_width}}  "
        if show_annotator:
            annotator = annotators.get(r.annotator)
            if annotator is None:
                if len(annotators) > 50_000:
                    annotators.clear()
                annotator = annotators[r.annotator] = f"{shown(r.annotator):<{who_width}}  "
            who += annotator
        key = (r.preference, r.strength, r.preference_correct, r.gold_preference, r.gold_strength)
        answer = answers.get(key)
        if answer is None:
            answer = answers[key] = (f"{_answer(r.preference, r.strength):<6}{'✓' if r.preference_correct else '✗'} "
                                     f"{_answer(r.gold_preference, r.gold_strength):<7} ")
        # The codes column and the lines under the row, in one pass over the findings (see _codes, top_findings).
        counts: dict[str, int] = {}
        shown_findings = []
        notes = []
        for f in r.findings:
            if f.severity == "info":
                notes.append(f)
            else:
                code = f.code
                counts[code] = counts.get(code, 0) + 1
                if len(shown_findings) < 3:
                    shown_findings.append(f)
        codes = ", ".join([code if n == 1 else f"{code} ×{n}" for code, n in counts.items()]) if counts else "-"
        yield (f"{who}{answer}{r.score:>5.1f}  {_grade(r.verdict_score):>7} {_grade(r.reasoning_score):>9}  "
               f"{passed if r.passed else failed}    {codes}").rstrip()
        if notes:
            shown_findings += notes
        for f in shown_findings:
            key2 = (f.severity, f.message)
            text = noted.get(key2)
            if text is None:
                if len(noted) > 50_000:
                    noted.clear()
                text = noted[key2] = f"{indent}{SEVERITY_MARK.get(f.severity, '  ')} {shown(f.message)}"
            yield text


def _grade(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _summary_lines(report: GradeReport) -> Iterator[str]:
    s = report.summary
    yield style("Summary", bold=True)
    yield f"  judgments       {s.n}"
    for reason, count in report.skipped.items():
        yield f"  not graded      {count} ({reason})"
    yield f"  accuracy        {share(s.preference_correct, s.n)} ({s.preference_correct}/{s.n} preferences agree with gold)"
    if s.mean_score is not None:
        yield f"  mean score      {s.mean_score:.1f} (verdict {s.mean_verdict:.1f}, reasoning {s.mean_reasoning:.1f})"
    else:
        yield "  mean score      n/a"
    bar = f"{report.rubric.pass_mark:g}+"
    if report.rubric.reasoning_pass_mark is not None:
        bar += f", reasoning {report.rubric.reasoning_pass_mark:g}+"
    yield f"  pass rate       {share(s.passed, s.n)} ({s.passed}/{s.n} scored {bar}, with no critical finding)"
    if s.weakest_criteria:
        yield "  weakest criteria"
        for w in s.weakest_criteria:
            yield f"    {w.name} ({w.criterion}): missed {w.missed}× where decisive, cited {w.irrelevant}× where not"
    if s.most_missed_key_points:
        yield "  most-missed key points"
        for p in s.most_missed_key_points:
            yield f"    {terminal_safe(p.item_id)}/{p.key_point} (missed {p.missed}×): {terminal_safe(p.text)}"
    if s.finding_counts:
        listed = ", ".join(f"{code} {count}" for code, count in s.finding_counts.items())
        yield from textwrap.wrap(listed, width=WRAP, initial_indent="  findings        ", subsequent_indent=" " * 18)
    c = report.run.counts
    db = report.run.db
    yield ""
    yield (
        f"Stored in {db} (run {report.run.id}): {c['judgments_new']} new {plural(c['judgments_new'], 'judgment')}"
        f" ({c['judgments_revised']} revised), {c['grades_new']} new {plural(c['grades_new'], 'grade')}."
        f" Browse with: rationale browse --db {db}"
    )


def render_grading_text(report: GradeReport) -> str:
    return "\n".join(iter_grading_text(report))


# --------------------------------------------------------------------------- JSON


def write_grading_json(report: GradeReport, out: IO[str]) -> None:
    """Write the report's dump as one JSON document, streaming the per-judgment results."""
    head = json.dumps(report.model_dump(mode="json", exclude={"results"}), indent=2, ensure_ascii=False)
    out.write(head[:-2] + ',\n  "results": [')
    for i, r in enumerate(report.results):
        text = _indented_json(r.record()).replace("\n", "\n    ")
        out.write(("\n    " if i == 0 else ",\n    ") + text)
    out.write("\n  ]\n}\n" if report.results else "]\n}\n")


def grading_json(report: GradeReport) -> str:
    buffer = io.StringIO()
    write_grading_json(report, buffer)
    return buffer.getvalue()


_json_str = json.encoder.encode_basestring  # ensure_ascii=False's string encoder (C where available)


def _indented_json(value: object) -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)`, the same text, about four times faster.

    With an indent, the json module encodes in pure Python, a generator per list and dict: most of writing
    a 100,000-judgment `--json` report. This joins strings instead. Anything but the plain JSON types
    (str, int, float, bool, None, list, tuple, dict with str keys) is left to json.dumps itself.
    """
    try:
        return _encoded(value, "\n")
    except _NotPlain:
        return json.dumps(value, indent=2, ensure_ascii=False)


class _NotPlain(Exception):
    pass


_SCALARS: dict[type, Any] = {
    str: _json_str,
    int: int.__repr__,
    bool: lambda o: "true" if o else "false",
    type(None): lambda o: "null",
    float: lambda o: float.__repr__(o) if o == o and o not in (_INF, -_INF) else "NaN" if o != o else "Infinity" if o > 0 else "-Infinity",
}
"""How json.dumps writes a value of exactly these types (subclasses, such as str Enums, go the long way)."""
_INF = float("inf")


def _encoded(o: object, newline: str) -> str:
    """`o` as json.dumps(indent=2) writes it at the depth where `newline` (a newline and its indent) begins lines."""
    scalar = _SCALARS.get(type(o))
    if scalar is not None:
        return scalar(o)
    inner = newline + "  "
    if isinstance(o, (list, tuple)):
        if not o:
            return "[]"
        return "[" + inner + ("," + inner).join([_encoded(v, inner) for v in o]) + newline + "]"
    if isinstance(o, dict):
        if not o:
            return "{}"
        parts = []
        for k, v in o.items():
            if type(k) is not str:
                raise _NotPlain
            scalar = _SCALARS.get(type(v))
            parts.append(_json_str(k) + ": " + (scalar(v) if scalar is not None else _encoded(v, inner)))
        return "{" + inner + ("," + inner).join(parts) + newline + "}"
    raise _NotPlain
