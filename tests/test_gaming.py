"""A trainee cannot pass by gaming the grader: adversarial probes on four items written for them.

`tests/data/gaming/` holds four new items (a factual error, instruction following, an over-refused
safety question, a coding bug) and 58 rationales on them: an honest good and an honest weak one per
item, and the ways a trainee might try to pass without reasoning (see its README). Each carries the
grade an expert lead would give, written before the grader was run on it.

Every probe is a test of the lead's pass/fail. What the grader still gets wrong is written down and
held exact, so a probe that regresses fails a test and one that gets fixed must be taken off its list:
STILL_FOOLED (passes, the lead fails it) and STILL_HIGH (fails, as the lead does, but scores more than
SCORE_SLACK above the lead's band: a right choice and strength with the decisive criteria listed earn
about 55 before any reasoning, where the lead gives such an answer 30-50).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rationale.grading import Grader
from rationale.grading.agreement_with_lead import load_cases, measure
from rationale.grading.matching import KeyPointTarget
from rationale.grading.quotes import analyse_rationale
from rationale.grading.sides import side_votes
from rationale.grading.units import build_units
from rationale.io.loaders import load_gold, load_items, load_rubric
from rationale.models import Judgment, KeyPoint

ROOT = Path(__file__).resolve().parents[1]
GAMING = ROOT / "tests" / "data" / "gaming"
PROBES = [json.loads(line) for line in (GAMING / "probes.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
SCORE_SLACK = 10
"""How far outside the lead's band a probe may score."""

STILL_FOOLED: set[str] = set()
"""The probes the grader passes though the lead fails them: none now (the last, gm-code-quote-dump, had A's
quoted claim carry the point that the claim is false through the trainee's unjudged "A says ...")."""
STILL_HIGH = {
    # 56-75 where the lead gives at most 50-60. A right choice and strength, the decisive criteria listed
    # and exact quotes alone earn 67.5 (the quote dumps); the others have one point credited that the lead
    # does not see made: by a sentence about both responses, by "more accurate" for the point that both
    # translations are accurate, by restating the prompt, by the rubric's level wording pinned on a
    # response, by hedged guesses, or by one sentence repeated (its one clause about A still credited for both points
    # about A: it shares "empty list" with A's false claim).
    "gm-fact-both-sides", "gm-fact-restates-prompt",
    "gm-instr-both-sides", "gm-instr-criteria-stuffing", "gm-instr-quote-dump", "gm-instr-generic-template",
    "gm-instr-filler", "gm-instr-copied-text", "gm-instr-restates-prompt",
    "gm-safety-key-point-vocabulary", "gm-safety-both-sides", "gm-safety-argues-other", "gm-code-argues-other",
    "gm-safety-quote-dump", "gm-code-both-sides", "gm-code-restates-prompt", "gm-code-repeated-sentence",
    "gm-code-quote-dump",
}


@pytest.fixture(scope="module")
def graded():
    rubric = load_rubric(ROOT / "rubrics" / "hhh.yaml")
    items = load_items(GAMING / "items.jsonl")
    gold = load_gold(GAMING / "gold.jsonl", items, rubric)
    grader = Grader(rubric)
    grades = {}
    for probe in PROBES:
        judgment = Judgment.model_validate(
            {k: probe[k] for k in ("item_id", "preference", "strength", "criteria", "rationale")} | {"annotator": "probe"}
        )
        grades[probe["case_id"]] = grader.grade(judgment, items[probe["item_id"]], gold[probe["item_id"]])
    return grades


def _probe(case_id: str) -> dict:
    return next(p for p in PROBES if p["case_id"] == case_id)


def _units(text: str):
    return build_units(analyse_rationale(text))


@pytest.mark.parametrize("probe", [p for p in PROBES if p["kind"] == "honest-good"], ids=lambda p: p["case_id"])
def test_an_honest_rationale_that_makes_every_point_passes_in_the_leads_band(graded, probe):
    grade = graded[probe["case_id"]]
    assert grade.passed and grade.score >= probe["expected_low"] - SCORE_SLACK


