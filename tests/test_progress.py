"""`rationale progress`: accuracy and scores over sessions, criterion curves, missed points, biases, advice."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from rationale.cli import main
from rationale.store import open_db
from rationale.drill import DrillSession, ShownAnswer
from rationale.grading.pipeline import grade_files
from rationale.io import load_gold, load_items, load_rubric
from rationale.progress import compute_progress, progress_report
from rationale.render.progress import render_text
from rationale.render.progress import render_html

DATA = Path(__file__).parent / "data" / "drill"
RUBRIC = load_rubric(DATA / "rubric.yaml")
ITEMS = load_items(DATA / "items.jsonl")
GOLD = load_gold(DATA / "gold.jsonl", ITEMS, RUBRIC)

MOON_RIGHT = ShownAnswer("B", 2, ["honesty"], 'A says "walked on the Moon in 1972", which is wrong; B is right.')
CAPITAL_RIGHT_WITHOUT_HONESTY = ShownAnswer(
    "tie", 0, ["helpfulness"], 'Both name "the capital of Australia" as Canberra; neither is longer or clearer than the other.'
)
BOIL_WRONG = ShownAnswer("tie", 0, ["helpfulness"], "They give the same temperature so they are equal.")
BOIL_RIGHT = ShownAnswer("A", -1, ["concision"], 'B pads the fact with "Great question!" while A is concise.')


def run(db, annotator: str, answers: dict[str, ShownAnswer], *, order: str = "new", items=None) -> DrillSession:
    items = items or ITEMS
    session = DrillSession.open(
        db, rubric=RUBRIC, items=items, gold={k: GOLD[k] for k in items}, annotator=annotator, order=order, n=10, seed=1
    )
    for slot in session.pending():
        session.record(slot, answers[slot.item_id])
    session.close()
    return session


def two_sessions(tmp_path):
    db = open_db(tmp_path / "p.db")
    run(db, "tara", {"moon": MOON_RIGHT, "capital": CAPITAL_RIGHT_WITHOUT_HONESTY, "boil": BOIL_WRONG})
    run(db, "tara", {"boil": BOIL_RIGHT}, order="missed")
    return db


def test_accuracy_and_score_are_reported_per_session(tmp_path):
    p = compute_progress(two_sessions(tmp_path), "tara")
    assert [(s.label, s.answered) for s in p.sessions] == [("drill 1", 3), ("drill 2", 1)]
    assert round(p.sessions[0].accuracy, 2) == 0.67 and p.sessions[1].accuracy == 1.0
    assert p.sessions[1].mean_score > p.sessions[0].mean_score


def test_the_criterion_curve_is_the_share_cited_when_the_gold_says_it_decides(tmp_path):
    p = compute_progress(two_sessions(tmp_path), "tara")
    curves = {c.criterion: c.points for c in p.criteria}
    assert curves["honesty"] == [0.5, None]  # cited on moon, not on capital; not decisive in session 2
    assert curves["concision"] == [0.0, 1.0]  # missed on boil, then cited on the retry


def test_key_points_most_often_missed_come_with_the_leads_words(tmp_path):
    p = compute_progress(two_sessions(tmp_path), "tara")
    missed = {(k.item_id, k.key_point): (k.missed, k.seen) for k in p.missed_key_points}
    assert missed[("boil", "b-padding")] == (1, 2)
    assert ("moon", "a-wrong-year") not in missed


def test_position_bias_compares_the_side_picked_as_shown_with_the_gold(tmp_path):
    db = open_db(tmp_path / "p.db")
    always_a = {
        "moon": ShownAnswer("A", -1, ["honesty"], "A is right about the year."),
        "capital": ShownAnswer("A", -1, ["honesty"], "A puts Canberra first."),
        "boil": BOIL_RIGHT,
    }
    run(db, "lefty", always_a)
    p = compute_progress(db, "lefty")
    assert p.position.answers == 3
    assert p.position.picked_rate == 1.0
    assert round(p.position.gold_rate, 2) == 0.33  # only boil's gold picks A


def test_a_swapped_reserve_counts_its_side_as_shown_and_its_consistency(tmp_path):
    db = open_db(tmp_path / "p.db")
    only_moon = {"moon": ITEMS["moon"]}
    run(db, "sam", {"moon": MOON_RIGHT}, items=only_moon)
    # Served swapped: the 1969 answer is now shown as A, and sam picks it.
    run(db, "sam", {"moon": ShownAnswer("A", -2, ["honesty"], 'B says "in 1972", wrong; A is right.')}, order="mixed", items=only_moon)
    p = compute_progress(db, "sam")
    assert (p.swaps, p.swaps_consistent) == (1, 1)
    assert p.position.picked_rate == 0.5 and p.position.gold_rate == 0.5


def test_a_swapped_reserve_picking_the_same_side_again_is_inconsistent(tmp_path):
    db = open_db(tmp_path / "p.db")
    only_moon = {"moon": ITEMS["moon"]}
    run(db, "sam", {"moon": MOON_RIGHT}, items=only_moon)
    # Served swapped: B is now the 1972 answer, and sam picks B again.
    run(db, "sam", {"moon": ShownAnswer("B", 2, ["honesty"], 'B is better, it says "1972".')}, order="mixed", items=only_moon)
    p = compute_progress(db, "sam")
    assert (p.swaps, p.swaps_consistent) == (1, 0)
    assert p.sessions[1].accuracy == 0.0  # graded as shown: the gold is A now


def test_a_swapped_reserve_counts_the_longer_response_as_shown(tmp_path):
    db = open_db(tmp_path / "p.db")
    only_moon = {"moon": ITEMS["moon"]}  # the 1969 answer (originally B) is the longer one
    run(db, "sam", {"moon": MOON_RIGHT}, items=only_moon)
    run(db, "sam", {"moon": ShownAnswer("A", -2, ["honesty"], 'B says "in 1972", wrong; A is right.')}, order="mixed", items=only_moon)
    p = compute_progress(db, "sam")
    assert p.length.answers == 2 and p.length.picked_rate == 1.0 and p.length.gold_rate == 1.0


def test_a_second_swapped_reserve_is_compared_with_the_first_mapped_back(tmp_path):
    db = open_db(tmp_path / "p.db")
    only_moon = {"moon": ITEMS["moon"]}
    swapped_right = ShownAnswer("A", -2, ["honesty"], 'B says "in 1972", wrong; A says "in 1969".')
    run(db, "sam", {"moon": MOON_RIGHT}, items=only_moon)
    run(db, "sam", {"moon": swapped_right}, order="mixed", items=only_moon)
    run(db, "sam", {"moon": ShownAnswer("A", -1, ["honesty"], 'A says "in 1969", right.')}, order="mixed", items=only_moon)
    p = compute_progress(db, "sam")
    assert (p.swaps, p.swaps_consistent) == (2, 2)


def test_length_bias_compares_picking_the_longer_response_with_the_gold(tmp_path):
    db = open_db(tmp_path / "p.db")
    longer_always = {
        "moon": MOON_RIGHT,  # B is longer, and right
        "capital": ShownAnswer("A", -1, ["helpfulness"], "A puts Canberra first."),  # equally long: left out
        "boil": ShownAnswer("B", 1, ["helpfulness"], "B explains more about water."),  # B is longer, gold says A
    }
    run(db, "long-lena", longer_always)
    p = compute_progress(db, "long-lena")
    assert p.length.answers == 2
    assert p.length.picked_rate == 1.0
    assert p.length.gold_rate == 0.5


def test_next_focus_names_a_criterion_missed_when_it_decided(tmp_path):
    db = open_db(tmp_path / "p.db")
    vague = ShownAnswer("B", 1, ["helpfulness"], "B answers the question better overall.")
    run(db, "vic", {"moon": vague, "capital": CAPITAL_RIGHT_WITHOUT_HONESTY, "boil": BOIL_RIGHT})
    advice = compute_progress(db, "vic").next_focus
    assert advice[0].startswith("Cite honesty when it decides the pair: you named it in 0 of the 2 answers")


def test_answers_graded_from_files_count_as_their_own_session(tmp_path):
    judgments = tmp_path / "j.jsonl"
    judgments.write_text(
        json.dumps({"item_id": "moon", "annotator": "gus", "preference": "B", "strength": 2, "criteria": ["honesty"],
                    "rationale": 'A says "in 1972", which is wrong.'}) + "\n"
    )
    grade_files([judgments], rubric_path=DATA / "rubric.yaml", gold_path=DATA / "gold.jsonl",
                items_path=DATA / "items.jsonl", db_path=tmp_path / "p.db")
    p = compute_progress(open_db(tmp_path / "p.db"), "gus")
    assert [(s.kind, s.answered, s.accuracy) for s in p.sessions] == [("graded", 1, 1.0)]


def test_an_annotator_without_answers_is_told_how_to_start(tmp_path):
    text = progress_report("nobody", db_path=tmp_path / "p.db")
    assert "No graded answers yet: run `rationale drill` to start." in text


def test_html_is_self_contained_with_an_svg_curve_and_escapes_names(tmp_path):
    db = open_db(tmp_path / "p.db")
    run(db, "<script>alert(1)</script>", {"moon": MOON_RIGHT, "capital": CAPITAL_RIGHT_WITHOUT_HONESTY, "boil": BOIL_WRONG})
    html = render_html(compute_progress(db, "<script>alert(1)</script>"))
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<svg") == 2 and "<circle" in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "") and "https://" not in html


def test_the_progress_command_writes_json_to_a_file(tmp_path):
    two_sessions(tmp_path)
    out = tmp_path / "tara.json"
    result = CliRunner().invoke(main, ["progress", "tara", "--format", "json", "-o", str(out), "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["annotator"] == "tara" and len(data["sessions"]) == 2
    assert {c["criterion"] for c in data["criteria"]} == {"honesty", "concision"}
    assert data["next_focus"]


def test_the_progress_command_prints_text_by_default(tmp_path):
    two_sessions(tmp_path)
    result = CliRunner().invoke(main, ["progress", "tara", "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 0, result.output
    assert "drill 1" in result.output and "Next focus:" in result.output


def test_a_finding_met_once_is_named_once_in_the_next_focus(tmp_path):
    db = open_db(tmp_path / "p.db")
    run(db, "tara", {"boil": BOIL_WRONG}, items={"boil": ITEMS["boil"]})
    p = compute_progress(db, "tara")
    assert p.top_findings and p.top_findings[0].count == 1
    focus = " ".join(render_text(p).split("Next focus:")[1].split())
    assert f"{p.top_findings[0].code} (1 time)." in focus


def revise_boil(db, annotator: str = "tara") -> None:
    from rationale.revision import revise

    revise(db, "boil", annotator, 'B pads the answer with "Great question!" while A is concise and just as correct.',
           preference="A", strength=-1, criteria=["concision"])


def test_a_revision_is_no_session_of_its_own(tmp_path):
    db = two_sessions(tmp_path)
    revise_boil(db)
    p = compute_progress(db, "tara")
    assert [(s.label, s.answered) for s in p.sessions] == [("drill 1", 3), ("drill 2", 1)]
    assert p.answered == 4


def test_a_revision_is_not_counted_again_in_the_bias_figures(tmp_path):
    db = two_sessions(tmp_path)
    before = compute_progress(db, "tara")
    revise_boil(db)
    after = compute_progress(db, "tara")
    assert after.position == before.position and after.length == before.length
    assert after.top_findings == before.top_findings


def test_revisions_are_summed_up_with_their_scores_before_and_after(tmp_path):
    db = two_sessions(tmp_path)
    revise_boil(db)
    revise_boil_again = 'B opens with "Great question!" and pads; A gives "100 °C" concisely, which is all that was asked.'
    from rationale.revision import revise

    revise(db, "boil", "tara", revise_boil_again)
    r = compute_progress(db, "tara").revisions
    assert r.answers == 1  # two revisions of one answer
    assert r.mean_before is not None and r.mean_after is not None
    assert "Revised: 1 answer; mean score" in progress_report("tara", db_path=tmp_path / "p.db")


def test_progress_for_an_unknown_name_exits_1_and_suggests_known_names(tmp_path):
    two_sessions(tmp_path)
    result = CliRunner().invoke(main, ["progress", "tarra", "--db", str(tmp_path / "p.db")])
    assert result.exit_code == 1
    assert "no graded answers for 'tarra'" in result.stderr
    assert "did you mean 'tara'?" in result.stderr
    assert "annotators with graded answers: tara" in result.stderr
    assert result.stdout == ""


def test_a_criterion_not_decisive_in_a_session_is_bridged_by_a_dashed_line(tmp_path):
    from rationale.render.svg import line_chart

    svg = line_chart(["s1", "s2", "s3"], {"honesty": [0.5, None, 1.0]}, title="t")
    assert svg.count("<circle") == 2 and 'stroke-dasharray="5 4"' in svg


def test_a_series_with_one_point_shows_its_value_beside_the_dot(tmp_path):
    from rationale.render.svg import line_chart

    svg = line_chart(["s1", "s2"], {"concision": [None, 0.5]}, title="t")
    assert svg.count("<circle") == 1 and ">50%</text>" in svg


def test_the_value_of_a_single_point_at_100_percent_is_not_cut_by_the_chart_s_top_edge():
    import re

    from rationale.render.svg import line_chart

    svg = line_chart(["graded run 1"], {"harmlessness": [1.0]}, title="t")
    [y] = re.findall(r'<text x="[\d.]+" y="([\d.]+)" fill="#[0-9a-f]+">100%</text>', svg)
    assert float(y) >= 13  # the baseline of 13 px text: its top at 0 or below


def test_values_of_single_points_at_the_same_height_do_not_cover_each_other(tmp_path):
    import re

    from rationale.render.svg import line_chart

    svg = line_chart(["graded run 1"], {"accuracy": [0.85], "score / 100": [0.71], "reasoning / 100": [0.70]}, title="t")
    ys = sorted(float(y) for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)" fill="#', svg))
    assert len(ys) == 3 and all(b - a >= 14 for a, b in zip(ys, ys[1:]))


def test_chart_text_is_13_px_and_session_labels_never_crowd(tmp_path):
    from rationale.render.svg import line_chart

    labels = [f"drill {n}" for n in range(1, 41)]
    svg = line_chart(labels, {"accuracy": [0.5] * 40}, title="t")
    assert 'font-size="13"' in svg
    shown = [label for label in labels if f">{label}</text>" in svg]
    assert 5 <= len(shown) < 40 and "drill 40" in shown


def test_one_answer_in_one_session_is_said_in_the_singular(tmp_path):
    db = open_db(tmp_path / "p.db")
    run(db, "tara", {"moon": MOON_RIGHT}, items={"moon": ITEMS["moon"]})
    assert render_text(compute_progress(db, "tara")).splitlines()[0] == "Progress of tara: 1 graded answer in 1 session"


def test_a_key_point_the_drill_called_partly_made_is_not_counted_as_missed(tmp_path):
    import json

    db = open_db(tmp_path / "p.db")
    run(db, "tara", {"moon": MOON_RIGHT}, items={"moon": ITEMS["moon"]})
    partly = [{"key_point": "a-wrong-year", "status": "partial", "credit": 0.5, "sentence": "A is off.", "hedged": False}]
    db.execute("update grades set key_points_missed = ?, key_points = ?", ['["a-wrong-year"]', json.dumps(partly)])
    db.conn.commit()
    assert compute_progress(db, "tara").missed_key_points == []

