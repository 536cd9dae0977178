"""Loading rubrics, items, gold and judgments: what is accepted, and how problems are reported."""

from __future__ import annotations

import gzip
import inspect
import json
from pathlib import Path

import pytest

from rationale import io as loaders
from rationale.errors import InputError
from rationale.models import ChatTurn

GOOD = Path(__file__).parent / "data" / "good"


@pytest.fixture(scope="module")
def rubric():
    return loaders.load_rubric(GOOD / "rubric.yaml")


@pytest.fixture(scope="module")
def items():
    return loaders.load_items(GOOD / "items.jsonl")


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def judgment_line(**fields) -> str:
    record = {"item_id": "capital", "annotator": "ana", "preference": "B", "strength": 2, "criteria": ["honesty"]}
    record.update(fields)
    return json.dumps({k: v for k, v in record.items() if v is not ...})


def problems_of(fn) -> list[str]:
    with pytest.raises(InputError) as caught:
        fn()
    return [str(p) for p in caught.value.problems]


def read_judgments(paths, items, rubric, annotator=None):
    problems = []
    found = list(loaders.iter_judgments(paths, items, rubric, problems, annotator=annotator))
    return found, [str(p) for p in problems]


# --------------------------------------------------------------------------- the good set


def test_good_rubric_loads_with_yaml_integer_level_keys(rubric):
    assert rubric.criterion_ids == ["helpfulness", "honesty"]
    assert rubric.criterion("honesty").levels["5"] == "Accurate throughout."
    assert rubric.max_strength == 3


def test_good_items_load_keyed_by_id(items):
    assert list(items) == ["capital", "boil", "greeting"]


def test_jsonl_chat_prompt_loads_as_turns(items):
    assert items["boil"].prompt == [
        ChatTurn(role="system", content="Be brief."),
        ChatTurn(role="user", content="At what temperature does water boil at sea level?"),
    ]


def test_good_gold_loads_keyed_by_item(items, rubric):
    gold = loaders.load_gold(GOOD / "gold.jsonl", items, rubric)
    assert set(gold) == {"capital", "boil", "greeting"}
    assert gold["greeting"].acceptable.strength_max == 1


def test_vote_only_judgment_without_strength_or_rationale_is_accepted(items, rubric):
    found, problems = read_judgments([GOOD / "judgments.jsonl"], items, rubric)
    assert problems == []
    (path, line, vote) = found[2]
    assert (line, vote.item_id, vote.strength, vote.rationale) == (3, "greeting", None, None)
    assert path == str(GOOD / "judgments.jsonl")


def test_rubric_in_json_loads_like_yaml(tmp_path, rubric):
    path = write(tmp_path / "rubric.json", json.dumps(rubric.model_dump(mode="json"), indent=2))
    assert loaders.load_rubric(path) == rubric


# --------------------------------------------------------------------------- accepted silently


def test_bom_crlf_and_blank_lines_are_accepted_in_jsonl(tmp_path, items, rubric):
    text = "\ufeff" + judgment_line() + "\r\n\r\n   \r\n" + judgment_line(item_id="boil", preference="A", strength=-1) + "\r\n\n"
    path = write(tmp_path / "j.jsonl", text)
    found, problems = read_judgments([path], items, rubric)
    assert problems == []
    assert [(line, j.item_id) for _, line, j in found] == [(1, "capital"), (4, "boil")]


def test_bom_and_crlf_are_accepted_in_csv(tmp_path, items, rubric):
    path = write(tmp_path / "j.csv", "\ufeffitem_id,annotator,preference\r\ncapital,ana,B\r\n\r\nboil,ana,A\r\n")
    found, problems = read_judgments([path], items, rubric)
    assert problems == []
    assert [(line, j.item_id, j.preference) for _, line, j in found] == [(2, "capital", "B"), (4, "boil", "A")]


def test_bom_and_crlf_are_accepted_in_a_rubric(tmp_path, rubric):
    text = (GOOD / "rubric.yaml").read_text(encoding="utf-8").replace("\n", "\r\n")
    path = write(tmp_path / "rubric.yaml", "\ufeff" + text)
    assert loaders.load_rubric(path) == rubric


# --------------------------------------------------------------------------- CSV


def test_csv_criteria_are_split_on_semicolons(tmp_path, items, rubric):
    path = write(tmp_path / "j.csv", "item_id,annotator,preference,criteria\ncapital,ana,B, honesty ; helpfulness\n")
    found, problems = read_judgments([path], items, rubric)
    assert problems == []
    assert found[0][2].criteria == ["honesty", "helpfulness"]


