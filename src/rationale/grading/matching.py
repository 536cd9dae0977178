"""Does the rationale make each of the gold's key points, in its own words, about the right response?

For each key point the best supporting stretch of the rationale (:mod:`.units`) is
found by meaning (:mod:`.semantic`): alignment recall of :data:`MADE` or more makes
the point, :data:`PARTIAL` to :data:`MADE` makes part of it, and a hedged claim
("could run into trouble") counts for :data:`HEDGE_CREDIT` of its match. Quoted text
stays in a stretch, but a stretch needs three content words of the trainee's own and
must read as prose: quotes or keywords alone make no point. On top of meaning, two
checks a keyword matcher cannot do:

* **Side**: a key point about Response B is not made by a sentence about A. A clause
  that says the same thing about the other response is reported as ``wrong_side``.
* **Polarity**: a clause on the point that gives the opposite verdict ("A's conversion
  is correct" where the gold says it is wrong; "B's translation is wrong" where the
  gold says both are right) *contradicts* it: the trainee endorses an error the gold
  names, or invents one. The point's own verdict is read from its words; without one,
  a point about the preferred response is praise and one about the other is criticism.

* **Retraction**: a later sentence that opens "On second thought", "Then again", "That said", ... and says the
  opposite of a point made before it takes the point back (:mod:`.retraction`): the point is contradicted.

Only confident findings are reported: a contradiction or wrong side needs a clause
that matches the point strongly (:data:`STRONG`) and names one response, and a point
that is also made elsewhere in the rationale counts as made.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import KeyPoint, KeyPointResult
from .lexicon import NEGATORS, REPORTING, verdict, words
from .quotes import analyse_rationale
import numpy as np

from .context import constructor
from .semantic import Target, stretch_recall
from .retraction import Retraction, about, concedes, matter, opposing, retractions
from .units import RationaleUnits, Stretch, states_choice

MADE = 0.45
PARTIAL = 0.28
STRONG = 0.42
WRONG_SIDE_WITH_VERDICT = 0.50
WRONG_SIDE = 0.65
HEDGE_CREDIT = 0.6
LEAST_PARTIAL_CREDIT = 0.15
"""A point matched for less than this share of its credit is absent, not partly made: the feedback would tell the
trainee they made part of a point their rationale does not make (a key point of drill-03 on alternatives to
breaking in was 'partly made', credit 0.06, by a rationale that never mentions one). Measured: the agreement
with the leads is unchanged on both sets (0.25 cost the held-out set 0.006 of rho)."""
SAME_MATCH = 0.03
OWN_SHARE = 0.3
"""Share of a stretch's match that must come from the trainee's own words (outside quotes), unless those
words give the quoted text the point's verdict (B "returns the sum of a and b", which is correct)."""

_BOTH = re.compile(r"^\s*(?:both|neither|each|the\s+two)\b", re.I)


def key_point_side(text: str) -> str | None:
    """Which response a key point is about, read from its wording: "both" for "Both ..."/"Neither ...",
    else the first response it names, else None."""
    if _BOTH.match(text):
        return "both"
    mentions = analyse_rationale(text).mentions
    return mentions[0].side if mentions else None


@dataclass(frozen=True, slots=True)
class KeyPointTarget:
    """A gold key point compiled for matching."""

    id: str
    text: str
    about: str | None  # "A", "B", "both", or None (not about one response)
    polarity: int  # +1 the point praises its subject, -1 criticises it, 0 neither
    negated: bool  # worded with a negation ("A never mentions ...")
    weight: float
    target: Target
    judges_claim: bool = False  # it is a verdict on what a response claims ("A falsely claims ...")

    @classmethod
    def compile(cls, key_point: KeyPoint, gold_preference: str) -> "KeyPointTarget":
        about = key_point.about or key_point_side(key_point.text)
        if about == "neither":
            about = None
        polarity = verdict(key_point.text)
        if not polarity and about in ("A", "B") and gold_preference in ("A", "B"):
            polarity = 1 if about == gold_preference else -1
        negated = any(w in NEGATORS or w.endswith(("n't", "n’t")) for w in words(key_point.text))
        stated = verdict(key_point.text)
        judges_claim = bool(stated) and any(w in REPORTING or w in ("claim", "claims") for w in words(key_point.text))
        return cls(key_point.id, key_point.text, about, polarity, negated, key_point.weight, Target.compile(key_point.text),
                   judges_claim)


