"""Calibration batches: how far annotators agree with each other and with gold, and where the guideline is unclear.

* `analysis`: `analyse_batch`, pure (judgments, items, rubric, gold in; a report out);
* `agreement`: the coefficients section; `gold`: each annotator against gold, biases, self-consistency;
* `contested`: consensus without gold, the most contested items, questions for the guideline;
* `batch`: the workflow (files in, batch stored) and the stored batches read back.
"""

from .analysis import CONTESTED_SHOWN, DEFAULT_MIN_ITEMS, DEFAULT_THRESHOLD, analyse_batch, grade_batch
from .batch import annotator_history, audit_sections, calibrate_files, default_batch_name, load_batch
from .contested import appealed_criteria
from .gold import BELOW, LENGTH_MARGIN, MEETS, NOT_ENOUGH_EVIDENCE, rate_of, repeated_pairs

__all__ = [
    "BELOW", "CONTESTED_SHOWN", "DEFAULT_MIN_ITEMS", "DEFAULT_THRESHOLD", "LENGTH_MARGIN", "MEETS",
    "NOT_ENOUGH_EVIDENCE", "analyse_batch", "annotator_history", "appealed_criteria", "audit_sections",
    "calibrate_files", "default_batch_name", "grade_batch", "load_batch", "rate_of", "repeated_pairs",
]
