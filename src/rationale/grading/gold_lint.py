"""Warnings for gold authors: gold the grader would read differently from the lead who wrote it.

Each check is a small function over one gold answer (with its item and the
rubric) returning warnings; :func:`lint_gold` runs them all. The most useful one
grades the lead's own reference rationale: a key point the reference rationale
does not make, by the grader's reading, will not be found in trainees' words either.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .lexicon import CORRECT, FUNCTION_WORDS, STOP_WORDS, WRONG, Tokens
from .matching import KeyPointTarget, key_point_side, match_key_points
from .quotes import analyse_rationale
from .semantic import Passage, content_words, recall
from .units import build_units

GENERIC_CUE_SHARE = 0.5
"""A cue found in more than this share of the reference rationales fits nearly any rationale."""
MIN_KEY_POINT_WORDS = 3
DUPLICATE_RECALL = 0.8
GENERIC_WORDS = CORRECT | WRONG | FUNCTION_WORDS | STOP_WORDS | frozenset("note concise clear better worse".split())


@dataclass(frozen=True, slots=True)
class GoldWarning:
    item_id: str
    code: str
    message: str
    key_point: str | None = None


GoldCheck = Callable[["GoldLintContext"], Iterable[GoldWarning]]
GOLD_CHECKS: list[GoldCheck] = []


def gold_check(fn: GoldCheck) -> GoldCheck:
    GOLD_CHECKS.append(fn)
    return fn


@dataclass(slots=True)
class GoldLintContext:
    gold: object  # models.GoldAnswer
    rubric: object  # models.Rubric
    references: Sequence[str]  # every reference rationale in the gold file, lower-cased
    targets: list[KeyPointTarget]


@gold_check
def no_key_points(ctx: GoldLintContext) -> Iterable[GoldWarning]:
    """Imported gold (votes, a benchmark's label) usually has none: fine for grading choices, not for drilling reasoning."""
    if not ctx.gold.key_points:
        yield GoldWarning(
            ctx.gold.item_id,
            "no_key_points",
            "has no key points, so a rationale is never checked for what it says about this pair (only its quotes,"
            " criteria and argument): add the points a good rationale makes",
        )


@gold_check
def key_point_too_short(ctx: GoldLintContext) -> Iterable[GoldWarning]:
    for kp in ctx.gold.key_points:
        if len(content_words(kp.text)) < MIN_KEY_POINT_WORDS:
            yield GoldWarning(
                ctx.gold.item_id,
                "key_point_too_short",
                "says too little to be recognised in a trainee's own words: add what the point rests on (what the response"
                " does or says, and why it matters)",
                kp.id,
            )


@gold_check
def key_point_side_unknown(ctx: GoldLintContext) -> Iterable[GoldWarning]:
    for kp in ctx.gold.key_points:
        if kp.about is None and key_point_side(kp.text) is None:
            yield GoldWarning(
                ctx.gold.item_id,
                "key_point_side_unknown",
                "names no response: add `about:` (A, B, both or neither) so that a point made about the wrong response"
                " is not credited",
                kp.id,
            )


@gold_check
def generic_cue(ctx: GoldLintContext) -> Iterable[GoldWarning]:
    for kp in ctx.gold.key_points:
        for cue in kp.cues:
            needle = cue.lower()
            share = sum(needle in ref for ref in ctx.references) / len(ctx.references) if len(ctx.references) >= 4 else 0.0
            if needle in GENERIC_WORDS:
                yield GoldWarning(
                    ctx.gold.item_id,
                    "generic_cue",
                    f"cue {cue!r} is a word nearly any rationale uses (cues only inform readers; points are matched by meaning)",
                    kp.id,
                )
            elif share > GENERIC_CUE_SHARE:
                yield GoldWarning(
                    ctx.gold.item_id,
                    "generic_cue",
                    f"cue {cue!r} appears in {share:.0%} of the reference rationales, so it fits nearly any rationale",
                    kp.id,
                )


@gold_check
def reference_misses_key_point(ctx: GoldLintContext) -> Iterable[GoldWarning]:
    units = build_units(analyse_rationale(ctx.gold.reference_rationale))
    for result in match_key_points(units, ctx.targets):
        if result.status != "made":
            yield GoldWarning(
                ctx.gold.item_id,
                "reference_misses_key_point",
                f"the reference rationale does not make this point by the grader's reading ({result.status}): reword the"
                " point closer to how a good rationale says it",
                result.key_point,
            )


@gold_check
def duplicate_key_points(ctx: GoldLintContext) -> Iterable[GoldWarning]:
    points = ctx.gold.key_points
    for i, first in enumerate(points):
        passage = Passage(Tokens(first.text))
        for second, target in zip(points[i + 1 :], ctx.targets[i + 1 :]):
            if recall([target.target], passage, [(0, len(passage.words))])[0][0, 0] >= DUPLICATE_RECALL:
                yield GoldWarning(
                    ctx.gold.item_id,
                    "duplicate_key_points",
                    f"key points {first.id!r} and {second.id!r} say nearly the same thing: one point is credited twice",
                    second.id,
                )


@gold_check
def decisive_criterion_without_key_point(ctx: GoldLintContext) -> Iterable[GoldWarning]:
    """Only where the author ties key points to criteria (``criterion:``): which point applies which criterion
    is a judgment the grader cannot make for them."""
    tied = {getattr(kp, "criterion", None) for kp in ctx.gold.key_points} - {None}
    if not tied:
        return
    for criterion_id in ctx.gold.decisive_criteria:
        if criterion_id not in tied:
            yield GoldWarning(
                ctx.gold.item_id,
                "decisive_criterion_without_key_point",
                f"decisive criterion {criterion_id!r} has no key point (`criterion: {criterion_id}`) that applies it",
            )


def lint_gold(golds: Sequence, rubric) -> list[GoldWarning]:
    """Every warning for every gold answer, in file order."""
    references = [analyse_rationale(g.reference_rationale).masked_lower for g in golds]
    warnings: list[GoldWarning] = []
    for gold in golds:
        targets = [KeyPointTarget.compile(kp, gold.preference) for kp in gold.key_points]
        ctx = GoldLintContext(gold, rubric, references, targets)
        for check in GOLD_CHECKS:
            warnings.extend(check(ctx))
    return warnings