def _verdict_on(about: str | None, stretch: Stretch) -> int:
    """The verdict a stretch gives what a point is about: a response's, or, for a point about neither (a fact),
    the stretch's own only when it is about neither response ("B is right that ..." judges B, not the fact)."""
    if about is None and stretch.side is not None:
        return 0
    return stretch.verdict_about(about)


def _opposes(point: KeyPointTarget, clause: Stretch) -> bool:
    # A point about neither response is a fact ("the claim is a myth"); a verdict on a response ("B is right that
    # ...") is not a verdict on that fact.
    same_side = (point.about is None and clause.side is None) or point.about == "both" or clause.side == point.about
    return bool(point.polarity and clause.verdict and clause.verdict != point.polarity and same_side)


def _said_of_other(point: KeyPointTarget, clause: Stretch, score: float) -> bool:
    if point.about not in ("A", "B") or clause.side in (None, point.about):
        return False
    agrees = bool(clause.verdict) and clause.verdict == point.polarity and score >= WRONG_SIDE_WITH_VERDICT
    return agrees or (score >= WRONG_SIDE and clause.negated == point.negated)


_key_point_result = constructor(KeyPointResult)
_STRONG = float(np.float32(STRONG))
"""STRONG as the recall figures (float32) compare with it."""


@dataclass(frozen=True, slots=True)
class _Scored:
    """The stretches that count, with every key point's recall in each (rows: key points), as Python floats."""

    clauses: list[Stretch]
    support: list[Stretch]  # clauses, then sentences, then windows
    support_recall: list[list[float]]  # the first len(clauses) columns are the clauses'
    quote_carried: list[list[bool]]  # less than OWN_SHARE of the match comes from the trainee's own words
    quotes: tuple = ()  # the rationale's quotes (each with its start)
    text: str = ""  # the rationale


def _score_stretches(units: RationaleUnits, points: Sequence[KeyPointTarget], stacked) -> _Scored:
    found, own = stretch_recall(
        [p.target for p in points], units.passage, [c.words for c in units.clauses], [s.words for s in units.sentences], stacked
    )
    # Only stretches with enough of the trainee's own words, in prose, count (columns: clauses, sentences, windows).
    every = [*units.clauses, *units.sentences, *units.windows]
    kept = [i for i, s in enumerate(every) if s.counts]
    support_recall, support_own = found[:, kept], own[:, kept]
    return _Scored(
        [s for s in every[: len(units.clauses)] if s.counts],
        [every[i] for i in kept],
        support_recall.tolist(),
        # Compared as whole rows in float32, as element by element, and read back as Python values once.
        (support_own < OWN_SHARE * support_recall).tolist(),
        units.rationale.quotes,
        units.rationale.text,
    )


_REPORTED_BY = re.compile(r"\b(\w+)\s*[:,]?\s*$")


def _reported(text: str, quote_start: int) -> bool:
    """The quote at `quote_start` is introduced by a reporting verb: 'A says "...', 'B claims: "...'."""
    before = _REPORTED_BY.search(text, max(0, quote_start - 30), quote_start)
    return bool(before and before.group(1).lower() in REPORTING)


def _opposing_clauses(point: KeyPointTarget, clauses: list[Stretch], recall_row: list[float]):
    """(the strongest clause contradicting the point, the strongest saying it of the other response, both their spans)."""
    contradiction: tuple[float, Stretch] | None = None
    other_side: tuple[float, Stretch] | None = None
    blocked: list[tuple[int, int]] = []
    for clause, score in zip(clauses, recall_row):
        if score < _STRONG:
            continue
        if _opposes(point, clause):
            blocked.append((clause.start, clause.end))
            if contradiction is None or score > contradiction[0]:
                contradiction = (score, clause)
        elif _said_of_other(point, clause, score):
            blocked.append((clause.start, clause.end))
            if other_side is None or score > other_side[0]:
                other_side = (score, clause)
    return contradiction, other_side, blocked


