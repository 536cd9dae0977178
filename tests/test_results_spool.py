"""The grade report's per-judgment results past the first few thousand live on disk, and read back unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rationale.cli import main
from rationale.grading import results as results_module
from rationale.grading.results import SpooledResults
from rationale.models import FindingBrief, JudgmentResult

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "drill"
RUBRIC = Path(__file__).resolve().parents[1] / "rubrics" / "hhh.yaml"


def _result(i: int, *, passed: bool = True, annotator: str = "ana") -> JudgmentResult:
    finding = FindingBrief("missed_key_point", "major", f"message {i % 7}", None, None, "kp1")
    return JudgmentResult("j.jsonl", i + 1, f"item-{i}", annotator, "A", -1, "A", -2, 80.0, passed, True, 1,
                          ("kp1",), (finding,), f"h{i}")


def test_results_past_the_in_memory_share_come_back_in_order_every_time():
    spooled = SpooledResults(in_memory=3, spill_batch=4)
    expected = [_result(i) for i in range(23)]
    for r in expected:
        spooled.append(r)
    assert len(spooled) == 23
    assert list(spooled) == expected
    assert list(spooled) == expected  # read again: the file is re-read from its start
    assert spooled[0] == expected[0] and spooled[17] == expected[17] and spooled[-1] == expected[-1]
    with pytest.raises(IndexError):
        spooled[23]


def test_results_read_back_from_the_file_are_judgment_results_with_their_fields():
    spooled = SpooledResults(in_memory=1, spill_batch=2)
    for i in range(5):
        spooled.append(_result(i))
    back = list(spooled)
    assert all(type(r) is JudgmentResult for r in back)
    assert [(r.line, r.item_id, r.findings[0].message) for r in back] == [(i + 1, f"item-{i}", f"message {i % 7}") for i in range(5)]


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_the_file_back_leaves_the_garbage_collector_as_it_found_it(enabled):
    import gc

    spooled = SpooledResults(in_memory=1, spill_batch=2)
    for i in range(5):
        spooled.append(_result(i))
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        assert len(list(spooled)) == 5
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_the_counts_the_table_needs_are_known_before_reading_the_file():
    spooled = SpooledResults(in_memory=1, spill_batch=2)
    spooled.append(_result(1, annotator="ana"))
    spooled.append(_result(22222, passed=False, annotator="bo"))
    spooled.append(_result(333, annotator="constance"))
    assert spooled.annotators == {"ana", "bo", "constance"}
    assert spooled.failed == 1
    assert spooled.widths == {"all": (len("item-22222"), len("constance")), "failures": (len("item-22222"), len("bo"))}


def test_an_empty_report_is_falsy_and_has_no_rows():
    spooled = SpooledResults()
    assert not spooled and len(spooled) == 0 and list(spooled) == []


def _grade(tmp_path: Path, db: str, *extra: str) -> str:
    result = CliRunner().invoke(main, ["grade", str(EXAMPLES / "judgments.jsonl"), "--rubric", str(RUBRIC),
                                       "--gold", str(EXAMPLES / "gold.jsonl"), "--items", str(EXAMPLES / "items.jsonl"),
                                       "--db", str(tmp_path / db), *extra])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("extra", [(), ("--failures-only",), ("--json",)])
def test_a_report_spilled_to_disk_reads_the_same_as_one_held_in_memory(tmp_path, monkeypatch, extra):
    held = _grade(tmp_path, "held.db", *extra)
    monkeypatch.setattr(results_module, "IN_MEMORY", 2)
    monkeypatch.setattr(results_module, "SPILL_BATCH", 3)
    spilled = _grade(tmp_path, "spilled.db", *extra)
    if extra == ("--json",):  # the run's own identity differs: its database, times and duration
        held_doc, spilled_doc = json.loads(held), json.loads(spilled)
        assert spilled_doc["results"] == held_doc["results"] and spilled_doc["summary"] == held_doc["summary"]
        assert len(held_doc["results"]) > 5
    else:
        assert spilled.replace("spilled.db", "held.db") == held
