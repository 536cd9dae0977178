"""The SQLite store: migrations, settings, idempotent writes, versions, transactions."""

from __future__ import annotations

import sqlite3

import pytest

from rationale import store
from rationale.store import open_db
from rationale.store.migrations import MIGRATIONS
from rationale.models import Finding, GoldAnswer, Grade, Item, Judgment, Rubric

RUBRIC = Rubric.model_validate(
    {
        "id": "tiny",
        "title": "Tiny rubric",
        "version": "1",
        "criteria": [
            {
                "id": "honesty",
                "name": "Honesty",
                "description": "Says only what is true.",
                "weight": 1,
                "levels": {str(n): f"level {n}" for n in range(1, 6)},
            }
        ],
        "strength_scale": [{"value": v, "label": f"step {v}"} for v in (-1, 0, 1)],
        "scoring": {
            "weights": {
                "preference": 0.5,
                "strength": 0.1,
                "criteria": 0.1,
                "key_points": 0.1,
                "evidence": 0.1,
                "rationale_quality": 0.1,
            },
            "pass_mark": 70,
        },
    }
)
ITEM = Item(id="q1", prompt="What is 2+2?", response_a="4", response_b="5")
GOLD = GoldAnswer(item_id="q1", preference="A", strength=-1, reference_rationale="A is right: 2+2 is 4.")


def judgment(rationale: str = "A says \"4\", which is correct; B is wrong.") -> Judgment:
    return Judgment(item_id="q1", annotator="ana", preference="A", strength=-1, criteria=["honesty"], rationale=rationale)


def graded(j: Judgment, item_hash: str, gold_hash: str, rubric_hash: str) -> store.GradedJudgment:
    grade = Grade(
        item_id=j.item_id,
        annotator=j.annotator,
        judgment_hash=j.content_hash,
        rubric_hash=rubric_hash,
        gold_hash=gold_hash,
        score=90.0,
        passed=True,
        components={"preference": 1.0, "strength": None},
        preference_correct=True,
        strength_distance=0,
        findings=[Finding(code="too_short", severity="minor", message="Say more.")],
    )
    return store.GradedJudgment(j, item_hash, grade)


def write_once(db, j: Judgment) -> store.BatchCounts:
    """One command's worth of writes, in one transaction, as `grade` does it."""
    db.conn.execute("begin immediate")
    run_id = store.start_run(db, "grade", {"judgments": ["j.jsonl"]}, RUBRIC.content_hash)
    rubric_hash = store.save_rubric(db, RUBRIC)
    item_hashes = store.save_items(db, {"q1": ITEM})
    gold_hashes = store.save_gold(db, {"q1": GOLD}, {"q1": ITEM})
    counts = store.save_judgments_and_grades(
        db, [graded(j, item_hashes["q1"], gold_hashes["q1"], rubric_hash)], run_id
    )
    store.finish_run(db, run_id, counts._asdict())
    db.conn.commit()
    return counts


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "store.db")
    yield database
    database.conn.close()


def test_every_migration_is_recorded(db):
    recorded = [row["name"] for row in db["_migrations"].rows]
    assert recorded == [fn.__name__ for fn in MIGRATIONS]


def test_reopening_applies_no_migration_twice(tmp_path):
    open_db(tmp_path / "twice.db").conn.close()
    again = open_db(tmp_path / "twice.db")
    assert again.execute("select count(*) from _migrations").fetchone()[0] == len(MIGRATIONS)


def test_database_uses_wal_and_foreign_keys(db):
    assert db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert db.execute("pragma foreign_keys").fetchone()[0] == 1


def test_foreign_keys_reject_gold_for_an_unstored_item(db):
    with pytest.raises(sqlite3.IntegrityError):
        store.save_gold(db, {"q1": GOLD}, {"q1": "no-such-item-hash"})


def test_rerunning_the_same_inputs_adds_no_rows(db):
    write_once(db, judgment())
    before = store.table_counts(db)
    counts = write_once(db, judgment())
    after = store.table_counts(db)
    assert counts == store.BatchCounts(0, 0, 0, 0)
    assert {k: v for k, v in after.items() if k != "runs"} == {k: v for k, v in before.items() if k != "runs"}
    assert after["runs"] == before["runs"] + 1


def test_changed_rationale_is_version_two_and_version_one_is_kept(db):
    write_once(db, judgment("A says \"4\", which is correct."))
    counts = write_once(db, judgment("A says \"4\"; B says \"5\", which is false."))
    versions = store.judgment_versions(db, "ana", "q1")
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[0]["rationale"] == "A says \"4\", which is correct."
    assert counts.judgments_revised == 1


