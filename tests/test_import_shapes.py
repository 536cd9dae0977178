"""Shapes real data holds, imported whole by the mapped importer (`rationale import json|jsonl`).

`tests/data/import/shapes.jsonl` has one row per shape (an empty response, a JSON `true` as a response,
identical responses, a conversation inside the responses with an empty prompt); `shapes_judge.json` is a
model judge's verdicts keyed by `idx` (one unparseable, one for an item that does not exist) and
`shapes_judge_swapped.json` the same judge run with A and B exchanged. The shapes are the ones found in
PandaLM, hh-rlhf and the issue's other public sets; the files are made up, small enough to read.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rationale.cli import main
from rationale.errors import InputError
from rationale.importers import ImportUsageError, import_source
from rationale.models import GoldAnswer, Item

DATA = Path(__file__).parent / "data" / "import"
SHAPES = DATA / "shapes.jsonl"
JUDGE = DATA / "shapes_judge.json"
SWAPPED = DATA / "shapes_judge_swapped.json"
VOTES = ["a1", "a2", "a3"]
LABELS = {"0": "tie", "1": "A", "2": "B", "Tie": "tie", "garbage": "missing"}
MAP = {"id": "shapes-{idx}", "response_a": "response1", "response_b": "response2"}


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def import_shapes(out: Path, **options):
    settings = {"field_map": MAP, "vote_fields": VOTES, "labels": LABELS, "gold_from_votes": "majority"}
    settings.update(options)
    return import_source("jsonl", [SHAPES], out, **settings)


def items_of(out: Path) -> dict[str, Item]:
    return {i["id"]: Item(**i) for i in read_jsonl(out / "items.jsonl")}


def gold_of(out: Path) -> dict[str, GoldAnswer]:
    return {g["item_id"]: GoldAnswer(**g) for g in read_jsonl(out / "gold.jsonl")}


# --------------------------------------------------------------------------- responses


def test_every_row_becomes_an_item(tmp_path):
    summary = import_shapes(tmp_path)
    assert (summary.read, summary.items, summary.judgments) == (4, 4, 12)
    assert summary.skipped == {}


def test_an_empty_response_is_an_item_and_is_counted(tmp_path):
    summary = import_shapes(tmp_path)
    assert items_of(tmp_path)["shapes-0"].response_b == ""
    assert summary.kept["a response is empty (imported; drills and exports show it as '(empty response)')"] == 1


def test_a_json_true_response_is_text_spelt_as_in_the_file(tmp_path):
    summary = import_shapes(tmp_path)
    assert items_of(tmp_path)["shapes-1"].response_a == "true"
    assert summary.kept["a response was a JSON true/false or number (imported as text, spelt as in the file)"] == 1


def test_identical_responses_are_kept_tagged_with_a_tie_as_gold(tmp_path):
    summary = import_shapes(tmp_path, gold_from_votes="plurality")
    item, gold = items_of(tmp_path)["shapes-2"], gold_of(tmp_path).get("shapes-2")
    assert "identical-responses" in item.tags
    assert gold.preference == "tie"
    assert not any(t.startswith("from-votes") for t in gold.tags)  # calibrate must not remake it from the votes
    assert summary.kept["the two responses are identical (kept, tagged identical-responses, gold a tie)"] == 1


def test_skip_identical_leaves_identical_responses_out(tmp_path):
    summary = import_shapes(tmp_path, skip_identical=True)
    assert "shapes-2" not in items_of(tmp_path)
    assert summary.skipped == {"the two responses are identical (--skip-identical)": 1}


def test_a_conversation_inside_the_responses_is_split_into_prompt_and_last_turns(tmp_path):
    summary = import_shapes(tmp_path)
    item = items_of(tmp_path)["shapes-3"]
    assert [(t.role, t.content) for t in item.prompt] == [("user", "Name a colour.")]
    assert (item.response_a, item.response_b) == ("Red.", "Seven.")
    assert summary.kept[
        "the prompt was empty and the responses whole conversations (split into prompt turns and responses)"
    ] == 1


def test_empty_responses_show_as_such_in_the_drill():
    from rationale.render.drill import render_item

    item = Item(id="x", prompt="Is 7 prime?", response_a="Yes.", response_b="")
    shown = render_item(item, 1, 1, 80)
    assert "(empty response)" in shown.split("Response B", 1)[1] and "(empty response)" not in shown.split("Response B", 1)[0]


# --------------------------------------------------------------------------- labels and judges


def test_a_label_mapped_to_missing_is_no_vote_and_is_counted(tmp_path):
    summary = import_shapes(tmp_path, judge_fields=[("judge", "judge_result")], joins=[JUDGE], join_on="idx")
    verdicts = read_jsonl(tmp_path / "judges.jsonl")
    assert [(v["item_id"], v["preference"]) for v in verdicts] == [("shapes-0", "A"), ("shapes-3", "tie")]
    assert summary.kept["judge_result: label 'garbage' read as a missing vote (--labels garbage=missing)"] == 1


def test_judges_verdicts_go_to_their_own_file_and_never_into_gold(tmp_path):
    summary = import_shapes(tmp_path, judge_fields=[("judge", "judge_result")], joins=[JUDGE], join_on="idx")
    assert summary.judge_verdicts == 2
    assert {j["annotator"] for j in read_jsonl(tmp_path / "judgments.jsonl")} == set(VOTES)
    # idx 3: the annotators vote A, A, B; the judge's tie does not enter the gold
    assert gold_of(tmp_path)["shapes-3"].preference == "A"


def test_a_join_reports_source_rows_without_a_joined_row_and_joined_rows_without_a_source_row(tmp_path):
    summary = import_shapes(tmp_path, judge_fields=[("judge", "judge_result")], joins=[JUDGE], join_on="idx")
    assert summary.kept["no row in the --join file(s) for this idx (its judges give no verdict)"] == 1  # idx 2
    assert summary.skipped == {"joined row's idx matches no source row": 1}  # idx 9
    assert summary.skipped_examples["joined row's idx matches no source row"] == [f"{JUDGE}:5"]


def test_a_key_twice_in_a_joined_file_is_a_bad_row(tmp_path):
    twice = tmp_path / "twice.jsonl"
    twice.write_text('{"idx": 0, "judge_result": "1"}\n{"idx": 0, "judge_result": "2"}\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_shapes(tmp_path / "out", judge_fields=[("judge", "judge_result")], joins=[twice], join_on="idx")
    assert [str(p) for p in caught.value.problems] == [f"{twice}:2: idx: idx 0 field 'judge_result' differs from {twice}:1"]


def test_a_joined_field_that_contradicts_the_source_is_a_bad_row(tmp_path):
    other = tmp_path / "other.jsonl"
    other.write_text('{"idx": 0, "prompt": "Is 9 prime?"}\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_shapes(tmp_path / "out", joins=[other], join_on="idx")
    assert [str(p) for p in caught.value.problems] == [
        f"{SHAPES}:1: prompt: the joined file gives 'Is 9 prime?', the source 'Is 7 prime?'"
    ]


def test_a_swapped_run_lands_on_mirrored_items_with_gold_mirrored(tmp_path):
    import_shapes(tmp_path, judge_fields=[("judge", "judge_result")], joins=[JUDGE], swapped_joins=[SWAPPED], join_on="idx")
    items, gold = items_of(tmp_path), gold_of(tmp_path)
    mirrored = items["shapes-0-swapped"]
    assert (mirrored.response_a, mirrored.response_b) == (items["shapes-0"].response_b, items["shapes-0"].response_a)
    assert "swapped-order" in mirrored.tags
    assert (gold["shapes-0"].preference, gold["shapes-0-swapped"].preference) == ("A", "B")
    verdicts = {(v["item_id"], v["preference"]) for v in read_jsonl(tmp_path / "judges.jsonl")}
    assert {("shapes-0-swapped", "B"), ("shapes-3-swapped", "A")} <= verdicts


def test_calibrate_reads_a_judges_consistency_across_orders_from_a_swapped_run(tmp_path):
    from rationale.calibration import analyse_batch
    from rationale.io import iter_judgments, load_gold, load_items, load_rubric

    import_shapes(tmp_path, judge_fields=[("judge", "judge_result")], joins=[JUDGE], swapped_joins=[SWAPPED], join_on="idx")
    rubric = load_rubric(Path(__file__).resolve().parents[1] / "rubrics" / "hhh.yaml")
    items = load_items(tmp_path / "items.jsonl")
    gold = load_gold(tmp_path / "gold.jsonl", items, rubric)
    problems: list = []
    judgments = [j for _, _, j in iter_judgments([tmp_path / "judgments.jsonl"], items, rubric, problems)]
    judges = [j for _, _, j in iter_judgments([tmp_path / "judges.jsonl"], items, rubric, problems)]
    report = analyse_batch(judgments, items, rubric, gold, judges=judges, samples=0)
    checks = {(c.first, c.second): c.consistent for c in report.annotator("judge").consistency}
    # idx 0: A, then B on the mirrored pair (the same answer); idx 3: tie, then A (not the same)
    assert checks == {("shapes-0", "shapes-0-swapped"): True, ("shapes-3", "shapes-3-swapped"): False}


# --------------------------------------------------------------------------- problems and usage


def test_one_message_per_bad_field_even_when_its_type_is_a_union(tmp_path):
    source = tmp_path / "bad.jsonl"
    source.write_text(json.dumps({"prompt": 5, "response_a": "x", "response_b": "y"}) + "\n"
                      + json.dumps({"prompt": [{"role": "bot", "content": "hi"}], "response_a": "x", "response_b": "y"}) + "\n"
                      + json.dumps({"prompt": "   ", "response_a": "x", "response_b": "y"}) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_source("jsonl", [source], tmp_path / "out")
    assert [str(p) for p in caught.value.problems] == [
        f"{source}:1: prompt: must be one of: list[ChatTurn], str; got int",
        f"{source}:2: prompt.0.role: Input should be 'system', 'user' or 'assistant'",
        f"{source}:3: prompt: must not be blank",
    ]


def test_a_join_needs_a_key_and_a_key_needs_a_join(tmp_path):
    with pytest.raises(ImportUsageError, match="--join and --join-swapped need --on KEY"):
        import_shapes(tmp_path, joins=[JUDGE])
    with pytest.raises(ImportUsageError, match="--on needs a file to join"):
        import_shapes(tmp_path, join_on="idx")


def test_a_vote_rule_other_than_majority_or_plurality_is_refused(tmp_path):
    with pytest.raises(ImportUsageError, match="choose one of majority, plurality"):
        import_shapes(tmp_path, gold_from_votes="unanimous")


def test_cli_imports_judges_by_name_and_prints_what_was_kept(tmp_path):
    result = CliRunner().invoke(main, [
        "import", "jsonl", str(SHAPES), "-o", str(tmp_path), "--map", "id=shapes-{idx}", "--map", "response_a=response1",
        "--map", "response_b=response2", "--vote-fields", "a1,a2,a3", "--labels", "0=tie,1=A,2=B,Tie=tie,garbage=missing",
        "--gold-from-votes", "majority", "--join", str(JUDGE), "--on", "idx", "--judge-fields", "my-judge=judge_result",
    ])
    assert result.exit_code == 0, result.output
    assert "wrote 4 items, 4 gold answers, 12 judgments, 2 judge verdicts" in result.output
    assert "kept as they are:" in result.output
    assert "1  judge_result: label 'garbage' read as a missing vote (--labels garbage=missing)" in result.output
    assert {v["annotator"] for v in read_jsonl(tmp_path / "judges.jsonl")} == {"my-judge"}


def test_the_summary_says_how_many_places_of_a_kept_shape_it_does_not_list():
    from rationale.models import ImportSummary
    from rationale.render.imports import render_import_summary

    summary = ImportSummary(format="json", sources=["t.json"], output_dir="out")
    summary.kept["a response is empty"] = 54
    summary.kept_examples["a response is empty"] = [f"t.json:{n}" for n in (2, 14, 26, 38, 50)]
    text = render_import_summary(summary)
    assert "t.json:50\n            ... and 49 more" in text


def test_identical_responses_get_a_tie_even_where_the_votes_name_no_winner(tmp_path):
    summary = import_shapes(tmp_path)  # shapes-2: one vote each for A, tie and B
    assert gold_of(tmp_path)["shapes-2"].preference == "tie"
    assert not any(reason.startswith("no gold") for reason in summary.kept)
