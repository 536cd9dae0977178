"""The reviewer reaching the grade on real replies: reviewed grades replayed from cassettes of llama.cpp's server.

`scripts/record-cassettes` serves SmolLM2-135M-Instruct and runs this file with
RATIONALE_RECORD=1 into `cassettes/reviewed_smollm2.yaml`; normal runs replay it
(record mode `none`). Three judgments whose gold names key points: one that
makes both of its item's points (the grader passes it), one that makes none
(the grader fails it), and one on a second item. A 135M model's reading is
often wrong; these tests check what was done with whatever it really replied:
the reading is stored as received, the reviewed grade follows it exactly where
it differs from the grader and can be checked, and a lead is called exactly
where the two grades disagree on pass/fail or on a key point.
"""

from __future__ import annotations

import json

import pytest
from test_critique_cassettes import API_BASE, on_tape

from rationale.critique.reviewed_grade import COARSE, SAME_READING, sentence_in_rationale
from rationale.critique.batch import critique_stored
from rationale.llm.parsing import InvalidReply
from rationale.llm.reading import parse_reading

NAMES = ("strong", "weak", "paris")


@pytest.fixture(scope="module")
def reviewed_run(critique_options, fill_reviewed_db, reviewed_judgment, network_blocker, tmp_path_factory):
    db = tmp_path_factory.mktemp("reviewed-cassette") / "smollm.db"
    fill_reviewed_db(db, [reviewed_judgment(name) for name in NAMES])
    options = critique_options(API_BASE, model="openai/smollm2", output_mode="grammar", timeout=600, concurrency=1,
                               max_attempts=2)
    report, cassette = on_tape("reviewed_smollm2.yaml", network_blocker, lambda: critique_stored(db, options))
    return db, report, cassette


def reading_replies(cassette) -> list[str]:  # type: ignore[no-untyped-def]
    """The model's text for every reading request on tape, in order."""
    out = []
    for request, response in zip(cassette.requests, cassette.responses):
        if not json.loads(request.body)["messages"][1]["content"].startswith("TASK: reading"):
            continue
        body = response["body"]["string"]
        out.append(json.loads(body if isinstance(body, str) else body.decode())["choices"][0]["message"]["content"])
    return out


def reviewed_rows(db_rows, db) -> list[dict]:  # type: ignore[no-untyped-def]
    return [dict(r, body=json.loads(r["body"])) for r in db_rows(db, "select * from reviewed_grades order by annotator")]


def test_every_judgment_was_read_by_the_real_model(reviewed_run):
    _, _, cassette = reviewed_run
    assert len(reading_replies(cassette)) >= len(NAMES)  # one each, and a repair where a reply was invalid


def test_each_reviewed_grade_rests_on_a_reading_the_model_really_sent_and_no_judgment_has_two(db_rows, reviewed_gold, reviewed_run):
    db, _, _ = reviewed_run
    rows = reviewed_rows(db_rows, db)
    assert len({r["judgment_hash"] for r in rows}) == len(rows)
    for row in rows:
        (critique,) = db_rows(db, "select body from critiques where id = ?", (row["id"],))
        gold = reviewed_gold[row["item_id"]]
        readings = []
        for text in json.loads(critique["body"])["raw_responses"]:
            try:
                readings.append(parse_reading(text, gold).model_dump())
            except InvalidReply:
                continue
        assert row["body"]["reading"] in readings


def test_a_reading_the_model_got_wrong_twice_leaves_no_reviewed_grade(db_rows, reviewed_run):
    db, report, _ = reviewed_run
    with_reading = {r["id"] for r in db_rows(db, "select id from reviewed_grades")}
    for row in db_rows(db, "select id, status, failure_reason from critiques"):
        if row["id"] not in with_reading:
            assert row["status"] == "failed" and "reading" in row["failure_reason"]


def test_the_reviewed_grade_follows_the_reading_exactly_where_it_differs_and_can_be_checked(db_rows, reviewed_judgment, reviewed_run):
    db, _, _ = reviewed_run
    for row in reviewed_rows(db_rows, db):
        rationale = reviewed_judgment(row["annotator"]).rationale
        reading = row["body"]["reading"]["key_points"]
        graded = {k["key_point"]: k for k in row["body"]["grade"]["key_points"]}
        differences = {d["key_point"]: d for d in row["body"]["differences"] if d["aspect"] == "key_point"}
        for point, said in reading.items():
            if point not in differences:
                assert SAME_READING.get(graded[point]["status"]) == said["status"]
                continue
            d = differences[point]
            checkable = said["status"] == "absent" or sentence_in_rationale(said["sentence"], rationale)
            assert d["applied"] == checkable
            assert graded[point]["status"] == (said["status"] if checkable else d["grader"])
        if not row["body"]["differences"]:
            assert (row["score"], row["passed"]) == (row["deterministic_score"], row["deterministic_passed"])


def test_a_lead_is_called_exactly_where_the_two_grades_disagree_on_pass_fail_or_a_key_point(db_rows, reviewed_run):
    db, _, _ = reviewed_run
    escalated = {r["judgment_hash"]: json.loads(r["escalation_reasons"]) for r in db_rows(db, "select * from escalations")}
    for row in reviewed_rows(db_rows, db):
        key_point = [d for d in row["body"]["differences"]
                     if d["aspect"] == "key_point" and d["applied"] and COARSE[d["grader"]] != COARSE[d["reviewer"]]]
        disagrees = row["passed"] != row["deterministic_passed"] or bool(key_point)
        assert bool(row["escalate"]) == disagrees
        reasons = escalated.get(row["judgment_hash"], [])
        assert any(r.startswith("reviewed_grade_disagrees") for r in reasons) == (row["passed"] != row["deterministic_passed"])
        assert sum(r.startswith("key_point_disagreement") for r in reasons) == len(key_point)


def test_the_recording_covers_an_agreement_and_a_disagreement(db_rows, reviewed_run):
    db, _, _ = reviewed_run
    rows = reviewed_rows(db_rows, db)
    outcomes = {("agree" if not r["escalate"] else "escalated") for r in rows}
    # The grader passes two of the three and fails one, so a reviewer that reads them all alike agrees on some and
    # not on others. If a new recording loses either case, this fails: add a judgment, never edit a cassette.
    assert outcomes == {"agree", "escalated"}, f"the recorded replies give only {outcomes}: {[(r['annotator'], r['escalation_reasons']) for r in rows]}"
