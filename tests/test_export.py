"""Portfolio export: Markdown, HTML, JSONL and DPO from what the database holds."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from rationale import store
from rationale.cli import main
from rationale.store import open_db
from rationale.export import export

@pytest.fixture
def db(portfolio_db):  # type: ignore[no-untyped-def]
    return portfolio_db


def test_markdown_file_holds_prompt_responses_choice_rationale_and_lead_answer(db, tmp_path):
    out = tmp_path / "portfolio.md"
    result = export(db, "md", out, annotator="tara")
    text = out.read_text()
    assert result.examples == 3
    assert "What is 2+2?" in text and "2+2 is 5." in text
    assert "**Choice:** A" in text
    assert "Response A says" in text  # the lead's reference rationale
    assert "Hard and edge cases: how the guideline applied" in text and "**q1**" in text


def test_markdown_escapes_untrusted_html_in_rationales(db, tmp_path):
    out = tmp_path / "p.md"
    export(db, "md", out)
    text = out.read_text()
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;" in text


def test_markdown_fence_is_longer_than_any_backtick_run_in_a_response(db, tmp_path):
    out = tmp_path / "p.md"
    export(db, "md", out, item_ids=("q3",))
    text = out.read_text()
    assert "````text\n```\nclose the fence\n```\n````" in text


def test_markdown_directory_gets_one_file_per_example_and_an_index(db, tmp_path):
    out = tmp_path / "md"
    result = export(db, "md", out)
    names = sorted(p.name for p in out.iterdir())
    assert result.examples == 4
    assert names == ["README.md", "q1--raj.md", "q1--tara.md", "q2--tara.md", "q3--tara.md"]
    assert "(q1--raj.md)" in (out / "README.md").read_text()


def test_jsonl_records_carry_schema_version_and_content_hashes(portfolio, db, tmp_path):
    out = tmp_path / "x.jsonl"
    export(db, "jsonl", out, annotator="tara", item_ids=("q1",))
    (record,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert record["schema_version"] == 1
    assert record["item_hash"] == portfolio.items["q1"].content_hash
    assert record["rubric_hash"] == portfolio.rubric.content_hash
    assert record["original"]["judgment_hash"] == portfolio.judgment("q1", "tara", "A", -3, f"Response A is accurate. {portfolio.xss}").content_hash
    assert record["gold"]["preference"] == "A" and record["gold_agrees"] is True


def test_dpo_rows_follow_the_annotators_choice_and_leave_ties_out(db, tmp_path):
    out = tmp_path / "dpo.jsonl"
    result = export(db, "dpo", out, item_ids=("q1",))
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    by_annotator = {r["annotator"]: r for r in rows}
    assert by_annotator["tara"]["chosen"] == "2+2 is 4." and by_annotator["tara"]["rejected"] == "2+2 is 5."
    assert by_annotator["raj"]["chosen"] == "2+2 is 5." and by_annotator["raj"]["gold_agrees"] is False
    assert result.skipped_ties == 0


def test_dpo_counts_the_ties_it_leaves_out(db, tmp_path):
    result = export(db, "dpo", tmp_path / "dpo.jsonl", annotator="tara")
    assert result.skipped_ties == 1 and result.examples == 2
    assert result.messages == ["left out 1 tie: a tie has no chosen and rejected response"]


def test_dpo_uses_the_conversational_format_for_every_row_when_any_prompt_is_a_chat(portfolio, db, tmp_path):
    with db.conn:
        j = portfolio.judgment("q2", "cara", "B", 1, "B is a fuller greeting.")
        store.save_judgments_and_grades(db, [store.GradedJudgment(j, portfolio.items["q2"].content_hash, portfolio.grade(j, 60))], None)
    out = tmp_path / "dpo.jsonl"
    export(db, "dpo", out)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert all(isinstance(r["prompt"], list) for r in rows)
    chat = next(r for r in rows if r["item_id"] == "q2")
    assert chat["prompt"] == [{"role": "user", "content": "Say hi"}]
    assert chat["chosen"] == [{"role": "assistant", "content": "Hello there!"}]
    plain = next(r for r in rows if r["item_id"] == "q1")
    assert plain["prompt"] == [{"role": "user", "content": "What is 2+2?"}]


def test_min_score_and_tag_filters_select_examples(db, tmp_path):
    assert export(db, "jsonl", tmp_path / "a.jsonl", min_score=76).examples == 2
    assert export(db, "jsonl", tmp_path / "b.jsonl", tags=("edge-case",)).examples == 2
    assert export(db, "jsonl", tmp_path / "c.jsonl", tags=("math",), annotator="raj").examples == 1


def test_anonymize_replaces_names_in_records_text_and_file_names(db, tmp_path):
    out = tmp_path / "anon"
    export(db, "md", out, anonymize_names=True)
    everything = " ".join(p.name + p.read_text() for p in out.iterdir())
    assert "tara" not in everything.lower() and "raj" not in everything.lower()
    assert re.search(r"annotator-[0-9a-f]{6}", everything)


def q3_answers(tmp_path, answers):
    """A database of (annotator, rationale) answers to q3 (B +1), each graded 80."""
    from conftest import PORTFOLIO_GOLD, PORTFOLIO_ITEMS, PORTFOLIO_RUBRIC, _portfolio_grade, _portfolio_judgment

    database = open_db(tmp_path / "r.db")
    with database.conn:
        rubric_hash = store.save_rubric(database, PORTFOLIO_RUBRIC)
        hashes = store.save_items(database, PORTFOLIO_ITEMS)
        store.save_gold(database, PORTFOLIO_GOLD, hashes)
        run = store.start_run(database, "test", {}, rubric_hash)
        rows = [_portfolio_judgment("q3", name, "B", 1, rationale) for name, rationale in answers]
        store.save_judgments_and_grades(database, [store.GradedJudgment(j, hashes["q3"], _portfolio_grade(j, 80.0)) for j in rows], run)
    return database


def test_anonymize_replaces_a_name_as_a_word_and_leaves_words_that_contain_it(tmp_path):
    database = q3_answers(tmp_path, [("ana", "My analysis: B is plain, a banana of an answer. Ana agrees.")])
    out = tmp_path / "p.jsonl"
    export(database, "jsonl", out, anonymize_names=True)
    record = json.loads(out.read_text())
    alias = record["annotator"]
    assert alias != "ana"
    assert f"My analysis: B is plain, a banana of an answer. {alias} agrees." in out.read_text()


def test_anonymize_gives_the_same_pseudonym_on_every_export(db, tmp_path):
    export(db, "jsonl", tmp_path / "1.jsonl", anonymize_names=True)
    export(db, "jsonl", tmp_path / "2.jsonl", anonymize_names=True)
    first = {json.loads(line)["annotator"] for line in (tmp_path / "1.jsonl").read_text().splitlines()}
    second = {json.loads(line)["annotator"] for line in (tmp_path / "2.jsonl").read_text().splitlines()}
    assert first == second and len(first) == 2


def test_html_is_self_contained(db, tmp_path):
    out = tmp_path / "p.html"
    export(db, "html", out)
    html = out.read_text()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "<link" not in html and "@import" not in html and "<script" not in html
    assert html.count("<svg") >= 2  # score distribution and criteria charts


def test_html_escapes_untrusted_text(db, tmp_path):
    out = tmp_path / "p.html"
    export(db, "html", out)
    html = out.read_text()
    assert "&lt;script&gt;document.body.setAttribute" in html
    assert "&lt;b&gt;alone&lt;/b&gt;" in html  # a finding message is escaped too


def test_export_command_writes_the_file_and_reports_left_out_ties(db, tmp_path):
    out = tmp_path / "d.jsonl"
    result = CliRunner().invoke(
        main, ["export", "--format", "dpo", "-o", str(out), "--annotator", "tara", "--db", str(tmp_path / "r.db")]
    )
    assert result.exit_code == 0, result.output
    assert "left out 1 tie" in result.stderr
    assert len(out.read_text().splitlines()) == 2


def test_export_command_counts_one_page_beside_the_index_in_the_singular(db, tmp_path):
    out = tmp_path / "md"
    result = CliRunner().invoke(main, ["export", "--format", "md", "-o", str(out), "--annotator", "raj",
                                       "--db", str(tmp_path / "r.db")])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip().endswith(f"exported 1 example to {out / 'README.md'} and 1 page beside it")


def test_export_command_without_a_database_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["export", "--format", "md", "-o", str(tmp_path / "x.md"), "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert "no database at" in result.output
    assert not (tmp_path / "none.db").exists()


def example_links(html: str, section: str) -> list[str]:
    """The in-page example anchors one section of a portfolio page links to."""
    body = html.split(f'<section id="{section}">')[1].split("</section>")[0]
    return re.findall(r'href="#(ex-[^"]+)"', body)


def test_every_edge_case_link_points_at_the_section_of_its_own_example(db, tmp_path):
    out = tmp_path / "p.html"
    export(db, "html", out)
    html = out.read_text()
    links = example_links(html, "edge-cases")
    assert sorted(links) == ["ex-q1--raj", "ex-q1--tara"]
    assert all(f'id="{anchor}"' in html for anchor in links)


def test_revise_stores_a_new_version_regraded_and_the_export_shows_before_and_after(db, tmp_path):
    from rationale.revision import revise

    result = revise(db, "q1", "raj", "Response A is accurate: it says \"2+2 is 4.\" while B is wrong.", preference="A")
    assert (result.previous_version, result.version) == (1, 2)
    assert result.grade.preference_correct and result.grade.score > 20
    (record,) = [r for r in _records(db, tmp_path) if r["annotator"] == "raj"]
    assert record["original"]["preference"] == "B" and record["revised"]["preference"] == "A"
    assert record["revised"]["strength"] == -2  # the old strength's size, moved to the new side


def test_revise_with_the_same_text_changes_nothing(db):
    from rationale.revision import revise

    result = revise(db, "q3", "tara", "B is plain text while A is a code fence.")
    assert result.version is None and result.grade is None


def revise_raj_to_a(tmp_path):
    """raj's answer to q1 (B +2) revised to A, with no --strength."""
    return CliRunner().invoke(
        main,
        ["revise", "q1", "--annotator", "raj", "--preference", "A", "--db", str(tmp_path / "r.db"),
         "--rationale", "Response A is accurate: it says \"2+2 is 4.\"; B says \"2+2 is 5.\" which is false."],
    )