def _choice_only_sides(units: RationaleUnits, scored: _Scored) -> dict[int, frozenset[str]]:
    """For each sentence or window (by its position in ``scored.support``) that names both responses, the ones it says
    more of than the choice, when less than all: in "B is better because A crashes ..." the choice is bound to a reason
    about A, so the sentence (and a window holding it) cannot make a point about B: one clause would be credited for
    points about both responses. A sentence that only states the choice ("A is better.") keeps its sides: it is the
    verdict the sentence after it argues (measured: dropping those too cost the shared set 0.003 of rho)."""
    words, clauses, sentences = units.passage.words, units.clauses, units.sentences
    sentence_said: dict[int, frozenset[str]] = {}  # by the sentence's start
    clause_starts = None
    for sentence in sentences:
        if len(sentence.sides) < 2:
            continue
        if clause_starts is None:
            clause_starts = [c.start for c in clauses]
        inside = clauses[bisect_left(clause_starts, sentence.start) : bisect_left(clause_starts, sentence.end)]
        reasons = [c for c in inside if not states_choice(words, c)]
        if reasons and len(reasons) < len(inside):
            sentence_said[sentence.start] = frozenset().union(*(c.sides for c in reasons))
    if not sentence_said:
        return {}
    said: dict[int, frozenset[str]] = {}
    for i, stretch in enumerate(scored.support):
        if stretch.kind == "clause" or len(stretch.sides) < 2:
            continue
        sides = frozenset().union(
            *(sentence_said.get(s.start, s.sides) for s in sentences if stretch.start <= s.start and s.end <= stretch.end)
        )
        if sides != stretch.sides:
            said[i] = sides
    return said


def _best_support(point: KeyPointTarget, scored: _Scored, index: int, blocked: list[tuple[int, int]], said=None):
    """(effective recall, the shortest stretch that reaches it) of the stretches that may make the point."""
    candidates: list[tuple[float, Stretch]] = []
    about, polarity = point.about, point.polarity
    one_side = about in ("A", "B")
    support, recall, carried_row = scored.support, scored.support_recall[index], scored.quote_carried[index]
    if said and one_side and (left_out := {i for i, sides in said.items() if about not in sides}):
        # names this response only to state the choice ("B is better because A ..."): rare, so filtered here
        kept = [i for i in range(len(support)) if i not in left_out]
        support, recall, carried_row = [support[i] for i in kept], [recall[i] for i in kept], [carried_row[i] for i in kept]
    opposed = [(s.start, s.end) for s in support if s.kind == "sentence" and _verdict_on(about, s) == -polarity] if polarity else []
    # A point that judges what a response claims is not made by reporting the claim ("A says "...") unjudged.
    quoted = [q.start for q in scored.quotes if _reported(scored.text, q.start)] if point.judges_claim else []
    for stretch, score, carried in zip(support, recall, carried_row):
        if one_side and stretch.sides and about not in stretch.sides:
            continue  # about the other response
        if one_side and stretch.of_both:
            continue  # said of both responses: the same of the other one too ("both do what the user asked")
        if blocked and any(a < stretch.end and stretch.start < b for a, b in blocked):
            continue
        if (carried or (point.judges_claim and quoted and any(stretch.start <= q < stretch.end for q in quoted))) and not (
                polarity and stretch.verdict_about(about) == polarity):
            continue  # the quote carries the match and the trainee's own words do not take it up
        if polarity and (_verdict_on(about, stretch) == -polarity or (
                opposed and any(a <= stretch.start and stretch.end <= b for a, b in opposed))):
            continue  # it, or the sentence it is in, gives the point's response the opposite verdict
        candidates.append((score * HEDGE_CREDIT if stretch.hedged else score, stretch))
    top = max((effective for effective, _ in candidates), default=0.0)
    # The feedback quotes the shortest stretch (clauses come first) that matches nearly as well as the best.
    return next(((top, stretch) for effective, stretch in candidates if effective >= top - SAME_MATCH), (0.0, None))


