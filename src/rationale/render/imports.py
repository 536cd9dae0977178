"""What an import read, wrote and skipped, for people."""

from __future__ import annotations

from ..models import ImportSummary
from .formatters import plural


def render_import_summary(summary: ImportSummary) -> str:
    lines = [
        f"read {summary.read} {plural(summary.read, 'record')} from {len(summary.sources)}"
        f" {plural(len(summary.sources), 'file')} ({summary.format})",
        f"wrote {summary.items} items, {summary.gold} gold answers, {summary.judgments} judgments to {summary.output_dir}",
    ]
    if summary.limit_reached:
        lines.append("stopped at --limit")
    if summary.skipped:
        lines.append(f"skipped {summary.skipped_total}:")
        for reason, count in sorted(summary.skipped.items(), key=lambda kv: -kv[1]):
            lines.append(f"  {count:>6}  {reason}")
            for example in summary.skipped_examples.get(reason, []):
                lines.append(f"            {example}")
    if summary.bad_rows:
        lines.append(f"skipped {len(summary.bad_rows)} bad row problem(s) (--skip-bad):")
        lines.extend(f"  {problem}" for problem in summary.bad_rows)
    return "\n".join(lines)