def test_csv_criteria_may_be_a_json_list(tmp_path, items, rubric):
    path = write(tmp_path / "j.csv", 'item_id,annotator,preference,criteria\ncapital,ana,B,"[""honesty""]"\n')
    found, problems = read_judgments([path], items, rubric)
    assert problems == []
    assert found[0][2].criteria == ["honesty"]


def test_csv_empty_cell_means_the_field_is_absent(tmp_path, items, rubric):
    path = write(tmp_path / "j.csv", "item_id,annotator,preference,strength,rationale,seconds\ncapital,ana,B,,,\n")
    found, problems = read_judgments([path], items, rubric)
    assert problems == []
    assert (found[0][2].strength, found[0][2].rationale, found[0][2].seconds) == (None, None, None)


def test_csv_strength_and_seconds_become_numbers(tmp_path):
    path = write(tmp_path / "j.csv", "item_id,strength,seconds\ncapital,-2,12.5\n")
    assert list(loaders.iter_records(path, [])) == [(2, {"item_id": "capital", "strength": -2, "seconds": 12.5})]


def test_csv_chat_prompt_given_as_json_text_loads_as_turns(tmp_path):
    turns = json.dumps([{"role": "user", "content": "Hi, say hello"}]).replace('"', '""')
    path = write(tmp_path / "items.csv", f'id,prompt,response_a,response_b,tags\nhello,"{turns}",Hello!,Hi.,greeting;short\n')
    item = loaders.load_items(path)["hello"]
    assert item.prompt == [ChatTurn(role="user", content="Hi, say hello")]
    assert item.tags == ["greeting", "short"]


def test_csv_prompt_that_merely_starts_with_a_bracket_stays_text(tmp_path):
    path = write(tmp_path / "items.csv", 'id,prompt,response_a,response_b\nx,"[{draft}] fix this",A.,B.\n')
    assert loaders.load_items(path)["x"].prompt == "[{draft}] fix this"


def test_csv_gold_reads_acceptable_and_key_points_as_json(tmp_path, items, rubric):
    acceptable = json.dumps({"preferences": ["A", "B"], "strength_min": -1, "strength_max": 1}).replace('"', '""')
    key_points = json.dumps([{"id": "kp", "text": "Both greet", "cues": ["bonjour"]}]).replace('"', '""')
    path = write(
        tmp_path / "gold.csv",
        "item_id,preference,strength,acceptable,decisive_criteria,key_points,reference_rationale\n"
        f'greeting,tie,0,"{acceptable}",helpfulness,"{key_points}",Both are fine.\n',
    )
    answer = loaders.load_gold(path, items, rubric)["greeting"]
    assert answer.acceptable.preferences == ["A", "B"]
    assert answer.key_points[0].cues == ["bonjour"]
    assert answer.decisive_criteria == ["helpfulness"]


def test_csv_malformed_json_cell_is_reported_with_its_column(tmp_path, items, rubric):
    path = write(
        tmp_path / "gold.csv",
        "item_id,preference,strength,acceptable,reference_rationale\ngreeting,tie,0,{broken,Both are fine.\n",
    )
    assert problems_of(lambda: loaders.load_gold(path, items, rubric)) == [
        f"{path}:2: acceptable: malformed JSON in the cell: Expecting property name enclosed in double quotes at column 2"
    ]


def test_csv_record_line_is_where_a_multiline_row_starts(tmp_path, items, rubric):
    path = write(
        tmp_path / "j.csv",
        'item_id,annotator,preference,rationale\ncapital,ana,B,"first line\nsecond line"\nboil,ana,C,x\n',
    )
    found, problems = read_judgments([path], items, rubric)
    assert found[0][1] == 2
    assert problems == [f"{path}:4: preference: unknown preference 'C' (expected A, B or tie)"]


def test_csv_with_a_header_and_no_rows_is_reported(tmp_path):
    path = write(tmp_path / "j.csv", "item_id,annotator,preference\n")
    problems = []
    assert list(loaders.iter_records(path, problems)) == []
    assert [str(p) for p in problems] == [f"{path}: (file): file holds a header but no records"]


# --------------------------------------------------------------------------- streaming


def test_iter_records_is_a_generator_that_reads_nothing_until_asked(tmp_path):
    problems = []
    records = loaders.iter_records(tmp_path / "not-there.jsonl", problems)
    assert inspect.isgenerator(records)
    assert problems == []  # the file has not been touched yet
    assert list(records) == []
    assert [str(p) for p in problems] == [f"{tmp_path / 'not-there.jsonl'}: (file): file not found"]