def test_revise_command_reports_the_score_before_and_after(db, tmp_path):
    result = revise_raj_to_a(tmp_path)
    assert result.exit_code == 0, result.output
    assert re.match(r"q1: version 2 stored \(A -2; criteria: none\); score 20 -> \d+", result.output)


def test_revise_to_another_side_without_a_strength_says_where_the_strength_came_from(db, tmp_path):
    # raj answered B +2: the size 2 moves to A, which the trainee did not type, so the command says so.
    result = revise_raj_to_a(tmp_path)
    assert result.exit_code == 0, result.output
    assert "  strength -2: your earlier strength's size on the side you chose now; --strength sets another" in result.output


def test_revise_an_answer_that_does_not_exist_is_an_input_error(db, tmp_path):
    result = CliRunner().invoke(main, ["revise", "q9", "--annotator", "raj", "--rationale", "x", "--db", str(tmp_path / "r.db")])
    assert result.exit_code == 2
    assert "revise: item: 'raj' has no stored answer to item 'q9'" in result.stderr


def _records(db, tmp_path):
    out = tmp_path / "all.jsonl"
    export(db, "jsonl", out)
    return [json.loads(line) for line in out.read_text().splitlines()]


# --------------------------------------------------------------------------- swapped drill re-serves


def _drilled_then_swapped(tmp_path, swapped_answer):
    """tara answers moon in a drill, then answers it again served with A and B swapped."""
    from pathlib import Path

    from rationale.drill import DrillSession, ShownAnswer
    from rationale.io import load_gold, load_items, load_rubric

    data = Path(__file__).parent / "data" / "drill"
    rubric = load_rubric(data / "rubric.yaml")
    all_items = load_items(data / "items.jsonl")
    items = {"moon": all_items["moon"]}
    gold = {"moon": load_gold(data / "gold.jsonl", all_items, rubric)["moon"]}
    database = open_db(tmp_path / "drill.db")
    first_answer = ShownAnswer("B", 2, ["honesty"], 'A says "walked on the Moon in 1972", which is wrong; B says "in 1969".')
    for order, answer in (("new", first_answer), ("mixed", swapped_answer)):
        session = DrillSession.open(database, rubric=rubric, items=items, gold=gold, annotator="tara", order=order, n=5, seed=1)
        (slot,) = session.pending()
        assert slot.swapped == (order == "mixed")
        session.record(slot, answer)
        session.close()
    return database, items["moon"]


