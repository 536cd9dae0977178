"""Gold for real data, drafted by an LLM and accepted by a lead.

* `draft`: `rationale gold draft` asks the model (through litellm, cached, budgeted, untrusted
  text delimited as in the critique) for key points, decisive criteria, a strength with its
  acceptable range and a reference rationale, for items whose gold has none; drafts are stored
  in `gold_drafts`, linted, and never graded against;
* `review`: `rationale gold review` goes through the drafts with a lead (accept, edit in
  $EDITOR, reject) and writes an ordinary gold file whose accepted answers record who
  accepted them and from which draft.
"""

from .draft import DraftOptions, draft_gold
from .review import ReviewIO, ReviewSummary, review_drafts

__all__ = ["DraftOptions", "ReviewIO", "ReviewSummary", "draft_gold", "review_drafts"]
