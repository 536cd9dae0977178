"""Machine-readable exports: full JSONL records, and DPO rows for TRL's trainer.

The annotator's own choice decides ``chosen`` in DPO rows (it is their
annotation being exported); a ``gold_agrees`` column says whether the lead
agreed, and ``--min-score`` keeps only well-graded judgments.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from .collect import Example, ExportResult, Version

EXPORT_SCHEMA_VERSION = 1


def example_record(example: Example) -> dict[str, Any]:
    def version(v: Version | None) -> dict[str, Any] | None:
        if v is None:
            return None
        return {
            "judgment_hash": v.hash,
            "version": v.version,
            "preference": v.preference,
            "strength": v.strength,
            "criteria": v.criteria,
            "rationale": v.rationale,
            "timestamp": v.timestamp,
            "confidence": v.confidence,
            "flags": v.flags,
            "flag_note": v.flag_note,
            "grade": {
                "score": v.score,
                "passed": v.passed,
                "components": v.components,
                "key_points_made": v.key_points_made,
                "key_points_missed": v.key_points_missed,
                "findings": v.findings,
                "rubric_hash": v.rubric_hash,
                "gold_hash": v.gold_hash,
                "escalation": v.escalation,
            },
        }

    return {
        "schema_version": EXPORT_SCHEMA_VERSION,
        "annotator": example.annotator,
        "item": example.item,
        "item_hash": example.item["hash"],
        "swapped": example.swapped,
        "rubric": {"id": (example.rubric or {}).get("id"), "version": (example.rubric or {}).get("version")},
        "rubric_hash": example.latest.rubric_hash,
        "gold": example.gold,
        "gold_agrees": example.gold_agrees,
        "original": version(example.original),
        "revised": version(example.revised),
        "critique": example.critique,
        "reviewed_grade": example.reviewed,
    }


def write_jsonl(examples: list[Example], output: Path, extra: dict[str, Any]) -> ExportResult:
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8") as fh:
        for example in examples:
            fh.write(json.dumps(example_record(example), ensure_ascii=False) + "\n")
    return ExportResult([output], len(examples))


def write_dpo(examples: list[Example], output: Path, extra: dict[str, Any]) -> ExportResult:
    """Rows for TRL's DPO trainer. Ties carry no preference, so they are left out and counted.

    A column must hold one type for Hugging Face datasets, so when any prompt
    is a conversation every row uses the conversational format.
    """
    kept = [e for e in examples if e.latest.preference != "tie"]
    ties = len(examples) - len(kept)
    conversational = any(isinstance(e.item["prompt"], list) for e in kept)
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8") as fh:
        for e in kept:
            chosen_side = e.latest.preference
            chosen = e.item["response_a"] if chosen_side == "A" else e.item["response_b"]
            rejected = e.item["response_b"] if chosen_side == "A" else e.item["response_a"]
            prompt: Any = e.item["prompt"]
            if conversational:
                if isinstance(prompt, str):
                    prompt = [{"role": "user", "content": prompt}]
                chosen = [{"role": "assistant", "content": chosen}]
                rejected = [{"role": "assistant", "content": rejected}]
            row = {
                "prompt": prompt,
                "chosen": chosen,
                "rejected": rejected,
                "rationale": e.latest.rationale,
                "strength": e.latest.strength,
                "score": e.latest.score,
                "gold_agrees": e.gold_agrees,
                "reviewed_score": e.reviewed["score"] if e.reviewed else None,
                "reviewed_passed": e.reviewed["passed"] if e.reviewed else None,
                "reviewed_differences": len(e.reviewed["differences"]) if e.reviewed else None,
                "item_id": e.item["id"],
                "item_hash": e.item["hash"],
                "annotator": e.annotator,
            }
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    messages = [f"left out {ties} tie{'s' if ties != 1 else ''}: a tie has no chosen and rejected response"] if ties else []
    against = sum(1 for e in kept if e.gold_agrees is False)
    if against:  # kept (the file is every answer), but training on them teaches the opposite of the gold
        messages.append(
            f"{against} row{'s choose' if against != 1 else ' chooses'} against the gold (gold_agrees: false):"
            " filter them out before training on this file"
        )
    # One row per answer: where several annotators made the same choice on a pair, the pair repeats, which
    # weighs it more in training (PandaLM's votes repeat a pair up to 18 times). Said, not silently merged.
    choices = Counter((e.item["hash"], e.latest.preference) for e in kept)
    repeats = len(kept) - len(choices)
    if repeats:
        messages.append(
            f"{repeats} row{'s repeat' if repeats != 1 else ' repeats'} a pair and choice another annotator made"
            f" (one pair up to {max(choices.values())} times): keep one row per item_hash and chosen if each pair"
            " should count once"
        )
    return ExportResult([output], len(kept), skipped_ties=ties, messages=messages)
