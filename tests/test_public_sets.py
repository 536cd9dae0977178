"""The public sets in ../shared/data import whole with the one command docs/IMPORT.md gives for each,
and `calibrate` alone prints PandaLM's published figures.

The commands are read from docs/IMPORT.md (the block after `<!-- public-set: NAME -->`) and run as a
user would, from the project root, with the output directory and the database moved to a temporary
folder. The published figures (PandaLM README and data/compute_metrics.py, see ../shared/data/SOURCES.md)
are compared at four decimals; Fleiss' kappa at five, because Krippendorff's alpha and the mean of the
three kappas round to the same 0.8642.
"""

from __future__ import annotations

import glob
import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from rationale.cli import main

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "IMPORT.md"
SHARED = ROOT.parent / "shared" / "data"


def documented_commands(name: str) -> list[list[str]]:
    """The commands of the ```sh block after `<!-- public-set: name -->`, as argument lists."""
    text = DOC.read_text(encoding="utf-8")
    block = re.search(rf"<!-- public-set: {re.escape(name)} -->\s*```sh\n(.*?)```", text, re.S)
    assert block, f"docs/IMPORT.md has no public-set block {name!r}"
    joined = block.group(1).replace("\\\n", " ")
    commands = []
    for line in joined.splitlines():
        words = shlex.split(line)
        assert words[0] == "rationale", line
        expanded = []
        for word in words[1:]:
            expanded += sorted(glob.glob(word)) if "*" in word else [word]
        commands.append(expanded)
    return commands


def run(args: list[str], out: Path, db: Path):  # type: ignore[no-untyped-def]
    """Run a documented command with its `data/<set>` directory replaced by `out`."""
    args = [re.sub(r"^data/[\w-]+", str(out), a) for a in args]
    if args[0] != "import":
        args += ["--db", str(db)]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def run_from_root(commands: list[list[str]], out: Path) -> list[str]:
    """Run commands in turn from the project root (where the documented paths start); their outputs."""
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(ROOT)
        return [run(command, out, out / "r.db") for command in commands]


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def pandalm(tmp_path_factory):
    """The documented PandaLM commands, run: (import output, calibrate output, the report as JSON, output folder)."""
    out = tmp_path_factory.mktemp("pandalm")
    import_cmd, calibrate_cmd = documented_commands("pandalm")
    imported, text, as_json = run_from_root([import_cmd, calibrate_cmd, [*calibrate_cmd, "--format", "json"]], out)
    return imported, text, json.loads(as_json), out


# --------------------------------------------------------------------------- PandaLM: every row


def test_pandalm_imports_every_item_and_every_human_vote(pandalm):
    imported, _, _, out = pandalm
    assert "read 999 records from 1 file (json)" in imported
    assert "wrote 999 items, 999 gold answers, 2997 judgments, 1998 judge verdicts" in imported
    assert "54  a response is empty" in imported
    assert "6  a response was a JSON true/false or number" in imported
    judgments = read_jsonl(out / "judgments.jsonl")
    assert {j["annotator"] for j in judgments} == {"annotator1", "annotator2", "annotator3"}


def test_pandalm_ids_come_from_idx_so_repeated_content_stays_separate_items(pandalm):
    *_, out = pandalm
    items = read_jsonl(out / "items.jsonl")
    assert [i["id"] for i in items] == [f"pandalm-{n}" for n in range(999)]
    contents = {(json.dumps(i["prompt"]), i["response_a"], i["response_b"]) for i in items}
    assert len(contents) < 999  # the same pair under several idx


def test_pandalm_judges_are_joined_by_idx(pandalm):
    *_, out = pandalm
    raw = {r["idx"]: r["pandalm_result"] for r in json.loads((SHARED / "pandalm" / "pandalm-7b-testset-v1.json").read_text())}
    verdicts = {v["item_id"]: v["preference"] for v in read_jsonl(out / "judges.jsonl") if v["annotator"] == "pandalm-7b"}
    assert len(verdicts) == 999
    assert all(verdicts[f"pandalm-{idx}"] == {0: "tie", 1: "A", 2: "B"}[label] for idx, label in raw.items())


def test_pandalm_gold_is_the_human_majority_as_published(pandalm):
    *_, out = pandalm
    sides = [g["preference"] for g in read_jsonl(out / "gold.jsonl")]
    assert (sides.count("tie"), sides.count("A"), sides.count("B")) == (105, 422, 472)  # the README's label table


def test_pandalm_empty_and_boolean_responses_are_real_items(pandalm):
    *_, out = pandalm
    items = {i["id"]: i for i in read_jsonl(out / "items.jsonl")}
    assert items["pandalm-157"]["response_a"] == "true" or items["pandalm-157"]["response_b"] == "true"
    assert sum(i["response_a"] == "" or i["response_b"] == "" for i in items.values()) == 54


# --------------------------------------------------------------------------- PandaLM: the published figures


