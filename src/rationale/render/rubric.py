"""A rubric for people to read: criteria with their levels, the strength scale, requirements, scoring."""

from __future__ import annotations

from ..models import Rubric
from .formatters import style, wrapped


def render_rubric(rubric: Rubric) -> str:
    lines: list[str] = []
    add = lines.append
    add(style(f"{rubric.title}", bold=True) + f"  ({rubric.id} v{rubric.version}, hash {rubric.content_hash})")
    if rubric.description:
        lines.extend(wrapped(rubric.description, ""))
    add("")
    total_weight = sum(c.weight for c in rubric.criteria)
    add(style("Criteria", bold=True))
    for c in rubric.criteria:
        add(f"  {c.name} ({c.id}) — weight {c.weight:g} ({100 * c.weight / total_weight:.0f}%)")
        lines.extend(wrapped(c.description, "    "))
        for level in ("5", "4", "3", "2", "1"):
            lines.extend(wrapped(f"{level}: {c.levels[level]}", "    ", "   "))
        if c.cues:
            lines.extend(wrapped(f"cues: {', '.join(c.cues)}", "    ", "      "))
    if rubric.criteria_priority:
        add("")
        add(style("Priority when criteria conflict", bold=True))
        add("  " + " > ".join(rubric.criteria_priority))
    add("")
    add(style("Preference strength", bold=True))
    for step in sorted(rubric.strength_scale, key=lambda s: s.value):
        add(f"  {step.value:+d}  {step.label}" if step.value else f"   0  {step.label}")
    req = rubric.rationale
    add("")
    add(style("Rationale requirements", bold=True))
    add(f"  words: {req.min_words}–{req.max_words}")
    add(f"  must cite a criterion: {'yes' if req.must_cite_criterion else 'no'}")
    add(f"  must quote evidence: {'yes' if req.must_quote_evidence else 'no'}")
    if req.vague_phrases:
        lines.extend(wrapped(f"vague phrases that need specifics: {', '.join(repr(p) for p in req.vague_phrases)}", "  ", "  "))
    add("")
    add(style("Scoring", bold=True))
    weights = rubric.scoring.weights.model_dump()
    add("  " + ", ".join(f"{name.replace('_', ' ')} {100 * w:.0f}%" for name, w in weights.items()))
    add(f"  pass mark: {rubric.scoring.pass_mark:g}/100")
    return "\n".join(lines)
