"""Grading one judgment against gold under a rubric: deterministic, explained, no LLM.

Six scoring components give credits 0..1 (``None`` = skipped, its weight
shared out); the `Grader` weights them by the rubric into a 0-100 score and a
pass (no critical finding allowed):

* `preference`, `strength`, `criteria`, `key_points`, `evidence`,
  `rationale_quality`: one module each, a ``score_*(CheckContext) -> ComponentResult``;
* `lint`: the rationale lint checks `rationale_quality` runs, registered with ``@lint_check``;
* `text` (normalising, cue phrases), `quotes` (quotes and mentions), `context`
  (the compiled rubric, item and gold) and `injection` are what they read;
* `grader`: `Grader`, which composes the components; `tally`: the grade report's totals.

No rationale (vote-only data): ``no_rationale``; key points, evidence and
rationale quality earn 0, criteria come from the field only.
"""

from .grader import COMPONENTS, Grader, grade

__all__ = ["COMPONENTS", "Grader", "grade"]