def match_key_points(units: RationaleUnits, points: Sequence[KeyPointTarget], stacked=None) -> list[KeyPointResult]:
    """One result per key point, in gold's order (``stacked``: the points' targets stacked once per gold)."""
    if not points:
        return []
    scored = _score_stretches(units, points, stacked)
    revisions = retractions(units)
    said = _choice_only_sides(units, scored)
    results = []
    for index, point in enumerate(points):
        contradiction, other_side, blocked = _opposing_clauses(point, scored.clauses, scored.support_recall[index])
        if revisions:
            others = [q.text for q in points if q is not point and _may_share(q, point)]
            taken_back = _taken_back(point, units, scored, index, blocked, revisions, others)
            if taken_back is not None:
                results.append(taken_back)
                continue
        effective, stretch = _best_support(point, scored, index, blocked, said)
        credit = _credit(effective)
        if contradiction and credit < 0.5:
            results.append(_result(point.id, "contradicted", 0.0, units.text(contradiction[1])))
        elif other_side and credit < 0.5:
            results.append(_result(point.id, "wrong_side", 0.0, units.text(other_side[1])))
        else:
            status = "made" if credit >= 0.5 else "partial" if credit > 0 else "absent"
            sentence = units.text(stretch) if stretch is not None else None
            results.append(_result(point.id, status, round(credit, 3), sentence, bool(stretch and stretch.hedged)))
    return results


def _may_share(other: KeyPointTarget, point: KeyPointTarget) -> bool:
    """The other point may be about what this one is about: the same response, or both, or neither named."""
    return other.about == point.about or other.about in (None, "both") or point.about in (None, "both")


def _credit(effective: float) -> float:
    credit = min(1.0, max(0.0, (effective - PARTIAL) / (MADE - PARTIAL)))
    return 0.0 if credit < LEAST_PARTIAL_CREDIT else credit  # too faint a match to tell a trainee they made part of it


def _taken_back(
    point: KeyPointTarget,
    units: RationaleUnits,
    scored: _Scored,
    index: int,
    blocked: list[tuple[int, int]],
    revisions: list[Retraction],
    others: list[str],
) -> KeyPointResult | None:
    """The point contradicted by a retraction (see :mod:`.retraction`), or None. A retraction that opposes the point
    never supports it (its span joins ``blocked``). It takes the point back when the point was made, at least in part,
    before it, is opposed in the matter of the words that made it, and is not made again after it; when nothing before
    made the point, it contradicts the point on its own if it matches the point strongly (STRONG) and opposes it in the
    point's own matter ("so A works and its claim is fine" against "A falsely claims ...")."""
    end = len(units.rationale.text)
    for revision in revisions:
        effective, earlier = _best_support(point, scored, index, blocked + [(revision.start, end)])
        made_before = _credit(effective) > 0 and earlier is not None
        if revision.bare:  # "I take that back.": the sentence before it, if that is where the point was made
            opposed = made_before and revision.previous is not None and revision.previous[0] <= earlier.start < revision.previous[1]
        elif concedes(own := about(units, revision.start, revision.end, point.about)):
            continue
        elif made_before:
            said = about(units, earlier.start, earlier.end, point.about)
            opposed = opposing(own, point.polarity, matter(said, others), said) is not None
        else:
            opposed = _retraction_recall(scored, index, revision) >= _STRONG and (
                opposing(own, point.polarity, matter(point.text, others), None) is not None
            )
        if not opposed:
            continue
        blocked.append((revision.start, revision.end))
        again, _ = _best_support(point, scored, index, blocked + [(0, revision.end)])
        if _credit(again) >= 0.5:
            continue  # made again after the retraction: the last word makes it
        return _result(point.id, "contradicted", 0.0, units.text(units.sentences[_sentence_at(units, revision.start)]))
    return None


def _retraction_recall(scored: _Scored, index: int, revision) -> float:
    """The point's best recall in a stretch inside the retraction sentence."""
    return max(
        (score for s, score in zip(scored.support, scored.support_recall[index]) if revision.start <= s.start and s.end <= revision.end),
        default=0.0,
    )


def _sentence_at(units: RationaleUnits, start: int) -> int:
    return next(i for i, s in enumerate(units.sentences) if s.start == start)


def absent(key_point: str) -> KeyPointResult:
    return _result(key_point, "absent", 0.0, None)


def _result(key_point: str, status: str, credit: float, sentence: str | None, hedged: bool = False) -> KeyPointResult:
    # Built without re-validation: every field is computed here from validated inputs.
    return _key_point_result(key_point=key_point, status=status, credit=credit, sentence=sentence, hedged=hedged)


