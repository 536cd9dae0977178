"""The grade pipeline (`rationale.grading.grade_files`): validate, grade, store, summarise, atomically.

Fixtures live in tests/data/tiny/: a two-criterion rubric, three items with gold,
and three judgments by `ana` (one right and well argued, one with the wrong
preference, one quoting a sentence that is in neither response).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from rationale import store
from rationale.grading import pipeline
from rationale.grading.pipeline import grade_files
from rationale.store import open_db
from rationale.errors import InputError

TINY = Path(__file__).parent / "data" / "tiny"


def run(judgments, db, **kwargs):
    return grade_files(
        [str(p) for p in judgments],
        rubric_path=TINY / "rubric.yaml",
        gold_path=TINY / "gold.jsonl",
        items_path=TINY / "items.jsonl",
        db_path=db,
        **kwargs,
    )


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def tiny_judgments() -> list[dict]:
    return [json.loads(line) for line in (TINY / "judgments.jsonl").read_text(encoding="utf-8").splitlines()]


def counts(db_path) -> dict[str, int]:
    db = open_db(db_path)
    try:
        return store.table_counts(db)
    finally:
        db.conn.close()


def snapshot(db_path: Path) -> bytes:
    """The database as bytes, after folding the write-ahead log into the main file."""
    db = open_db(db_path)
    db.execute("pragma wal_checkpoint(truncate)")
    db.conn.close()
    return db_path.read_bytes()


def test_every_judgment_gets_a_result_in_input_order(tmp_path):
    report = run([TINY / "judgments.jsonl"], tmp_path / "r.db")
    assert [(r.item_id, r.line) for r in report.results] == [("sum", 1), ("capital", 2), ("boil", 3)]


def test_result_sets_the_answer_beside_the_gold_answer(tmp_path):
    capital = run([TINY / "judgments.jsonl"], tmp_path / "r.db").results[1]
    assert (capital.preference, capital.strength, capital.gold_preference, capital.gold_strength) == ("A", -1, "B", 2)
    assert not capital.preference_correct
    assert not capital.passed
    assert capital.top_findings()[0].code == "wrong_preference"


def test_summary_counts_accuracy_and_pass_rate(tmp_path):
    summary = run([TINY / "judgments.jsonl"], tmp_path / "r.db").summary
    assert (summary.n, summary.preference_correct) == (3, 2)
    assert summary.accuracy == pytest.approx(2 / 3)
    assert summary.pass_rate == summary.passed / 3


def test_mean_score_is_the_mean_of_the_results(tmp_path):
    report = run([TINY / "judgments.jsonl"], tmp_path / "r.db")
    assert report.summary.mean_score == pytest.approx(sum(r.score for r in report.results) / 3, abs=0.01)


def test_weakest_criteria_count_missed_decisive_and_needless_citations(tmp_path):
    # `capital` is decided by honesty; ana cited only helpfulness there.
    weakest = {w.criterion: (w.missed, w.irrelevant) for w in run([TINY / "judgments.jsonl"], tmp_path / "r.db").summary.weakest_criteria}
    assert weakest["honesty"] == (1, 0)
    assert weakest["helpfulness"] == (0, 1)


def test_most_missed_key_points_name_the_item_and_the_point(tmp_path):
    missed = run([TINY / "judgments.jsonl"], tmp_path / "r.db").summary.most_missed_key_points
    assert ("capital", "canberra", "Canberra, not Sydney, is the capital", 1) in [
        (p.item_id, p.key_point, p.text, p.missed) for p in missed
    ]


def test_finding_counts_cover_every_finding(tmp_path):
    report = run([TINY / "judgments.jsonl"], tmp_path / "r.db")
    assert sum(report.summary.finding_counts.values()) == sum(len(r.findings) for r in report.results)
    assert report.summary.finding_counts["altered_quote"] == 1  # "exactly 99 degrees" for B's "100 degrees"


def test_grades_and_findings_are_stored(tmp_path):
    report = run([TINY / "judgments.jsonl"], tmp_path / "r.db")
    stored = counts(tmp_path / "r.db")
    assert (stored["judgments"], stored["grades"], stored["items"], stored["gold"], stored["rubrics"]) == (3, 3, 3, 3, 1)
    assert stored["findings"] == sum(len(r.findings) for r in report.results)


def test_run_row_records_the_command_inputs_and_counts(tmp_path):
    report = run([TINY / "judgments.jsonl"], tmp_path / "r.db")
    db = open_db(tmp_path / "r.db")
    recorded = store.get_run(db, report.run_id)
    assert recorded["command"] == "grade"
    assert recorded["inputs"]["judgments"] == [str(TINY / "judgments.jsonl")]
    assert recorded["rubric_hash"] == report.rubric.hash
    assert recorded["counts"] == report.counts
    assert recorded["finished"] is not None


def test_grading_the_same_inputs_again_adds_no_rows_but_a_run(tmp_path):
    run([TINY / "judgments.jsonl"], tmp_path / "r.db")
    before = counts(tmp_path / "r.db")
    again = run([TINY / "judgments.jsonl"], tmp_path / "r.db")
    after = counts(tmp_path / "r.db")
    assert after == {**before, "runs": before["runs"] + 1}
    assert (again.counts["judgments_new"], again.counts["grades_new"]) == (0, 0)
    assert again.summary.n == 3  # the report still shows every judgment


def test_changed_rationale_is_stored_as_version_two_beside_version_one(tmp_path):
    run([TINY / "judgments.jsonl"], tmp_path / "r.db")
    revised = tiny_judgments()
    revised[1] = {**revised[1], "preference": "B", "strength": 2, "criteria": ["honesty"],
                  "rationale": "B is correct: \"Canberra is the capital of Australia\"; A is wrong to name Sydney."}
    report = run([write_jsonl(tmp_path / "v2.jsonl", revised)], tmp_path / "r.db")
    assert (report.counts["judgments_new"], report.counts["judgments_revised"]) == (1, 1)
    db = open_db(tmp_path / "r.db")
    assert [v["preference"] for v in store.judgment_versions(db, "ana", "capital")] == ["A", "B"]


def test_writes_in_batches_store_every_row(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "WRITE_BATCH", 2)
    records = [{**j, "annotator": who} for who in ("ana", "ben", "cy") for j in tiny_judgments()]
    run([write_jsonl(tmp_path / "many.jsonl", records)], tmp_path / "r.db")
    stored = counts(tmp_path / "r.db")
    assert (stored["judgments"], stored["grades"]) == (9, 9)


def test_annotator_option_grades_only_that_annotator(tmp_path):
    records = tiny_judgments() + [{**j, "annotator": "ben"} for j in tiny_judgments()]
    report = run([write_jsonl(tmp_path / "two.jsonl", records)], tmp_path / "r.db", annotator="ben")
    assert {r.annotator for r in report.results} == {"ben"}
    assert report.summary.n == 3


def _items_with_one_more(tmp_path):
    items = tmp_path / "items.jsonl"
    shutil.copy(TINY / "items.jsonl", items)
    with items.open("a", encoding="utf-8") as f:
        f.write(json.dumps({"id": "extra", "prompt": "Hi?", "response_a": "Hello.", "response_b": "Hey."}) + "\n")
    return items


def test_a_judgment_whose_item_has_no_gold_is_skipped_and_counted(tmp_path):
    # Imported data has items without gold (votes naming no winner); grading their neighbours must still work.
    items = _items_with_one_more(tmp_path)
    judgments = write_jsonl(tmp_path / "j.jsonl", [*tiny_judgments(), {**tiny_judgments()[0], "item_id": "extra"}])
    report = grade_files(
        [judgments], rubric_path=TINY / "rubric.yaml", gold_path=TINY / "gold.jsonl", items_path=items, db_path=tmp_path / "r.db",
    )
    assert report.summary.n == 3
    assert report.skipped == {"no gold answer for the item": 1}


def test_judgments_of_which_none_has_gold_are_an_input_problem(tmp_path):
    items = _items_with_one_more(tmp_path)
    judgments = write_jsonl(tmp_path / "j.jsonl", [{**tiny_judgments()[0], "item_id": "extra"}])
    with pytest.raises(InputError) as caught:
        grade_files(
            [judgments], rubric_path=TINY / "rubric.yaml", gold_path=TINY / "gold.jsonl", items_path=items,
            db_path=tmp_path / "r.db",
        )
    assert [str(p) for p in caught.value.problems] == [
        f"{TINY / 'gold.jsonl'}: (file): no gold answer here for any of the judgments read (1)"
    ]
    assert not (tmp_path / "r.db").exists()


def test_every_bad_judgment_is_reported_not_just_the_first(tmp_path):
    records = tiny_judgments()
    records[0]["preference"] = "C"
    records[2]["criteria"] = ["charm"]
    with pytest.raises(InputError) as caught:
        run([write_jsonl(tmp_path / "bad.jsonl", records)], tmp_path / "r.db")
    assert [(p.line, p.field) for p in caught.value.problems] == [(1, "preference"), (3, "criteria[0]")]


def test_bad_judgment_late_in_the_file_leaves_an_existing_database_byte_for_byte_unchanged(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "WRITE_BATCH", 1)  # one judgment a transaction: still none is written before all are read
    db_path = tmp_path / "r.db"
    run([TINY / "judgments.jsonl"], db_path)
    before = snapshot(db_path)
    records = [{**j, "annotator": "ben"} for j in tiny_judgments()]
    records.append({**records[0], "item_id": "nope"})
    with pytest.raises(InputError):
        run([write_jsonl(tmp_path / "late.jsonl", records)], db_path)
    assert snapshot(db_path) == before


def test_bad_judgment_with_no_database_yet_leaves_no_database_file(tmp_path):
    records = tiny_judgments()
    records[1]["strength"] = 9
    with pytest.raises(InputError):
        run([write_jsonl(tmp_path / "bad.jsonl", records)], tmp_path / "new.db")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl"]


def test_bad_rubric_is_reported_before_the_database_is_opened(tmp_path):
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text((TINY / "rubric.yaml").read_text(encoding="utf-8").replace("pass_mark: 70", "pass_mark: 170"))
    with pytest.raises(InputError) as caught:
        grade_files(
            [TINY / "judgments.jsonl"], rubric_path=rubric, gold_path=TINY / "gold.jsonl",
            items_path=TINY / "items.jsonl", db_path=tmp_path / "r.db",
        )
    assert caught.value.problems[0].field == "scoring.pass_mark"
    assert not (tmp_path / "r.db").exists()


def test_a_bad_rubric_and_a_bad_items_file_are_reported_together(tmp_path):
    rubric = tmp_path / "rubric.yaml"
    rubric.write_text((TINY / "rubric.yaml").read_text(encoding="utf-8").replace("pass_mark: 70", "pass_mark: 170"))
    items = write_jsonl(tmp_path / "items.jsonl", [{"id": "q", "prompt": "Hi?", "response_a": "Hello."}])
    with pytest.raises(InputError) as caught:
        grade_files(
            [TINY / "judgments.jsonl"], rubric_path=rubric, gold_path=TINY / "gold.jsonl", items_path=items,
            db_path=tmp_path / "r.db",
        )
    assert [(Path(p.path).name, p.field) for p in caught.value.problems] == [
        ("rubric.yaml", "scoring.pass_mark"),
        ("items.jsonl", "response_b"),
    ]


def test_each_result_names_the_stored_judgment(tmp_path):
    report = run([TINY / "judgments.jsonl"], tmp_path / "r.db")
    db = open_db(tmp_path / "r.db")
    stored = {row[0]: row[1] for row in db.execute("select hash, item_id from judgments")}
    assert {r.judgment_hash: r.item_id for r in report.results} == stored
