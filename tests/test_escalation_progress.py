"""Escalation and confidence over time (`rationale progress`) and in the portfolio ("edge cases I escalated, and why")."""

from __future__ import annotations

import json
from pathlib import Path

from rationale.drill import DrillSession, ShownAnswer
from rationale.export import export
from rationale.io import load_gold, load_items, load_rubric
from rationale.progress import compute_progress
from rationale.render.progress import render_html, render_text
from rationale.store import open_db

DATA = Path(__file__).parent / "data" / "drill"
RUBRIC = load_rubric(DATA / "rubric.yaml")
ITEMS = load_items(DATA / "items.jsonl")
PLAIN_GOLD = load_gold(DATA / "gold.jsonl", ITEMS, RUBRIC)
EDGE = {"flags": ["guideline_unclear"], "reason": "The guideline does not say how to weigh a wrong year against a missing mission name."}
GOLD = {**PLAIN_GOLD, "moon": type(PLAIN_GOLD["moon"]).model_validate({**PLAIN_GOLD["moon"].model_dump(), "edge_case": EDGE})}
NOTE = "The guideline does not say how to weigh the wrong year against the <b>missing</b> mission name."

MOON = ShownAnswer("B", 2, ["honesty"], 'A says "walked on the Moon in 1972", which is wrong; B is right.')
MOON_FLAGGED = ShownAnswer(**{**MOON.__dict__, "flags": ("guideline_unclear",), "flag_note": NOTE, "confidence": 3})
CAPITAL = ShownAnswer("tie", 0, ["honesty"], 'Both name "the capital of Australia" as Canberra; equally accurate.')
CAPITAL_FLAGGED = ShownAnswer(**{**CAPITAL.__dict__, "flags": ("edge_case",), "flag_note": "Both look the same to me.", "confidence": 5})
BOIL_WRONG = ShownAnswer("tie", 0, ["helpfulness"], "They give the same temperature so they are equal.", confidence=5)


def session(db, answers: dict[str, ShownAnswer], gold=GOLD, new: bool = True) -> None:
    drill = DrillSession.open(db, rubric=RUBRIC, items=ITEMS, gold=gold, annotator="tara", order="mixed" if new else "missed", n=10, seed=1)
    for slot in drill.pending():
        drill.record(slot, answers[slot.item_id])
    drill.close()


def test_progress_counts_escalations_per_session_and_overall(tmp_path):
    db = open_db(tmp_path / "p.db")
    session(db, {"moon": MOON, "capital": CAPITAL_FLAGGED, "boil": BOIL_WRONG})
    session(db, {"moon": MOON_FLAGGED, "capital": CAPITAL, "boil": BOIL_WRONG})
    p = compute_progress(db, "tara")
    first, second = p.sessions
    assert (first.edge_cases, first.escalated, first.false_alarms) == (1, 0, 1)
    assert (second.edge_cases, second.escalated, second.false_alarms) == (1, 1, 0)
    assert (p.escalation_hits, p.escalation_misses, p.false_alarms) == (1, 1, 1)
    assert "Escalation: flagged 1 of 2 edge cases (per session: 0/1 1/1); flagged 1 clear pair." in render_text(p)
    assert any(line.startswith("Escalate what the guideline cannot decide: you flagged 1 of the 2") for line in p.next_focus)


def test_progress_sets_stated_confidence_against_how_often_it_was_right(tmp_path):
    db = open_db(tmp_path / "p.db")
    session(db, {"moon": MOON_FLAGGED, "capital": CAPITAL_FLAGGED, "boil": BOIL_WRONG})
    p = compute_progress(db, "tara")
    [s] = p.sessions
    assert s.confident_answers == 3
    assert s.mean_stated == (0.75 + 1.0 + 1.0) / 3
    assert s.accuracy_stated == 2 / 3
    assert p.confidence.n == 3 and p.confidence.verdict == "not enough evidence"
    assert "Confidence: not enough evidence on 3 answers: stated 92%, right 67%" in render_text(p)


def test_progress_without_flags_or_confidence_says_nothing_of_them(tmp_path):
    db = open_db(tmp_path / "p.db")
    session(db, {"moon": MOON, "capital": CAPITAL, "boil": BOIL_WRONG.__class__(**{**BOIL_WRONG.__dict__, "confidence": None})},
            gold=PLAIN_GOLD)
    p = compute_progress(db, "tara")
    assert p.confidence is None and (p.escalation_hits, p.escalation_misses, p.false_alarms) == (0, 0, 0)
    text = render_text(p)
    assert "Escalation:" not in text and "Confidence:" not in text
    assert 'id="judgment"' not in render_html(p)


def test_progress_page_draws_escalation_and_confidence_over_sessions(tmp_path):
    db = open_db(tmp_path / "p.db")
    session(db, {"moon": MOON_FLAGGED, "capital": CAPITAL_FLAGGED, "boil": BOIL_WRONG})
    page = render_html(compute_progress(db, "tara"))
    assert 'aria-label="Escalation and confidence per session"' in page
    assert "edge cases escalated" in page and "stated confidence" in page


def test_the_portfolio_shows_the_edge_cases_i_escalated_and_why_escaped(tmp_path):
    db = open_db(tmp_path / "p.db")
    session(db, {"moon": MOON_FLAGGED, "capital": CAPITAL_FLAGGED, "boil": BOIL_WRONG})
    md, html = tmp_path / "p.md", tmp_path / "p.html"
    export(db, "md", md)
    export(db, "html", html)
    text = md.read_text(encoding="utf-8")
    section = text.split("## Edge cases I escalated, and why")[1].split("\n## ")[0]
    assert "**moon** (guideline_unclear)" in section and "the lead escalates it too: " + EDGE["reason"] in section
    assert "**capital** (edge_case): Both look the same to me. — the lead finds it clear under the guideline" in section
    assert "<b>" not in section
    page = html.read_text(encoding="utf-8")
    assert '<section id="escalated">' in page and "&lt;b&gt;missing&lt;/b&gt;" in page


def test_jsonl_records_carry_the_flags_note_confidence_and_escalation_outcome(tmp_path):
    db = open_db(tmp_path / "p.db")
    session(db, {"moon": MOON_FLAGGED, "capital": CAPITAL, "boil": BOIL_WRONG})
    out = tmp_path / "e.jsonl"
    export(db, "jsonl", out)
    moon = next(r for r in map(json.loads, out.read_text().splitlines()) if r["item"]["id"] == "moon")
    assert (moon["original"]["flags"], moon["original"]["flag_note"], moon["original"]["confidence"]) == (["guideline_unclear"], NOTE, 3)
    assert moon["original"]["grade"]["escalation"] == "hit"
