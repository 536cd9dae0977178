"""The drill on a terminal: an item, the rubric on request, the feedback after an answer, the session's summary.

Plain text wrapped to the width the front end reports; no colour, so a
scripted drill's transcript reads the same as a terminal's.
"""

from __future__ import annotations

import textwrap
from typing import Any

from ..models import GoldAnswer, Item, Rubric
from .formatters import shown_response

# The feedback and summary are the drill's own shapes (`rationale.drill.session`); render sits below the
# drill and imports none of it, so they are typed `Any` here.
Feedback = SessionSummary = Any


def wrap(text: str, width: int, indent: str = "  ") -> str:
    """Wrap each line of `text` to `width`, keeping blank lines and each line's own indent."""
    out = []
    for line in text.splitlines() or [""]:
        if not line.strip():
            out.append("")
            continue
        own = line[: len(line) - len(line.lstrip())]
        out.append(
            textwrap.fill(
                line.strip(),
                width=width,
                initial_indent=indent + own,
                subsequent_indent=indent + own,
                break_long_words=True,
                break_on_hyphens=False,
            )
        )
    return "\n".join(out)


def bullet(mark: str, text: str, width: int) -> str:
    """`  mark text`, continuation lines aligned under the text."""
    return textwrap.fill(
        " ".join(text.split()), width=width, initial_indent=f"  {mark} ", subsequent_indent=" " * (len(mark) + 3)
    )


def rule(title: str, width: int, char: str = "─") -> str:
    if not title:
        return char * width
    head = f"{char * 3} {title} "
    return head + char * max(0, width - len(head))


def render_item(item: Item, position: int, total: int, width: int) -> str:
    parts = [
        rule(f"Item {position} of {total} · {item.id}", width, "═"),
        "PROMPT",
        wrap(item.prompt_text, width),
        "",
        rule("RESPONSE A", width, "━"),
        wrap(shown_response(item.response_a), width, "A │ "),
        "",
        rule("RESPONSE B", width, "━"),
        wrap(shown_response(item.response_b), width, "B │ "),
        rule("", width, "━"),
    ]
    return "\n".join(parts)


def render_rubric_help(rubric: Rubric, width: int) -> str:
    lines = [rule(f"Rubric: {rubric.title} (v{rubric.version})", width)]
    for number, c in enumerate(rubric.criteria, 1):
        lines.append(f"{number}. {c.id} — {c.name}")
        lines.append(wrap(c.description.strip(), width, "   "))
        for level in ("5", "4", "3", "2", "1"):
            lines.append(wrap(f"{level}: {c.levels[level]}", width, "     "))
    if rubric.criteria_priority:
        lines.append("When criteria conflict, the earlier wins: " + " > ".join(rubric.criteria_priority))
    lines.append("Strength scale:")
    for s in sorted(rubric.strength_scale, key=lambda s: s.value):
        lines.append(f"  {s.value:+d}  {s.label}")
    req = rubric.rationale
    needs = [f"{req.min_words}-{req.max_words} words"]
    if req.must_cite_criterion:
        needs.append("name the criteria you rely on")
    if req.must_quote_evidence:
        needs.append('quote the responses ("...")')
    lines.append(wrap("Rationale: " + "; ".join(needs) + ".", width, ""))
    lines.append(rule("", width))
    return "\n".join(lines)


def describe_strength(rubric: Rubric, value: int) -> str:
    try:
        return f"{value:+d} ({rubric.strength_label(value)})"
    except KeyError:
        return f"{value:+d}"


def _key_point_text(gold: GoldAnswer, key_id: str) -> str:
    for k in gold.key_points:
        if k.id == key_id:
            return k.text
    return key_id


KEY_POINT_MARKS = {
    "made": ("✓", "made"),
    "partial": ("~", "partly made"),
    "absent": ("✗", "missed"),
    "contradicted": ("✗", "you said the opposite"),
    "wrong_side": ("✗", "you said it of the other response"),
}


