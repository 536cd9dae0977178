"""`rationale import label-studio`: a JSON export of a project with <Pairwise> and <TextArea>,
written from Label Studio's documented task format."""

from __future__ import annotations

import json
from pathlib import Path

from rationale.importers import import_source

SOURCE = Path(__file__).parent / "data" / "import" / "label_studio_export.json"


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_left_is_a_right_is_b_and_each_annotation_is_a_judgment(tmp_path):
    summary = import_source("label-studio", [SOURCE], tmp_path)
    judgments = read_jsonl(tmp_path / "judgments.jsonl")
    assert [(j["item_id"], j["annotator"], j["preference"]) for j in judgments] == [
        ("ls-1", "user-1", "A"),
        ("ls-1", "user-2", "B"),
        ("ls-2", "user-1", "B"),
        ("ls-2", "user-2", "B"),
    ]
    assert summary.skipped == {"annotation was cancelled (skipped by the annotator)": 1}


def test_textarea_lead_time_and_created_at_are_kept(tmp_path):
    import_source("label-studio", [SOURCE], tmp_path)
    first = read_jsonl(tmp_path / "judgments.jsonl")[0]
    assert first["rationale"] == "Left keeps the new day: \"now on Wednesday at 3pm\"."
    assert first["seconds"] == 41.5
    assert first["timestamp"] == "2024-05-02T10:15:00Z"


def test_task_data_becomes_the_item(tmp_path):
    import_source("label-studio", [SOURCE], tmp_path)
    item = read_jsonl(tmp_path / "items.jsonl")[0]
    assert item["prompt"] == "Summarise: The meeting moved from Monday to Wednesday at 3pm."
    assert item["response_a"] == "The meeting is now on Wednesday at 3pm."
    assert item["response_b"] == "The meeting is on Monday."


def test_ground_truth_annotation_is_the_gold_with_its_written_reason(tmp_path):
    summary = import_source("label-studio", [SOURCE], tmp_path)
    gold = read_jsonl(tmp_path / "gold.jsonl")
    assert summary.gold == 1
    assert gold[0]["item_id"] == "ls-1"
    assert gold[0]["preference"] == "A"
    assert gold[0]["reference_rationale"] == "The summary must report the move to Wednesday; the right one keeps the old day."
    assert "user-4" not in {j["annotator"] for j in read_jsonl(tmp_path / "judgments.jsonl")}


def test_majority_fills_gold_where_there_is_no_ground_truth(tmp_path):
    import_source("label-studio", [SOURCE], tmp_path, gold_from_votes="majority")
    gold = {g["item_id"]: g["preference"] for g in read_jsonl(tmp_path / "gold.jsonl")}
    assert gold == {"ls-1": "A", "ls-2": "B"}


ESCALATION = Path(__file__).parent / "data" / "import" / "label_studio_escalation.json"


def test_confidence_flags_and_note_are_read_from_their_controls(tmp_path):
    import pytest

    from rationale.errors import InputError

    with pytest.raises(InputError) as caught:
        import_source("label-studio", [ESCALATION], tmp_path)
    fields = sorted(p.field for p in caught.value.problems)
    assert fields == ["annotations.0.result.confidence", "annotations.0.result.flags.0"]
    import_source("label-studio", [ESCALATION], tmp_path, skip_bad=True)
    first, second = read_jsonl(tmp_path / "judgments.jsonl")
    assert (first["confidence"], first["flags"], first["flag_note"]) == (5, ["harmful_content"], "Right gives advice that can poison the user.")
    assert first["rationale"] == "Left warns about \"chlorine gas\"; right recommends a dangerous mix."
    assert second["confidence"] == 2 and "flags" not in second and "flag_note" not in second