def pair(report: dict, a: str, b: str) -> float:
    return next(p["value"] for p in report["agreement"]["preference"]["cohen_kappa"]["pairs"] if (p["a"], p["b"]) == (a, b))


def test_cohen_kappas_of_the_three_annotator_pairs_are_the_published_ones(pandalm):
    _, text, report, _ = pandalm
    assert round(pair(report, "annotator1", "annotator2"), 4) == 0.8520
    assert round(pair(report, "annotator1", "annotator3"), 4) == 0.8789
    assert round(pair(report, "annotator2", "annotator3"), 4) == 0.8617
    assert re.search(r"annotator1\s+—\s+0\.8520\s+0\.8789", text)
    assert re.search(r"annotator2\s+0\.8520\s+—\s+0\.8617", text)


def test_fleiss_kappa_is_the_published_one(pandalm):
    _, text, report, _ = pandalm
    assert round(report["agreement"]["preference"]["fleiss_kappa"]["value"], 5) == 0.86418
    assert re.search(r"Fleiss' kappa\s+0\.8642 \[", text)


def test_ordinal_alpha_reads_the_preference_as_a_scale(pandalm):
    _, _, report, _ = pandalm
    assert round(report["agreement"]["preference"]["krippendorff_alpha_ordinal"]["value"], 4) == 0.8775


def judge(report: dict, name: str) -> dict:
    return next(r for r in report["judge_results"] if r["name"] == name)


def test_gpt_35_accuracy_and_macro_precision_recall_f1_are_the_published_ones(pandalm):
    _, text, report, _ = pandalm
    gpt = judge(report, "gpt-3.5-turbo")
    assert gpt["gold_items"] == 999
    assert [round(gpt[k], 4) for k in ("accuracy", "precision", "recall", "f1")] == [0.7107, 0.5879, 0.5736, 0.5755]
    assert re.search(r"gpt-3\.5-turbo\s+71\.07%\s+58\.79%\s+57\.36%\s+57\.55%", text)


def test_pandalm_7b_accuracy_and_macro_precision_recall_f1_are_the_published_ones(pandalm):
    _, text, report, _ = pandalm
    pandalm_7b = judge(report, "pandalm-7b")
    assert [round(pandalm_7b[k], 4) for k in ("accuracy", "precision", "recall", "f1")] == [0.6677, 0.5738, 0.5750, 0.5743]
    assert re.search(r"pandalm-7b\s+66\.77%\s+57\.38%\s+57\.50%\s+57\.43%", text)


def test_gpt_35_with_its_garbage_replies_left_out(tmp_path):
    """The second GPT-3.5 figure docs/IMPORT.md gives: `garbage=missing` instead of `garbage=tie`."""
    import_cmd, calibrate_cmd = documented_commands("pandalm")
    import_cmd = [a.replace("garbage=tie", "garbage=missing") for a in import_cmd]
    imported, as_json = run_from_root([import_cmd, [*calibrate_cmd, "--format", "json"]], tmp_path)
    report = json.loads(as_json)
    assert "25  gpt_result: label 'garbage' read as a missing vote (--labels garbage=missing)" in imported
    gpt = judge(report, "gpt-3.5-turbo")
    assert gpt["gold_items"] == 974
    assert [round(gpt[k], 4) for k in ("accuracy", "precision", "recall", "f1")] == [0.7156, 0.5365, 0.5417, 0.5331]


def test_annotators_are_warned_that_gold_holds_their_own_vote_and_scored_without_it(pandalm):
    _, text, report, _ = pandalm
    assert any("scored against a gold that contains their own vote" in n for n in report["notes"])
    loo = next(r for r in report["annotator_results"] if r["name"] == "annotator1")["leave_one_out"]
    assert loo["rule"] == "majority" and loo["items"] + loo["without_winner"] == 999
    assert "without own vote [95% CI]" in text


def test_repeated_items_check_consistency_and_flag_only_the_judges(pandalm):
    _, _, report, _ = pandalm
    consistency = {r["name"]: (r["self_consistency"]["count"], r["self_consistency"]["n"], r["self_consistency"]["flagged"])
                   for r in [*report["annotator_results"], *report["judge_results"]]}
    assert consistency == {
        "annotator1": (135, 136, False),
        "annotator2": (135, 136, False),
        "annotator3": (136, 136, False),
        "gpt-3.5-turbo": (116, 136, True),
        "pandalm-7b": (124, 136, True),
    }


# --------------------------------------------------------------------------- LLMBar and hh-rlhf


def test_llmbar_imports_all_six_files_whole(tmp_path):
    (output,) = run_from_root(documented_commands("llmbar"), tmp_path)
    assert "read 619 records from 6 files (llmbar)" in output
    assert "wrote 619 items, 619 gold answers, 0 judgments" in output
    assert "skipped" not in output


def test_hh_rlhf_imports_every_row(tmp_path):
    (output,) = run_from_root(documented_commands("hh-rlhf"), tmp_path)
    assert "wrote 2312 items, 2312 gold answers, 0 judgments" in output
    assert "skipped" not in output
