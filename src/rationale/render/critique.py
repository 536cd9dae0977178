"""The second reviewer's output for people: the batch report and progress line, one critique (the evaluation is `render.evaluation`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..models import CritiqueBatchReport


def progress_line(report: CritiqueBatchReport) -> str:
    done = report.succeeded + report.failed
    cost = f"${report.cost:.4f}" if report.cost_known else "cost: not priced"
    return (
        f"critiqued {done}/{report.to_do} · ok {report.succeeded} · failed {report.failed}"
        f" · tokens {report.tokens_in:,} in / {report.tokens_out:,} out · {cost} · {elapsed(report.seconds)}"
    )


def elapsed(seconds: float) -> str:
    """Wall time as people read it: 8.2 s, 3 min 05 s, 1 h 02 min."""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(int(round(seconds)), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def render_report(report: CritiqueBatchReport) -> list[str]:
    if report.dry_run:
        share = "n/a" if report.static_prefix_share is None else f"{100 * report.static_prefix_share:.0f}%"
        return [
            f"dry run with {report.model}: nothing sent.",
            f"  judgments selected {report.selected}; already critiqued {report.already_done};"
            f" failed before (skipped without --retry-failed) {report.skipped_failed}; to critique {report.to_do}",
            f"  requests to send: {report.estimated_calls} (cached requests are not counted)",
            f"  prompt tokens: about {report.estimated_prompt_tokens:,} (characters / 4, no tokenizer);"
            f" output at most {report.max_output_tokens:,} (the reply cap of each request)",
            "  cost: " + (f"at most ${report.estimated_cost:.4f} (litellm's prices)" if report.estimated_cost is not None
                          else f"not priced ({report.model} is not in litellm's price list)"),
            f"  shared static prefix (instructions + rubric): {share} of the prompt characters",
        ]
    lines = [
        f"critique with {report.model}: {report.selected} judgments selected, {report.already_done} already critiqued,"
        f" {report.to_do} to critique",
        "  " + progress_line(report),
        f"  requests sent {report.calls_sent}, answered from cache {report.calls_cached}",
    ]
    for r in sorted(report.reviewed, key=lambda r: (r["annotator"], r["item_id"])):
        verdict = r["preference"] + (f" {r['strength']:+d}" if r["strength"] else "")
        scores = ", ".join(f"{k} {v}" for k, v in r["scores"].items())
        lines.append(
            f"  {r['annotator']} / {r['item_id']}: reviewer {verdict} (confidence {r['confidence']:.2f});"
            f" rationale {'supports' if r['supports_choice'] else 'does not support'} the choice; {scores}"
            + (f"; issues: {', '.join(r['issues'])}" if r["issues"] else "")
        )
    if report.skipped_failed:
        lines.append(f"  {report.skipped_failed} failed before and were skipped: re-run with --retry-failed")
    if report.stopped:
        lines.append(f"  stopped: {report.stopped}; {report.not_started} left for a later run")
    lines.extend(f"  note: {n}" for n in report.notes)
    for f in report.failures:
        lines.append(f"  FAILED {f['annotator']} / {f['item_id']}: {f['reason']}")
    if report.escalations:
        lines.append(f"Escalations for a lead ({len(report.escalations)}):")
        for e in report.escalations:
            lines.append(f"  {e['annotator']} / {e['item_id']}: " + "; ".join(e["reasons"]))
    return lines


def render_critique(body: Mapping[str, Any]) -> str:
    if body.get("status") != "ok":
        return f"The second reviewer could not answer: {body.get('failure_reason') or 'unknown reason'}."
    lines = []
    if body.get("preference") is not None:
        confidence = body.get("confidence")
        lines.append(
            f"Its own verdict: {body['preference']} {body.get('strength', 0):+d}"
            + ("" if confidence is None else f" (confidence {confidence:.0%})")
            + ("; it thinks your rationale supports your choice." if body.get("supports_choice") else "; it thinks your rationale does not support your choice.")
        )
    for issue in body.get("issues", []):
        lines.append(f"[{issue['severity']}] {issue['kind']}: {issue['explanation']}")
    for strength in body.get("strengths", []):
        lines.append(f"+ {strength}")
    if body.get("suggested_rationale"):
        lines.append("Suggested rationale: " + body["suggested_rationale"])
    if body.get("escalate"):
        lines.append("Escalated to a lead: " + "; ".join(body.get("escalation_reasons", [])))
    return "\n".join(lines)
