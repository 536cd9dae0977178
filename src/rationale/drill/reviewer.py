"""The LLM second reviewer during a drill: each saved answer is critiqued like any stored judgment."""

from __future__ import annotations

from collections.abc import Callable

from .. import store
from .session import Feedback


def second_reviewer(
    db_path: str | None, model: str, api_base: str | None, annotator: str
) -> Callable[[Feedback], str | None]:
    """A critic that asks the LLM second reviewer (`rationale.critique.batch`) about each saved answer.

    The critique is stored in the `critiques` table like any other, so
    `rationale export --with-critique` shows it. A swapped re-serve is not
    sent to the reviewer. (It is stored as shown, swapped pair and gold, so
    `critique_stored` would see the sides its rationale speaks of; sending it
    is left for when that path is tested.)
    """
    from ..llm.client import call_credentials

    call_credentials(model, api_base)  # a missing key fails here, before the session starts

    def critic(fb: Feedback) -> str | None:
        from ..critique.batch import CritiqueOptions, critique_stored
        from ..render.critique import render_critique

        if fb.swapped:
            return "Not asked for a pair re-served with A and B swapped."
        critique_stored(
            db_path,
            CritiqueOptions(model=model, api_base=api_base, annotator=annotator, judgment_hashes=[fb.judgment_hash], concurrency=1),
        )
        db = store.open_db(db_path)
        try:
            body = store.critiques.newest_critique_body(db, fb.judgment_hash, model)
        finally:
            db.close()
        if body is None:
            return "The second reviewer gave no critique."
        return render_critique(body)

    return critic
