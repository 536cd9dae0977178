"""Text of `rationale gold lint`."""

from __future__ import annotations

from collections.abc import Sequence


def render_gold_warnings(path: str, answers: int, warnings: Sequence) -> str:  # warnings: grading.gold_lint.GoldWarning
    lines = [
        f"{path}: {w.item_id}" + (f": key point {w.key_point}" if w.key_point else "") + f": {w.message} [{w.code}]"
        for w in warnings
    ]
    noun = "answer" if answers == 1 else "answers"
    if warnings:
        lines.append(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''} in {answers} gold {noun}.")
    else:
        lines.append(f"{path}: ok ({answers} gold {noun}, nothing to warn about).")
    return "\n".join(lines)
