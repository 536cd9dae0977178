"""Grading many judgments: a re-run reads stored grades back, and worker processes give the same grades."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from rationale.grading import Grader, pipeline, runner
from rationale.grading.pipeline import grade_files
from rationale.grading.runner import GradeRunner
from rationale.io import load_references
from rationale.models import Judgment
from rationale.render.grade import grading_json

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "drill"
RUBRIC = ROOT / "rubrics" / "hhh.yaml"


def _grade(db: Path, judgments: Path = EXAMPLES / "judgments.jsonl", gold: Path = EXAMPLES / "gold.jsonl", **options):
    return grade_files([judgments], rubric_path=RUBRIC, gold_path=gold, items_path=EXAMPLES / "items.jsonl", db_path=db, **options)


def _report_json(report) -> dict:
    document = json.loads(grading_json(report))
    document.pop("run")
    return document


def _refuse_to_grade(*args, **kwargs):
    raise AssertionError("graded again although the grade is stored")


def test_a_rerun_reads_every_stored_grade_back_instead_of_grading(tmp_path, monkeypatch):
    first = _grade(tmp_path / "r.db", workers=1)
    monkeypatch.setattr(Grader, "grade", _refuse_to_grade)
    again = _grade(tmp_path / "r.db", workers=1)
    assert again.run.counts["grades_new"] == 0
    assert again.run.counts["judgments_read"] == first.run.counts["judgments_read"] == 26


def test_a_rerun_reports_exactly_what_the_first_run_reported(tmp_path):
    first = _report_json(_grade(tmp_path / "r.db", workers=1))
    again = _report_json(_grade(tmp_path / "r.db", workers=1))
    assert again == first
    # Capped scores stay whole numbers as grading gave them (45, not 45.0), so the JSON text is the same too.
    assert json.dumps(again) == json.dumps(first)
    assert any(isinstance(r["score"], int) for r in first["results"])


def test_a_changed_gold_answer_is_graded_again(tmp_path):
    _grade(tmp_path / "r.db", workers=1)
    answers = [json.loads(line) for line in (EXAMPLES / "gold.jsonl").read_text(encoding="utf-8").splitlines()]
    answers[0]["difficulty"] = "hard" if answers[0].get("difficulty") != "hard" else "easy"
    changed = tmp_path / "gold.jsonl"
    changed.write_text("".join(json.dumps(a) + "\n" for a in answers), encoding="utf-8")
    again = _grade(tmp_path / "r.db", gold=changed, workers=1)
    assert again.run.counts["grades_new"] == 1  # only the judgment on the changed item


def test_worker_processes_give_the_same_report_as_one_process(tmp_path, monkeypatch):
    alone = _report_json(_grade(tmp_path / "one.db", workers=1))
    monkeypatch.setattr(runner, "PARALLEL_MIN", 0)
    monkeypatch.setattr(runner, "CHUNK", 4)  # several chunks per batch, so their order matters
    started = []
    real_start = GradeRunner._start_pool
    monkeypatch.setattr(GradeRunner, "_start_pool", lambda self: (started.append(self.workers), real_start(self)))
    together = _report_json(_grade(tmp_path / "two.db", workers=2))
    assert started == [2]
    assert json.dumps(together) == json.dumps(alone)


def test_batches_come_back_in_input_order_with_stored_grades_in_place(tmp_path, monkeypatch):
    rubric, items, gold = load_references(RUBRIC, EXAMPLES / "items.jsonl", EXAMPLES / "gold.jsonl")
    lines = (EXAMPLES / "judgments.jsonl").read_text(encoding="utf-8").splitlines()
    judgments = [Judgment.model_validate_json(line) for line in lines]
    grader = Grader(rubric)
    stored = {j.item_id: grader.grade(j, items[j.item_id], gold[j.item_id]) for j in judgments[::3]}
    monkeypatch.setattr(runner, "PARALLEL_MIN", 0)
    monkeypatch.setattr(runner, "CHUNK", 2)
    batches = [(judgments[i : i + 5], judgments[i : i + 5]) for i in range(0, len(judgments), 5)]
    with GradeRunner(grader, items, gold, lambda js: [stored.get(j.item_id) for j in js], workers=2) as run:
        out = list(run.run(batches))
        assert run.parallel
    assert [e.item_id for graded in out for e in graded.batch] == [j.item_id for j in judgments]
    assert [g.item_id for graded in out for g in graded.grades] == [j.item_id for j in judgments]
    assert [n for graded in out for n in graded.new] == [j.item_id not in stored for j in judgments]
    assert [g.score for graded in out for g in graded.grades] == [
        grader.grade(j, items[j.item_id], gold[j.item_id]).score for j in judgments
    ]


def test_small_inputs_are_graded_in_this_process(tmp_path):
    with GradeRunner(Grader(load_references(RUBRIC, EXAMPLES / "items.jsonl", EXAMPLES / "gold.jsonl")[0]), {}, {}, workers=2) as run:
        assert list(run.run([])) == []
        assert not run.parallel
    assert pipeline.GRADE_BATCH > runner.PARALLEL_MIN  # one full batch is enough to use the workers


@pytest.mark.parametrize("workers", [1, 2])
def test_a_bad_judgment_still_leaves_the_database_untouched(tmp_path, monkeypatch, workers):
    monkeypatch.setattr(runner, "PARALLEL_MIN", 0)
    lines = (EXAMPLES / "judgments.jsonl").read_text(encoding="utf-8").splitlines()
    bad = json.loads(lines[-1])
    bad["strength"] = 99
    path = tmp_path / "judgments.jsonl"
    path.write_text("\n".join([*lines[:-1], json.dumps(bad)]) + "\n", encoding="utf-8")
    from rationale.errors import InputError

    with pytest.raises(InputError):
        _grade(tmp_path / "r.db", judgments=path, workers=workers)
    assert not (tmp_path / "r.db").exists()


def test_ctrl_c_while_workers_grade_exits_130_and_writes_nothing_yet(tmp_path):
    # Enough judgments that the workers start; the whole process group gets the interrupt, as from a terminal.
    import signal
    import subprocess
    import sys
    import time

    lines = (EXAMPLES / "judgments.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    many = tmp_path / "many.jsonl"
    with many.open("w", encoding="utf-8") as out:
        for n in range(400):
            for record in records:
                out.write(json.dumps({**record, "annotator": f"annotator-{n:03d}"}) + "\n")
    db = tmp_path / "r.db"
    rationale = Path(sys.executable).with_name("rationale")
    child = subprocess.Popen(
        [str(rationale), "grade", str(many), "--rubric", str(RUBRIC), "--gold", str(EXAMPLES / "gold.jsonl"),
         "--items", str(EXAMPLES / "items.jsonl"), "--db", str(db), "--workers", "2", "-q"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_group(child.pid)) < 3:  # the parent and its two workers
        time.sleep(0.05)
    assert len(_group(child.pid)) >= 3, "the workers never started"
    os.killpg(child.pid, signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130
    assert "interrupted" in err.decode()
    assert "Traceback" not in err.decode()
    assert not db.exists()


def _group(pgid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid:
                found.append(int(entry.name))
    return found


def test_grading_collects_garbage_rarely_and_leaves_the_collector_as_it_found_it(tmp_path, monkeypatch):
    import gc

    seen = []
    real_stream = pipeline._grade_stream
    monkeypatch.setattr(pipeline, "_grade_stream", lambda *a, **k: seen.append((gc.get_threshold()[0], gc.get_freeze_count())) or real_stream(*a, **k))
    before = (gc.get_threshold(), gc.get_freeze_count())
    _grade(tmp_path / "r.db")
    assert seen[0][0] == pipeline.YOUNG_COLLECTION and seen[0][1] > 0  # references frozen while grading
    assert (gc.get_threshold(), gc.get_freeze_count()) == before