def test_a_swapped_reserve_is_exported_as_its_own_example_not_as_a_revision(tmp_path):
    from rationale.drill import ShownAnswer

    database, moon = _drilled_then_swapped(
        tmp_path, ShownAnswer("A", -2, ["honesty"], 'B says "in 1972", which is wrong; A says "in 1969".')
    )
    original, swapped = _records(database, tmp_path)
    assert original["revised"] is None and swapped["revised"] is None
    assert original["item"]["response_a"] == moon.response_a and original["original"]["preference"] == "B"
    # The swapped example shows the pair as the trainee saw it, with the answer and gold on the same sides.
    assert (swapped["item"]["response_a"], swapped["item"]["response_b"]) == (moon.response_b, moon.response_a)
    assert swapped["original"]["preference"] == "A" and swapped["original"]["rationale"].endswith('A says "in 1969".')
    assert swapped["gold"]["preference"] == "A" and swapped["gold_agrees"] is True
    assert swapped["original"]["grade"]["gold_hash"] != original["original"]["grade"]["gold_hash"]


def test_a_swapped_reserve_gets_its_own_markdown_file(tmp_path):
    from rationale.drill import ShownAnswer

    database, _ = _drilled_then_swapped(tmp_path, ShownAnswer("A", -2, ["honesty"], 'A says "in 1969", right.'))
    out = tmp_path / "md"
    result = export(database, "md", out)
    assert result.examples == 2
    assert sorted(p.name for p in out.iterdir()) == ["README.md", "moon--tara--swapped.md", "moon--tara.md"]


