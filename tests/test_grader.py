"""The grader composes the checks into a Grade (the grading fixtures are in conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rationale.grading import Grader, grade
from rationale.models import Grade, Item, Severity


WEAK_RATIONALE = 'I prefer A. Response A says "returns the sum of a and b" which is better overall.'


def test_good_judgment_scores_100_and_passes(grading_item, make_gold, make_judgment, make_rubric):
    result = grade(make_judgment(), grading_item, make_gold(), make_rubric())
    assert result.score == 100.0
    assert result.passed
    assert result.findings == []


def test_score_is_the_weighted_mean_of_component_credits(default_weights, grading_item, make_gold, make_judgment, make_rubric):
    # Strength +1 against gold +3 (two steps: 1 - 0.20 - 0.25 of the verdict), a criterion that does not
    # decide the pair (-0.25 of the criteria credit), the rest full.
    judgment = make_judgment(strength=1, criteria=["accuracy", "clarity"])
    result = grade(judgment, grading_item, make_gold(), make_rubric())
    credits = {**dict.fromkeys(default_weights, 1.0), "verdict": 0.55, "criteria": 0.75}
    expected = 100 * sum(default_weights[name] * credit for name, credit in credits.items())
    assert result.components == pytest.approx({**credits, "escalation": None})  # a clear item, not flagged
    assert result.score == round(expected, 2)


def test_the_verdict_and_reasoning_grades_are_reported_beside_the_overall_score(default_weights, grading_item, make_gold, make_judgment, make_rubric):
    judgment = make_judgment(strength=1, criteria=["accuracy", "clarity"])
    result = grade(judgment, grading_item, make_gold(), make_rubric())
    reasoning = {k: w for k, w in default_weights.items() if k != "verdict"}
    expected = 100 * (sum(reasoning.values()) - reasoning["criteria"] * 0.25) / sum(reasoning.values())
    assert result.verdict_score == 55.0
    assert result.reasoning_score == pytest.approx(expected, abs=0.01)


def test_a_right_choice_with_no_reasoning_scores_about_half_and_fails(grading_item, make_gold, make_judgment, make_rubric):
    judgment = make_judgment(rationale="B is better than A here, as anyone can see from reading both of them.")
    result = grade(judgment, grading_item, make_gold(), make_rubric())
    assert result.verdict_score == 100.0
    assert 45 <= result.score <= 60
    assert not result.passed


def test_score_stays_between_0_and_100_for_a_thoroughly_wrong_judgment(grading_item, make_gold, make_judgment, make_rubric):
    judgment = make_judgment(preference="A", strength=-3, criteria=["clarity"], rationale=WEAK_RATIONALE)
    result = grade(judgment, grading_item, make_gold(), make_rubric())
    assert 0.0 <= result.score < 20.0
    assert not result.passed


def test_judgment_scoring_exactly_the_pass_mark_passes(grading_item, make_gold, make_judgment, make_rubric):
    judgment = make_judgment(strength=2, criteria=["accuracy", "clarity"])
    score = grade(judgment, grading_item, make_gold(), make_rubric()).score
    assert grade(judgment, grading_item, make_gold(), make_rubric(pass_mark=score)).passed


def test_judgment_scoring_just_below_the_pass_mark_fails(grading_item, make_gold, make_judgment, make_rubric):
    judgment = make_judgment(strength=2, criteria=["accuracy", "clarity"])
    score = grade(judgment, grading_item, make_gold(), make_rubric()).score
    assert not grade(judgment, grading_item, make_gold(), make_rubric(pass_mark=score + 0.01)).passed


def test_without_a_strength_the_verdict_is_the_preference_alone(grading_item, make_gold, make_judgment, make_rubric):
    # Vote-only strength: a judgment that is otherwise perfect still scores 100.
    result = grade(make_judgment(strength=None), grading_item, make_gold(), make_rubric())
    assert result.components["verdict"] == 1.0
    assert result.strength_distance is None
    assert result.score == 100.0


def test_a_wrong_choice_is_capped_low_however_good_the_reasoning(grading_item, make_gold, make_judgment, make_rubric):
    result = grade(make_judgment(preference="A", strength=None), grading_item, make_gold(), make_rubric())
    assert result.reasoning_score == 100.0
    assert [f.code for f in result.findings] == ["wrong_preference"]
    assert result.score == 15.0
    assert not result.passed


def test_a_strength_two_steps_off_never_passes(grading_item, make_gold, make_judgment, make_rubric):
    result = grade(make_judgment(strength=1), grading_item, make_gold(), make_rubric(pass_mark=50))
    assert result.score >= 50
    assert not result.passed
    assert result.findings[-1].code == "held_back"


def test_a_strength_one_step_off_can_pass(grading_item, make_gold, make_judgment, make_rubric):
    assert grade(make_judgment(strength=2), grading_item, make_gold(), make_rubric()).passed


def test_vote_only_judgment_reports_no_rationale_and_earns_no_rationale_credit(grading_item, make_gold, make_judgment, make_rubric):
    result = grade(make_judgment(rationale=None, strength=None), grading_item, make_gold(), make_rubric())
    # The criteria listed earn half (listed but not applied in any text); nothing else of the reasoning.
    assert result.components == {"verdict": 1.0, "key_points": 0.0, "evidence": 0.0, "criteria": 0.5, "argument": 0.0, "escalation": None}
    assert [f.code for f in result.findings] == ["no_rationale"]
    assert result.key_points_missed == ["subtracts", "b-sums"]
    assert [k.status for k in result.key_points] == ["absent", "absent"]
    assert result.score == pytest.approx(100 * (0.5 + 0.05 * 0.5), abs=0.01)


def test_grade_fills_identity_and_detail_fields(grading_item, make_gold, make_judgment, make_rubric):
    judgment = make_judgment(criteria=["accuracy", "clarity"])
    rubric, gold = make_rubric(), make_gold()
    result = grade(judgment, grading_item, gold, rubric)
    assert (result.item_id, result.annotator) == ("add-two", "trainee")
    assert result.judgment_hash == judgment.content_hash
    assert result.rubric_hash == rubric.content_hash
    assert result.gold_hash == gold.content_hash
    assert result.preference_correct is True
    assert result.strength_distance == 0
    assert (result.criteria_precision, result.criteria_recall) == (0.5, 1.0)
    assert (result.key_points_made, result.key_points_missed) == (["subtracts", "b-sums"], [])


def test_grade_is_a_valid_grade_model(grading_item, make_gold, make_judgment, make_rubric):
    judgment = make_judgment(preference="A", strength=-1, rationale=WEAK_RATIONALE)
    result = grade(judgment, grading_item, make_gold(), make_rubric())
    assert Grade.model_validate_json(result.model_dump_json()) == result


def test_findings_are_ordered_by_severity_then_component(grading_item, make_gold, make_judgment, make_rubric):
    judgment = make_judgment(preference="A", strength=-3, criteria=["clarity"], rationale=WEAK_RATIONALE)
    result = grade(judgment, grading_item, make_gold(), make_rubric())
    ranks = [list(Severity).index(f.severity) for f in result.findings]
    assert ranks == sorted(ranks)
    # Within a severity, components keep report order: verdict, key points, evidence, criteria, argument.
    assert [f.code for f in result.findings] == [
        "wrong_preference",
        "strength_off",
        "missed_key_point",
        "key_point_about_other_response",
        "misattributed_quote",
        "missed_decisive_criterion",
        "no_criterion_cited",
        "irrelevant_criterion",
    ]


def test_grading_is_deterministic(grading_item, make_gold, make_judgment, make_rubric):
    judgment = make_judgment(preference="A", strength=-1, rationale=WEAK_RATIONALE)
    first = grade(judgment, grading_item, make_gold(), make_rubric())
    second = Grader(make_rubric()).grade(judgment, grading_item, make_gold())
    assert first.model_dump() == second.model_dump()


def test_grader_reuses_compiled_item_context_for_the_same_item(grading_item, make_gold, make_judgment, make_rubric):
    grader = Grader(make_rubric())
    first = grader.check_context(make_judgment(), grading_item, make_gold())
    second = grader.check_context(make_judgment(strength=2), grading_item, make_gold())
    assert first.item is second.item
    assert first.gold is second.gold


def test_grader_recompiles_when_an_item_with_the_same_id_changes(grading_item, make_gold, make_judgment, make_rubric):
    grader = Grader(make_rubric())
    grader.grade(make_judgment(), grading_item, make_gold())
    changed = grading_item.model_copy(update={"response_b": "def add(a, b):\n    return sum([a, b])"})
    result = grader.grade(make_judgment(), changed, make_gold())
    # B's wording changed under the trainee: the quote attributed to B is no longer in it.
    assert [f.code for f in result.findings] == ["fabricated_quote"]
    assert result.score == 45.0


def test_grader_cache_is_bounded(grading_item, make_gold, make_judgment, make_rubric):
    grader = Grader(make_rubric(), cache_size=2)
    for n in range(5):
        item = grading_item.model_copy(update={"id": f"item-{n}"})
        grader.grade(make_judgment(item_id=item.id), item, make_gold(item_id=item.id))
    assert len(grader._items.entries) == 2


def test_mismatched_item_ids_are_refused(make_gold, make_judgment, make_rubric):
    other = Item(id="other", prompt="p", response_a="a", response_b="b")
    with pytest.raises(ValueError, match="do not match"):
        grade(make_judgment(), other, make_gold(), make_rubric())


def test_grading_does_not_depend_on_the_hash_seed(tmp_path):
    # Set iteration order changes with PYTHONHASHSEED; findings and their order must not.
    # A cue shared by two non-decisive criteria makes their order depend on how it is stored.
    script = tmp_path / "grade_once.py"
    script.write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from conftest import ITEM as grading_item, make_gold, make_judgment, make_rubric\n"
        "from rationale.grading import grade\n"
        "from rationale.models import Rubric\n"
        "data = make_rubric().model_dump()\n"
        "data['criteria'][1]['cues'].append('bug')\n"
        "data['criteria'].append({**data['criteria'][1], 'id': 'style', 'name': 'Style', 'cues': ['bug']})\n"
        "judgment = make_judgment(criteria=['style'], rationale='The bug in Response A is wrong and B is correct.')\n"
        "print(grade(judgment, grading_item, make_gold(), Rubric.model_validate(data)).model_dump_json())\n",
        encoding="utf-8",
    )
    outputs = {
        subprocess.run(
            [sys.executable, str(script)],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(6)
    }
    assert len(outputs) == 1
    assert '"irrelevant_criterion"' in outputs.pop()


def test_when_every_weighted_component_is_skipped_the_preference_decides(default_weights, grading_item, make_gold, make_judgment, make_rubric):
    only_criteria = {**dict.fromkeys(default_weights, 0.0), "criteria": 1.0}
    rubric = make_rubric(weights=only_criteria)
    no_criteria = make_gold(decisive_criteria=[])
    assert grade(make_judgment(strength=None), grading_item, no_criteria, rubric).score == 100.0
    assert grade(make_judgment(preference="A", strength=None), grading_item, no_criteria, rubric).score == 0.0


FABRICATED = GOOD_RATIONALE_WITH_INVENTED_QUOTE = (
    'Response A is wrong: it says "return a - b", so it will subtract instead of add. '
    'Response B "returns the sum of a and b", which is correct and clear, and it says "handles floats and ints alike".'
)


def test_a_critical_finding_caps_the_score_and_keeps_the_judgment_from_passing(grading_item, make_gold, make_judgment, make_rubric):
    result = grade(make_judgment(rationale=FABRICATED), grading_item, make_gold(), make_rubric(pass_mark=40))
    assert result.score == 45.0
    assert "fabricated_quote" in [f.code for f in result.findings]
    assert not result.passed
    assert result.findings[-1].code == "held_back"


def test_a_judgment_without_critical_findings_is_not_held_back(grading_item, make_gold, make_judgment, make_rubric):
    result = grade(make_judgment(strength=2), grading_item, make_gold(), make_rubric())
    assert result.passed
    assert "held_back" not in [f.code for f in result.findings]


def test_a_reasoning_grade_below_its_pass_mark_keeps_a_judgment_from_passing(grading_item, make_gold, make_judgment, make_rubric):
    rubric = make_rubric(pass_mark=50)
    strict = rubric.model_copy(update={"scoring": rubric.scoring.model_copy(update={"reasoning_pass_mark": 99.0})})
    judgment = make_judgment(criteria=["accuracy", "clarity"])
    assert grade(judgment, grading_item, make_gold(), rubric).passed
    held = grade(judgment, grading_item, make_gold(), strict)
    assert not held.passed and held.findings[-1].code == "held_back"


def test_a_grade_built_by_the_fast_constructor_is_the_one_model_construct_builds(grading_item, make_gold, make_judgment, make_rubric):
    from rationale.grading.context import constructor
    from rationale.models import KeyPointResult

    graded = grade(make_judgment(), grading_item, make_gold(), make_rubric())
    values = {name: getattr(graded, name) for name in Grade.model_fields}
    fast, slow = constructor(Grade)(**values), Grade.model_construct(**values)
    assert type(fast) is Grade and fast == slow
    assert fast.model_fields_set == slow.model_fields_set and fast.model_dump_json() == slow.model_dump_json()
    assert list(vars(fast)) == list(vars(slow))
    partial = constructor(KeyPointResult)(key_point="k", status="absent", credit=0.0)  # a default left out
    assert partial == KeyPointResult.model_construct(key_point="k", status="absent", credit=0.0)
    assert partial.model_fields_set == {"key_point", "status", "credit"}
