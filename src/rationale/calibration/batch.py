"""The `calibrate` workflow: load and check the files, analyse, store the batch; read stored batches back.

`calibrate_files` loads, analyses and stores a batch; `annotator_history`
reads one annotator's figures across stored batches; `audit_sections` gives
the quality audit and guideline proposal that `rationale export` shows.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from typing import Any

from .. import agreement as ag
from .. import store
from ..errors import InputError, InputProblem
from ..store.common import chunks
from ..models import AnnotatorHistory, CalibrationReport, GoldAnswer, Grade, HistoryRow, Item, Judgment, Rubric, content_hash
from .analysis import DEFAULT_MIN_ITEMS, DEFAULT_THRESHOLD, analyse_batch, grade_batch


def load_batch(
    judgment_paths: Sequence[str | os.PathLike[str]],
    *,
    items_path: str | os.PathLike[str],
    rubric_path: str | os.PathLike[str],
    gold_path: str | os.PathLike[str] | None = None,
    judge_paths: Sequence[str | os.PathLike[str]] = (),
) -> tuple[list[Judgment], dict[str, Item], Rubric, dict[str, GoldAnswer] | None, list[Judgment]]:
    """Load and check every input (the judges' verdicts last); raise InputError with all problems before anything is written."""
    from ..io import iter_judgments, load_references

    problems: list[InputProblem] = []
    rubric, items, gold = load_references(rubric_path, items_path, gold_path, problems)
    judgments = [j for _, _, j in iter_judgments(judgment_paths, items, rubric, problems)]
    if not judgments and not problems:
        problems.append(InputProblem(os.fspath(judgment_paths[0]), None, "(file)", "no judgments to calibrate"))
    judges = [j for _, _, j in iter_judgments(judge_paths, items, rubric, problems)] if judge_paths else []
    both = sorted({j.annotator for j in judges} & {j.annotator for j in judgments})
    if both:
        problems.append(InputProblem(
            os.fspath(judge_paths[0]), None, "annotator",
            f"{both[0]!r} appears among the judgments and the judges; a rater is one or the other",
        ))
    if problems:
        raise InputError(problems)
    return judgments, items, rubric, gold, judges


def default_batch_name(judgments: Sequence[Judgment]) -> str:
    """Named by content, so running the same batch again replaces it instead of adding a duplicate."""
    return "batch-" + content_hash(sorted(j.content_hash for j in judgments))[:10]


def calibrate_files(
    judgment_paths: Sequence[str | os.PathLike[str]],
    *,
    items_path: str | os.PathLike[str],
    rubric_path: str | os.PathLike[str],
    gold_path: str | os.PathLike[str] | None = None,
    batch: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    min_items: int = DEFAULT_MIN_ITEMS,
    db_path: str | os.PathLike[str] | None = None,
    samples: int = ag.BOOTSTRAP_SAMPLES,
    seed: int = ag.DEFAULT_SEED,
    judge_paths: Sequence[str | os.PathLike[str]] = (),
    on_progress: Callable[[int, int | None], None] | None = None,
) -> CalibrationReport:
    """Load, analyse and store a calibration batch (re-running a batch name replaces its stored results).

    `judge_paths` hold model judges' verdicts (`rationale import --judge-fields` writes judges.jsonl):
    scored against gold, kept out of the agreement among annotators. `on_progress(step, 4)` follows
    the four steps: read, graded, analysed, stored.
    """
    step = on_progress or (lambda done, total: None)
    judgments, items, rubric, gold, judges = load_batch(
        judgment_paths, items_path=items_path, rubric_path=rubric_path, gold_path=gold_path, judge_paths=judge_paths
    )
    step(1, CALIBRATION_STEPS)
    name = batch or default_batch_name([*judgments, *judges])
    grades = grade_batch(judgments, items, rubric, gold) if gold else {}
    step(2, CALIBRATION_STEPS)
    report = analyse_batch(
        judgments, items, rubric, gold, batch=name, threshold=threshold, min_items=min_items,
        samples=samples, seed=seed, grades=grades, judges=judges,
    )
    step(3, CALIBRATION_STEPS)
    inputs = {
        "judgments": [os.fspath(p) for p in judgment_paths],
        "judges": [os.fspath(p) for p in judge_paths],
        "items": os.fspath(items_path),
        "rubric": os.fspath(rubric_path),
        "gold": os.fspath(gold_path) if gold_path else None,
        "batch": name,
        "threshold": threshold,
        "min_items": min_items,
    }
    store_batch(db_path, report, judgments, items, rubric, gold, grades, inputs)
    step(4, CALIBRATION_STEPS)
    return report


CALIBRATION_STEPS = 4


WRITE_BATCH = 500
"""Judgments (with their grades) per write transaction, as `rationale grade` writes them."""


def store_batch(
    db_path: str | os.PathLike[str] | None,
    report: CalibrationReport,
    judgments: Sequence[Judgment],
    items: dict[str, Item],
    rubric: Rubric,
    gold: dict[str, GoldAnswer] | None,
    grades: dict[tuple[str, str], Grade],
    inputs: dict[str, Any],
) -> int:
    """Write the batch: foundation rows (items, gold, judgments, grades), then the calibration tables.

    In short transactions, so that other commands writing to the same file wait a moment, not the whole
    store (100,000 judgments in one transaction held the write lock for over 10 s): the run, items, gold,
    judgments and grades `WRITE_BATCH` at a time (rows already stored are skipped, so a run stopped half-way
    and run again adds the rest, as `grade` does); then the batch itself, replacing any of the same name,
    and the run's end, in one transaction.
    """
    db = store.open_db(db_path)
    try:
        recording = store.start_recording(db, "calibrate", inputs, rubric=rubric, items=items, gold=gold or {},
                                          batch_size=WRITE_BATCH)
        stored_judgments = 0
        if gold:
            rows = [
                store.GradedJudgment(j, recording.item_hashes[j.item_id], grades[(j.annotator, j.item_id)])
                for j in judgments
                if (j.annotator, j.item_id) in grades
            ]
            for part in chunks(rows, WRITE_BATCH):
                with store.writing(db):
                    stored_judgments += store.save_judgments_and_grades(db, part, recording.run_id).judgments_new
        report_json = json.dumps(report.to_dict(), ensure_ascii=False, separators=(",", ":"))
        with store.writing(db):
            batch_id = store.calibration.replace_batch(db, report, judgments, recording.run_id, report_json)
            store.finish_run(db, recording.run_id, {"judgments": len(judgments), "judgments_new": stored_judgments,
                                                    "batch_id": batch_id})
    finally:
        db.close()
    return batch_id


def calibrated_annotators(db_path: str | os.PathLike[str] | None) -> list[str]:
    """Every annotator in a stored batch: what `calibrate --history` suggests for a name it does not know."""
    db = store.open_db(db_path)
    try:
        return store.calibration.calibrated_annotators(db)
    finally:
        db.close()


def annotator_history(db_path: str | os.PathLike[str] | None, annotator: str) -> AnnotatorHistory:
    """The annotator's figures in every stored batch, oldest first, and what changed between the first and last."""
    db = store.open_db(db_path)
    try:
        records = store.calibration.annotator_batches(db, annotator)
    finally:
        db.close()
    fields = [name for name in HistoryRow.model_fields if name not in ("batch", "biases")]
    rows = [
        HistoryRow(batch=r["name"], biases=json.loads(r["biases"] or "[]"), **{name: r[name] for name in fields})
        for r in records
    ]
    return AnnotatorHistory(annotator=annotator, rows=rows, drift=_drift(rows))


def _drift(rows: list[HistoryRow]) -> list[str]:
    scored = [r for r in rows if r.accuracy is not None]
    notes = []
    if len(scored) >= 2:
        first, last = scored[0], scored[-1]
        change = last.accuracy - first.accuracy
        separate = last.accuracy_low > first.accuracy_high or last.accuracy_high < first.accuracy_low
        direction = "up" if change > 0 else "down" if change < 0 else "unchanged"
        notes.append(
            f"accuracy {direction} {abs(change):.0%} from {first.batch} to {last.batch}"
            + (" (the intervals do not overlap: a real change)" if separate else " (the intervals overlap: could be noise)")
        )
    peers = [r for r in rows if r.kappa_with_peers is not None]
    if len(peers) >= 2:
        notes.append(f"kappa with peers {peers[0].kappa_with_peers:.2f} -> {peers[-1].kappa_with_peers:.2f}")
    if len(rows) >= 2:
        before = {b.split(":")[0] for b in rows[0].biases}
        after = {b.split(":")[0] for b in rows[-1].biases}
        for bias in sorted(after - before):
            notes.append(f"new bias since {rows[0].batch}: {bias}")
        for bias in sorted(before - after):
            notes.append(f"no longer shows {bias} bias")
    return notes


def audit_sections(db: Any) -> dict[str, list[str]]:
    """The quality audit and the guideline-improvement proposal from the newest stored batch.

    `rationale export` shows them; nothing is returned when no batch was calibrated.
    """
    from ..render.formatters import percent

    newest = store.calibration.newest_batch(db)
    if newest is None:
        return {}
    name, report = newest
    preference = report.get("agreement", {}).get("preference", {})

    def figure(key: str, as_percent: bool = False) -> str | None:
        entry = preference.get(key) or {}
        value = entry.get("value")
        if value is None:
            return None
        shown = percent if as_percent else (lambda v: f"{v:.2f}")
        interval = f" [{shown(entry['low'])}, {shown(entry['high'])}]" if entry.get("low") is not None else ""
        return shown(value) + interval

    audit = [
        f"Batch {name}: {report.get('items')} items, {len(report.get('annotators', []))} annotators,"
        f" {report.get('judgments')} judgments under rubric {report.get('rubric', {}).get('id')}"
        f" v{report.get('rubric', {}).get('version')}."
    ]
    agreement = [
        f"{label} {text}"
        for label, text in (
            ("percent agreement", figure("percent_agreement", as_percent=True)),
            ("Krippendorff's alpha", figure("krippendorff_alpha")),
            ("Gwet's AC1", figure("gwet_ac1")),
        )
        if text
    ]
    if agreement:
        audit.append("Agreement on the preference: " + "; ".join(agreement) + " (95% bootstrap intervals).")
    audit += [_audit_line(result) for result in report.get("annotator_results", [])]
    consensus = report.get("consensus") or {}
    if consensus.get("dawid_skene_accuracy") is not None:
        audit.append(
            f"Consensus against gold: majority vote {percent(consensus['majority_accuracy'])},"
            f" Dawid-Skene {percent(consensus['dawid_skene_accuracy'])}."
        )
    proposal = [*report.get("proposal", []), *(f"Open question: {q}" for q in report.get("questions", []))]
    return {"audit": audit, "proposal": proposal}


def _audit_line(result: dict[str, Any]) -> str:
    from ..render.formatters import percent

    line = f"{result['name']}: {result['verdict']}"
    if result.get("accuracy") is not None:
        line += (
            f", accuracy {percent(result['accuracy'])}"
            f" [{percent(result['accuracy_low'])}, {percent(result['accuracy_high'])}]"
            f" on {result['gold_items']} gold items"
        )
    escalation = result.get("escalation")
    if escalation:
        line += (f"; escalated {escalation['hits']} of {escalation['edge_cases']} edge cases,"
                 f" {escalation['false_alarms']} clear item{'s' if escalation['false_alarms'] != 1 else ''} flagged")
    confidence = result.get("confidence")
    if confidence:
        line += f"; confidence {confidence['verdict']} (stated {percent(confidence['mean_stated'])}, right {percent(confidence['accuracy'])})"
    biases = [b for b in result.get("biases", []) if not b.startswith(("escalation:", "confidence:"))]  # said above
    if biases:
        line += "; " + "; ".join(biases)
    return line + "."
