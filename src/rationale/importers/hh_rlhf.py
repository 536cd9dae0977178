"""Anthropic hh-rlhf: rows of ``chosen`` / ``rejected`` whole transcripts.

Both transcripts are split into turns at ``\\n\\nHuman:`` and
``\\n\\nAssistant:``. The turns they share are the prompt (as chat turns);
the single assistant turn where they part is each side's response. The
chosen transcript is the gold. Which side shows as A is a seeded coin flip
per item, so a trainee cannot learn "A is always right".

Rows that are well formed but hold no fair pair are skipped with a reason:
identical transcripts, no shared prompt, transcripts that differ in more
than their last assistant turn (a few real rows have extra turns glued in),
or an empty response. The item id is ``hh-`` plus a hash of the two
transcripts, so re-importing the same data gives the same ids.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ..errors import InputProblem
from ..models import Item
from .common import build, imported_gold, is_blank, rows_until_limit, shared_prefix, short_hash, swapped

_TURN = re.compile(r"\n\n(Human|Assistant):")
_ROLE = {"Human": "user", "Assistant": "assistant"}

SKIP_IDENTICAL = "chosen and rejected are identical"
SKIP_NO_PROMPT = "chosen and rejected share no prompt"
SKIP_MORE_THAN_LAST_TURN = "chosen and rejected differ in more than the last assistant turn"
SKIP_EMPTY = "a response is empty"
SKIP_NOT_A_TRANSCRIPT = "text is not a Human/Assistant transcript"


def split_turns(text: str) -> list[tuple[str, str]] | None:
    """[(role, content), ...] or None when there is text before the first turn marker."""
    if text.startswith(("Human:", "Assistant:")):
        text = "\n\n" + text  # a transcript may start without the blank line
    parts = _TURN.split(text)
    if parts[0].strip():
        return None
    return [(_ROLE[parts[i]], parts[i + 1].strip()) for i in range(1, len(parts), 2)]


def import_rows(sources: Sequence[Path], options, out) -> None:
    for path, line, row in rows_until_limit(sources, out):
        texts = {}
        for name in ("chosen", "rejected"):
            value = row.get(name)
            if name not in row:
                out.problems.append(InputProblem(str(path), line, name, "required field is missing"))
            elif not isinstance(value, str):
                out.problems.append(InputProblem(str(path), line, name, "must be a string (a transcript)"))
            else:
                texts[name] = value
        if len(texts) < 2:
            continue
        _import_pair(path, line, texts["chosen"], texts["rejected"], options.seed, out)


def _import_pair(path: Path, line: int, chosen: str, rejected: str, seed: int, out) -> None:
    if chosen == rejected:
        out.skip(path, line, SKIP_IDENTICAL)
        return
    chosen_turns, rejected_turns = split_turns(chosen), split_turns(rejected)
    if not chosen_turns or not rejected_turns:
        out.skip(path, line, SKIP_NOT_A_TRANSCRIPT)
        return
    shared = shared_prefix(chosen_turns, rejected_turns)
    chosen_rest, rejected_rest = chosen_turns[shared:], rejected_turns[shared:]
    if not chosen_rest and not rejected_rest:
        out.skip(path, line, SKIP_IDENTICAL)  # they differ only in whitespace around turns
        return
    if shared == 0:
        out.skip(path, line, SKIP_NO_PROMPT)
        return
    if (
        len(chosen_rest) != 1
        or len(rejected_rest) != 1
        or chosen_rest[0][0] != "assistant"
        or rejected_rest[0][0] != "assistant"
    ):
        out.skip(path, line, SKIP_MORE_THAN_LAST_TURN)
        return
    chosen_text, rejected_text = chosen_rest[0][1], rejected_rest[0][1]
    if is_blank(chosen_text) or is_blank(rejected_text):
        out.skip(path, line, SKIP_EMPTY)
        return

    item_id = f"hh-{short_hash(chosen, rejected)}"
    chosen_is_b = swapped(seed, item_id)
    a_text, b_text = (rejected_text, chosen_text) if chosen_is_b else (chosen_text, rejected_text)
    item = build(
        Item,
        path,
        line,
        out.problems,
        id=item_id,
        prompt=[{"role": role, "content": content} for role, content in chosen_turns[:shared]],
        response_a=a_text,
        response_b=b_text,
        source=f"{path.name}:{line}",
        tags=["hh-rlhf"],
    )
    if item is None:
        return
    side = "B" if chosen_is_b else "A"
    gold = imported_gold(item_id, side, f"the source (hh-rlhf) marks response {side} as the chosen one", ["hh-rlhf"])
    out.add(item, gold, path=path, line=line)
