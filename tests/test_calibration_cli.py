"""`rationale calibrate` end to end: files in, report out, batch stored, history across batches."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
from click.testing import CliRunner

from rationale.cli import main


@pytest.fixture
def batch(calibration_batch, tmp_path):
    return calibration_batch.write_files(tmp_path)


def calibrate(batch, db, *extra, gold=True, judgments=None):
    args = ["calibrate", str(judgments or batch["judgments"]), "--items", str(batch["items"]), "--rubric", str(batch["rubric"])]
    if gold:
        args += ["--gold", str(batch["gold"])]
    return CliRunner().invoke(main, [*args, "--db", str(db), *extra], catch_exceptions=False)


def test_text_report_shows_agreement_verdicts_biases_and_questions(batch, tmp_path):
    result = calibrate(batch, tmp_path / "r.db")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Krippendorff's alpha" in out and "Gwet's AC1" in out and "PABAK" in out
    assert re.search(r"rushed\s+12\s+12\s+83% \[55%, 95%\]\s+not enough evidence", out)
    assert re.search(r"careful\s+24\s+24\s+100% \[86%, 100%\]\s+meets threshold", out)
    assert "100% (gold 64%) !" in out  # lengthy's length bias
    assert "Questions for the next calibration session" in out


def test_with_more_annotators_than_a_terminal_holds_the_text_lists_the_pairs_that_agree_least(batch, tmp_path):
    # The batch's 4 annotators three times over under other names: 12 annotators, 66 pairs.
    rows = [json.loads(line) for line in batch["judgments"].read_text().splitlines()]
    many = tmp_path / "many.jsonl"
    many.write_text("".join(json.dumps({**row, "annotator": f"{row['annotator']}-{n}"}) + "\n" for n in range(3) for row in rows))
    result = calibrate(batch, tmp_path / "r.db", judgments=many)
    assert result.exit_code == 0, result.output
    section = result.output.split("Cohen's kappa, preference")[1].split("Each annotator")[0]
    assert "12 annotators make 66 pairs, too many for a matrix here: the 10 that agree least" in section
    assert max(len(line) for line in section.splitlines()) < 130


def test_a_small_pilot_batch_gets_its_coefficients_with_a_lower_min_overlap(batch, tmp_path):
    rows = [json.loads(line) for line in batch["judgments"].read_text().splitlines()]
    shared = sorted({r["item_id"] for r in rows if r["annotator"] == "careful"} & {r["item_id"] for r in rows if r["annotator"] == "lengthy"})[:6]
    pilot = tmp_path / "pilot.jsonl"  # two annotators, the same six items
    pilot.write_text("".join(json.dumps(r) + "\n" for r in rows if r["item_id"] in shared and r["annotator"] in ("careful", "lengthy")))
    default = calibrate(batch, tmp_path / "a.db", "--format", "json", judgments=pilot)
    lowered = calibrate(batch, tmp_path / "b.db", "--format", "json", "--min-overlap", "5", judgments=pilot)
    alpha = lambda result: json.loads(result.output)["agreement"]["preference"]["krippendorff_alpha"]  # noqa: E731
    assert alpha(default)["reason"] == "not enough overlap" and alpha(default)["value"] is None
    assert alpha(lowered)["reason"] is None and alpha(lowered)["n"] == 6


def test_the_text_report_says_how_many_shared_items_not_enough_overlap_means(batch, tmp_path):
    result = calibrate(batch, tmp_path / "r.db", "--min-overlap", "7")
    assert "not enough overlap: fewer than 7 shared items, see --min-overlap" in result.output
    assert "n/a = fewer than 7 shared items, or no variation" in result.output


def test_a_batch_of_one_annotator_is_counted_in_the_singular(batch, tmp_path):
    one = tmp_path / "one.jsonl"
    one.write_text("".join(line + "\n" for line in batch["judgments"].read_text().splitlines() if '"careful"' in line))
    result = calibrate(batch, tmp_path / "r.db", judgments=one)
    assert result.exit_code == 0, result.output
    assert re.search(r"\d+ items, 1 annotator, \d+ judgments", result.output.splitlines()[0])


def test_batch_and_its_results_are_stored(batch, tmp_path):
    db = tmp_path / "r.db"
    assert calibrate(batch, db, "--batch", "week-1").exit_code == 0
    conn = sqlite3.connect(db)
    assert conn.execute("select name, annotators, judgments, has_gold from calibration_batches").fetchall() == [
        ("week-1", 4, 84, 1)
    ]
    verdicts = dict(conn.execute("select annotator, verdict from calibration_annotators"))
    assert verdicts == {
        "careful": "meets threshold",
        "lengthy": "below threshold",
        "rushed": "not enough evidence",
        "tied": "below threshold",
    }
    assert conn.execute("select count(*) from judgments").fetchone()[0] == 84
    assert conn.execute("select count(*) from grades").fetchone()[0] == 84
    assert conn.execute("select count(*) from calibration_votes").fetchone()[0] == 84
    stored = json.loads(conn.execute("select report from calibration_batches").fetchone()[0])
    assert stored["batch"] == "week-1"


def test_running_the_same_batch_again_replaces_it(batch, tmp_path):
    db = tmp_path / "r.db"
    calibrate(batch, db, "--batch", "week-1")
    calibrate(batch, db, "--batch", "week-1")
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from calibration_batches").fetchone()[0] == 1
    assert conn.execute("select count(*) from calibration_annotators").fetchone()[0] == 4
    assert conn.execute("select count(*) from judgments").fetchone()[0] == 84


def test_history_shows_an_annotator_across_batches_with_drift(calibration_batch, batch, tmp_path):
    db = tmp_path / "r.db"
    calibrate(batch, db, "--batch", "week-1", "--min-items", "5")
    # Week 2: rushed answers every item like gold.
    better = [j for j in calibration_batch.judgments() if j.annotator != "rushed"]
    better += [j.model_copy(update={"annotator": "rushed"}) for j in calibration_batch.judgments() if j.annotator == "careful"]
    week2 = tmp_path / "week2.jsonl"
    week2.write_text("".join(json.dumps(j.model_dump(mode="json", exclude_none=True)) + "\n" for j in better))
    calibrate(batch, db, "--batch", "week-2", "--min-items", "5", judgments=week2)

    result = CliRunner().invoke(main, ["calibrate", "--history", "rushed", "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("week-1") and "83%" in line for line in lines)
    assert any(line.startswith("week-2") and "100%" in line for line in lines)
    assert "accuracy up 17% from week-1 to week-2" in result.output
    assert "no longer shows self-consistency bias" in result.output


def test_history_as_json(batch, tmp_path):
    db = tmp_path / "r.db"
    calibrate(batch, db, "--batch", "week-1")
    result = CliRunner().invoke(main, ["calibrate", "--history", "tied", "--format", "json", "--db", str(db)])
    data = json.loads(result.output)
    assert [row["batch"] for row in data["rows"]] == ["week-1"]
    assert data["rows"][0]["tie_rate"] == pytest.approx(0.5)


def test_json_format_holds_the_figures(batch, tmp_path):
    result = calibrate(batch, tmp_path / "r.db", "--format", "json")
    data = json.loads(result.output)
    assert data["has_gold"] is True
    assert {a["name"]: a["verdict"] for a in data["annotator_results"]}["rushed"] == "not enough evidence"
    assert data["agreement"]["preference"]["fleiss_kappa"]["value"] is None


def test_markdown_format_has_tables(batch, tmp_path):
    result = calibrate(batch, tmp_path / "r.db", "--format", "md")
    assert result.output.startswith("# Calibration batch")
    assert "| annotator | items | gold | accuracy \\[95% CI\\] |" in result.output  # brackets escaped: inert


def test_without_gold_the_report_uses_consensus(batch, tmp_path):
    result = calibrate(batch, tmp_path / "r.db", gold=False)
    assert result.exit_code == 0, result.output
    assert "Dawid-Skene" in result.output
    assert "accuracy [95% CI]" not in result.output
    conn = sqlite3.connect(tmp_path / "r.db")
    assert conn.execute("select count(*) from calibration_votes").fetchone()[0] == 84


def test_html_report_is_self_contained_and_writes_to_a_file(batch, tmp_path):
    out = tmp_path / "report.html"
    result = calibrate(batch, tmp_path / "r.db", "--format", "html", "-o", str(out))
    assert result.exit_code == 0
    html = out.read_text()
    assert html.count("<svg") >= 1 + 4 + 2  # accuracy, a confusion matrix per annotator, two heat maps
    assert set(re.findall(r"https?://[^\"'\s)]+", html)) == {"http://www.w3.org/2000/svg"}
    assert "<link" not in html and "src=" not in html and "@import" not in html


def test_each_kappa_heat_map_has_a_colour_legend_from_minus_1_to_1(batch, tmp_path):
    out = tmp_path / "report.html"
    calibrate(batch, tmp_path / "r.db", "--format", "html", "-o", str(out))
    legends = re.findall(r'<g class="legend">(.*?)</g>', out.read_text(), re.S)
    assert len(legends) == 2
    for legend in legends:
        labels = re.findall(r">([^<]+)</text>", legend)
        assert labels[0] == "kappa" and labels[1] == "-1" and "1" in labels and labels[-1] == "n/a"


def test_a_kappa_heat_map_of_20_annotators_fits_the_page_with_every_row_name_left_of_the_grid():
    from rationale.render.calibration_html import _heat_map

    class NoEstimates:  # 20 raters with names of 19 characters; the cells' values do not matter here
        raters = [f"annotator-{n:02d}-nights" for n in range(20)]

        def estimate(self, i, j):
            return None

    heat = _heat_map(NoEstimates(), "Cohen's kappa, preference")
    assert heat["width"] <= 1000  # the report's column, less the card's padding
    assert heat["left"] >= 7 * len(NoEstimates.raters[0])  # row names, about 7 px a character, are not cut


def test_html_escapes_annotator_names_and_rationales(calibration_batch, batch, tmp_path):
    hostile = "<script>alert(1)</script>"
    records = [j.model_copy(update={"annotator": hostile}) if j.annotator == "lengthy" else j for j in calibration_batch.judgments()]
    records = [
        j.model_copy(update={"rationale": j.rationale + " <img src=x onerror=alert(2)>"}) if j.annotator == hostile else j
        for j in records
    ]
    path = batch["judgments"].parent / "hostile.jsonl"
    path.write_text("".join(json.dumps(j.model_dump(mode="json", exclude_none=True)) + "\n" for j in records))
    out = batch["judgments"].parent / "report.html"
    result = calibrate(batch, batch["judgments"].parent / "r.db", "--format", "html", "-o", str(out), judgments=path)
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html


def test_markdown_makes_annotator_and_batch_names_inert(calibration_batch, batch, tmp_path):
    hostile = "<img src=x onerror=alert(1)>[click](http://x.test)"
    records = [j.model_copy(update={"annotator": hostile}) if j.annotator == "lengthy" else j for j in calibration_batch.judgments()]
    path = batch["judgments"].parent / "hostile.jsonl"
    path.write_text("".join(json.dumps(j.model_dump(mode="json", exclude_none=True)) + "\n" for j in records))

    result = calibrate(batch, tmp_path / "r.db", "--format", "md", "--batch", "<b>batch</b> `x`", judgments=path)

    assert result.exit_code == 0, result.output
    md = result.output
    assert "<img" not in md and "<b>" not in md
    assert not re.search(r"(?<!\\)\]\(", md)  # no live link: every ] is escaped
    assert "&lt;img src=x onerror=alert(1)&gt;\\[click\\](http://x.test)" in md
    assert md.startswith("# Calibration batch &lt;b&gt;batch&lt;/b&gt; \\`x\\`\n")


def test_bad_judgments_exit_2_with_file_and_line_and_leave_no_database(batch, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"item_id": "q00", "annotator": "x", "preference": "A", "strength": -1}\n'
        '{"item_id": "nope", "annotator": "x", "preference": "A"}\n'
        '{"item_id": "q01", "annotator": "x", "preference": "C"}\n'
    )
    db = tmp_path / "r.db"
    result = CliRunner().invoke(
        main,
        ["calibrate", str(bad), "--items", str(batch["items"]), "--rubric", str(batch["rubric"]), "--db", str(db)],
    )
    assert result.exit_code == 2
    assert f"{bad}:2: item_id:" in result.output
    assert f"{bad}:3: preference:" in result.output
    assert not db.exists()


def test_missing_items_option_is_a_usage_error(batch, tmp_path):
    result = CliRunner().invoke(main, ["calibrate", str(batch["judgments"]), "--rubric", str(batch["rubric"])])
    assert result.exit_code == 2
    assert "--items" in result.output


def test_json_is_the_same_as_format_json(batch, tmp_path):
    by_flag = calibrate(batch, tmp_path / "a.db", "--json", "--batch", "b")
    by_format = calibrate(batch, tmp_path / "b.db", "--format", "json", "--batch", "b")
    assert by_flag.exit_code == by_format.exit_code == 0
    flag, fmt = json.loads(by_flag.stdout), json.loads(by_format.stdout)
    assert flag["annotator_results"] == fmt["annotator_results"]


def test_history_of_an_annotator_in_no_batch_exits_1(batch, tmp_path):
    calibrate(batch, tmp_path / "r.db")
    result = CliRunner().invoke(main, ["calibrate", "--history", "nobody", "--db", str(tmp_path / "r.db")])
    assert result.exit_code == 1
    assert "'nobody' is in no stored calibration batch" in result.stderr


def test_history_of_a_misspelt_name_suggests_the_closest_and_lists_the_names_there_are(batch, tmp_path):
    calibrate(batch, tmp_path / "r.db")
    result = CliRunner().invoke(main, ["calibrate", "--history", "carefull", "--db", str(tmp_path / "r.db")])
    assert result.exit_code == 1
    assert "'carefull' is in no stored calibration batch; did you mean 'careful'?" in result.stderr
    assert "annotators in stored batches: careful, lengthy, rushed, tied" in result.stderr


def test_a_judges_file_naming_an_annotator_is_an_input_problem_and_writes_nothing(batch, tmp_path):
    db = tmp_path / "r.db"
    result = CliRunner().invoke(main, [
        "calibrate", str(batch["judgments"]), "--judges", str(batch["judgments"]), "--items", str(batch["items"]),
        "--rubric", str(batch["rubric"]), "--db", str(db),
    ])
    assert result.exit_code == 2
    assert f"{batch['judgments']}: annotator: 'careful' appears among the judgments and the judges" in result.output
    assert not db.exists()


def test_calibrate_writes_graded_judgments_in_short_transactions_and_the_batch_in_one(batch, tmp_path, monkeypatch):
    from rationale import store
    from rationale.calibration import batch as calibration_batch_module

    monkeypatch.setattr(calibration_batch_module, "WRITE_BATCH", 10)
    transactions: list[list[str]] = []  # the tables each write transaction inserted into, a row at a time
    open_db = store.open_db

    def traced(path=None):  # type: ignore[no-untyped-def]
        db = open_db(path)

        def trace(sql: str) -> None:
            if sql.upper().startswith("BEGIN"):
                transactions.append([])
            elif transactions and sql.startswith("insert"):
                transactions[-1].append(sql.split(" into ", 1)[1].split()[0])

        db.conn.set_trace_callback(trace)
        return db

    monkeypatch.setattr(store, "open_db", traced)
    result = calibrate(batch, tmp_path / "r.db")
    assert result.exit_code == 0, result.output
    judgments = len(batch["judgments"].read_text().splitlines())
    grading = [t for t in transactions if "grades" in t]
    assert judgments > 20 and len(grading) == -(-judgments // 10)
    assert max(t.count("grades") for t in grading) == 10
    (storing_the_batch,) = [t for t in transactions if "calibration_batches" in t]
    assert "grades" not in storing_the_batch and storing_the_batch.count("calibration_votes") == judgments
    assert sqlite3.connect(tmp_path / "r.db").execute("select count(*) from grades").fetchone()[0] == judgments
