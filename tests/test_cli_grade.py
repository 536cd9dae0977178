"""`rationale grade` end to end through Click: the table, the summary, --json, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from rationale.cli import main

TINY = Path(__file__).parent / "data" / "tiny"
INPUTS = ["--rubric", str(TINY / "rubric.yaml"), "--gold", str(TINY / "gold.jsonl"), "--items", str(TINY / "items.jsonl")]


def grade(*args: str, env: dict[str, str] | None = None, color: bool = False):
    return CliRunner().invoke(main, ["grade", *args], env=env, color=color)


def test_grade_prints_a_row_per_judgment_and_a_summary(tmp_path):
    result = grade(str(TINY / "judgments.jsonl"), *INPUTS, "--db", str(tmp_path / "r.db"))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    rows = [line for line in lines if line.split(" ", 1)[0] in ("sum", "capital", "boil")]
    assert [row.split()[0] for row in rows] == ["sum", "capital", "boil"]
    assert "FAIL" in rows[1] and "wrong_preference" in rows[1]
    assert "  accuracy        67% (2/3 preferences agree with gold)" in lines


def test_finding_messages_are_printed_under_their_row(tmp_path):
    result = grade(str(TINY / "judgments.jsonl"), *INPUTS, "--db", str(tmp_path / "r.db"))
    lines = result.stdout.splitlines()
    boil = next(i for i, line in enumerate(lines) if line.startswith("boil"))
    assert 'but Response B does not say that; its nearest words are "Water boils at 100 degrees"' in lines[boil + 1]


def test_a_failing_trainee_still_exits_zero(tmp_path):
    result = grade(str(TINY / "judgments.jsonl"), *INPUTS, "--db", str(tmp_path / "r.db"))
    assert "FAIL" in result.stdout
    assert result.exit_code == 0


def test_json_prints_one_document_and_nothing_else(tmp_path):
    result = grade(str(TINY / "judgments.jsonl"), *INPUTS, "--db", str(tmp_path / "r.db"), "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["summary"]["n"] == 3
    assert [r["item_id"] for r in document["results"]] == ["sum", "capital", "boil"]
    assert document["results"][2]["findings"][0]["code"] == "altered_quote"


def test_json_carries_the_run_and_rubric_identity(tmp_path):
    document = json.loads(grade(str(TINY / "judgments.jsonl"), *INPUTS, "--db", str(tmp_path / "r.db"), "--json").stdout)
    assert document["run"]["id"] == 1
    assert document["run"]["counts"]["grades_new"] == 3
    assert document["rubric"]["id"] == "tiny"


def test_bad_input_exits_2_with_file_line_field_message(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"item_id": "sum", "annotator": "ana", "preference": "X"}\n', encoding="utf-8")
    result = grade(str(bad), *INPUTS, "--db", str(tmp_path / "r.db"))
    assert result.exit_code == 2
    assert f"{bad}:1: preference: " in result.stderr
    assert "nothing was written" in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "r.db").exists()


def test_database_path_comes_from_rationale_db_env(tmp_path):
    result = grade(str(TINY / "judgments.jsonl"), *INPUTS, env={"RATIONALE_DB": str(tmp_path / "env.db")})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "env.db").exists()


def test_annotator_option_limits_the_report(tmp_path):
    two = tmp_path / "two.jsonl"
    lines = (TINY / "judgments.jsonl").read_text(encoding="utf-8").splitlines()
    two.write_text("\n".join(lines + [line.replace('"ana"', '"ben"') for line in lines]) + "\n", encoding="utf-8")
    document = json.loads(grade(str(two), *INPUTS, "--db", str(tmp_path / "r.db"), "--annotator", "ben", "--json").stdout)
    assert {r["annotator"] for r in document["results"]} == {"ben"}


def test_several_annotators_get_an_annotator_column(tmp_path):
    two = tmp_path / "two.jsonl"
    lines = (TINY / "judgments.jsonl").read_text(encoding="utf-8").splitlines()
    two.write_text("\n".join(lines + [line.replace('"ana"', '"ben"') for line in lines]) + "\n", encoding="utf-8")
    result = grade(str(two), *INPUTS, "--db", str(tmp_path / "r.db"))
    assert "annotator" in result.stdout.splitlines()[2]
    assert "by 2 annotators" in result.stdout


def test_colour_is_used_on_a_terminal_and_dropped_under_no_color(tmp_path):
    args = [str(TINY / "judgments.jsonl"), *INPUTS, "--db", str(tmp_path / "r.db")]
    assert "\x1b[" in grade(*args, color=True).stdout
    assert "\x1b[" not in grade(*args, color=True, env={"NO_COLOR": "1"}).stdout


def test_help_explains_the_command_with_an_example():
    result = CliRunner().invoke(main, ["grade", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert "rationale grade examples/drill/judgments.jsonl" in result.output
    for option in ("--rubric", "--gold", "--items", "--db", "--annotator", "--json"):
        assert option in result.output


def test_missing_required_option_is_a_usage_error():
    result = CliRunner().invoke(main, ["grade", str(TINY / "judgments.jsonl")])
    assert result.exit_code == 2
    assert "--rubric" in result.output


def test_database_in_a_missing_directory_is_bad_input_not_a_traceback(tmp_path):
    result = grade(str(TINY / "judgments.jsonl"), *INPUTS, "--db", str(tmp_path / "nope" / "r.db"))
    assert result.exit_code == 2
    assert f"{tmp_path / 'nope' / 'r.db'}: --db: directory {str(tmp_path / 'nope')!r} does not exist" in result.stderr


def test_failures_only_lists_just_the_judgments_that_did_not_pass(tmp_path):
    result = grade(str(TINY / "judgments.jsonl"), *INPUTS, "--failures-only", "--db", str(tmp_path / "r.db"))
    firsts = [line.split(" ", 1)[0] for line in result.stdout.splitlines()]
    assert "capital" in firsts and "sum" not in firsts
    assert "  judgments       3" in result.stdout


def test_quiet_prints_the_summary_alone(tmp_path):
    result = grade(str(TINY / "judgments.jsonl"), *INPUTS, "--quiet", "--db", str(tmp_path / "r.db"))
    firsts = [line.split(" ", 1)[0] for line in result.stdout.splitlines()]
    assert not {"sum", "capital", "boil", "item"} & set(firsts)
    assert "Summary" in result.stdout and "  judgments       3" in result.stdout


def test_dash_reads_judgments_from_stdin_and_names_it_in_problems(tmp_path):
    text = (TINY / "judgments.jsonl").read_text()
    ok = CliRunner().invoke(main, ["grade", "-", *INPUTS, "--db", str(tmp_path / "r.db")], input=text)
    assert ok.exit_code == 0, ok.output
    assert "Graded 3 judgments" in ok.stdout
    bad = CliRunner().invoke(main, ["grade", "-", *INPUTS, "--db", str(tmp_path / "s.db")], input='{"item_id": "sum"}\n')
    assert bad.exit_code == 2 and "<stdin>:1: annotator:" in bad.stderr


def test_piped_grading_draws_no_progress_bar(tmp_path):
    result = grade(str(TINY / "judgments.jsonl"), *INPUTS, "--db", str(tmp_path / "r.db"))
    assert result.stderr == ""


def test_at_a_terminal_a_progress_bar_counts_on_stderr(tmp_path):
    import io
    import os
    import re
    import sys

    import pexpect

    rationale = Path(sys.executable).parent / "rationale"
    command = " ".join([str(rationale), "grade", str(TINY / "judgments.jsonl"), *INPUTS, "--db", str(tmp_path / "r.db")])
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["TERM"] = "xterm"
    child = pexpect.spawn("/bin/sh", ["-c", command + " > /dev/null"], env=env, encoding="utf-8", timeout=60, dimensions=(24, 100))
    child.logfile_read = seen = io.StringIO()
    child.expect(pexpect.EOF)
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", seen.getvalue())
    assert re.search(r"grading .* 3/3 .*ETA", plain)


def _without_annotators(tmp_path: Path) -> Path:
    path = tmp_path / "mine.jsonl"
    records = [json.loads(line) for line in (TINY / "judgments.jsonl").read_text(encoding="utf-8").splitlines()]
    path.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "annotator"}) + "\n" for r in records), encoding="utf-8")
    return path


def test_judgments_without_an_annotator_are_refused_with_a_hint_at_the_option(tmp_path):
    result = grade(str(_without_annotators(tmp_path)), *INPUTS, "--db", str(tmp_path / "r.db"))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "hint: judgments of one person may leave the annotator out: give --annotator NAME"


def test_with_the_option_they_are_graded_as_that_person(tmp_path):
    result = grade(str(_without_annotators(tmp_path)), *INPUTS, "--annotator", "ana", "--db", str(tmp_path / "r.db"))
    assert result.exit_code == 0, result.output
    assert "Graded 3 judgments by ana" in result.stdout


def test_other_bad_input_gets_no_hint(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"item_id": "sum"}\n', encoding="utf-8")
    result = grade(str(bad), *INPUTS, "--annotator", "ana", "--db", str(tmp_path / "r.db"))
    assert result.exit_code == 2 and "hint:" not in result.stderr
