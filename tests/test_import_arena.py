"""`rationale import arena`: MT-Bench human judgments (lmsys mt_bench_human_judgments row shape).

The fixture holds five votes on question 81 (alpaca-13b vs gpt-3.5-turbo):
turn 1 -- author_2 model_b, author_0 model_a (models listed the other way
round, so both are votes for gpt-3.5-turbo), expert_12 tie (bothbad);
turn 2 -- author_2 model_a, author_0 model_b (a draw).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rationale.errors import InputError
from rationale.importers import import_source
from rationale.models import GoldAnswer, Item, Judgment

SOURCE = Path(__file__).parent / "data" / "import" / "arena_mt_bench.jsonl"
GPT_TURN_1 = "Aloha! My trip to Hawaii began at the Polynesian Cultural Center, where I learned to dance the hula."
ALPACA_TURN_1 = "I recently had the pleasure of visiting Hawaii and it quickly became one of my favourite places."


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture
def imported(tmp_path):
    summary = import_source("arena", [SOURCE], tmp_path, gold_from_votes="majority")
    items = {i["id"]: Item(**i) for i in read_jsonl(tmp_path / "items.jsonl")}
    gold = {g["item_id"]: GoldAnswer(**g) for g in read_jsonl(tmp_path / "gold.jsonl")}
    judgments = [Judgment(**j) for j in read_jsonl(tmp_path / "judgments.jsonl")]
    return summary, items, gold, judgments


def turn(items: dict[str, Item], n: int) -> Item:
    return next(item for item_id, item in items.items() if item_id.startswith(f"arena-81-{n}-"))


def test_votes_on_the_same_pair_become_one_item_with_a_judgment_per_judge(imported):
    summary, items, _, judgments = imported
    assert summary.read == 5
    assert summary.items == 2
    first = turn(items, 1)
    assert sorted(j.annotator for j in judgments if j.item_id == first.id) == ["author_0", "author_2", "expert_12"]


def test_a_vote_follows_its_model_whichever_side_the_row_listed_it(imported):
    _, items, _, judgments = imported
    first = turn(items, 1)
    gpt_side = "A" if first.response_a == GPT_TURN_1 else "B"
    votes = {j.annotator: j.preference for j in judgments if j.item_id == first.id}
    assert votes == {"author_2": gpt_side, "author_0": gpt_side, "expert_12": "tie"}
    assert f"model_{gpt_side.lower()}:gpt-3.5-turbo" in first.tags


def test_turn_1_is_cut_after_the_first_answer(imported):
    _, items, _, _ = imported
    first = turn(items, 1)
    assert [t.role for t in first.prompt] == ["user"]
    assert first.prompt[0].content.startswith("Compose an engaging travel blog post about a recent trip to Hawaii")
    assert {first.response_a, first.response_b} == {GPT_TURN_1, ALPACA_TURN_1}


def test_turn_2_response_is_the_rest_of_each_conversation(imported):
    _, items, _, _ = imported
    second = turn(items, 2)
    assert [t.role for t in second.prompt] == ["user"]
    gpt = second.response_a if second.response_a.startswith("Assistant: Aloha") else second.response_b
    assert gpt == (
        f"Assistant: {GPT_TURN_1}\n\n"
        "User: Rewrite your previous response. Start every sentence with the letter A.\n\n"
        "Assistant: Aloha! A visit to the Polynesian Cultural Center taught me the hula. A sunrise at Haleakala amazed me."
    )


def test_gold_is_the_majority_and_a_draw_gives_none(imported):
    summary, items, gold, _ = imported
    first = turn(items, 1)
    gpt_side = "A" if first.response_a == GPT_TURN_1 else "B"
    assert list(gold) == [first.id]
    assert gold[first.id].preference == gpt_side
    assert "2 for " in gold[first.id].reference_rationale and "1 tie; 3 votes" in gold[first.id].reference_rationale
    assert summary.kept == {"no gold: no label has more than half of the votes (item kept without gold)": 1}
    assert summary.skipped == {}


def test_without_gold_from_votes_only_items_and_judgments_are_written(tmp_path):
    summary = import_source("arena", [SOURCE], tmp_path)
    assert (summary.items, summary.gold, summary.judgments) == (2, 0, 5)
    assert not (tmp_path / "gold.jsonl").exists()


def test_an_unknown_winner_is_a_bad_row(tmp_path):
    row = json.loads(SOURCE.read_text(encoding="utf-8").splitlines()[0])
    row["winner"] = "model_c"
    source = tmp_path / "one.jsonl"
    source.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_source("arena", [source], tmp_path / "out")
    assert [str(p) for p in caught.value.problems] == [
        f"{source}:1: winner: must be one of model_a, model_b, tie, tie (bothbad); got 'model_c'"
    ]


def test_chatbot_arena_rows_keep_the_vote_time(tmp_path):
    # lmsys/chatbot_arena_conversations shape: hex question_id, turn = number of turns, tstamp in epoch seconds
    row = {
        "question_id": "58210e39b3fd4441a2bd4a518bb44c2d", "model_a": "chatglm-6b", "model_b": "koala-13b",
        "winner": "model_b", "judge": "arena_user_973", "turn": 1, "anony": True, "language": "English",
        "tstamp": 1682351591.1322,
        "conversation_a": [{"role": "user", "content": "What is the difference between OpenCL and CUDA?"},
                           {"role": "assistant", "content": "OpenCL and CUDA are two different programming models."}],
        "conversation_b": [{"role": "user", "content": "What is the difference between OpenCL and CUDA?"},
                           {"role": "assistant", "content": "OpenCL is an open standard; CUDA is NVIDIA's."}],
    }
    source = tmp_path / "arena.jsonl"
    source.write_text(json.dumps(row) + "\n", encoding="utf-8")
    import_source("arena", [source], tmp_path / "out")
    item = read_jsonl(tmp_path / "out" / "items.jsonl")[0]
    (judgment,) = read_jsonl(tmp_path / "out" / "judgments.jsonl")
    assert item["id"].startswith("arena-58210e39b3fd4441a2bd4a518bb44c2d-1-")
    koala_side = "A" if item["response_a"] == "OpenCL is an open standard; CUDA is NVIDIA's." else "B"
    assert (judgment["annotator"], judgment["preference"]) == ("arena_user_973", koala_side)
    assert judgment["timestamp"].startswith("2023-04-24T15:53:11")