def test_dpo_chosen_for_a_swapped_reserve_is_the_response_the_trainee_picked(tmp_path):
    from rationale.drill import ShownAnswer

    # Inconsistent on purpose: B again, which is now the 1972 answer.
    database, moon = _drilled_then_swapped(tmp_path, ShownAnswer("B", 2, ["honesty"], 'B is better: "1972".'))
    out = tmp_path / "dpo.jsonl"
    export(database, "dpo", out)
    original, swapped = [json.loads(line) for line in out.read_text().splitlines()]
    assert original["chosen"] == moon.response_b and original["gold_agrees"] is True
    assert swapped["chosen"] == moon.response_a and swapped["rejected"] == moon.response_b
    assert swapped["rationale"] == 'B is better: "1972".' and swapped["gold_agrees"] is False


def test_revise_after_a_swapped_reserve_revises_the_swapped_answer_against_the_swapped_gold(tmp_path):
    from rationale.drill import ShownAnswer
    from rationale.revision import revise

    database, moon = _drilled_then_swapped(tmp_path, ShownAnswer("B", 2, ["honesty"], 'B is better: "1972".'))
    result = revise(database, "moon", "tara", 'A says "in 1969", which is right; B says "1972".', preference="A")
    assert (result.previous_version, result.version) == (2, 3)
    assert result.grade.preference_correct  # the swapped gold: the 1969 answer is shown as A
    original, swapped = _records(database, tmp_path)
    assert original["revised"] is None
    assert swapped["original"]["preference"] == "B" and swapped["revised"]["preference"] == "A"
    assert swapped["item"]["response_a"] == moon.response_b


def test_revise_with_the_same_text_after_a_swapped_reserve_worded_like_the_first_answer_changes_nothing(tmp_path):
    from rationale.drill import ShownAnswer
    from rationale.revision import revise

    words = 'A says "walked on the Moon in 1972", which is wrong; B says "in 1969".'
    database, _ = _drilled_then_swapped(tmp_path, ShownAnswer("B", 2, ["honesty"], words))
    result = revise(database, "moon", "tara", words)
    assert result.version is None and result.grade is None
    assert database.execute("select count(*) from grades").fetchone()[0] == 2


@pytest.fixture
def calibrated_db(tmp_path):
    """The shipped four-annotator calibration batch, calibrated as batch "example"."""
    from pathlib import Path

    from rationale.calibration import calibrate_files

    root = Path(__file__).resolve().parents[1]
    calibrate_files(
        [root / "examples/calibration/judgments.jsonl"],
        items_path=root / "examples/drill/items.jsonl",
        rubric_path=root / "rubrics/hhh.yaml",
        gold_path=root / "examples/drill/gold.jsonl",
        batch="example",
        db_path=tmp_path / "c.db",
    )
    return open_db(tmp_path / "c.db")


