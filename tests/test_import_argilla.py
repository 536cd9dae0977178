"""`rationale import argilla`: fixtures written from Argilla's documented export shapes
(v2 ``records.to_json`` nested, v2 ``to_list(flatten=True)``, v1 FeedbackDataset records)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rationale.errors import InputError
from rationale.importers import import_source
from rationale.importers.argilla import ranking_preference

DATA = Path(__file__).parent / "data" / "import"
U1, U2, U3 = (
    "0b9c2f4e-5f0a-4d41-9d3c-1f2a3b4c5d61",
    "6a1d7e22-93b4-4c1e-8f0e-2b3c4d5e6f72",
    "c3f8a9b0-1d2e-4f3a-8b5c-6d7e8f9a0b83",
)
NAMES = {"response_a": "response_a", "response_b": "response_b"}


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_v2_nested_export_gives_one_judgment_per_ranking_with_its_rationale(tmp_path):
    summary = import_source("argilla", [DATA / "argilla_v2_records.json"], tmp_path)
    assert (summary.read, summary.items, summary.judgments) == (2, 2, 4)
    first = [j for j in read_jsonl(tmp_path / "judgments.jsonl") if j["item_id"] == "argilla-rec-001"]
    assert [(j["annotator"], j["preference"], j.get("rationale")) for j in first] == [
        (U1, "A", "A is correct: \"Water boils at 100 degrees Celsius\"; B's 90 degrees is wrong."),
        (U2, "A", None),
        (U3, "B", "B gives the wrong number."),
    ]
    item = read_jsonl(tmp_path / "items.jsonl")[0]
    assert item["prompt"] == "What is the boiling point of water at sea level in Celsius?"
    assert item["response_b"] == "Water boils at 90 degrees Celsius at sea level."


def test_v2_flat_export_skips_draft_responses(tmp_path):
    summary = import_source("argilla", [DATA / "argilla_v2_flat.jsonl"], tmp_path)
    judgments = read_jsonl(tmp_path / "judgments.jsonl")
    assert [(j["item_id"], j["annotator"], j["preference"]) for j in judgments] == [
        ("argilla-rec-003", U1, "B"),
        ("argilla-rec-003", U2, "B"),
        ("argilla-rec-004", U1, "A"),
    ]
    assert judgments[1]["rationale"] == "\"Bonjour\" is good morning; \"Bonsoir\" is good evening."
    assert summary.skipped == {"response not submitted (draft or discarded)": 1}


def test_gold_from_votes_majority(tmp_path):
    import_source("argilla", [DATA / "argilla_v2_records.json"], tmp_path, gold_from_votes="majority")
    gold = {g["item_id"]: g for g in read_jsonl(tmp_path / "gold.jsonl")}
    assert gold["argilla-rec-001"]["preference"] == "A"
    assert gold["argilla-rec-001"]["reference_rationale"] == (
        "Imported gold: A has more than half of the votes of the Argilla annotators (2 for A, 1 for B; 3 votes;"
        " rule: majority); no human rationale was provided."
    )
    assert gold["argilla-rec-002"]["preference"] == "B"


def test_v1_feedback_records_with_mapped_fields_and_equal_ranks_as_a_tie(tmp_path):
    summary = import_source(
        "argilla",
        [DATA / "argilla_v1_feedback.jsonl"],
        tmp_path,
        field_map={"prompt": "instruction", "response_a": "reply-1", "response_b": "reply-2", "ranking": "preference"},
        rationale_field="reason",
    )
    assert summary.items == 1
    item = read_jsonl(tmp_path / "items.jsonl")[0]
    assert (item["id"], item["prompt"], item["response_b"]) == ("argilla-sleep-1", "Give one tip for better sleep.", "Drink coffee before bed.")
    judgments = read_jsonl(tmp_path / "judgments.jsonl")
    assert [(j["annotator"], j["preference"]) for j in judgments] == [(U1, "A"), (U2, "tie")]
    assert judgments[0]["rationale"].startswith("reply-1 says \"Keep a regular bedtime\"")


def test_ranking_options_can_be_named_with_labels():
    ranking = [{"value": "reply-2", "rank": 1}, {"value": "reply-1", "rank": 2}]
    assert ranking_preference(ranking, NAMES, {"reply-1": "A", "reply-2": "B"}) == ("B", None)


def test_a_ranking_that_misses_a_response_is_a_bad_row(tmp_path):
    record = {"id": "r9", "fields": {"prompt": "p", "response_a": "a", "response_b": "b"},
              "responses": {"ranking": [{"value": ["reply-1", "reply-2"], "user_id": U1}]}}
    source = tmp_path / "one.jsonl"
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_source("argilla", [source], tmp_path / "out")
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (1, f"ranking ({U1})")
    assert "does not rank both 'response_a' and 'response_b'" in problem.message


def test_confidence_flags_and_note_questions_become_the_judgment_s_fields(tmp_path):
    with pytest.raises(InputError) as caught:
        import_source("argilla", [DATA / "argilla_v2_escalation.json"], tmp_path)
    [problem] = caught.value.problems
    assert problem.field == "flags (u1).0" and "edge_case" in problem.message  # the message lists the flags
    import_source("argilla", [DATA / "argilla_v2_escalation.json"], tmp_path, skip_bad=True)
    sure, unsure = read_jsonl(tmp_path / "judgments.jsonl")
    assert (sure["confidence"], sure.get("flags")) == (4, None)
    assert (unsure["confidence"], unsure["flags"]) == (1, ["guideline_unclear"])
    assert unsure["flag_note"].startswith("The prompt might want the English word kept")