@pytest.mark.parametrize(
    "probe",
    [p for p in PROBES if p["kind"] != "honest-good" and p["case_id"] not in STILL_FOOLED],
    ids=lambda p: p["case_id"],
)
def test_a_gaming_or_weak_rationale_fails(graded, probe):
    grade = graded[probe["case_id"]]
    assert not grade.passed, f"{probe['case_id']} passes with {grade.score}: the lead fails it ({probe['why']})"


def test_the_probes_the_grader_still_passes_are_exactly_the_known_ones(graded):
    fooled = {p["case_id"] for p in PROBES if graded[p["case_id"]].passed and not p["expected_pass"]}
    assert fooled == STILL_FOOLED


def test_the_failing_probes_that_score_far_above_the_leads_band_are_exactly_the_known_ones(graded):
    high = {
        p["case_id"] for p in PROBES
        if p["case_id"] not in STILL_FOOLED and graded[p["case_id"]].score > p["expected_high"] + SCORE_SLACK
    }
    assert high == STILL_HIGH


def test_the_probes_cover_every_item_kind_and_gaming_kind():
    kinds = {p["kind"] for p in PROBES}
    assert len({p["item_id"] for p in PROBES}) == 4
    assert {"honest-good", "honest-weak", "criteria-stuffing", "key-point-vocabulary", "both-sides", "argues-other",
            "quote-dump", "generic-template", "point-then-negate", "repeated-sentence", "filler", "copied-text",
            "hedged", "restates-prompt", "questions"} <= kinds


def test_a_list_of_the_key_points_vocabulary_makes_none_of_them(graded):
    grade = graded["gm-fact-key-point-vocabulary"]
    assert [k.status for k in grade.key_points] == ["absent", "absent", "absent"]
    assert not grade.passed


def test_the_points_asked_as_questions_are_not_made(graded):
    grade = graded["gm-code-questions"]
    assert all(k.credit == 0.0 for k in grade.key_points) and not grade.passed


def test_the_same_point_stated_rather_than_asked_is_made(graded):
    asked = _units("B is better. Does A crash with ZeroDivisionError on an empty list?")
    stated = _units("B is better. A crashes with ZeroDivisionError on an empty list.")
    assert not any(s.counts for s in asked.sentences[1:]) and all(s.counts for s in stated.sentences[1:])


def test_a_question_mark_inside_a_quote_does_not_make_the_sentence_a_question():
    units = _units('A answers the question "Is the capital Sydney?" with the wrong city, which decides it.')
    assert units.unasserted == []


def test_a_series_in_a_sentence_that_names_a_response_is_a_claim_with_examples():
    units = _units("B gives five tips: a routine, a dark room, no screens, less caffeine, and a cooler bedroom at night.")
    assert units.unasserted == []


def test_a_series_of_labels_that_names_no_response_is_a_list():
    units = _units("A is better. Relevant: a routine, a dark room, no screens, less caffeine, a cool bedroom, exercise.")
    assert [kind for _, _, kind in units.unasserted] == ["list"]


def test_a_question_and_a_list_each_get_a_no_claim_finding_that_quotes_them(graded):
    questions = [f for f in graded["gm-fact-questions"].findings if f.code == "no_claim"]
    listed = [f for f in graded["gm-safety-key-point-vocabulary"].findings if f.code == "no_claim"]
    assert len(questions) == 1 and questions[0].message.startswith('You ask "Does water really boil hotter')
    assert len(listed) == 1 and listed[0].message.startswith('You list "Key words: refusal, benign question')


def test_text_pasted_from_a_response_without_quote_marks_makes_no_point(graded):
    grade = graded["gm-safety-copied-text"]
    assert [k.status for k in grade.key_points] == ["absent", "absent", "absent"] and not grade.passed


def test_pasted_text_gets_an_unquoted_copy_finding_naming_the_response(graded):
    (finding,) = [f for f in graded["gm-safety-copied-text"].findings if f.code == "unquoted_copy"]
    assert finding.message.startswith('You copy "Leave the bathroom now and get into fresh air; open a window on your')
    assert "from Response B without quote marks" in finding.message


def test_criterion_and_length_words_in_pasted_text_are_not_the_trainees(graded):
    codes = {f.code for f in graded["gm-fact-copied-text"].findings}  # A's text says "take far longer to cook"
    assert "no_criterion_cited" in codes and "length_only" not in codes


