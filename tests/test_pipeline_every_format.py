"""import -> grade -> calibrate runs on what every import format writes, without editing a file.

Real files where ../shared/data has them (PandaLM as `json`, LLMBar, hh-rlhf); the visible fixtures in
tests/data/import, written from each format's documentation, for arena, argilla and label-studio,
which have no public file there. LLMBar and hh-rlhf carry gold but no votes, so their answers come
from two made-up trainees (one answers like gold, one always says A) on the first 25 items.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from rationale.cli import main

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
FIXTURES = Path(__file__).parent / "data" / "import"
RUBRIC = ROOT / "rubrics" / "hhh.yaml"

PANDALM = [
    "--map", "id=pandalm-{idx}", "--map", "prompt={instruction}\\n\\n{input}", "--map", "response_a=response1",
    "--map", "response_b=response2", "--vote-fields", "annotator1,annotator2,annotator3", "--gold-from-votes", "majority",
    "--labels", "0=tie,1=A,2=B,Tie=tie,garbage=missing", "--join", str(SHARED / "pandalm" / "gpt-3.5-turbo-testset-v1.json"),
    "--on", "idx", "--judge-fields", "gpt-3.5-turbo=gpt_result",
]
MAPPED = [
    "--map", "id=uid", "--map", "prompt={instruction}\\n\\n{input}", "--map", "response_a=response1",
    "--map", "response_b=response2", "--vote-fields", "annotator1,annotator2,annotator3", "--labels", "0=tie,1=A,2=B",
    "--gold-from-votes", "majority",
]

# format, sources, options, whether the source carries votes
CASES = {
    "json (PandaLM)": ("json", [SHARED / "pandalm" / "testset-v1.json"], PANDALM, True),
    "llmbar": ("llmbar", sorted((SHARED / "llmbar").glob("*.json")), [], False),
    "hh-rlhf": ("hh-rlhf", [SHARED / "hh-rlhf" / "harmless-base-test.jsonl.gz"], [], False),
    "jsonl": ("jsonl", [FIXTURES / "mapped_votes.jsonl"], MAPPED, True),
    "arena": ("arena", [FIXTURES / "arena_mt_bench.jsonl"], ["--gold-from-votes", "plurality"], True),
    "argilla": ("argilla", [FIXTURES / "argilla_v2_records.json"], ["--gold-from-votes", "majority"], True),
    "label-studio": ("label-studio", [FIXTURES / "label_studio_export.json"], ["--gold-from-votes", "majority"], True),
}


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def made_up_trainees(out: Path) -> Path:
    """Two trainees' answers on the first 25 imported items: one like gold, one always A."""
    answers = []
    for gold in read_jsonl(out / "gold.jsonl")[:25]:
        answers.append({"item_id": gold["item_id"], "annotator": "follows-gold", "preference": gold["preference"]})
        answers.append({"item_id": gold["item_id"], "annotator": "always-a", "preference": "A"})
    path = out / "trainees.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in answers), encoding="utf-8")
    return path


@pytest.mark.parametrize("case", list(CASES))
def test_import_then_grade_then_calibrate_with_the_files_as_written(case, tmp_path):
    fmt, sources, options, has_votes = CASES[case]
    out, db = tmp_path / "data", tmp_path / "r.db"
    cli("import", fmt, *sources, "-o", out, *options)
    judgments = out / "judgments.jsonl" if has_votes else made_up_trainees(out)
    references = ["--items", out / "items.jsonl", "--gold", out / "gold.jsonl", "--rubric", RUBRIC, "--db", db]
    graded = cli("grade", judgments, *references)
    assert "Summary" in graded
    extra = ["--judges", out / "judges.jsonl"] if (out / "judges.jsonl").exists() else []
    calibrated = json.loads(cli("calibrate", judgments, *extra, *references, "--format", "json"))
    assert calibrated["judgments"] == len(read_jsonl(judgments))
    assert all(r["gold_items"] > 0 for r in calibrated["annotator_results"])


def test_grade_counts_the_judgments_it_skips_for_items_without_gold(tmp_path):
    out = tmp_path / "data"
    cli("import", "jsonl", FIXTURES / "mapped_votes.jsonl", "-o", out, *MAPPED)  # m-2: one vote each, no gold
    graded = cli("grade", out / "judgments.jsonl", "--items", out / "items.jsonl", "--gold", out / "gold.jsonl",
                 "--rubric", RUBRIC, "--db", tmp_path / "r.db")
    assert "not graded      3 (no gold answer for the item)" in graded
