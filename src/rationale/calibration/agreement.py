"""The agreement section of a calibration report: every coefficient, for the preference and the strength.

Intervals are seeded from the votes themselves (`Ratings.content_seed`) over
items in a canonical order, so the same batch gives the same intervals
whatever order its lines came in.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .. import agreement as ag
from ..models import (
    PREFERENCES,
    Agreement,
    Judgment,
    PairwiseAgreement,
    PreferenceAgreement,
    Rubric,
    StrengthAgreement,
)


PREFERENCE_SCALE = ("A", "tie", "B")


def agreement_section(
    judgments: Sequence[Judgment], rubric: Rubric, min_overlap: int, samples: int, seed: int
) -> tuple[Agreement, ag.Ratings, ag.PairMatrix]:
    """The section, the preference votes and the preference kappa matrix (for per-annotator means)."""
    preference = ag.Ratings.from_votes(((j.item_id, j.annotator, j.preference) for j in judgments), PREFERENCES)
    tie = PREFERENCES.index("tie")
    kw = {"min_overlap": min_overlap, "samples": samples, "seed": preference.content_seed(seed)}
    kappa = ag.cohen_kappa_matrix(preference, **kw)
    # The preference as a scale: a tie sits between A and B, so A against tie is a nearer miss than A against B.
    scale = ag.Ratings.from_votes(((j.item_id, j.annotator, j.preference) for j in judgments), PREFERENCE_SCALE)
    section = PreferenceAgreement(
        percent_agreement=ag.percent_agreement(preference, **kw),
        percent_agreement_without_ties=ag.percent_agreement(preference, exclude=tie, **kw),
        fleiss_kappa=ag.fleiss_kappa(preference, **kw),
        krippendorff_alpha=ag.krippendorff_alpha(preference, level="nominal", **kw),
        krippendorff_alpha_ordinal=ag.krippendorff_alpha(scale, level="ordinal", **kw),
        gwet_ac1=ag.gwet_ac1(preference, **kw),
        pabak=ag.pabak(preference, **kw),
        cohen_kappa=kappa.table(),
        pairwise_agreement=_pairwise(preference),
        categories=[str(c) for c in preference.categories_in_use()],
    )
    return Agreement(preference=section, strength=_strength(judgments, rubric, kw)), preference, kappa


def _pairwise(preference: ag.Ratings) -> PairwiseAgreement:
    raw = ag.pair_tables(preference)
    with np.errstate(divide="ignore", invalid="ignore"):
        pair_agreement = np.trace(raw, axis1=2, axis2=3) / raw.sum(axis=(2, 3))
    names = [str(r) for r in preference.rater_keys]
    return PairwiseAgreement(
        raters=names,
        values=[[None if i == j or not np.isfinite(pair_agreement[i, j]) else float(pair_agreement[i, j])
                 for j in range(len(names))] for i in range(len(names))],
        overlap=raw.sum(axis=(2, 3)).tolist(),
    )


def _strength(judgments: Sequence[Judgment], rubric: Rubric, kw: dict) -> StrengthAgreement | None:
    scale = list(range(-rubric.max_strength, rubric.max_strength + 1))
    with_strength = [j for j in judgments if j.strength is not None]
    if not with_strength:
        return None
    strength = ag.Ratings.from_votes(((j.item_id, j.annotator, j.strength) for j in with_strength), scale)
    kw = {**kw, "seed": strength.content_seed(kw["seed"])}
    linear, quadratic = ag.cohen_kappa_matrices(strength, ["linear", "quadratic"], **kw)
    return StrengthAgreement(
        percent_agreement=ag.percent_agreement(strength, **kw),
        krippendorff_alpha=ag.krippendorff_alpha(strength, level="ordinal", **kw),
        weighted_kappa_linear=linear.table(),
        weighted_kappa_quadratic=quadratic.table(),
    )


def paradox_note(section: Agreement) -> str | None:
    """A note when raw agreement is high but kappa-type coefficients are low (the prevalence paradox)."""
    pref = section.preference
    agree, alpha, ac1 = pref.percent_agreement, pref.krippendorff_alpha, pref.gwet_ac1
    if not (agree.available and alpha.available and ac1.available):
        return None
    if agree.value >= 0.75 and alpha.value < 0.4 and ac1.value >= 0.6:
        return (
            f"Raw agreement is high ({agree.value:.0%}) but alpha is low ({alpha.value:.2f}) while AC1 is high"
            f" ({ac1.value:.2f}): one answer dominates the batch (the prevalence paradox), so chance agreement"
            " is high and kappa-type coefficients are small. Read AC1/PABAK beside them."
        )
    return None
