"""`rationale export --with-critique`: the reviewed grade (the second reviewer's grade) in every export format."""

from __future__ import annotations

import json
import re

import pytest

from browser import dump_dom
from fake_openai import FakeOpenAI
from rationale.critique.batch import critique_stored
from rationale.export import export
from rationale.store import open_db

pytestmark = pytest.mark.usefixtures("loopback_only")

HOSTILE = "<script>alert(1)</script> **bold** [link](http://example.com) | cell"


@pytest.fixture(scope="module")
def reviewed_db(tmp_path_factory, fill_reviewed_db, reviewed_judgment, critique_options):  # type: ignore[no-untyped-def]
    """Two answers to an item whose gold names key points, critiqued: each has a reviewed grade."""
    path = tmp_path_factory.mktemp("reviewed") / "r.db"
    fill_reviewed_db(path, [reviewed_judgment(name) for name in ("strong", "weak")])
    with FakeOpenAI() as chat:
        critique_stored(path, critique_options(chat.api_base))
    return path


@pytest.fixture
def db(reviewed_db, tmp_path):  # type: ignore[no-untyped-def]
    """A copy each test may change."""
    copy = tmp_path / "r.db"
    copy.write_bytes(reviewed_db.read_bytes())
    return open_db(copy)


def stored_reviewed(db, annotator: str) -> dict:  # type: ignore[no-untyped-def]
    (body,) = db.execute("select body from reviewed_grades where annotator = ?", [annotator]).fetchone()
    return json.loads(body)


def jsonl(db, tmp_path, **options) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    out = tmp_path / "x.jsonl"
    export(db, "jsonl", out, **options)
    return {r["annotator"]: r for r in map(json.loads, out.read_text().splitlines())}


def test_jsonl_carries_the_reviewed_grade_beside_the_graders(db, tmp_path):
    records = jsonl(db, tmp_path, with_critique=True)
    for annotator, record in records.items():
        stored = stored_reviewed(db, annotator)
        reviewed = record["reviewed_grade"]
        assert reviewed["model"] == stored["model"]
        assert (reviewed["score"], reviewed["passed"]) == (stored["grade"]["score"], stored["grade"]["passed"])
        assert (reviewed["grader_score"], reviewed["grader_passed"]) == (stored["deterministic_score"], stored["deterministic_passed"])
        assert reviewed["differences"] == stored["differences"]
        assert reviewed["escalate"] == stored["escalate"]


def test_jsonl_reviewed_grade_is_null_without_with_critique(db, tmp_path):
    assert {r["reviewed_grade"] for r in jsonl(db, tmp_path).values()} == {None}


def test_jsonl_reviewed_grade_is_null_where_the_critique_reached_none(db, tmp_path):
    db.execute("delete from reviewed_grades where annotator = 'weak'")
    db.conn.commit()
    records = jsonl(db, tmp_path, with_critique=True)
    assert records["weak"]["critique"] is not None and records["weak"]["reviewed_grade"] is None
    assert records["strong"]["reviewed_grade"] is not None


def test_the_reviewed_grade_shown_is_the_one_of_the_critique_shown(db, tmp_path):
    db.execute("update critiques set status = 'failed' where annotator = 'strong'")
    db.conn.commit()
    records = jsonl(db, tmp_path, with_critique=True)
    assert records["strong"]["critique"] is None and records["strong"]["reviewed_grade"] is None


def test_dpo_rows_carry_the_reviewed_score_pass_and_number_of_differences(db, tmp_path):
    out = tmp_path / "dpo.jsonl"
    export(db, "dpo", out, with_critique=True)
    rows = {r["annotator"]: r for r in map(json.loads, out.read_text().splitlines())}
    for annotator, row in rows.items():
        stored = stored_reviewed(db, annotator)
        assert row["reviewed_score"] == stored["grade"]["score"]
        assert row["reviewed_passed"] == stored["grade"]["passed"]
        assert row["reviewed_differences"] == len(stored["differences"])
    export(db, "dpo", out)
    assert all(r["reviewed_score"] is None and r["reviewed_passed"] is None and r["reviewed_differences"] is None
               for r in map(json.loads, out.read_text().splitlines()))


