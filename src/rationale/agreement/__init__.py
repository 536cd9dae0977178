"""Agreement among annotators: percent agreement, kappas, Krippendorff's alpha, Gwet's AC1, PABAK, consensus.

Every coefficient comes back as an `Estimate`: a value with a seeded bootstrap
95% percentile interval over items, or no value and the reason why (too little
overlap, no variation, unequal numbers of raters). A number is never invented
where the data cannot support one.

The implementation is our own rather than the `krippendorff` package: alpha
is computed from the coincidence matrix built with `numpy.bincount`, and the
pairwise tables for every pair of raters come from one `bincount` over the
vote pairs, so the kappa matrix for many raters needs no Python loop over
pairs. `bench/agreement_bench.py` measures both against the package.

Modules: `ratings` (votes), `intervals` (bootstrap, Wilson), `kappa` (Cohen,
weighted, Fleiss), `alpha` (Krippendorff), `chance` (percent agreement, AC1,
PABAK, entropy), `consensus` (majority, Dawid-Skene). A new coefficient is a
function taking `Ratings` and returning an `Estimate`, in the module of its
family, exported here, with a test against a reference implementation.
"""

from ..models import Estimate
from .alpha import krippendorff_alpha
from .chance import gwet_ac1, observed_agreement, pabak, percent_agreement, vote_entropy
from .consensus import DawidSkene, dawid_skene, majority_vote
from .intervals import degenerate_note, wilson_interval
from .kappa import PairMatrix, cohen_kappa_matrices, cohen_kappa_matrix, cohens_kappa, cohens_kappa_estimate, disagreement_weights, fleiss_kappa, kappa_from_tables, pair_tables
from .ratings import BOOTSTRAP_SAMPLES, DEFAULT_SEED, MIN_OVERLAP, NO_VARIATION, NOT_ENOUGH_OVERLAP, Level, Ratings, Weights

__all__ = [
    "BOOTSTRAP_SAMPLES", "DEFAULT_SEED", "MIN_OVERLAP", "NOT_ENOUGH_OVERLAP", "NO_VARIATION",
    "DawidSkene", "Estimate", "Level", "PairMatrix", "Ratings", "Weights", "cohen_kappa_matrices",
    "cohen_kappa_matrix", "cohens_kappa", "cohens_kappa_estimate", "dawid_skene", "degenerate_note", "disagreement_weights",
    "fleiss_kappa", "gwet_ac1",
    "kappa_from_tables", "krippendorff_alpha", "majority_vote", "observed_agreement", "pabak", "pair_tables",
    "percent_agreement", "vote_entropy", "wilson_interval",
]
