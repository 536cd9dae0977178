"""The drill on a terminal: an item, the rubric on request, the feedback after an answer, the session's summary.

Laid out with rich (panels, the two responses side by side on a wide
terminal) and returned as text: with `colour=True` it carries ANSI colour
(right in green, wrong in red) for a terminal, without it the same layout in
plain characters, so a scripted drill's transcript reads like the screen.
Every text that comes from a file or a person passes through `terminal_safe`
and into rich as a `Text`, never as markup, so it cannot style, move or
clear the terminal.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from rich import box
from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ..models import GoldAnswer, Item, Rubric
from ..models.grading import effective_weights
from .formatters import shown_response, terminal_safe

# The feedback and summary are the drill's own shapes (`rationale.drill.session`); render sits below the
# drill and imports none of it, so they are typed `Any` here.
Feedback = SessionSummary = Any

SIDE_BY_SIDE_WIDTH = 100  # below this the two responses are stacked: each needs ~48 columns to read well
RIGHT, WRONG, NOTE = "green", "bold red", "yellow"
SEVERITY_STYLE = {"critical": "bold red", "major": "red", "minor": "yellow", "info": "cyan"}
# How each key-point result is marked: (mark, style, what it means). "missed" is a grade made by
# grader version 1, which only knew made and missed.
KEY_POINT_MARKS = {
    "made": ("✓", RIGHT, "made"),
    "partial": ("~", NOTE, "partly made"),
    "absent": ("✗", WRONG, "missed"),
    "missed": ("✗", WRONG, "missed"),
    "contradicted": ("✗", WRONG, "you said the opposite"),
    "wrong_side": ("✗", WRONG, "you said it of the other response"),
}
COMPONENT_NAMES = {
    "verdict": "verdict (choice and strength)",
    "key_points": "key points",
    "evidence": "evidence (quotes)",
    "criteria": "criteria applied",
    "argument": "argument",
    "escalation": "escalation (flagging edge cases)",
}


def plain(text: object, style: str = "") -> Text:
    """Untrusted text as a rich Text: control characters made visible, never read as markup."""
    return Text(terminal_safe(text), style=style)


def to_text(renderables: Iterable[RenderableType], width: int, colour: bool) -> str:
    """Lay the renderables out `width` columns wide; ANSI colour only when `colour`."""
    buffer = io.StringIO()
    console = Console(
        file=buffer, width=width, color_system="standard" if colour else None, force_terminal=colour,
        no_color=not colour, markup=False, emoji=False, highlight=False, legacy_windows=False,
    )
    for renderable in renderables:
        console.print(renderable)
    # rich pads table rows to the full width; trailing blanks only get in the way of a transcript
    return "\n".join(line.rstrip(" ") for line in buffer.getvalue().rstrip("\n").split("\n"))


def _rule(title: str, char: str = "─") -> Rule:
    return Rule(plain(title, "bold"), characters=char, align="left", style="bright_black")


# --------------------------------------------------------------------------- the pair


def render_item(item: Item, position: int, total: int, width: int, colour: bool = False) -> str:
    prompt = Panel(plain(item.prompt_text), title="Prompt", title_align="left", box=box.ROUNDED)
    a = Panel(plain(shown_response(item.response_a)), title=Text("Response A", style="bold cyan"), title_align="left", box=box.HEAVY)
    b = Panel(plain(shown_response(item.response_b)), title=Text("Response B", style="bold magenta"), title_align="left", box=box.HEAVY)
    if width >= SIDE_BY_SIDE_WIDTH:
        pair: RenderableType = Table.grid(expand=True, padding=(0, 1))
        pair.add_column(ratio=1)
        pair.add_column(ratio=1)
        pair.add_row(a, b)
        responses = [pair]
    else:
        responses = [a, b]
    return to_text([_rule(f"Item {position} of {total} · {terminal_safe(item.id)}", "═"), prompt, *responses], width, colour)


# --------------------------------------------------------------------------- the rubric


def render_rubric_help(rubric: Rubric, width: int, colour: bool = False) -> str:
    parts: list[RenderableType] = [_rule(f"Rubric: {terminal_safe(rubric.title)} (v{terminal_safe(rubric.version)})")]
    levels = Table(box=None, show_header=False, padding=(0, 1), expand=True)
    levels.add_column(width=3, justify="right")
    levels.add_column(ratio=1)
    for number, c in enumerate(rubric.criteria, 1):
        levels.add_row(Text(f"{number}.", style="bold"), Text.assemble((c.id, "bold"), " — ", plain(c.name)))
        levels.add_row("", plain(c.description.strip(), "italic"))
        for level in ("5", "4", "3", "2", "1"):
            levels.add_row("", Text.assemble((f"{level}: ", "bold"), terminal_safe(c.levels[level])))
    parts.append(levels)
    if rubric.criteria_priority:
        parts.append(plain("When criteria conflict, the earlier wins: " + " > ".join(rubric.criteria_priority)))
    scale = Table(box=None, show_header=False, padding=(0, 1))
    scale.add_column(justify="right", style="bold")
    scale.add_column()
    for s in sorted(rubric.strength_scale, key=lambda s: s.value):
        scale.add_row(f"{s.value:+d}", plain(s.label))
    parts += [Text("Strength scale:", style="bold"), scale]
    req = rubric.rationale
    needs = [f"{req.min_words}-{req.max_words} words"]
    if req.must_cite_criterion:
        needs.append("name the criteria you rely on")
    if req.must_quote_evidence:
        needs.append('quote the responses ("...")')
    parts += [Text("Rationale: " + "; ".join(needs) + "."), Rule(characters="─", style="bright_black")]
    return to_text(parts, width, colour)


# --------------------------------------------------------------------------- feedback


def describe_strength(rubric: Rubric, value: int) -> str:
    try:
        return f"{value:+d} ({rubric.strength_label(value)})"
    except KeyError:
        return f"{value:+d}"


def score_text(score: float) -> str:
    """The score as stored, never rounded up to a whole 100 when points were lost (99.96 is not 100)."""
    if score == int(score):
        return f"{score:.0f}"
    shown = f"{score:.1f}"
    return f"{score:.2f}" if float(shown) == 100 else shown


def deductions(grade: Any, rubric: Rubric) -> list[tuple[str, float, float]]:
    """(component, points lost, points it carries) for each component that cost points.

    The score is 100 × Σ wᵢ·creditᵢ / Σ wᵢ over the components that were not
    skipped, so a component's share of the 100 is wᵢ / Σ wᵢ.
    """
    weights = effective_weights(rubric.scoring.weights.model_dump(), grade.components)
    total = sum(weights.values()) or 1.0
    lost = []
    for name, weight in weights.items():
        credit = grade.components[name]
        carries = 100 * weight / total
        if carries * (1 - credit) >= 0.005:
            lost.append((name, carries * (1 - credit), carries))
    return lost


def _score_lines(fb: Feedback, rubric: Rubric) -> list[RenderableType]:
    g = fb.grade
    verdict = Text("passed", style=RIGHT) if g.passed else Text("not passed", style=WRONG)
    lines: list[RenderableType] = [
        Text.assemble(("Score ", "bold"), (f"{score_text(g.score)}/100", "bold"), " — ", verdict,
                      f" (pass mark {rubric.scoring.pass_mark:g}).")
    ]
    if g.verdict_score is not None and g.reasoning_score is not None:
        lines.append(
            Text(
                f"Verdict {score_text(g.verdict_score)}/100, reasoning {score_text(g.reasoning_score)}/100"
                f" (a pass also needs reasoning {rubric.scoring.reasoning_pass_mark:g})."
            )
        )
    lost = deductions(g, rubric)
    if lost:
        table = Table(box=None, show_header=False, padding=(0, 1))
        table.add_column(justify="right", style=WRONG)
        table.add_column()
        for name, points, carries in lost:
            table.add_row(f"−{points:.1f}", f"{COMPONENT_NAMES.get(name, name)} (of its {round(carries, 1):g} points)")
        uncapped = 100 - sum(points for _, points, _ in lost)
        if g.score < uncapped - 0.005:
            table.add_row(f"−{uncapped - g.score:.1f}", _cap_reason(g))
        lines += [Text("Points lost:"), table]
    return lines


def _cap_reason(grade: Any) -> str:
    """Which finding below caps the score, and where: a cap can come from a major finding too (a quote pinned
    on the wrong response caps at 58), so the line names it rather than calling it critical."""
    from ..grading.grader import CRITICAL_CAPS

    capping = [(CRITICAL_CAPS[f.code], f.code) for f in grade.findings if f.code in CRITICAL_CAPS]
    if not capping:
        return "a finding below caps the score"
    cap, code = min(capping)
    return f"the finding {code} below caps the score at {cap:g}"


def _key_point_text(gold: GoldAnswer, key_id: str) -> str:
    for k in gold.key_points:
        if k.id == key_id:
            return k.text
    return key_id


def _bullet(mark: str, mark_style: str, text: str) -> Table:
    row = Table(box=None, show_header=False, padding=(0, 1), expand=True)
    row.add_column(width=max(1, len(mark)), style=mark_style, no_wrap=True)
    row.add_column(ratio=1)
    row.add_row(mark, plain(" ".join(text.split())))
    return row


def _key_point_lines(fb: Feedback) -> list[RenderableType]:
    g = fb.grade
    results = [(r.key_point, r.status, r.sentence, r.credit) for r in g.key_points] or (
        [(k, "made", None, 1.0) for k in g.key_points_made] + [(k, "missed", None, 0.0) for k in g.key_points_missed]
    )
    if not results:
        return []
    lines: list[RenderableType] = [Text("The lead's key points:")]
    for key_point, status, sentence, credit in results:
        mark, mark_style, meaning = KEY_POINT_MARKS[status]
        if status == "made" and credit < 0.995:  # made, but not fully: the points lost above come from here
            meaning += f", {credit:.0%} of its credit"
        said = f' — you wrote: "{sentence}"' if sentence and status not in ("absent", "missed") else ""
        lines.append(_bullet(mark, mark_style, f"{_key_point_text(fb.gold, key_point)} ({meaning}){said}"))
    return lines


def _finding_lines(findings: list[Any]) -> list[RenderableType]:
    return [_bullet(f"[{f.severity.value}]", SEVERITY_STYLE.get(f.severity.value, ""), f.message) for f in findings]


def _verdict_line(fb: Feedback, rubric: Rubric) -> Text:
    right = fb.grade.preference_correct
    low, high = fb.gold.accepted_strengths
    # A gold that accepts a range says so (imported gold accepts a whole side: its one strength is a default).
    accepted = f", and accepts {low:+d} to {high:+d}" if low != high else ""
    return Text.assemble(
        ("RIGHT" if right else "WRONG", RIGHT if right else WRONG),
        f": you chose {fb.answer.preference} {describe_strength(rubric, fb.answer.strength)};"
        f" the gold is {fb.gold.preference} {describe_strength(rubric, fb.gold.strength)}{accepted}.",
    )


def _swap_lines(fb: Feedback) -> list[RenderableType]:
    if not fb.swapped:
        return []
    lines: list[RenderableType] = [
        Text(
            "This pair was shown with A and B swapped: it was graded and saved as you saw it."
            " The lead's key points and reference below are renamed to match: A and B are the sides as you saw them.",
            style=NOTE,
        )
    ]
    if fb.consistent_with is not None:
        same = fb.original_preference == fb.consistent_with
        lines.append(
            Text.assemble(
                f"Consistency: your earlier answer on the original order was {fb.consistent_with};"
                f" this one maps to {fb.original_preference} — ",
                ("consistent", RIGHT) if same else ("INCONSISTENT", WRONG),
                ".",
            )
        )
    return lines


def render_feedback(fb: Feedback, rubric: Rubric, width: int, colour: bool = False) -> str:
    g = fb.grade
    parts: list[RenderableType] = [_rule("Feedback"), _verdict_line(fb, rubric), *_swap_lines(fb), *_score_lines(fb, rubric)]
    if fb.gold.decisive_criteria:
        cited = set(fb.answer.criteria)
        marks = [(f"{c} ✓", RIGHT) if c in cited else (f"{c} ✗", WRONG) for c in fb.gold.decisive_criteria]
        joined: list[Any] = ["Decisive criteria: "]
        for n, mark in enumerate(marks):
            joined += ([", "] if n else []) + [mark]
        parts.append(Text.assemble(*joined))
    parts += _key_point_lines(fb)
    evidence = g.components.get("evidence")
    parts.append(Text("Evidence check: " + ("skipped" if evidence is None else f"{evidence * 100:.0f}%")))
    parts += _finding_lines(fb.evidence_findings)
    lint = fb.lint_findings
    parts.append(Text("Strength and rationale findings:" if lint else "Strength and rationale findings: none."))
    parts += _finding_lines(lint)
    # Imported gold has no rationale, only a note on where its verdict came from: not to be read as the lead's.
    reference = "Reference rationale (the lead's):" if fb.gold.reasoned else "No reference rationale (the gold was imported, without one):"
    parts += [Text(reference, style="bold"), Padding(plain(fb.gold.reference_rationale.strip()), (0, 0, 0, 2))]
    if fb.critique:
        parts += [Text("Second reviewer:", style="bold"), Padding(plain(fb.critique), (0, 0, 0, 2))]
    parts.append(Rule(characters="─", style="bright_black"))
    return to_text(parts, width, colour)


# --------------------------------------------------------------------------- the summary


def render_summary(summary: SessionSummary, width: int, colour: bool = False) -> str:
    parts: list[RenderableType] = [_rule(f"Session {summary.number} summary")]
    if not summary.answered:
        parts.append(Text("No answers in this session yet."))
    else:
        share = summary.right / summary.answered
        parts.append(Text(f"Answered {summary.answered} of {summary.planned}."))
        parts.append(Text.assemble("Preference right: ", (f"{summary.right}/{summary.answered} ({share:.0%})", RIGHT if share >= 0.8 else NOTE), "."))
        parts.append(Text(f"Passed: {summary.passed}/{summary.answered}; mean score {score_text(round(summary.mean_score, 1))}/100."))
        if summary.swaps:
            parts.append(Text(f"Swapped re-serves: {summary.swaps_consistent}/{summary.swaps} consistent with your earlier answer."))
        if summary.missed:
            parts.append(plain("Coming back next session: " + ", ".join(summary.missed)))
    if summary.remaining:
        left = f"{summary.remaining} item{'s' if summary.remaining != 1 else ''} left"
        parts.append(Text(f"{left}: run the same command again (the same --annotator and --db) to carry on.", style=NOTE))
    parts.append(Rule(characters="─", style="bright_black"))
    return to_text(parts, width, colour)