def render_feedback(fb: Feedback, rubric: Rubric, width: int) -> str:
    g = fb.grade
    lines = [rule("Feedback", width)]
    verdict = "RIGHT" if g.preference_correct else "WRONG"
    lines.append(
        f"{verdict}: you chose {fb.answer.preference} {describe_strength(rubric, fb.answer.strength)};"
        f" the gold is {fb.gold.preference} {describe_strength(rubric, fb.gold.strength)}."
    )
    if fb.swapped:
        lines.append(
            "This pair was shown with A and B swapped: it was graded and saved as you saw it."
            " In the lead's key points and reference below, A and B are the original sides (what you saw as A is B)."
        )
        if fb.consistent_with is not None:
            same = fb.original_preference == fb.consistent_with
            lines.append(
                f"Consistency: your earlier answer on the original order was {fb.consistent_with};"
                f" this one maps to {fb.original_preference} — {'consistent' if same else 'INCONSISTENT'}."
            )
    lines.append(
        f"Score {g.score:.0f}/100 — {'passed' if g.passed else 'not passed'} (pass mark {rubric.scoring.pass_mark:g})."
        + (
            f" Verdict {g.verdict_score:.0f}/100, reasoning {g.reasoning_score:.0f}/100"
            f" (a pass needs {rubric.scoring.reasoning_pass_mark:g})."
            if g.verdict_score is not None and g.reasoning_score is not None
            else ""
        )
    )
    if fb.gold.decisive_criteria:
        cited = set(fb.answer.criteria)
        marks = [f"{c}{' ✓' if c in cited else ' ✗'}" for c in fb.gold.decisive_criteria]
        lines.append("Decisive criteria: " + ", ".join(marks))
    if g.key_points:
        lines.append("The lead's key points:")
        for result in g.key_points:
            mark, note = KEY_POINT_MARKS[result.status]
            said = f' — you wrote: "{result.sentence}"' if result.sentence and result.status != "absent" else ""
            lines.append(bullet(mark, f"{_key_point_text(fb.gold, result.key_point)} ({note}){said}", width))
    evidence = g.components.get("evidence")
    lines.append("Evidence check: " + ("skipped" if evidence is None else f"{evidence * 100:.0f}%"))
    lines += [bullet(f"[{f.severity.value}]", f.message, width) for f in fb.evidence_findings]
    lint = fb.lint_findings
    lines.append("Strength and rationale findings:" if lint else "Strength and rationale findings: none.")
    lines += [bullet(f"[{f.severity.value}]", f.message, width) for f in lint]
    lines.append("Reference rationale (the lead's):")
    lines.append(wrap(fb.gold.reference_rationale.strip(), width))
    if fb.critique:
        lines.append("Second reviewer:")
        lines.append(wrap(fb.critique, width))
    lines.append(rule("", width))
    return fit(lines, width)


def fit(lines: list[str], width: int) -> str:
    """Join lines, wrapping any still wider than the terminal (keeping its indent)."""
    out = []
    for line in "\n".join(lines).split("\n"):
        out.append(wrap(line, width, "") if len(line) > width else line)
    return "\n".join(out)


def render_summary(summary: SessionSummary, width: int) -> str:
    lines = [rule(f"Session {summary.number} summary", width)]
    if not summary.answered:
        lines.append("No answers in this session yet.")
    else:
        lines.append(f"Answered {summary.answered} of {summary.planned}.")
        lines.append(f"Preference right: {summary.right}/{summary.answered} ({summary.right / summary.answered:.0%}).")
        lines.append(f"Passed: {summary.passed}/{summary.answered}; mean score {summary.mean_score:.0f}/100.")
        if summary.swaps:
            lines.append(f"Swapped re-serves: {summary.swaps_consistent}/{summary.swaps} consistent with your earlier answer.")
        if summary.missed:
            lines.append(wrap("Coming back next session: " + ", ".join(summary.missed), width, ""))
    if summary.remaining:
        lines.append(f"{summary.remaining} item(s) left: run `rationale drill` again to carry on.")
    lines.append(rule("", width))
    return fit(lines, width)