def test_a_calibrated_batch_adds_the_quality_audit_and_guideline_proposal(calibrated_db, tmp_path):
    out = tmp_path / "p.md"
    export(calibrated_db, "md", out)
    text = out.read_text()
    assert "## Quality audit of the annotation set" in text
    assert "- Batch example: 26 items, 4 annotators, 98 judgments" in text
    assert "long-lena: below threshold, accuracy 58%" in text
    assert "## Guideline-improvement proposal" in text and "Open question: " in text


def test_without_calibration_the_export_has_no_audit_section(db, tmp_path):
    out = tmp_path / "p.md"
    export(db, "md", out)
    assert "Quality audit" not in out.read_text()


def test_anonymize_also_hides_the_other_annotators_named_in_the_audit(calibrated_db, tmp_path):
    out = tmp_path / "p.html"
    export(calibrated_db, "html", out, annotator="careful-cara", anonymize_names=True, with_audit=True)
    html = out.read_text().lower()
    assert "quality audit" in html
    assert not any(name in html for name in ("cara", "lena", "tomas", "raj"))


def test_a_personal_portfolio_leaves_out_the_batch_audit_that_names_other_annotators(calibrated_db, tmp_path):
    out = tmp_path / "cara.html"
    export(calibrated_db, "html", out, annotator="careful-cara")
    html = out.read_text().lower()
    assert "quality audit" not in html
    assert not any(name in html for name in ("long-lena", "tie-tomas", "rushed-raj"))


def test_a_personal_portfolio_shows_the_audit_when_asked(calibrated_db, tmp_path):
    out = tmp_path / "cara.md"
    export(calibrated_db, "md", out, annotator="careful-cara", with_audit=True)
    assert "## Quality audit of the annotation set" in out.read_text()


def test_responses_render_markdown_fences_as_code_blocks(db, tmp_path):
    out = tmp_path / "p.html"
    export(db, "html", out, item_ids=("q3",))
    html = out.read_text()
    assert "<pre><code>close the fence\n</code></pre>" in html
    assert "```" not in html.split('id="ex-')[1]


def test_markdown_in_responses_cannot_carry_html_or_links(portfolio, tmp_path):
    from rationale.render.env import markdown_html

    html = str(markdown_html('<img src=x onerror="alert(1)"> [click](javascript:alert(1)) ![i](https://example.org/t.png)'))
    assert "&lt;img" in html and not re.search(r"<(img|a)\b", html)
    assert "href" not in html


def test_the_page_opens_with_a_contents_table_linking_every_example(db, tmp_path):
    out = tmp_path / "p.html"
    export(db, "html", out)
    html = out.read_text()
    anchors = example_links(html, "contents")
    assert len(anchors) == 4 and all(f'id="{a}"' in html for a in anchors)


def test_a_big_html_export_is_split_into_pages_linked_from_the_contents(db, tmp_path):
    from rationale.export import collect_examples, portfolio_sections
    from rationale.render.portfolio import write_html

    examples = collect_examples(db)
    paths = write_html(examples, tmp_path / "big.html", portfolio_sections(db, examples), page_size=3)
    assert [p.name for p in paths] == ["big.html", "big-001.html", "big-002.html"]
    index, first, second = (p.read_text() for p in paths)
    assert 'class="example"' not in index and "Summary" in index
    contents = index.split('<section id="contents">')[1]
    targets = re.findall(r'href="(big-00\d\.html)#(ex-[^"]+)"', contents)
    assert len(targets) == 4
    for page, anchor in targets:
        assert f'id="{anchor}"' in (tmp_path / page).read_text()
    assert first.count('class="example"') == 3 and second.count('class="example"') == 1
    assert 'href="big-002.html">next page' in first and 'href="big-001.html">← previous page' in second
    assert "Examples 4–4 of 4 (page 2 of 2)" in second


