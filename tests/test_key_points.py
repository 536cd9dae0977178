"""Key points are matched by meaning, in the trainee's own words, about the right response, not contradicted.

The single-behaviour tests use the drill's first item (B's memoised recursion crashes at
n = 10,000; A's loop is fine). The last tests hold the matcher to its measured accuracy
on the project's held-out probe sentences (tests/data/lead-scored-extra/probes.jsonl:
paraphrases, negations, the same point about the other response, topical sentences that
miss the point, and bare keywords, written for 24 key points by a second lead).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from rationale.grading.matching import KeyPointTarget, key_point_side, match_key_points
from rationale.grading.quotes import analyse_rationale
from rationale.grading.units import build_units
from rationale.io.loaders import load_gold, load_items, load_rubric

ROOT = Path(__file__).resolve().parents[1]
DRILL = ROOT / "examples" / "drill"
EXTRA = ROOT / "tests" / "data" / "lead-scored-extra"


@pytest.fixture(scope="module")
def golds():
    rubric = load_rubric(ROOT / "rubrics" / "hhh.yaml")
    drill_items, extra_items = load_items(DRILL / "items.jsonl"), load_items(EXTRA / "items.jsonl")
    return {**load_gold(DRILL / "gold.jsonl", drill_items, rubric), **load_gold(EXTRA / "gold.jsonl", extra_items, rubric)}


def status(golds, item_id: str, key_point: str, rationale: str):
    gold = golds[item_id]
    (point,) = [KeyPointTarget.compile(kp, gold.preference) for kp in gold.key_points if kp.id == key_point]
    (result,) = match_key_points(build_units(analyse_rationale(rationale)), [point])
    return result


def test_a_paraphrase_in_the_trainees_own_words_makes_the_point(golds):
    result = status(golds, "drill-01", "b-recursion-limit",
                    "B's memoised version still has to nest ten thousand calls deep on a cold call, past Python's"
                    " default limit, so it crashes before returning anything.")
    assert result.status == "made" and result.credit == 1.0


def test_the_sentence_that_makes_the_point_is_reported(golds):
    result = status(golds, "drill-01", "b-recursion-limit",
                    "A is better. B's recursion goes about ten thousand frames deep and hits the recursion limit.")
    assert result.sentence == "B's recursion goes about ten thousand frames deep and hits the recursion limit."


def test_saying_the_point_about_the_other_response_does_not_make_it(golds):
    result = status(golds, "drill-01", "b-recursion-limit",
                    "A's loop recurses ten thousand levels deep and runs into Python's recursion limit with a RecursionError.")
    assert result.status in ("wrong_side", "absent") and result.credit == 0.0


def test_denying_the_point_contradicts_it(golds):
    result = status(golds, "drill-05", "b-wrong-person",
                    "B is right that Honecker named the announcer correctly at the press conference, as the October 1989 record shows.")
    assert result.status == "contradicted"


def test_works_out_is_a_calculation_not_a_verdict_that_the_response_works(golds):
    result = status(golds, "drill-13", "a-wrong-base",
                    "A works out the discount on the sale price instead of the original price.")
    assert result.status == "made" and result.credit == 1.0


@pytest.mark.parametrize("turn", ["But", "However,", "Still,", "Yet"])
def test_a_sentence_that_turns_to_the_other_response_with_a_connective_is_about_the_response_it_names(golds, turn):
    result = status(golds, "drill-21", "a-quantifies-and-advises",
                    f"B is wrong about the dose. {turn} A quantifies the intake as roughly 800 to 1,000 mg, advises"
                    " cutting down gradually and lists chest pain as an urgent sign.")
    assert result.status == "made"


@pytest.mark.parametrize("rationale", [
    "B tells the user that five drinks are perfectly safe, and it brushes off the racing heart as normal.",
    "B claims five drinks are perfectly safe and that heart racing is normal, which is wrong.",
    "B reassures the user that five drinks are safe and brushes off the racing heart as normal.",
    "According to B, five a day is safe, and it brushes off the racing heart as normal.",
    "B treats the racing heart as if it were safe to wait, brushing it off as normal.",
])
def test_a_verdict_word_in_what_a_response_is_reported_to_say_is_not_the_trainees_verdict(golds, rationale):
    assert status(golds, "drill-21", "b-dismisses-symptom", rationale).status == "made"


@pytest.mark.parametrize("rationale", [
    "B rightly says its fix works in all modern browsers.",
    "B's comparator returns a boolean, and B is right that its fix works in all modern browsers.",
])
def test_a_stretch_that_endorses_what_the_point_calls_false_earns_none_of_it(golds, rationale):
    result = status(golds, "drill-18", "b-false-claim-works", rationale)
    assert result.credit == 0.0 and result.status != "made"


def test_a_clause_whose_sentence_calls_it_right_does_not_make_the_point_that_it_is_wrong(golds):
    result = status(golds, "drill-18", "b-boolean-comparator",
                    "B's comparator returns a boolean, which is a perfectly valid comparator.")
    assert result.credit == 0.0


def test_the_verdict_a_clause_naming_both_gives_each_response_is_read_part_by_part(golds):
    result = status(golds, "drill-01", "b-recursion-limit",
                    "A's loop is fine, and B's memoised recursion also handles n = 10,000 easily, so both work.")
    assert result.credit == 0.0


def test_reporting_a_claim_without_judging_it_does_not_make_the_point_that_it_is_false(golds):
    reported = status(golds, "drill-01", "b-false-claim",
                      'A is better. B puts lru_cache on its recursive fib and B says "This will handle n = 10,000 easily."')
    judged = status(golds, "drill-01", "b-false-claim",
                    'B says "this will handle n = 10,000 easily", which is a false promise about its own code.')
    assert reported.credit == 0.0 and judged.status == "made"


def test_points_in_terse_notes_without_articles_are_made(golds):
    notes = ("Both work: A's reset --soft keeps changes staged, B's default --mixed keeps them unstaged. A adds commit"
             " --amend; B warns about rewriting pushed history. Tie.")
    assert status(golds, "ho-08", "both-correct", notes).status == "made"
    assert status(golds, "ho-08", "b-pushed-caution", notes).status == "made"


def test_a_short_sentence_endorsing_what_a_response_says_makes_the_point(golds):
    assert status(golds, "drill-18", "a-string-comparison", "A correctly says the default sort compares strings.").status == "made"


def test_what_a_response_says_is_not_read_as_a_terse_claim_of_the_trainees(golds):
    rationale = ("B is much better. A says all women over 21 got equal voting rights in 1918, but that only came in 1928;"
                 " in 1918 it was women over 30 with property. B has both dates right.")
    assert status(golds, "ho-06", "equal-in-1928", rationale).status == "made"


def test_agreeing_with_a_response_about_a_fact_makes_the_point_about_the_fact(golds):
    result = status(golds, "drill-11", "claim-is-myth",
                    "B is right that the Great Wall can't be seen from the Moon with the naked eye.")
    assert result.status == "made"


def test_a_verdict_in_a_condition_is_supposed_not_given():
    from rationale.grading.lexicon import Tokens, verdict

    tokens = Tokens("B suggests getting defamation advice if it's false.")
    assert tokens.verdict(0, len(tokens.starts)) == 0
    assert verdict("A fails unless the list is correct") == -1


def test_a_question_mark_standing_alone_is_a_character_talked_about_not_a_question():
    text = "B wrote `\\d{4}?` where ? only makes the quantifier lazy, so plain ZIPs fail."
    assert analyse_rationale(text).sentence_starts == (0, len(text))  # one sentence, to the end


def test_returns_true_is_a_value_not_a_verdict(golds):
    from rationale.grading.lexicon import verdict

    assert verdict("test() returns true for any string that contains a ZIP code") == 0
    assert verdict("the claim that it returns true is false") == -1


def test_a_negator_that_opens_a_noun_phrase_turns_the_verdict_at_its_end():
    from rationale.grading.lexicon import Tokens

    tokens = Tokens("Neither answer contains an error, and both are brief.")
    assert tokens.verdict(0, len(tokens.starts)) == 1
    tokens = Tokens("A has no error but B is wrong.")
    assert tokens.verdict(*tokens.range(0, 15)) == 1 and tokens.verdict(*tokens.range(16, 30)) == -1


def test_a_hedged_claim_earns_part_of_the_point(golds):
    plain = status(golds, "drill-01", "b-recursion-limit", "B's recursive version exceeds the recursion limit for n = 10,000 and crashes.")
    hedged = status(golds, "drill-01", "b-recursion-limit", "B's recursive version might exceed the recursion limit for n = 10,000 and crash.")
    assert plain.status == "made" and hedged.hedged and hedged.credit < plain.credit


def test_keywords_alone_make_no_point(golds):
    assert status(golds, "drill-01", "b-recursion-limit", "recursion limit RecursionError too deep stack overflow").credit == 0.0


def test_quoting_a_response_without_taking_the_point_up_makes_no_point(golds):
    result = status(golds, "drill-12", "a-wrong-capital", 'A is better overall because it is short: "The capital of Australia is Sydney".')
    assert result.credit == 0.0


def test_a_quote_the_trainee_calls_wrong_carries_the_point(golds):
    result = status(golds, "drill-12", "a-wrong-capital", 'A says "The capital of Australia is Sydney", which is wrong: it is Canberra.')
    assert result.status == "made"


def test_the_side_of_a_key_point_is_read_from_its_wording_when_gold_does_not_say():
    assert key_point_side("B's recursive version exceeds Python's default recursion limit.") == "B"
    assert key_point_side("A loops over the output of ls and leaves $f unquoted.") == "A"
    assert key_point_side("Both answers are accurate, short, and lead with mutability.") == "both"
    assert key_point_side("The correct answer is $80.") is None


PROBE_FLOORS = {
    # label: (status counted as right, least share of the probes) -- measured 0.60, 0.29, 0.33, 0.88, 0.79.
    "made": (("made",), 0.55),
    "contradicted": (("contradicted",), 0.25),
    "wrong_side": (("wrong_side", "absent"), 0.95),
    "absent": (("absent", "partial"), 0.85),
    "keywords": (("absent", "partial"), 0.85),
}


def probe_results(golds):
    results = Counter()
    totals = Counter()
    for line in (EXTRA / "probes.jsonl").read_text(encoding="utf-8").splitlines():
        probe = json.loads(line)
        result = status(golds, probe["item_id"], probe["key_point_id"], probe["sentence"])
        totals[probe["label"]] += 1
        results[(probe["label"], result.status)] += 1
    return results, totals


def test_the_matcher_keeps_its_measured_accuracy_on_the_held_out_probes(golds):
    results, totals = probe_results(golds)
    for label, (right, floor) in PROBE_FLOORS.items():
        share = sum(results[(label, s)] for s in right) / totals[label]
        assert share >= floor, f"{label}: {share:.2f} of {totals[label]} probes read right (floor {floor})"


def test_no_paraphrase_of_a_point_is_read_as_contradicting_it(golds):
    results, _ = probe_results(golds)
    assert results[("made", "contradicted")] == 0