def test_iter_records_yields_the_first_record_before_reading_later_lines(tmp_path):
    # A line far past any read buffer is rewritten after the first record is taken;
    # a streaming reader sees the new text, a reader that slurped the file would not.
    late = judgment_line(item_id="boil")
    path = write(tmp_path / "j.jsonl", judgment_line() + "\n" + "\n" * 200_000 + late + "\n")
    problems = []
    records = loaders.iter_records(path, problems)

    first_line, first = next(records)
    with open(path, "r+b") as handle:
        handle.seek(-(len(late) + 1), 2)
        handle.write(b"{" + b"x" * (len(late) - 1))

    assert (first_line, first["item_id"]) == (1, "capital")
    assert problems == []
    assert list(records) == []
    assert [p.line for p in problems] == [200_002]
    assert problems[0].message.startswith("malformed JSON")


def test_gzipped_jsonl_streams_like_plain(tmp_path):
    path = tmp_path / "j.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(judgment_line() + "\n")
    assert [line for line, _ in loaders.iter_records(path, [])] == [1]


def test_iter_records_keeps_going_after_a_bad_line(tmp_path):
    path = write(tmp_path / "j.jsonl", judgment_line() + "\n{oops\n" + judgment_line(item_id="boil") + "\n")
    problems = []
    assert [line for line, _ in loaders.iter_records(path, problems)] == [1, 3]
    assert [p.line for p in problems] == [2]


def test_non_utf8_line_is_reported_and_the_rest_still_read(tmp_path):
    path = write(tmp_path / "j.jsonl", b'{"a": "caf\xe9"}\n{"a": "ok"}\n')
    problems = []
    assert list(loaders.iter_records(path, problems)) == [(2, {"a": "ok"})]
    assert [str(p) for p in problems] == [
        f"{path}:1: (line): not valid UTF-8 (byte 0xe9 at column 11); save the file as UTF-8"
    ]


# --------------------------------------------------------------------------- validation paths


def test_valid_records_never_reach_the_json_schema_validator(monkeypatch, items, rubric):
    def refuse(name):
        raise AssertionError(f"jsonschema used for a valid {name}")

    from rationale.io import messages

    monkeypatch.setattr(messages, "_schema_validator", refuse)
    loaders.load_items(GOOD / "items.jsonl")
    loaders.load_gold(GOOD / "gold.jsonl", items, rubric)
    found, problems = read_judgments([GOOD / "judgments.jsonl"], items, rubric)
    assert (len(found), problems) == (3, [])


def test_nested_error_path_names_the_chat_turn_field(tmp_path):
    record = {"id": "x", "prompt": [{"role": "user"}], "response_a": "A.", "response_b": "B."}
    path = write(tmp_path / "items.jsonl", json.dumps(record) + "\n")
    assert problems_of(lambda: loaders.load_items(path)) == [f"{path}:1: prompt[0].content: is required but missing"]


def test_empty_chat_prompt_is_reported_from_the_model_rule(tmp_path):
    record = {"id": "x", "prompt": [], "response_a": "A.", "response_b": "B."}
    path = write(tmp_path / "items.jsonl", json.dumps(record) + "\n")
    assert problems_of(lambda: loaders.load_items(path)) == [f"{path}:1: prompt: a chat prompt needs at least one turn"]


@pytest.mark.parametrize(
    "strength, said",
    [('"3"', "the text '3'"), ("true", "true"), ("3.0", "the number 3.0")],
)
def test_a_strength_that_is_not_written_as_a_whole_number_is_refused_not_coerced(tmp_path, items, rubric, strength, said):
    line = judgment_line().replace('"strength": 2', f'"strength": {strength}')
    path = write(tmp_path / "j.jsonl", line + "\n")
    found, problems = read_judgments([path], items, rubric)
    assert found == []
    assert problems == [f"{path}:1: strength: expected a whole number, got {said}"]


def test_several_missing_fields_are_each_reported(tmp_path, items, rubric):
    path = write(tmp_path / "j.jsonl", json.dumps({"item_id": "capital"}) + "\n")
    _, problems = read_judgments([path], items, rubric)
    assert problems == [f"{path}:1: annotator: is required but missing", f"{path}:1: preference: is required but missing"]


def test_cross_file_checks_run_on_a_record_with_other_problems(tmp_path, items, rubric):
    path = write(tmp_path / "j.jsonl", judgment_line(item_id="nowhere", preference="C") + "\n")
    _, problems = read_judgments([path], items, rubric)
    assert problems == [
        f"{path}:1: preference: unknown preference 'C' (expected A, B or tie)",
        f"{path}:1: item_id: unknown item 'nowhere' (not in the items file)",
    ]


# --------------------------------------------------------------------------- judgments across files


