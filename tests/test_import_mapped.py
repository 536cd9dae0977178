"""`rationale import jsonl|json`: any file by field mapping, and the CLI end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rationale.cli import main
from rationale.errors import InputError
from rationale.importers import ImportUsageError, import_source, parse_labels

DATA = Path(__file__).parent / "data" / "import"
VOTES = DATA / "mapped_votes.jsonl"
MAP = {"id": "uid", "prompt": "{instruction}\\n\\n{input}", "response_a": "response1", "response_b": "response2"}
LABELS = {"0": "tie", "1": "A", "2": "B"}


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def import_votes(out: Path, **options):
    return import_source(
        "jsonl", [VOTES], out, field_map=MAP, vote_fields=["annotator1", "annotator2", "annotator3"], labels=LABELS, **options
    )


def test_template_builds_the_prompt_from_two_fields(tmp_path):
    import_votes(tmp_path)
    item = read_jsonl(tmp_path / "items.jsonl")[0]
    assert item["id"] == "m-1"
    assert item["prompt"] == "Fix the grammar.\n\nShe go to school."
    assert (item["response_a"], item["response_b"]) == ("She goes to school.", "She going to school.")


def test_one_judgment_per_vote_column_with_labels_mapped(tmp_path):
    summary = import_votes(tmp_path)
    judgments = read_jsonl(tmp_path / "judgments.jsonl")
    assert summary.judgments == 8  # m-3 has no vote from annotator3
    assert [(j["item_id"], j["annotator"], j["preference"]) for j in judgments[:3]] == [
        ("m-1", "annotator1", "A"),
        ("m-1", "annotator2", "A"),
        ("m-1", "annotator3", "B"),
    ]


def test_rationale_field_per_vote(tmp_path):
    import_votes(tmp_path, rationale_field="{vote}_reason")
    judgments = read_jsonl(tmp_path / "judgments.jsonl")
    assert judgments[0]["rationale"] == "\"She goes to school\" is correct."
    assert "rationale" not in judgments[1]


def test_gold_from_votes_majority_leaves_an_item_without_a_winner_without_gold(tmp_path):
    summary = import_votes(tmp_path, gold_from_votes="majority")
    gold = {g["item_id"]: (g["preference"], g["strength"]) for g in read_jsonl(tmp_path / "gold.jsonl")}
    assert gold == {"m-1": ("A", -2), "m-3": ("tie", 0)}
    assert summary.items == 3  # m-2 (one vote each for A, B and tie) is kept, with its votes
    assert summary.kept == {"no gold: no label has more than half of the votes (item kept without gold)": 1}


def test_gold_from_votes_is_tagged_with_its_rule_so_calibrate_can_remake_it(tmp_path):
    import_votes(tmp_path, gold_from_votes="plurality")
    gold = read_jsonl(tmp_path / "gold.jsonl")[0]
    assert gold["tags"] == ["imported", "from-votes:plurality"]
    assert gold["reference_rationale"] == (
        "Imported gold: A has more votes than any other label of the annotators (2 for A, 1 for B; 3 votes;"
        " rule: plurality); no human rationale was provided."
    )


def test_majority_and_plurality_differ_when_the_top_label_has_half_the_votes_or_less(tmp_path):
    source = tmp_path / "four.jsonl"
    source.write_text(json.dumps({"prompt": "Q?", "response_a": "x", "response_b": "y", "v1": "A", "v2": "A", "v3": "B", "v4": "tie"}) + "\n")
    fields = ["v1", "v2", "v3", "v4"]
    import_source("jsonl", [source], tmp_path / "maj", vote_fields=fields, gold_from_votes="majority")
    import_source("jsonl", [source], tmp_path / "plu", vote_fields=fields, gold_from_votes="plurality")
    assert not (tmp_path / "maj" / "gold.jsonl").exists()
    assert [g["preference"] for g in read_jsonl(tmp_path / "plu" / "gold.jsonl")] == ["A"]


def test_gold_field_with_labels(tmp_path):
    import_source("jsonl", [VOTES], tmp_path, field_map=MAP, gold_field="label", labels=LABELS)
    gold = read_jsonl(tmp_path / "gold.jsonl")
    assert [(g["item_id"], g["preference"]) for g in gold] == [("m-1", "A"), ("m-2", "B"), ("m-3", "tie")]
    assert gold[0]["reference_rationale"] == "Imported gold: the source field 'label' is 1 (A); no human rationale was provided."


def test_a_label_outside_labels_is_reported_with_file_line_and_field(tmp_path):
    with pytest.raises(InputError) as caught:
        import_source("jsonl", [VOTES], tmp_path / "out", field_map=MAP, gold_field="label", labels={"1": "A", "2": "B"})
    assert [str(p) for p in caught.value.problems] == [f"{VOTES}:3: label: label 0 is not one of 1, 2 (--labels)"]
    assert not (tmp_path / "out").exists()


def test_a_missing_template_field_is_reported(tmp_path):
    with pytest.raises(InputError) as caught:
        import_source("jsonl", [VOTES], tmp_path / "out", field_map={**MAP, "prompt": "{instruction} {context}"})
    assert [str(p) for p in caught.value.problems][0] == f"{VOTES}:1: {{instruction}} {{context}}: field 'context' is missing"
    assert len(caught.value.problems) == 3


def test_fields_named_like_ours_need_no_map_and_json_arrays_work(tmp_path):
    source = tmp_path / "pairs.json"
    source.write_text(json.dumps([{"prompt": "2+2?", "response_a": "4", "response_b": "5", "winner": "A"}]), encoding="utf-8")
    summary = import_source("json", [source], tmp_path / "out", gold_field="winner")
    assert (summary.items, summary.gold) == (1, 1)
    assert read_jsonl(tmp_path / "out" / "items.jsonl")[0]["id"] == "pairs-1"


def test_dotted_fields_reach_into_nested_objects(tmp_path):
    source = tmp_path / "nested.jsonl"
    source.write_text(json.dumps({"q": {"text": "Hi?"}, "answers": ["Hello.", "Go away."]}) + "\n", encoding="utf-8")
    import_source("jsonl", [source], tmp_path / "out", field_map={"prompt": "q.text", "response_a": "answers.0", "response_b": "answers.1"})
    item = read_jsonl(tmp_path / "out" / "items.jsonl")[0]
    assert (item["prompt"], item["response_a"], item["response_b"]) == ("Hi?", "Hello.", "Go away.")


def test_labels_spec_parses_and_rejects_unknown_sides():
    assert parse_labels("0=tie,1=A,2=b") == {"0": "tie", "1": "A", "2": "B"}
    with pytest.raises(ImportUsageError):
        parse_labels("1=left")


def test_options_a_format_does_not_use_are_refused(tmp_path):
    with pytest.raises(ImportUsageError, match="--gold-field is not used by the hh-rlhf format"):
        import_source("hh-rlhf", [VOTES], tmp_path, gold_field="label")


def test_imported_files_load_with_the_project_loaders(tmp_path):
    from rationale.io import iter_judgments, load_gold, load_items, load_rubric

    import_votes(tmp_path, gold_from_votes="majority", rationale_field="{vote}_reason")
    rubric = load_rubric(Path(__file__).resolve().parents[1] / "rubrics" / "hhh.yaml")
    items = load_items(tmp_path / "items.jsonl")
    gold = load_gold(tmp_path / "gold.jsonl", items, rubric)
    problems: list = []
    judgments = list(iter_judgments([tmp_path / "judgments.jsonl"], items, rubric, problems))
    assert (len(items), len(gold), len(judgments), problems) == (3, 2, 8, [])


# --------------------------------------------------------------------------- CLI


def test_cli_imports_and_prints_what_it_read_wrote_and_skipped(tmp_path):
    result = CliRunner().invoke(
        main,
        ["import", "jsonl", str(VOTES), "-o", str(tmp_path), "--map", "id=uid", "--map", "prompt={instruction}\\n\\n{input}",
         "--map", "response_a=response1", "--map", "response_b=response2",
         "--vote-fields", "annotator1,annotator2,annotator3", "--labels", "0=tie,1=A,2=B", "--gold-from-votes", "majority"],
    )
    assert result.exit_code == 0, result.output
    assert "read 3 records from 1 file (jsonl)" in result.output
    assert f"wrote 3 items, 2 gold answers, 8 judgments to {tmp_path}" in result.output
    assert "1  no gold: no label has more than half of the votes (item kept without gold)" in result.output
    assert read_jsonl(tmp_path / "items.jsonl")[0]["prompt"] == "Fix the grammar.\n\nShe go to school."


def test_cli_bad_rows_exit_2_with_every_problem_and_nothing_written(tmp_path):
    result = CliRunner().invoke(main, ["import", "hh-rlhf", str(DATA / "hh_bad_rows.jsonl"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert f"{DATA / 'hh_bad_rows.jsonl'}:3: rejected: required field is missing" in result.output
    assert "3 problems in the input; nothing was written." in result.output
    assert not (tmp_path / "out").exists()


def test_cli_skip_bad_imports_the_good_rows(tmp_path):
    result = CliRunner().invoke(main, ["import", "hh-rlhf", str(DATA / "hh_bad_rows.jsonl"), "-o", str(tmp_path), "--skip-bad"])
    assert result.exit_code == 0, result.output
    assert "wrote 1 items" in result.output
    assert "hh_bad_rows.jsonl:4: rejected: must be a string (a transcript)" in result.output


def test_cli_option_a_format_does_not_use_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["import", "llmbar", str(VOTES), "-o", str(tmp_path), "--map", "prompt=x"])
    assert result.exit_code == 2
    assert "--map is not used by the llmbar format" in result.output


def test_an_unknown_map_target_is_refused_and_leaves_no_temporary_files(tmp_path):
    with pytest.raises(ImportUsageError, match="--map answer: targets are id, prompt, response_a, response_b, domain"):
        import_source("jsonl", [VOTES], tmp_path / "out", field_map={"answer": "response1"})
    assert list(tmp_path.iterdir()) == []
