"""The `calibrate` workflow: load and check the files, analyse, store the batch; read stored batches back.

`calibrate_files` loads, analyses and stores a batch; `annotator_history`
reads one annotator's figures across stored batches; `audit_sections` gives
the quality audit and guideline proposal that `rationale export` shows.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from contextlib import closing
from typing import Any

from .. import agreement as ag
from .. import store
from ..errors import InputError, InputProblem
from ..models import AnnotatorHistory, CalibrationReport, GoldAnswer, Grade, HistoryRow, Item, Judgment, Rubric, content_hash
from ..store.common import chunks
from .analysis import DEFAULT_MIN_ITEMS, DEFAULT_THRESHOLD, GradeSummary, analyse_batch, graded_batches


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
    rubric, items, gold = load_references(rubric_path, items_path, gold_path, problems, then=[*judgment_paths, *judge_paths])
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
    min_overlap: int = ag.MIN_OVERLAP,
    db_path: str | os.PathLike[str] | None = None,
    samples: int = ag.BOOTSTRAP_SAMPLES,
    seed: int = ag.DEFAULT_SEED,
    judge_paths: Sequence[str | os.PathLike[str]] = (),
    on_progress: Callable[[int, int | None], None] | None = None,
) -> CalibrationReport:
    """Load, grade, analyse and store a calibration batch (re-running a batch name replaces its stored results).

    `judge_paths` hold model judges' verdicts (`rationale import --judge-fields` writes judges.jsonl):
    scored against gold, kept out of the agreement among annotators. `on_progress(step, 4)` follows
    the four steps: read, graded, analysed, stored.

    Every input is read and checked before anything is written. Then, as `rationale grade` does, the run,
    items and gold are recorded and each batch of grades is stored as it is made, in short transactions;
    only what the analysis reads of each grade is kept (`GradeSummary`). Last, the batch itself is stored,
    replacing any of the same name, with the run's end, in one transaction.
    """
    step = on_progress or (lambda done, total: None)
    judgments, items, rubric, gold, judges = load_batch(
        judgment_paths, items_path=items_path, rubric_path=rubric_path, gold_path=gold_path, judge_paths=judge_paths
    )
    step(1, CALIBRATION_STEPS)
    name = batch or default_batch_name([*judgments, *judges])
    inputs = {
        "judgments": [os.fspath(p) for p in judgment_paths],
        "judges": [os.fspath(p) for p in judge_paths],
        "items": os.fspath(items_path),
        "rubric": os.fspath(rubric_path),
        "gold": os.fspath(gold_path) if gold_path else None,
        "batch": name,
        "threshold": threshold,
        "min_items": min_items,
        "min_overlap": min_overlap,
    }
    db = store.open_db(db_path)
    try:
        recording = store.start_recording(db, "calibrate", inputs, rubric=rubric, items=items, gold=gold or {},
                                          batch_size=WRITE_BATCH)
        grades, stored_judgments = _grade_and_store(db, recording, judgments, items, rubric, gold) if gold else ({}, 0)
        step(2, CALIBRATION_STEPS)
        report = analyse_batch(
            judgments, items, rubric, gold, batch=name, threshold=threshold, min_items=min_items,
            min_overlap=min_overlap, samples=samples, seed=seed, grades=grades, judges=judges,
        )
        step(3, CALIBRATION_STEPS)
        report_json = json.dumps(report.to_dict(), ensure_ascii=False, separators=(",", ":"))
        with store.writing(db):
            batch_id = store.calibration.replace_batch(db, report, judgments, recording.run_id, report_json)
            store.finish_run(db, recording.run_id, {"judgments": len(judgments), "judgments_new": stored_judgments,
                                                    "batch_id": batch_id})
        step(4, CALIBRATION_STEPS)
    finally:
        db.close()
    return report


CALIBRATION_STEPS = 4


WRITE_BATCH = 500
"""Judgments (with their grades) per write transaction, as `rationale grade` writes them."""


def _grade_and_store(
    db: Any, recording: store.Recording, judgments: Sequence[Judgment], items: dict[str, Item], rubric: Rubric,
    gold: dict[str, GoldAnswer],
) -> tuple[dict[tuple[str, str], GradeSummary], int]:
    """Grade every judgment that has gold (on every core when many) and store each batch as it comes back.

    A worker turns each grade into what the analysis reads and the rows that store it, so no Grade crosses
    processes or stays in memory (100,000 grades held whole took about 800 MB). Returns the summaries by
    (annotator, item) and how many judgments were new to the database.
    """
    item_hashes = recording.item_hashes

    def outcome(judgment: Judgment, grade: Grade) -> tuple[GradeSummary, store.PreparedGrade]:
        return GradeSummary.of(grade), store.prepare_grade(judgment, item_hashes[judgment.item_id], grade)

    summaries: dict[tuple[str, str], GradeSummary] = {}
    new = 0
    with closing(graded_batches(judgments, items, rubric, gold, outcome=outcome)) as batches:
        for batch in batches:
            prepared = []
            for j, (summary, rows) in batch:
                summaries[(j.annotator, j.item_id)] = summary
                prepared.append(rows)
            for part in chunks(prepared, WRITE_BATCH):
                with store.writing(db):
                    new += store.save_prepared(db, part, recording.run_id).judgments_new
    return summaries, new


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