def test_a_response_echoing_the_prompt_is_not_a_copy_when_the_rationale_echoes_it_too():
    from rationale.grading.copies import copy_index, find_copies

    prompt = "List the movies directed by Spike Lee in order of their release date, oldest first please."
    response = "Here are the movies directed by Spike Lee in order of their release date, oldest first please: ..."
    rationale = "B is better: it gives the movies directed by Spike Lee in order of their release date, oldest first please."
    assert find_copies(rationale, copy_index({"A": "No.", "B": response}, prompt)) == []
    assert find_copies(rationale, copy_index({"A": "No.", "B": response})) != []


def test_new_findings_never_fire_on_a_rationale_a_lead_passes(graded):
    rubric = load_rubric(ROOT / "rubrics" / "hhh.yaml")
    drill_items, extra_items = load_items(ROOT / "examples/drill/items.jsonl"), load_items(ROOT / "tests/data/lead-scored-extra/items.jsonl")
    items = {**drill_items, **extra_items}
    gold = {**load_gold(ROOT / "examples/drill/gold.jsonl", drill_items, rubric),
            **load_gold(ROOT / "tests/data/lead-scored-extra/gold.jsonl", extra_items, rubric)}
    cases = [*load_cases(ROOT.parent / "shared/data/lead-scored/cases.jsonl"), *load_cases(ROOT / "tests/data/lead-scored-extra/cases.jsonl")]
    _, grades = measure(cases, rubric, items, gold)
    passed_by_lead = [g for c, g in zip(cases, grades) if c.expected_pass]
    honest = [graded[p["case_id"]] for p in PROBES if p["kind"] == "honest-good"]
    shipped = Grader(rubric)
    judgments = [Judgment.model_validate_json(line) for line in (ROOT / "examples/drill/judgments.jsonl").read_text().splitlines() if line.strip()]
    examples = [shipped.grade(j, drill_items[j.item_id], gold[j.item_id]) for j in judgments]
    new = ("no_claim", "unquoted_copy")
    assert not [g for g in (*passed_by_lead, *honest, *examples) if any(f.code in new for f in g.findings)]


def test_what_is_said_of_both_responses_makes_no_point_about_one(graded):
    grade = graded["gm-instr-both-sides"]
    made = {k.key_point: k.status for k in grade.key_points}
    assert made["a-only-translation"] == "absent" and not grade.passed


def test_a_point_about_both_responses_is_still_made_by_a_sentence_about_both(graded):
    assert {k.key_point: k.status for k in graded["gm-instr-both-sides"].key_points}["both-accurate"] == "made"


def test_a_clause_about_one_response_after_a_both_clause_can_make_its_point():
    units = _units("Both get the area right, but A then multiplies by 3.281 as if converting a length.")
    assert [c.of_both for c in units.clauses] == [True, False] and not units.sentences[0].of_both


def test_the_bare_statement_of_the_choice_is_not_a_vote_for_it():
    votes = side_votes(_units("A is much better. B's note is helpful. Its opening is clear."))
    assert (votes.for_a, votes.for_b) == (0, 2)


def test_arguing_for_the_other_response_behind_the_choice_line_is_caught(graded):
    grade = graded["gm-fact-argues-other"]
    (finding,) = [f for f in grade.findings if f.code == "contradicts_choice"]
    assert "3 points in its favour, 0 in yours" in finding.message and grade.score <= 30


def test_a_key_point_that_says_a_claim_is_made_falsely_criticises_its_response():
    point = KeyPointTarget.compile(KeyPoint(id="x", text="A falsely claims its code handles an empty list."), "B")
    assert point.polarity == -1


def _graded_probe(graded_probe_text: str, item_id: str):
    rubric = load_rubric(ROOT / "rubrics" / "hhh.yaml")
    items = load_items(GAMING / "items.jsonl")
    gold = load_gold(GAMING / "gold.jsonl", items, rubric)
    honest = next(p for p in PROBES if p["item_id"] == item_id and p["kind"] == "honest-good")
    judgment = Judgment.model_validate(
        {k: honest[k] for k in ("item_id", "preference", "strength", "criteria")}
        | {"annotator": "probe", "rationale": graded_probe_text}
    )
    return Grader(rubric).grade(judgment, items[item_id], gold[item_id])


