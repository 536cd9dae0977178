"""Real HTTP, real replies: gold drafts replayed from a cassette recorded against llama.cpp's server.

`scripts/record-cassettes` serves SmolLM2-135M-Instruct with `llama-cpp-python[server]` on
127.0.0.1 and runs this file with RATIONALE_RECORD=1 into `cassettes/gold_draft_smollm2.yaml`;
normal runs replay it with record mode `none` (the tape and its request matcher are the critique
cassettes' own). A 135M model drafts poor gold: the tests hold the plumbing (the real server's wire
format, the fixed choice the grammar enforces, what is stored for a good and for a bad reply), not
the quality of the drafts.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from rationale.drafts import DraftOptions, draft_gold
from rationale.llm.parsing import InvalidReply, parse_gold_draft
from rationale.io import load_rubric
from rationale.models import GoldAnswer
from test_critique_cassettes import API_BASE, on_tape
from test_gold_draft import ITEMS, RUBRIC, imported_gold, write_items


@pytest.fixture(scope="module")
def drafted(network_blocker, tmp_path_factory):
    folder = tmp_path_factory.mktemp("gold-draft-cassette")
    items, gold = write_items(folder, ITEMS), imported_gold(folder)
    db = folder / "drafts.db"
    options = DraftOptions(model="openai/smollm2", api_base=API_BASE, output_mode="grammar", timeout=600,
                           concurrency=1, max_attempts=2)
    report, cassette = on_tape("gold_draft_smollm2.yaml", network_blocker, lambda: draft_gold(
        items_path=items, rubric_path=RUBRIC, gold_path=gold, db_path=db, options=options))
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        rows = {r["item_id"]: dict(r) for r in conn.execute("select * from gold_drafts")}
        cached = [dict(r) for r in conn.execute("select * from llm_cache")]
    return report, cassette, rows, cached


def _replies(cassette) -> list[str]:
    found = []
    for response in cassette.responses:
        body = response["body"]["string"]
        found.append(json.loads(body if isinstance(body, str) else body.decode())["choices"][0]["message"]["content"])
    return found


def test_every_item_is_stored_as_a_draft_or_a_failure_with_its_reason(drafted):
    report, _, rows, _ = drafted
    assert set(rows) == {"prime", "capital"}
    assert report.drafted + report.failed == 2
    for row in rows.values():
        assert row["status"] in ("draft", "failed")
        assert (row["body"] is None) == (row["status"] == "failed") == (row["failure_reason"] is not None)


def test_the_requests_went_to_the_real_server_in_grammar_mode_with_the_fixed_choice(drafted):
    report, cassette, _, _ = drafted
    assert report.calls_sent == len(cassette.requests) >= 2
    for request in cassette.requests:
        body = json.loads(request.body)
        assert body["response_format"]["type"] == "json_object"
        assert body["response_format"]["schema"]["properties"]["preference"]["enum"] in (["A"], ["B"])
        assert "The lead's choice is fixed" in body["messages"][1]["content"]


def test_each_real_reply_is_cached_exactly_when_it_is_a_valid_draft(drafted):
    _, cassette, _, cached = drafted
    rubric = load_rubric(RUBRIC)
    fixed = {"prime": GoldAnswer(item_id="prime", preference="B", strength=2, reference_rationale="x"),
             "capital": GoldAnswer(item_id="capital", preference="A", strength=-2, reference_rationale="x")}
    kept = {r["raw"] for r in cached}
    for request, reply in zip(cassette.requests, _replies(cassette)):
        item_id = "prime" if "Name a prime" in json.loads(request.body)["messages"][1]["content"] else "capital"
        try:
            parse_gold_draft(reply, rubric, item_id, fixed[item_id])
            valid = True
        except InvalidReply:
            valid = False
        assert (reply in kept) == valid


def test_a_stored_draft_keeps_the_lead_s_choice_and_is_tagged_as_a_draft(drafted):
    _, _, rows, _ = drafted
    for item_id, row in rows.items():
        if row["status"] == "draft":
            body = json.loads(row["body"])
            assert body["preference"] == {"prime": "B", "capital": "A"}[item_id]
            assert "llm-draft" in body["tags"] and body["key_points"]