def test_latest_grades_show_the_newest_version_only(db):
    write_once(db, judgment("first answer, quoting \"4\""))
    write_once(db, judgment("second answer, quoting \"4\""))
    latest = store.latest_grades(db, annotator="ana")
    assert [(g["item_id"], g["version"], g["rationale"]) for g in latest] == [("q1", 2, "second answer, quoting \"4\"")]


def test_findings_are_written_once_per_grade(db):
    write_once(db, judgment())
    write_once(db, judgment())
    assert db.execute("select count(*) from findings").fetchone()[0] == 1


def test_feedback_view_joins_judgment_grade_and_findings(db):
    write_once(db, judgment())
    row = db.execute("select annotator, item_id, score, findings from feedback").fetchone()
    assert row[:3] == ("ana", "q1", 90.0)
    assert '"code":"too_short"' in row[3]


def test_run_records_command_inputs_rubric_and_counts(db):
    write_once(db, judgment())
    run = store.get_run(db, 1)
    assert run["command"] == "grade"
    assert run["inputs"] == {"judgments": ["j.jsonl"]}
    assert run["rubric_hash"] == RUBRIC.content_hash
    assert run["counts"]["grades_new"] == 1
    assert run["started"] <= run["finished"]


def test_failed_transaction_leaves_the_database_as_it_was(db, tmp_path):
    write_once(db, judgment())
    db.conn.execute("pragma wal_checkpoint(truncate)")
    before = store.table_counts(db)
    db.conn.execute("begin immediate")
    store.start_run(db, "grade", {}, None)
    store.save_judgments_and_grades(
        db, [graded(judgment("a different answer with \"4\""), ITEM.content_hash, GOLD.content_hash, RUBRIC.content_hash)], 1
    )
    db.conn.rollback()
    assert store.table_counts(db) == before


def test_same_answer_against_new_gold_adds_a_grade_but_no_judgment(db):
    write_once(db, judgment())
    new_gold = GoldAnswer(item_id="q1", preference="A", strength=-1, reference_rationale="A is right; B adds one.")
    db.conn.execute("begin immediate")
    gold_hashes = store.save_gold(db, {"q1": new_gold}, {"q1": ITEM})
    counts = store.save_judgments_and_grades(
        db, [graded(judgment(), ITEM.content_hash, gold_hashes["q1"], RUBRIC.content_hash)], None
    )
    db.conn.commit()
    assert (counts.judgments_new, counts.grades_new) == (0, 1)
    assert db.execute("select count(*) from grades").fetchone()[0] == 2


def test_a_new_grader_version_gives_the_same_grading_a_new_identity(monkeypatch):
    from rationale.store import judgments

    before = judgments.grade_id("j", "g", "r")
    monkeypatch.setattr(judgments, "GRADER_VERSION", judgments.GRADER_VERSION + 1)
    assert judgments.grade_id("j", "g", "r") != before


def test_a_db_file_sqlite_cannot_read_is_one_input_problem_and_stays_as_it_was(tmp_path):
    from rationale.errors import InputError

    notes = tmp_path / "notes.md"
    notes.write_text("# my notes, not a database\n" * 20, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        open_db(notes)
    assert [str(p) for p in raised.value.problems] == [
        f"{notes}: --db: is not a rationale database (SQLite: file is not a database); give another --db"
    ]
    assert notes.read_text(encoding="utf-8") == "# my notes, not a database\n" * 20


def _stored_answers(db, n: int) -> list[str]:
    """`n` answers graded and stored (versions of one answer); their grade ids, in order."""
    ids = []
    for i in range(n):
        j = judgment(f"A says \"4\", which is correct; B is wrong ({i}).")
        write_once(db, j)
        ids.append(store.grade_id(j.content_hash, GOLD.content_hash, RUBRIC.content_hash))
    return ids


def test_stored_grades_are_read_back_within_sqlites_limit_on_bound_parameters(db):
    ids = _stored_answers(db, 25)
    db.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 10)  # as an SQLite built with a low limit has it
    found = store.stored_results(db, ids)
    assert sorted(found) == sorted(ids)
    assert {(r.score, tuple(f.code for f in r.findings)) for r in found.values()} == {(90.0, ("too_short",))}


def test_a_stored_reader_reads_batch_after_batch_as_each_batch_reads_alone(db):
    ids = _stored_answers(db, 6)
    reader = store.StoredReader(limit=2)  # its caches start again within the run
    together = {}
    for batch in (ids[:2], ids[2:5], ids[5:]):
        together.update(reader.read(db, batch))
    assert together == store.stored_results(db, ids)
    assert reader.read(db, ["no-such-grade"]) == {}
