"""Both grades for people: the deterministic grade beside the one the reviewer's reading reaches, and why they differ."""

from __future__ import annotations

from ..models import ReviewedGrade, ReviewedGradeReport
from .formatters import terminal_safe


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _grade(score: float, passed: bool) -> str:
    return f"{score:6.1f} {'pass' if passed else 'FAIL'}"


def difference_lines(reviewed: ReviewedGrade) -> list[str]:
    """One line per difference: what each side found, and whether the reviewed grade follows the reviewer."""
    out = []
    for d in reviewed.differences:
        what = f"key point {d.key_point}" if d.aspect == "key_point" else d.aspect
        followed = "" if d.applied else " (not followed)"
        # The explanation quotes the rationale and the model's reply: untrusted, made inert for a terminal.
        out.append(terminal_safe(f"{what}: grader {d.grader}, reviewer {d.reviewer}{followed}. {d.explanation}"))
    return out


def render_reviewed_grades(report: ReviewedGradeReport) -> list[str]:
    lines = [
        f"Both grades: the grader's, and the one {report.model}'s reading reaches (both are kept)",
        "",
        f"{'item':<10}{'annotator':<16}{'grader':<12}  {'reviewed':<12}  differences",
    ]
    for r in report.reviewed:
        count = len(r.differences)
        lines.append(
            f"{_clip(terminal_safe(r.item_id), 9):<10}{_clip(terminal_safe(r.annotator), 15):<16}{_grade(r.deterministic_score, r.deterministic_passed):<12}"
            f"  {_grade(r.grade.score, r.grade.passed):<12}  {count or '-'}"
        )
        lines.extend(f"          ·  {line}" for line in difference_lines(r))
        if r.escalate:
            lines.append("          !! escalated to a lead: " + terminal_safe("; ".join(r.escalation_reasons)))
    agree = sum(r.grade.passed == r.deterministic_passed for r in report.reviewed)
    lines += [
        "",
        f"  reviewed {len(report.reviewed)}; the two grades agree on pass/fail for {agree};"
        f" escalated {sum(r.escalate for r in report.reviewed)}",
    ]
    if report.not_reviewed:
        lines.append(
            f"  {report.not_reviewed} graded judgment(s) have no reviewed grade: the critique failed, or gold names no key points"
        )
    return lines
