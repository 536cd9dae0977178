"""Text of `rationale gold lint`."""

from __future__ import annotations

from collections.abc import Sequence


GROUPED_FROM = 6  # the same warning on this many answers or more is one line naming a few of them
NAMED_IN_GROUP = 5


def render_gold_warnings(path: str, answers: int, warnings: Sequence) -> str:  # warnings: grading.gold_lint.GoldWarning
    """One line per warning; the same warning about whole answers (imported gold without key points, say) on
    many answers is one line that counts them, so a file of 999 imported answers is not 999 identical lines."""
    same: dict[tuple[str, str], list[str]] = {}
    for w in warnings:
        if not w.key_point:
            same.setdefault((w.code, w.message), []).append(w.item_id)
    lines, grouped = [], set()
    for w in warnings:
        ids = same.get((w.code, w.message), []) if not w.key_point else []
        if len(ids) >= GROUPED_FROM:
            if (w.code, w.message) not in grouped:
                grouped.add((w.code, w.message))
                named = ", ".join(ids[:NAMED_IN_GROUP]) + f" and {len(ids) - NAMED_IN_GROUP} more"
                lines.append(f"{path}: {len(ids)} gold answers ({named}): {w.message} [{w.code}]")
            continue
        lines.append(f"{path}: {w.item_id}" + (f": key point {w.key_point}" if w.key_point else "") + f": {w.message} [{w.code}]")
    noun = "answer" if answers == 1 else "answers"
    if warnings:
        lines.append(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''} in {answers} gold {noun}.")
    else:
        lines.append(f"{path}: ok ({answers} gold {noun}, nothing to warn about).")
    return "\n".join(lines)


def render_draft(item, draft, model: str, warnings: Sequence[str]) -> str:  # item: Item, draft: GoldAnswer
    """One draft as a lead reviews it: the pair (shortened), the draft's answer, its key points, what lint says."""
    from ..grading.text import shorten  # the grader's own; a review lints the draft with the grader anyway
    from .formatters import terminal_safe

    low, high = draft.accepted_strengths
    lines = [
        f"── {item.id} · drafted by {model} " + "─" * max(4, 60 - len(item.id) - len(model)),
        f"Prompt: {shorten(item.prompt_text, 300)}",
        f"A: {shorten(item.response_a, 300)}",
        f"B: {shorten(item.response_b, 300)}",
        f"Draft: {draft.preference} {draft.strength:+d}" + (f" (accepts {low:+d} to {high:+d})" if low != high else "")
        + f"; decisive: {', '.join(draft.decisive_criteria) or 'none'}",
        "Key points:",
        *(f"  {kp.id} [{kp.about or '?'}] {kp.text}" for kp in draft.key_points),
        f"Reference rationale: {shorten(draft.reference_rationale, 600)}",
    ]
    lines += [f"  lint: {w}" for w in warnings] or ["  lint: nothing to warn about"]
    return terminal_safe("\n".join(lines))


def render_draft_report(report) -> str:  # report: models.GoldDraftReport
    lines = [
        f"Drafted gold with {report.model}: {report.drafted} drafted, {report.failed} failed"
        f" ({report.items} items: {report.with_key_points} already have key points,"
        f" {report.already_drafted} drafted before, {report.to_do} to do)."
    ]
    if report.not_started:
        lines.append(f"Stopped: {report.stopped}; {report.not_started} left for a later run.")
    if report.left_by_limit:
        lines.append(f"{report.left_by_limit} more item{'s' if report.left_by_limit != 1 else ''} to draft, left out by"
                     " --limit: run the same command again to draft them.")
    lines.append(f"Requests sent {report.calls_sent}, from the cache {report.calls_cached};"
                 f" tokens {report.tokens_in} in, {report.tokens_out} out"
                 + (f"; cost ${report.cost:.4f}" if report.cost_known else "; cost unknown (the model is not priced)") + ".")
    for d in report.drafts:
        warned = f"; lint: {', '.join(d['warnings'])}" if d["warnings"] else ""
        lines.append(f"  {d['item_id']}: {d['preference']} {d['strength']:+d}, {d['key_points']} key points{warned}")
    for f in report.failures:
        lines.append(f"  {f['item_id']}: failed: {f['reason']}")
    if report.drafted:
        lines.append("Drafts are not gold: review them with `rationale gold review` (accept, edit or reject).")
    return "\n".join(lines)