def _plant_difference(db, annotator: str, explanation: str) -> None:  # type: ignore[no-untyped-def]
    body = stored_reviewed(db, annotator)
    body["differences"] = [{"aspect": "key_point", "key_point": "kp-1", "grader": "absent", "reviewer": "made",
                            "applied": True, "explanation": explanation}]
    body["escalate"], body["escalation_reasons"] = True, [f"the reviewer disagrees: {explanation}"]
    db.execute("update reviewed_grades set body = ? where annotator = ?", [json.dumps(body), annotator])
    db.conn.commit()


def test_markdown_shows_both_grades_and_each_difference(db, tmp_path):
    _plant_difference(db, "weak", "The rationale says the capital is Canberra.")
    stored = stored_reviewed(db, "weak")
    out = tmp_path / "p.md"
    export(db, "md", out, with_critique=True, annotator="weak")
    text = out.read_text()
    assert f"## Reviewed grade ({stored['model']})" in text
    assert f"**Score:** {stored['grade']['score']:.0f}/100" in text
    assert f"the grader's: {stored['deterministic_score']:.0f}/100" in text
    assert "- Key point kp-1: grader absent, reviewer made. The rationale says the capital is Canberra." in text
    assert "Escalated to a lead: the reviewer disagrees:" in text


def test_markdown_without_a_reviewed_grade_has_no_reviewed_section(db, tmp_path):
    out = tmp_path / "p.md"
    export(db, "md", out, annotator="weak")
    assert "Reviewed grade" not in out.read_text()


def test_markdown_makes_the_reviewed_grades_text_inert(db, tmp_path):
    _plant_difference(db, "weak", HOSTILE)
    out = tmp_path / "p.md"
    export(db, "md", out, with_critique=True, annotator="weak")
    text = out.read_text()
    assert "<script>" not in text and "**bold**" not in text and "[link](http" not in text
    assert "&lt;script&gt;" in text


def test_html_escapes_the_reviewed_grades_text(db, tmp_path):
    _plant_difference(db, "weak", HOSTILE)
    out = tmp_path / "p.html"
    export(db, "html", out, with_critique=True, annotator="weak")
    text = out.read_text()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **bold**" in text
    assert "Reviewed grade" in text


def test_in_a_browser_the_reviewed_grades_hostile_text_does_not_run_and_reads_as_written(db, tmp_path):
    payload = "<script>document.body.setAttribute('data-pwned','script')</script><img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">"
    _plant_difference(db, "weak", payload)
    stored = stored_reviewed(db, "weak")
    out = tmp_path / "p.html"
    export(db, "html", out, with_critique=True, annotator="weak")
    dom = dump_dom(out, tmp_path / "profile")
    body_tag = dom.split("<body", 1)[1].split(">", 1)[0]
    assert "data-pwned" not in body_tag  # neither payload ran (the page's CSP would stop it too)
    assert "<script" not in dom and not re.search(r"<img[^>]*onerror", dom)  # no element was made of it
    assert "&lt;script&gt;document.body.setAttribute" in dom  # shown as text instead
    assert "Reviewed grade" in dom and stored["model"] in dom


def test_anonymize_replaces_names_in_the_reviewed_grades_text(db, tmp_path):
    _plant_difference(db, "weak", "As strong wrote before, the capital is Canberra.")
    records = jsonl(db, tmp_path, with_critique=True, anonymize_names=True)
    text = json.dumps(records)
    assert "As strong wrote" not in text
    assert all("annotator-" in r["reviewed_grade"]["differences"][0]["explanation"]
               for r in records.values() if r["reviewed_grade"]["differences"])


def _stored_critique(db, annotator: str) -> dict:  # type: ignore[no-untyped-def]
    (body,) = db.execute("select body from critiques where annotator = ? and status = 'ok'", [annotator]).fetchone()
    return json.loads(body)


@pytest.mark.parametrize("fmt, name", [("md", "p.md"), ("html", "p.html")])
def test_the_second_reviewers_section_shows_its_verdict_and_every_criterion_level(db, tmp_path, fmt, name):
    critique = _stored_critique(db, "weak")
    out = tmp_path / name
    export(db, fmt, out, with_critique=True, annotator="weak")
    text = out.read_text()
    assert f"Its own verdict: {'**' if fmt == 'md' else '<b>'}{critique['preference']}" in text
    assert ("supports" if critique["supports_choice"] else "does not support") + " the trainee's choice" in text
    for score in critique["criteria"]:
        cell = f"| {score['criterion']} | {score['score']} |" if fmt == "md" else f"<td>{score['criterion']}</td><td>{score['score']}</td>"
        assert cell in text
