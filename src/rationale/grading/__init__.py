"""Grading one judgment against gold under a rubric: deterministic, explained, offline, no LLM.

Five scoring components give credits 0..1 (``None`` = skipped, its weight shared
out): ``verdict`` (`verdict`, from `preference` and `strength`) and the reasoning's
``key_points``, ``evidence``, ``criteria`` and ``argument``, one module each, a
``score_*(CheckContext) -> ComponentResult``. The `grader` weights them by the rubric
into a verdict grade, a reasoning grade and an overall score, caps the score for
critical findings, and decides the pass.

What they read: `text` (normalising, cue phrases), `quotes` (quotes, mentions and
attribution), `units` (the rationale cut into clauses, sentences and windows with
the responses each is about), `semantic` (word vectors and alignment recall),
`matching` (key points by meaning, side and polarity), `sides` (which response the
argument favours), `lexicon` (the few word lists), `injection`, and `context` (the
compiled rubric, item and gold); `lint` holds the argument checks, registered with
``@lint_check``; `gold_lint` checks gold for authors; `tally` sums a grade report.

No rationale (vote-only data): ``no_rationale``; key points, evidence and argument
earn 0, criteria come from the field only.
"""

from .grader import COMPONENTS, Grader, grade

__all__ = ["COMPONENTS", "Grader", "grade"]
