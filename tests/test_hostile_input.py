"""Hostile or damaged input outside `grade`: imports, calibrate and revise give FILE:LINE messages and exit 2.

(`grade`'s cases live in the bad-input corpus, tests/data/bad/.) Each case is
written fresh here, so the test says what it feeds in.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rationale.cli import main

GOOD = Path(__file__).parent / "data" / "good"
HH_ROW = {"chosen": "\n\nHuman: Say hi.\n\nAssistant: Hi there!", "rejected": "\n\nHuman: Say hi.\n\nAssistant: Go away."}
LLMBAR_ROW = {"input": "Say hi.", "output_1": "Hi there!", "output_2": "Go away.", "label": 1}


def _run(args: list[str]):
    return CliRunner().invoke(main, args)


def _hh_lines(count: int) -> bytes:
    return b"".join(json.dumps({**HH_ROW, "chosen": HH_ROW["chosen"] + f" ({n})"}).encode() + b"\n" for n in range(count))


def _assert_refused(result, *lines: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines()[:-1] == list(lines)
    assert "Traceback" not in result.output


def test_import_of_an_hh_file_with_a_latin1_byte_names_its_line(tmp_path):
    source = tmp_path / "hh.jsonl"
    source.write_bytes(_hh_lines(1) + json.dumps(HH_ROW).encode().replace(b"Go away", b"Va-t'en, s\xe9rieux"))
    out = tmp_path / "out"

    result = _run(["import", "hh-rlhf", str(source), "-o", str(out)])

    _assert_refused(result, f"{source}:2: (line): not valid UTF-8 (byte 0xe9 at column 114); save the file as UTF-8")
    assert not out.exists()


def test_import_of_a_cut_short_gzip_says_so_instead_of_aborting(tmp_path):
    whole = gzip.compress(_hh_lines(3000), mtime=0)
    source = tmp_path / "hh.jsonl.gz"
    source.write_bytes(whole[: len(whole) // 2])

    result = _run(["import", "hh-rlhf", str(source), "-o", str(tmp_path / "out")])

    assert result.exit_code == 2, result.output
    (message, summary) = result.stderr.splitlines()
    assert message.startswith(f"{source}:")
    assert message.endswith("(file): the gzip data stops being readable at this line: it ends before its data does"
                            " (cut short in a copy or download?)")
    assert summary.startswith("error: 1 problem")


def test_import_of_json_nested_thousands_deep_is_a_message_not_a_recursion_error(tmp_path):
    source = tmp_path / "hh.jsonl"
    source.write_text(json.dumps(HH_ROW) + "\n" + '{"chosen": ' + "[" * 5000 + "]" * 5000 + "}\n")

    result = _run(["import", "hh-rlhf", str(source), "-o", str(tmp_path / "out")])

    _assert_refused(result, f"{source}:2: (line): lists and objects nested more than 32 levels deep; no input needs that")


def test_import_of_json_nested_forty_deep_is_refused_too(tmp_path):
    source = tmp_path / "hh.jsonl"
    source.write_text(json.dumps(HH_ROW) + "\n" + '{"chosen": ' + "[" * 40 + "]" * 40 + "}\n")

    result = _run(["import", "hh-rlhf", str(source), "-o", str(tmp_path / "out")])

    _assert_refused(result, f"{source}:2: (line): lists and objects nested more than 32 levels deep; no input needs that")


def test_import_of_text_full_of_brackets_is_not_taken_for_deep_nesting(tmp_path):
    source = tmp_path / "hh.jsonl"
    source.write_text(json.dumps({**HH_ROW, "chosen": HH_ROW["chosen"] + " [[{{" * 20}) + "\n")

    result = _run(["import", "hh-rlhf", str(source), "-o", str(tmp_path / "out")])

    assert result.exit_code == 0, result.output


def test_import_of_an_llmbar_array_with_a_bad_byte_reports_only_that_byte(tmp_path):
    source = tmp_path / "natural.json"
    text = json.dumps([LLMBAR_ROW, LLMBAR_ROW], indent=1).encode()
    source.write_bytes(text.replace(b"Go away", b"Go \xffaway", 1))

    result = _run(["import", "llmbar", str(source), "-o", str(tmp_path / "out")])

    _assert_refused(result, f"{source}:5: (line): not valid UTF-8 (byte 0xff at column 19); save the file as UTF-8")


def test_import_of_an_llmbar_record_with_a_key_written_twice_is_refused(tmp_path):
    source = tmp_path / "natural.json"
    source.write_text(json.dumps([LLMBAR_ROW], indent=1).replace('"label": 1', '"label": 2, "label": 1'))

    result = _run(["import", "llmbar", str(source), "-o", str(tmp_path / "out")])

    _assert_refused(result, f"{source}:2: label: key 'label' is given twice in one object; only one can count")


def test_calibrate_on_a_cut_short_gzip_reports_the_file(tmp_path):
    whole = gzip.compress((GOOD / "judgments.jsonl").read_bytes() * 200, mtime=0)
    source = tmp_path / "judgments.jsonl.gz"
    source.write_bytes(whole[: len(whole) - 40])

    result = _run(["calibrate", str(source), "--items", str(GOOD / "items.jsonl"), "--rubric", str(GOOD / "rubric.yaml"),
                   "--db", str(tmp_path / "r.db")])

    assert result.exit_code == 2, result.output
    assert "(file): the gzip data stops being readable at this line" in result.stderr
    assert not (tmp_path / "r.db").exists()


@pytest.fixture
def graded_db(tmp_path: Path) -> Path:
    db = tmp_path / "r.db"
    result = _run(["grade", str(GOOD / "judgments.jsonl"), "--rubric", str(GOOD / "rubric.yaml"), "--gold",
                   str(GOOD / "gold.jsonl"), "--items", str(GOOD / "items.jsonl"), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    return db


def test_revise_from_a_file_that_is_not_utf8_names_the_line(graded_db, tmp_path):
    better = tmp_path / "better.txt"
    better.write_bytes(b"B names Canberra.\nSydney is the largest city, not the capital \xe0 all.\n")

    result = _run(["revise", "capital", "--annotator", "ana", "--rationale-file", str(better), "--db", str(graded_db)])

    _assert_refused(result, f"{better}:2: (line): not valid UTF-8 (byte 0xe0 at column 45); save the file as UTF-8")


def test_revise_with_a_word_past_the_limit_is_refused(graded_db):
    result = _run(["revise", "capital", "--annotator", "ana", "--rationale", "B is right " + "x" * 301, "--db", str(graded_db)])

    assert result.exit_code == 2, result.output
    assert "rationale: holds a word of 301 characters (at most 300)" in result.stderr


def test_revise_with_a_blank_rationale_says_to_write_one(graded_db):
    result = _run(["revise", "capital", "--annotator", "ana", "--rationale", "   ", "--db", str(graded_db)])

    _assert_refused(result, "revise: rationale: is empty; write the revised rationale (the earlier versions are kept)")
