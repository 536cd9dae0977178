"""`rationale import llmbar`: the six real LLMBar files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rationale.errors import InputError
from rationale.importers import import_source
from rationale.models import GoldAnswer, Item

LLMBAR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "llmbar"
FILES = sorted(LLMBAR.glob("*.json"))


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    out = tmp_path_factory.mktemp("llmbar")
    summary = import_source("llmbar", FILES, out)
    items = {i["id"]: Item(**i) for i in read_jsonl(out / "items.jsonl")}
    gold = {g["item_id"]: GoldAnswer(**g) for g in read_jsonl(out / "gold.jsonl")}
    return summary, items, gold


def test_all_six_files_import_every_record(imported):
    summary, items, gold = imported
    assert [f.name for f in FILES] == [
        "adversarial-gptinst.json",
        "adversarial-gptout.json",
        "adversarial-manual.json",
        "adversarial-neighbor.json",
        "mt-bench-majority.json",
        "natural.json",
    ]
    assert summary.read == 92 + 47 + 46 + 134 + 200 + 100
    assert summary.items == len(items) == 619
    assert summary.gold == len(gold) == 619
    assert summary.skipped_total == 0
    assert not (Path(summary.output_dir) / "judgments.jsonl").exists()


def test_natural_first_record_field_by_field(imported):
    _, items, gold = imported
    raw = json.loads((LLMBAR / "natural.json").read_text(encoding="utf-8"))[0]
    item, answer = items["llmbar-natural-1"], gold["llmbar-natural-1"]
    assert item.prompt == raw["input"]
    assert item.prompt.startswith("Summarize the following content.\n\nMy girlfriend is Malaysian")
    assert item.response_a == raw["output_1"]
    assert item.response_a.startswith("My girlfriend's visa to stay in the UK expires in a few months")
    assert item.response_b == raw["output_2"]
    assert answer.preference == "A"  # label 1
    assert answer.strength == -2
    assert item.tags == ["llmbar", "natural"]
    assert item.source == "natural.json:2"  # the record's opening brace is on line 2 of the file


def test_natural_last_record(imported):
    _, items, gold = imported
    item = items["llmbar-natural-100"]
    assert item.prompt == "Rewrite the given sentence to make it more expressive and keep its meaning unchanged: She was caught in the heavy rain."
    assert item.response_a == "She found herself drenched in the pouring rain."
    assert item.response_b == "She was soaked in a sudden downpour as she made her way home."
    assert gold["llmbar-natural-100"].preference == "A"
    assert item.source == "natural.json:596"


def test_label_2_means_response_b(imported):
    _, items, gold = imported
    answer = gold["llmbar-adversarial-neighbor-1"]
    assert items["llmbar-adversarial-neighbor-1"].prompt == "Give three tips for staying healthy."
    assert answer.preference == "B"
    assert answer.acceptable.strength_min == 1 and answer.acceptable.strength_max == 3
    assert answer.reference_rationale == (
        "Imported gold: the source marks output 2 (response B) as better (LLMBar label 2);"
        " no human rationale was provided."
    )


def test_gold_sides_match_the_labels_of_every_natural_record(imported):
    _, _, gold = imported
    raw = json.loads((LLMBAR / "natural.json").read_text(encoding="utf-8"))
    sides = [gold[f"llmbar-natural-{n}"].preference for n in range(1, 101)]
    assert sides == ["A" if r["label"] == 1 else "B" for r in raw]
    assert sides.count("B") == 58


def test_a_label_outside_1_and_2_is_a_bad_row_with_its_line(tmp_path):
    source = tmp_path / "odd.json"
    source.write_text(
        '[\n  {"input": "Say hi.", "output_1": "Hi.", "output_2": "Bye.", "label": 1},\n'
        '  {"input": "Say hi.", "output_1": "Hi!", "output_2": "Go.", "label": 3}\n]\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        import_source("llmbar", [source], tmp_path / "out")
    assert [str(p) for p in caught.value.problems] == [f"{source}:3: label: must be 1 or 2, got 3"]
    assert not (tmp_path / "out").exists()


def test_an_output_folder_under_a_file_exits_2_saying_which_file_is_in_the_way(tmp_path):
    from click.testing import CliRunner

    from rationale.cli import main

    source = tmp_path / "one.json"
    source.write_text('[{"input": "Say hi.", "output_1": "Hi.", "output_2": "Bye.", "label": 1}]', encoding="utf-8")
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    out = tmp_path / "notes.txt" / "llmbar"
    result = CliRunner().invoke(main, ["import", "llmbar", str(source), "-o", str(out)])
    assert result.exit_code == 2
    assert f"{out}: -o: cannot be written: {tmp_path / 'notes.txt'} is a file, not a folder" in result.stderr
    assert "Traceback" not in result.output
