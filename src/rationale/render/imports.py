"""What an import read, wrote and skipped, for people."""

from __future__ import annotations

from ..models import ImportSummary
from .formatters import plural


def render_import_summary(summary: ImportSummary) -> str:
    wrote = f"wrote {summary.items} items, {summary.gold} gold answers, {summary.judgments} judgments"
    if summary.judge_verdicts:
        wrote += f", {summary.judge_verdicts} judge verdicts"
    lines = [
        f"read {summary.read} {plural(summary.read, 'record')} from {len(summary.sources)}"
        f" {plural(len(summary.sources), 'file')} ({summary.format})",
        f"{wrote} to {summary.output_dir}",
    ]
    if summary.limit_reached:
        lines.append("stopped at --limit")
    if summary.kept:
        lines.append("kept as they are:")
        lines += _counted(summary.kept, summary.kept_examples)
    if summary.skipped:
        lines.append(f"skipped {summary.skipped_total}:")
        lines += _counted(summary.skipped, summary.skipped_examples)
    if summary.bad_rows:
        lines.append(f"skipped {len(summary.bad_rows)} bad row problem(s) (--skip-bad):")
        lines.extend(f"  {problem}" for problem in summary.bad_rows)
    return "\n".join(lines)


def _counted(counts: dict[str, int], examples: dict[str, list[str]]) -> list[str]:
    """Each reason with its count, most frequent first, and the first few places it happened."""
    lines = []
    for reason, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {count:>6}  {reason}")
        shown = examples.get(reason, [])
        lines += [f"            {example}" for example in shown]
        if shown and count > len(shown):  # the places listed are the first few, not all of them
            lines.append(f"            ... and {count - len(shown)} more")
    return lines