def test_duplicate_judgment_in_another_file_names_file_and_line(tmp_path, items, rubric):
    first = write(tmp_path / "one.jsonl", judgment_line() + "\n")
    second = write(tmp_path / "two.jsonl", judgment_line(item_id="boil", preference="A", strength=-1) + "\n" + judgment_line() + "\n")
    found, problems = read_judgments([first, second], items, rubric)
    assert len(found) == 2
    assert problems == [f"{second}:2: item_id: duplicate judgment by 'ana' for item 'capital' (first on {first}:1)"]


def test_same_item_by_two_annotators_is_not_a_duplicate(tmp_path, items, rubric):
    path = write(tmp_path / "j.jsonl", judgment_line() + "\n" + judgment_line(annotator="ben") + "\n")
    found, problems = read_judgments([path], items, rubric)
    assert (len(found), problems) == (2, [])


def test_annotator_option_fills_in_a_missing_annotator(tmp_path, items, rubric):
    path = write(tmp_path / "j.jsonl", judgment_line(annotator=...) + "\n")
    found, problems = read_judgments([path], items, rubric, annotator="cara")
    assert problems == []
    assert found[0][2].annotator == "cara"


def test_annotator_option_skips_other_annotators_without_checking_them(tmp_path, items, rubric):
    path = write(
        tmp_path / "j.jsonl",
        judgment_line(annotator="raj", preference="nonsense") + "\n" + judgment_line(annotator="cara") + "\n",
    )
    found, problems = read_judgments([path], items, rubric, annotator="cara")
    assert problems == []
    assert [(line, j.annotator) for _, line, j in found] == [(2, "cara")]


def test_annotator_option_still_reports_unparseable_lines(tmp_path, items, rubric):
    path = write(tmp_path / "j.jsonl", "{oops\n" + judgment_line(annotator="cara") + "\n")
    found, problems = read_judgments([path], items, rubric, annotator="cara")
    assert len(found) == 1
    assert problems == [f"{path}:1: (line): malformed JSON: Expecting property name enclosed in double quotes at column 2"]


# --------------------------------------------------------------------------- files that cannot be read


def test_missing_items_file_is_a_clear_problem_not_a_traceback(tmp_path):
    missing = tmp_path / "items.jsonl"
    assert problems_of(lambda: loaders.load_items(missing)) == [f"{missing}: (file): file not found"]


def test_missing_rubric_file_is_a_clear_problem(tmp_path):
    missing = tmp_path / "rubric.yaml"
    assert problems_of(lambda: loaders.load_rubric(missing)) == [f"{missing}: (file): file not found"]


def test_directory_given_as_a_file_is_reported(tmp_path):
    assert problems_of(lambda: loaders.load_items(tmp_path)) == [f"{tmp_path}: (file): is a directory, not a file"]


# --------------------------------------------------------------------------- rubrics


def test_empty_rubric_file_is_reported(tmp_path):
    path = write(tmp_path / "rubric.yaml", "\n# nothing here\n")
    assert problems_of(lambda: loaders.load_rubric(path)) == [f"{path}: (file): file is empty; expected a rubric"]


def test_rubric_that_is_not_a_mapping_is_reported(tmp_path):
    path = write(tmp_path / "rubric.yaml", "- just\n- a list\n")
    assert problems_of(lambda: loaders.load_rubric(path)) == [f"{path}:1: (record): a rubric must be a mapping of fields, got a list"]


def test_json_rubric_problem_points_at_the_line_of_its_key(tmp_path, rubric):
    data = rubric.model_dump(mode="json")
    data["scoring"]["pass_mark"] = 150
    path = write(tmp_path / "rubric.json", json.dumps(data, indent=2))
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if '"pass_mark"' in text)
    assert problems_of(lambda: loaders.load_rubric(path)) == [f"{path}:{line}: scoring.pass_mark: must be at most 100, got 150"]


def test_malformed_json_rubric_reports_json_line(tmp_path):
    path = write(tmp_path / "rubric.json", '{\n  "id": "x",\n  "title" "y"\n}\n')
    assert problems_of(lambda: loaders.load_rubric(path)) == [f"{path}:3: (json): malformed JSON: Expecting ':' delimiter at column 11"]


def test_rubric_reports_every_problem_at_once(tmp_path):
    text = (GOOD / "rubric.yaml").read_text(encoding="utf-8")
    text = text.replace("    weight: 2\n", "    weight: 0\n").replace("  pass_mark: 70", "  pass_mark: high")
    path = write(tmp_path / "rubric.yaml", text)
    lines = text.splitlines()
    weight_line = lines.index("    weight: 0") + 1
    pass_mark_line = lines.index("  pass_mark: high") + 1
    problems = problems_of(lambda: loaders.load_rubric(path))
    assert problems == [
        f"{path}:{weight_line}: criteria[0].weight: must be greater than 0, got 0",
        f"{path}:{pass_mark_line}: scoring.pass_mark: expected a number, got the text 'high'",
    ]
