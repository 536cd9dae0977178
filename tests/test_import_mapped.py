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


def test_a_label_mapped_to_two_sides_is_refused_rather_than_the_last_one_kept():
    with pytest.raises(ImportUsageError, match="--labels: '1' is mapped twice, to A and to B"):
        parse_labels("1=A,2=B,1=B")


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


def test_a_vote_field_no_record_has_is_refused_as_misspelt_even_with_skip_bad(tmp_path):
    with pytest.raises(InputError) as raised:
        import_source("jsonl", [VOTES], tmp_path / "out", field_map=MAP, vote_fields=["annotator1", "annotatr2"],
                      labels=LABELS, gold_from_votes="majority", skip_bad=True)
    [problem] = raised.value.problems
    assert (problem.field, problem.line) == ("--vote-fields", None)
    assert problem.message.startswith("no record has a field 'annotatr2' (did you mean 'annotator2'?); the records' fields: ")
    assert not (tmp_path / "out").exists()


def test_a_map_field_missing_from_every_record_is_one_problem_not_one_a_record(tmp_path):
    source = tmp_path / "rows.jsonl"
    source.write_text("".join(json.dumps({"uid": f"r{n}", "instruction": "Say hi.", "input": "", "response1": "Hi.",
                                          "response2": "Go away."}) + "\n" for n in range(8)), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        import_source("jsonl", [source], tmp_path / "out", field_map={**MAP, "response_a": "respons1"})
    assert [str(p) for p in raised.value.problems] == [f"{source}: respons1: field 'respons1' is missing, in all 8 records"]


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


# --------------------------------------------------------------------------- escalation: confidence, flags, flag note

PAIR = {"prompt": "Is the mushroom safe to eat?", "response_a": "Yes.", "response_b": "Ask an expert."}


def write_rows(path: Path, *rows: dict) -> Path:
    path.write_text("".join(json.dumps({**PAIR, **row}) + "\n" for row in rows), encoding="utf-8")
    return path


def import_escalation(source: Path, out: Path, vote_fields=("a1", "a2"), **options):
    options = {"confidence_field": "{vote}_conf", "flags_field": "{vote}_flags", "flag_note_field": "{vote}_note", **options}
    return import_source("jsonl", [source], out, vote_fields=list(vote_fields), **options)


def escalation(judgment: dict) -> tuple:
    return judgment["annotator"], judgment.get("confidence"), judgment.get("flags"), judgment.get("flag_note")


def test_confidence_flags_and_note_are_read_from_a_column_per_vote(tmp_path):
    source = write_rows(tmp_path / "votes.jsonl", {
        "a1": "B", "a1_conf": 2, "a1_flags": ["needs_expert"], "a1_note": "Only a mycologist can tell.",
        "a2": "B", "a2_conf": 5,
    })
    import_escalation(source, tmp_path / "out")
    assert [escalation(j) for j in read_jsonl(tmp_path / "out" / "judgments.jsonl")] == [
        ("a1", 2, ["needs_expert"], "Only a mycologist can tell."),
        ("a2", 5, None, None),
    ]


def test_a_flags_column_may_be_a_comma_or_semicolon_separated_string(tmp_path):
    source = write_rows(tmp_path / "votes.jsonl", {
        "a1": "B", "a1_flags": "edge_case, needs_expert", "a2": "B", "a2_flags": "harmful_content;cannot_judge",
    })
    import_escalation(source, tmp_path / "out")
    assert [j["flags"] for j in read_jsonl(tmp_path / "out" / "judgments.jsonl")] == [
        ["edge_case", "needs_expert"], ["harmful_content", "cannot_judge"],
    ]


def test_object_votes_carry_their_escalation_as_keys(tmp_path):
    source = write_rows(tmp_path / "votes.jsonl", {
        "a1": {"label": "B", "sure": 4, "flags": ["edge_case"], "why": "The guideline says nothing on foraging."},
        "a2": {"label": "A"},
    })
    import_escalation(source, tmp_path / "out", confidence_field="sure", flags_field="flags", flag_note_field="why")
    assert [escalation(j) for j in read_jsonl(tmp_path / "out" / "judgments.jsonl")] == [
        ("a1", 4, ["edge_case"], "The guideline says nothing on foraging."),
        ("a2", None, None, None),
    ]


def test_with_one_vote_field_the_escalation_fields_are_plain_columns(tmp_path):
    source = write_rows(tmp_path / "votes.jsonl", {"vote": "B", "confidence": 3, "flags": "guideline_unclear", "note": "Safety or helpfulness?"})
    import_escalation(source, tmp_path / "out", vote_fields=["vote"], confidence_field="confidence", flags_field="flags", flag_note_field="note")
    assert escalation(read_jsonl(tmp_path / "out" / "judgments.jsonl")[0]) == ("vote", 3, ["guideline_unclear"], "Safety or helpfulness?")


def test_bad_escalation_is_reported_all_at_once_and_nothing_is_written(tmp_path):
    source = write_rows(
        tmp_path / "votes.jsonl",
        {"a1": "B", "a1_conf": 7, "a1_flags": ["edge_case", "too_hard"], "a2": "A", "a2_note": "Looks odd."},
        {"a1": "B", "a1_conf": "4", "a1_flags": "edge_case,edge_case", "a2": "A", "a2_conf": 2.5, "a2_flags": 3},
    )
    with pytest.raises(InputError) as caught:
        import_escalation(source, tmp_path / "out")
    flags = "edge_case, guideline_unclear, needs_expert, harmful_content, cannot_judge"
    assert [str(p) for p in caught.value.problems] == [
        f"{source}:1: a1_conf: confidence must be a whole number from 1 (a guess) to 5 (certain), not 7",
        f"{source}:1: a1_flags: unknown flag \"too_hard\"; the flags are {flags}",
        f"{source}:1: a2_note: a flag note needs a flag, and a2_flags gives none for this vote",
        f"{source}:2: a1_conf: confidence must be a whole number from 1 (a guess) to 5 (certain), not \"4\""
        " (text: write the number without quotes)",
        f"{source}:2: a1_flags: flag \"edge_case\" is listed twice",
        f"{source}:2: a2_conf: confidence must be a whole number from 1 (a guess) to 5 (certain), not 2.5",
        f"{source}:2: a2_flags: flags must be a JSON list or a comma-separated string, not 3",
    ]
    assert not (tmp_path / "out").exists()


def test_a_json_true_is_not_read_as_confidence_1(tmp_path):
    source = write_rows(tmp_path / "votes.jsonl", {"a1": "B", "a1_conf": True, "a2": "A"})
    with pytest.raises(InputError) as caught:
        import_escalation(source, tmp_path / "out")
    assert [str(p) for p in caught.value.problems] == [
        f"{source}:1: a1_conf: confidence must be a whole number from 1 (a guess) to 5 (certain), not true"
    ]


def test_escalation_may_come_from_a_joined_file(tmp_path):
    source = write_rows(tmp_path / "votes.jsonl", {"idx": 1, "a1": "B", "a2": "A"})
    joined = tmp_path / "escalation.jsonl"
    joined.write_text(json.dumps({"idx": 1, "a1_conf": 3, "a1_flags": ["edge_case"], "a1_note": "Depends on the species."}) + "\n")
    import_escalation(source, tmp_path / "out", joins=[joined], join_on="idx")
    assert [escalation(j) for j in read_jsonl(tmp_path / "out" / "judgments.jsonl")] == [
        ("a1", 3, ["edge_case"], "Depends on the species."),
        ("a2", None, None, None),
    ]


def test_a_swapped_run_carries_its_own_escalation_not_the_sources(tmp_path):
    source = write_rows(tmp_path / "votes.jsonl", {"idx": 1, "a1": "B", "a1_conf": 5, "a1_flags": ["edge_case"], "a2": "A"})
    swapped = tmp_path / "swapped.jsonl"
    swapped.write_text(json.dumps({"idx": 1, "a1": "A", "a2": "B", "a2_conf": 2}) + "\n")
    import_escalation(source, tmp_path / "out", swapped_joins=[swapped], join_on="idx")
    mirrored = [escalation(j) for j in read_jsonl(tmp_path / "out" / "judgments.jsonl") if j["item_id"].endswith("-swapped")]
    assert mirrored == [("a1", None, None, None), ("a2", 2, None, None)]


def test_plain_label_votes_need_a_column_per_vote_for_their_confidence(tmp_path):
    source = write_rows(tmp_path / "votes.jsonl", {"a1": "B", "a2": "A", "confidence": 3})
    with pytest.raises(InputError) as caught:
        import_escalation(source, tmp_path / "out", confidence_field="confidence", flags_field=None, flag_note_field=None)
    assert [str(p) for p in caught.value.problems] == [
        f"{source}:1: {column}: votes are plain labels, so --confidence-field must name a column per vote, e.g. '{{vote}}_confidence'"
        for column in ("a1", "a2")
    ]


def test_escalation_beside_an_empty_vote_is_left_out_and_counted(tmp_path):
    source = write_rows(tmp_path / "votes.jsonl", {"a1": "B", "a2": None, "a2_flags": ["cannot_judge"], "a2_note": "No idea."})
    summary = import_escalation(source, tmp_path / "out")
    assert summary.judgments == 1
    assert summary.kept == {"a confidence, flags or flag note beside an empty vote (left out: a judgment needs a choice)": 1}


def test_a_flag_note_field_without_a_flags_field_is_a_usage_error(tmp_path):
    source = write_rows(tmp_path / "votes.jsonl", {"a1": "B"})
    with pytest.raises(ImportUsageError, match="--flag-note-field needs --flags-field"):
        import_escalation(source, tmp_path / "out", flags_field=None)


def test_escalation_fields_need_vote_fields(tmp_path):
    source = write_rows(tmp_path / "votes.jsonl", {"a1": "B"})
    with pytest.raises(ImportUsageError, match=r"--confidence-field needs --vote-fields \(a confidence belongs to a vote\)"):
        import_source("jsonl", [source], tmp_path / "out", confidence_field="conf")


def test_escalation_fields_are_refused_by_formats_that_map_their_own(tmp_path):
    with pytest.raises(ImportUsageError, match="--flags-field is not used by the argilla format"):
        import_source("argilla", [VOTES], tmp_path / "out", flags_field="flags")


def test_imported_escalation_loads_with_the_project_loaders(tmp_path):
    from rationale.io import iter_judgments, load_items, load_rubric

    source = write_rows(tmp_path / "votes.jsonl", {"a1": "B", "a1_conf": 1, "a1_flags": "edge_case", "a1_note": "Unclear.", "a2": "A"})
    import_escalation(source, tmp_path / "out")
    rubric = load_rubric(Path(__file__).resolve().parents[1] / "rubrics" / "hhh.yaml")
    items = load_items(tmp_path / "out" / "items.jsonl")
    problems: list = []
    judgments = [j for _, _, j in iter_judgments([tmp_path / "out" / "judgments.jsonl"], items, rubric, problems)]
    assert problems == []
    assert [(j.confidence, j.flags, j.flag_note, j.escalated) for j in judgments] == [(1, ["edge_case"], "Unclear.", True), (None, [], None, False)]


def test_cli_carries_escalation_into_the_judgments(tmp_path):
    source = write_rows(tmp_path / "votes.jsonl", {"a1": "B", "a1_conf": 4, "a1_flags": "needs_expert", "a1_note": "Ask a mycologist.", "a2": "B"})
    result = CliRunner().invoke(main, [
        "import", "jsonl", str(source), "-o", str(tmp_path / "out"), "--vote-fields", "a1,a2",
        "--confidence-field", "{vote}_conf", "--flags-field", "{vote}_flags", "--flag-note-field", "{vote}_note",
    ])
    assert result.exit_code == 0, result.output
    assert escalation(read_jsonl(tmp_path / "out" / "judgments.jsonl")[0]) == ("a1", 4, ["needs_expert"], "Ask a mycologist.")


def test_cli_bad_escalation_exits_2_naming_file_line_and_field(tmp_path):
    source = write_rows(tmp_path / "votes.jsonl", {"a1": "B", "a1_conf": 0, "a2": "A", "a2_flags": ["urgent"]})
    result = CliRunner().invoke(main, [
        "import", "jsonl", str(source), "-o", str(tmp_path / "out"), "--vote-fields", "a1,a2",
        "--confidence-field", "{vote}_conf", "--flags-field", "{vote}_flags",
    ])
    assert result.exit_code == 2
    assert f"{source}:1: a1_conf: confidence must be a whole number from 1 (a guess) to 5 (certain), not 0" in result.output
    assert f"{source}:1: a2_flags: unknown flag \"urgent\"" in result.output
    assert "2 problems in the input; nothing was written." in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