def test_an_export_that_matches_nothing_exits_1_and_writes_nothing(db, tmp_path):
    out = tmp_path / "none.jsonl"
    result = CliRunner().invoke(main, ["export", "--format", "jsonl", "--annotator", "nobody", "-o", str(out), "--db", str(tmp_path / "r.db")])
    assert result.exit_code == 1
    assert "no graded example matches the filters; nothing was written" in result.stderr
    assert not out.exists()


def test_with_critique_and_no_critique_says_so_and_exits_1(db, tmp_path):
    out = tmp_path / "p.jsonl"
    result = CliRunner().invoke(main, ["export", "--format", "jsonl", "--with-critique", "-o", str(out), "--db", str(tmp_path / "r.db")])
    assert result.exit_code == 1
    assert "--with-critique: none of these examples has a critique, so they were exported without one" in result.stderr
    assert "error" not in result.stderr  # the export was written: a warning with its own status, not a failure
    assert len(out.read_text().splitlines()) == 4


def test_dash_exports_to_stdout(db, tmp_path):
    result = CliRunner().invoke(main, ["export", "--format", "jsonl", "--annotator", "tara", "-o", "-", "--db", str(tmp_path / "r.db")])
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["annotator"] for line in result.stdout.splitlines()] == ["tara"] * 3
    assert not (tmp_path / "-").exists()


def test_annotators_whose_names_clean_to_the_same_text_get_their_own_markdown_files(tmp_path):
    # "b/o/b" and "b:o:b" both clean to "b-o-b"; two long names share their first 120 characters.
    long_name = "x" * 130
    names = ["b/o/b", "b:o:b", "b-o-b", long_name + "1", long_name + "2", "tara"]
    database = q3_answers(tmp_path, [(name, "B is plain text while A is a code fence.") for name in names])
    out = tmp_path / "md"

    result = export(database, "md", out)

    files = sorted(p.name for p in out.iterdir() if p.name != "README.md")
    assert result.examples == len(names) == len(files)
    assert "q3--b-o-b.md" in files and "q3--tara.md" in files  # a name that is already safe stays as it is
    assert all(len(name) <= 123 for name in files)
    index = (out / "README.md").read_text()
    assert all(f"({name})" in index for name in files)


def _markdown_export_of(rationale, tmp_path):
    """The Markdown export of one answer with this rationale, and its rationale as a CommonMark reader shows it."""
    from markdown_it import MarkdownIt

    database = q3_answers(tmp_path, [("tara", rationale)])
    out = tmp_path / "p.md"
    export(database, "md", out)
    text = out.read_text(encoding="utf-8")
    rendered = MarkdownIt("commonmark").render(text)
    rationale_shown = re.search(r"<blockquote>.*?</blockquote>", rendered.split("Judgment</h")[1], re.S).group(0)
    return text, rationale_shown


def test_a_backslash_in_a_rationale_cannot_undo_the_markdown_escaping(tmp_path):
    _, shown = _markdown_export_of(r"B is \*\*plainly\*\* better, A is \_wrong\_.", tmp_path)
    assert "<strong>" not in shown and "<em>" not in shown
    assert r"\*\*plainly\*\*" in shown


def test_a_rationale_line_cannot_become_a_heading_list_or_rule_in_markdown(tmp_path):
    rationale = "B is better.\n# Lead's answer: A, score 100\n- first\n+ second\n1. third\n2) fourth\nSetext\n---\n===\nplain -1 and 2.5"
    _, shown = _markdown_export_of(rationale, tmp_path)
    assert not re.search(r"<(h\d|ul|ol|li|hr)\b", shown)
    assert "# Lead's answer: A, score 100" in shown and "1. third" in shown and "plain -1 and 2.5" in shown


def test_control_and_bidi_characters_in_a_rationale_are_visible_escapes_in_html(tmp_path):
    database = q3_answers(tmp_path, [("tara", "B is better \x1b[2J\x1b]0;title\x07 and \u202ereversed\r\nnext line.")])
    out = tmp_path / "p.html"
    export(database, "html", out)
    text = out.read_text(encoding="utf-8")
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e]", text)
    assert "B is better \\x1b[2J\\x1b]0;title\\x07 and \\u202ereversed" in text
    assert "reversed\nnext line." in text  # a Windows line end is a line end, not an escape


