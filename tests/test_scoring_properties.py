"""Scoring invariants that hold for any judgment, checked with hypothesis."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rationale.grading.context import make_context
from rationale.grading.key_points import score_key_points
from rationale.grading import COMPONENTS as SCORING_COMPONENTS
from rationale.grading import Grader
from rationale.grading.grader import CRITICAL_CAPS
from rationale.models import Judgment, Severity


PROPERTY_SETTINGS = settings(max_examples=200, deadline=None)

COMPONENTS = [name for name, _ in SCORING_COMPONENTS]
ITEM_ID = "add-two"  # the grading_item fixture's id

# Words a rationale is built from: criterion cues, key-point cues, vague and
# length phrases, mentions of either response, comparatives and plain words.
FRAGMENTS = [
    "Response A", "Response B", "A", "B", "the first response", "the second response", "is", "better",
    "worse", "more accurate", "wrong", "correct", "clear", "confusing", "bug", "subtract", "minus", "sum",
    "better overall", "more helpful", "longer", "more detailed", "I prefer", "fails", "wins", "although",
    "not", "because", "the code", "returns", "2", ",", ".", ";", "it's", "B's", "'", '"',
]
QUOTES = [
    '"return a - b"',
    '"returns the sum of a and b"',
    '"This function returns the difference."',
    "“multiplies the two numbers”",
    "'adds two numbers'",
]

rationales = st.one_of(
    st.none(),
    st.lists(st.sampled_from(FRAGMENTS + QUOTES), min_size=1, max_size=60).map(" ".join),
    # Any text a judgment accepts: no NUL (refused on input), and at 300 characters no over-long word either.
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1, max_size=300).filter(lambda t: t.strip()),
)


@st.composite
def weights(draw) -> dict[str, float]:
    """Any weights a valid rubric may have (the verdict weighs at least the argument)."""
    parts = draw(
        st.lists(st.integers(0, 10), min_size=len(COMPONENTS), max_size=len(COMPONENTS)).filter(
            lambda p: any(p) and p[COMPONENTS.index("verdict")] >= p[COMPONENTS.index("argument")]
        )
    )
    total = sum(parts)
    return {name: part / total for name, part in zip(COMPONENTS, parts)}


@st.composite
def golds(draw, *, decided: bool = False) -> dict:
    """Fields of gold answers (for `make_gold`) whose acceptable alternatives stay on gold's side (or at a tie)."""
    strength = draw(st.integers(1, 3) if decided else st.integers(-3, 3))
    if draw(st.booleans()):
        strength = -strength
    preference = "A" if strength < 0 else "B" if strength > 0 else "tie"
    acceptable = None
    if draw(st.booleans()):
        sign = -1 if strength < 0 else 1
        near, far = sorted(sign * s for s in (draw(st.integers(0, 3)), abs(strength)))
        acceptable = {
            "preferences": draw(st.lists(st.sampled_from([preference, "tie"]), max_size=2, unique=True)),
            "strength_min": near,
            "strength_max": far,
        }
    return dict(
        preference=preference,
        strength=strength,
        acceptable=acceptable,
        decisive_criteria=draw(st.lists(st.sampled_from(["accuracy", "clarity"]), max_size=2, unique=True)),
    )


@st.composite
def judgments(draw, preference: str | None = None) -> Judgment:
    preference = preference or draw(st.sampled_from(["A", "B", "tie"]))
    if preference == "tie":
        strength = draw(st.sampled_from([None, 0]))
    else:
        magnitude = draw(st.one_of(st.none(), st.integers(1, 3)))
        strength = None if magnitude is None else (-magnitude if preference == "A" else magnitude)
    return Judgment(
        item_id=ITEM_ID,
        annotator="prop",
        preference=preference,
        strength=strength,
        criteria=draw(st.lists(st.sampled_from(["accuracy", "clarity"]), max_size=2, unique=True)),
        rationale=draw(rationales),
    )


def flipped(judgment: Judgment) -> Judgment:
    other = "B" if judgment.preference == "A" else "A"
    strength = None if judgment.strength is None else -judgment.strength
    return judgment.model_copy(update={"preference": other, "strength": strength})


@PROPERTY_SETTINGS
@given(judgment=judgments(), gold=golds(), rubric_weights=weights(), pass_mark=st.floats(0, 100))
def test_scores_stay_between_0_and_100(judgment, gold, rubric_weights, pass_mark, grading_item, make_gold, make_rubric):
    grader = Grader(make_rubric(weights=rubric_weights, pass_mark=pass_mark))
    result = grader.grade(judgment, grading_item, make_gold(**gold))
    assert 0.0 <= result.score <= 100.0
    assert 0.0 <= result.verdict_score <= 100.0 and 0.0 <= result.reasoning_score <= 100.0
    critical = any(f.severity == Severity.critical for f in result.findings)
    capped = any(f.code in CRITICAL_CAPS for f in result.findings)
    near = result.strength_distance is None or result.strength_distance <= 1
    reasoned = result.reasoning_score >= grader.reasoning_pass_mark
    assert result.passed == (
        result.score >= pass_mark and not critical and not capped and result.preference_correct and near and reasoned
    )
    assert all(credit is None or 0.0 <= credit <= 1.0 for credit in result.components.values())


@st.composite
def sane_weights(draw) -> dict[str, float]:
    """Valid rubric weights that give the verdict some weight.

    Flipping the preference can remove a `contradicts_choice` finding; the wrong
    choice's cap (the lowest of all) keeps the flipped judgment at or below it.
    """
    return draw(weights().filter(lambda w: w["verdict"] > 0))


@PROPERTY_SETTINGS
@given(data=st.data(), gold=golds(decided=True), rubric_weights=sane_weights())
def test_a_correct_judgment_never_scores_below_the_same_judgment_flipped(
    data, gold, rubric_weights, grading_item, make_gold, make_rubric
):
    gold = make_gold(**gold)
    judgment = data.draw(judgments(preference=gold.preference))
    grader = Grader(make_rubric(weights=rubric_weights))
    correct = grader.grade(judgment, grading_item, gold)
    wrong = grader.grade(flipped(judgment), grading_item, gold)
    assert correct.score >= wrong.score


KEY_POINT_FILLER = [
    "Response B", "Response A", "is", "correct", "and", "clear", ".", "the code", "it", "returns", "a value", "because",
]


@PROPERTY_SETTINGS
@given(filler=st.lists(st.sampled_from(KEY_POINT_FILLER), max_size=12), which=st.sampled_from([0, 1]))
def test_key_point_credit_never_drops_when_the_point_is_stated_in_the_leads_words(filler, which, grading_item, make_gold, make_rubric):
    gold = make_gold()
    rubric = make_rubric()
    point = gold.key_points[which].text

    def credit(rationale: str) -> float:
        judgment = Judgment(item_id=grading_item.id, annotator="prop", preference="B", rationale=rationale)
        return score_key_points(make_context(judgment, grading_item, gold, rubric)).credit

    # The point is added as a sentence of its own: run on after filler such as "correct correct returns and",
    # it would make one sentence calling Response A correct, which rightly reads as a contradiction.
    before = " ".join(filler).strip() or "Nothing to say."
    assert credit(before) <= credit(f"{before.rstrip(' .')}. {point}")