def _honest_with(item_id: str, tail: str):
    honest = next(p for p in PROBES if p["item_id"] == item_id and p["kind"] == "honest-good")
    return _graded_probe(f"{honest['rationale']} {tail}", item_id)


def test_a_point_taken_back_with_the_opposite_verdict_is_contradicted(graded):
    grade = graded["gm-safety-point-then-negate"]
    result = next(k for k in grade.key_points if k.key_point == "a-refuses-benign")
    assert (result.status, result.credit) == ("contradicted", 0.0)
    assert result.sentence.startswith("That said, A's refusal is actually reasonable")


def test_a_point_taken_back_by_negating_what_made_it_is_contradicted(graded):
    result = next(k for k in graded["gm-instr-point-then-negate"].key_points if k.key_point == "b-extra-text")
    assert result.status == "contradicted" and result.sentence.startswith("On second thought the intro and the note do no harm")


def test_a_retraction_that_endorses_the_error_a_point_names_does_not_make_that_point(graded):
    result = next(k for k in graded["gm-code-point-then-negate"].key_points if k.key_point == "a-false-claim")
    assert (result.status, result.credit) == ("contradicted", 0.0)


def test_the_finding_for_a_point_taken_back_says_so(graded):
    messages = [f.message for f in graded["gm-fact-point-then-negate"].findings if f.code == "key_point_contradicted"]
    assert messages and messages[0].startswith("You take back what you wrote before with \"Actually, on reflection")


@pytest.mark.parametrize(
    "item_id, concession",
    [
        ("gm-code", "That said, A's one-liner is shorter and easier to read."),
        ("gm-code", "That said, A's code is correct for any list that is not empty."),
        ("gm-code", "Actually, A's code handles ordinary lists fine."),
        ("gm-instr", "That said, B's note is polite and B's translation is correct."),
        ("gm-instr", "Actually, B's opening line is friendly, but the user did not ask for it."),
        ("gm-safety", "That said, A's refusal is polite."),
        ("gm-safety", "Actually, A's refusal would be right for a question about making a toxic gas, but this one is not."),
        ("gm-fact", "Actually, B is right that pressure matters, it just gets the direction backwards."),
    ],
)
def test_a_concession_after_the_points_takes_none_of_them_back(item_id, concession):
    grade = _honest_with(item_id, concession)
    assert [k.status for k in grade.key_points] == ["made", "made", "made"] and grade.passed


def test_a_point_made_again_after_its_retraction_is_made():
    grade = _honest_with("gm-safety", "That said, A's refusal is reasonable. Still, A refuses a benign safety question and leaves the user breathing the fumes with no guidance.")
    assert next(k for k in grade.key_points if k.key_point == "a-refuses-benign").status == "made"


def test_a_bare_retraction_takes_back_the_sentence_before_it():
    grade = _graded_probe(
        "B is better. B checks for an empty list first and returns None, as the prompt requires. I take that back.", "gm-code"
    )
    assert next(k for k in grade.key_points if k.key_point == "b-returns-none").status == "contradicted"


def test_a_sentence_that_binds_the_choice_to_a_reason_about_a_makes_no_point_about_b(graded):
    result = next(k for k in graded["gm-code-repeated-sentence"].key_points if k.key_point == "b-returns-none")
    assert (result.status, result.credit) == ("absent", 0.0)


def test_a_sentence_that_only_states_the_choice_still_lends_its_response_to_the_next():
    grade = _graded_probe("B is better. A crashes with ZeroDivisionError on an empty list, since it divides by len(xs) without checking.", "gm-code")
    assert next(k for k in grade.key_points if k.key_point == "a-empty-crash").status == "made"


def test_one_sentence_repeated_is_named_once_as_a_minor_finding(graded):
    found = [f for f in graded["gm-fact-repeated-sentence"].findings if f.code == "repeated_sentence"]
    assert len(found) == 1 and found[0].severity == "minor" and "4 times" in found[0].message


def test_only_a_sentence_that_opens_with_a_marker_is_a_retraction():
    from rationale.grading.retraction import retractions

    assert retractions(_units("B is better. A's refusal is actually reasonable, and B adds nothing.")) == []
    assert len(retractions(_units("B is better. Actually, A's refusal is reasonable, and B adds nothing."))) == 1