def test_control_characters_in_a_rationale_are_visible_escapes_in_markdown(tmp_path):
    text, _ = _markdown_export_of("B is better \x1b[2J\x1b]0;title\x07 and that is all.", tmp_path)
    assert "\x1b" not in text and "\x07" not in text
    assert r"\\x1b\[2J" in text  # shown as \x1b[2J


def test_an_export_under_a_file_exits_2_saying_which_file_is_in_the_way(db, tmp_path):
    (tmp_path / "notes.txt").write_text("a file, not a folder")
    out = tmp_path / "notes.txt" / "portfolio.html"
    result = CliRunner().invoke(main, ["export", "--format", "html", "-o", str(out), "--db", str(tmp_path / "r.db")])
    assert result.exit_code == 2
    assert f"{out}: -o: cannot be written: {tmp_path / 'notes.txt'} is a file, not a folder" in result.stderr


def test_a_jsonl_export_to_a_folder_exits_2_asking_for_a_file_name(db, tmp_path):
    result = CliRunner().invoke(main, ["export", "--format", "jsonl", "-o", str(tmp_path), "--db", str(tmp_path / "r.db")])
    assert result.exit_code == 2
    assert f"{tmp_path}: -o: cannot be written: it is a folder: give a file name" in result.stderr


def test_the_contents_of_a_one_example_page_says_1_example(db, tmp_path):
    out = tmp_path / "p.html"
    export(db, "html", out, item_ids=("q3",))
    assert "<summary>1 example</summary>" in out.read_text()


def test_a_dpo_export_says_how_many_rows_choose_against_the_gold(db, tmp_path):
    out = tmp_path / "dpo.jsonl"
    result = CliRunner().invoke(main, ["export", "--format", "dpo", "-o", str(out), "--db", str(tmp_path / "r.db")])
    assert result.exit_code == 0, result.stderr
    against = [row for row in map(json.loads, out.read_text().splitlines()) if row["gold_agrees"] is False]
    assert len(against) == 1  # raj chose B on q1, where the gold says A
    assert "1 row chooses against the gold (gold_agrees: false): filter them out before training on this file" in result.stderr


def test_a_dpo_export_says_how_many_rows_repeat_a_pair_and_choice(db, portfolio, tmp_path):
    same_as_tara = portfolio.judgment("q1", "sam", "A", -2, "A is right: 2+2 is 4, and B says 5.")
    hashes = store.save_items(db, portfolio.items)
    with db.conn:
        store.save_judgments_and_grades(db, [store.GradedJudgment(same_as_tara, hashes["q1"], portfolio.grade(same_as_tara, 85.0))], None)

    result = export(db, "dpo", tmp_path / "dpo.jsonl")

    assert result.examples == 4  # every answer is still a row
    assert ("1 row repeats a pair and choice another annotator made (one pair up to 2 times): keep one row per"
            " item_hash and chosen if each pair should count once") in result.messages


def test_a_response_in_a_markdown_code_block_shows_control_characters_as_escapes():
    from rationale.render.env import md_block

    block = md_block("Ignore this \x1b[2J\x1b[31mred text\x07 and a \u202eswapped line")
    assert "\x1b" not in block and "\x07" not in block and "\u202e" not in block
    assert "\\x1b[2J\\x1b[31mred text\\x07 and a \\u202eswapped line" in block



@pytest.mark.parametrize("fmt", ["jsonl", "dpo"])
def test_an_interrupted_export_leaves_the_previous_file_whole_and_nothing_half_written(db, tmp_path, monkeypatch, fmt):
    out = tmp_path / "x.jsonl"
    export(db, fmt, out)
    before = out.read_bytes()

    def interrupted(*args, **kwargs):  # Ctrl-C once the new file is open and its first row being made
        (tmp_path / "started").touch()
        raise KeyboardInterrupt

    from rationale.export import formats
    monkeypatch.setattr(formats.json, "dumps", interrupted)
    with pytest.raises(KeyboardInterrupt):
        export(db, fmt, out)
    assert (tmp_path / "started").exists()
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no hidden partial folder left


def test_a_markdown_folder_export_puts_every_page_in_the_folder_and_leaves_no_hidden_folder(db, tmp_path):
    out = tmp_path / "pages"
    result = export(db, "md", out)
    assert {p.parent for p in result.paths} == {out}
    assert all(p.is_file() for p in result.paths)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
