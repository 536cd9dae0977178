"""Anthropic hh-rlhf: rows of ``chosen`` / ``rejected`` whole transcripts.

Both transcripts are split into turns at ``\\n\\nHuman:`` and
``\\n\\nAssistant:``. The turns they share are the prompt (as chat turns);
what follows is each side's response. The chosen transcript is the gold.
Which side shows as A is a seeded coin flip per item, so a trainee cannot
learn "A is always right".

Every row of the public files imports. Real rows hold shapes that are
counted, not dropped: an empty chosen turn (the empty answer was preferred),
transcripts that differ in more than their last assistant turn (a few rows
have a second assistant turn glued on; each response is then the rest of its
transcript with its roles, ``Assistant: ... Assistant: ...``), and identical
transcripts (kept with a tie as gold, see the writer). Skipped, with a
reason: transcripts with no shared prompt and text that is no transcript. The
item id is ``hh-`` plus a hash of the two transcripts, so re-importing the
same data gives the same ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import InputProblem
from ..models import Item
from .common import KEPT_LONG_TAIL, build, imported_gold, rows_until_limit, short_hash, split_conversations, split_turns, swapped

SKIP_NO_PROMPT = "chosen and rejected share no prompt"
SKIP_NOT_A_TRANSCRIPT = "text is not a Human/Assistant transcript"


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
    split = split_conversations(chosen, rejected, hh=True)
    if split is None:
        transcripts = split_turns(chosen, hh=True) and split_turns(rejected, hh=True)
        out.skip(path, line, SKIP_NO_PROMPT if transcripts else SKIP_NOT_A_TRANSCRIPT)
        return
    prompt, chosen_text, rejected_text, long_tail = split
    if long_tail:
        out.keep(path, line, KEPT_LONG_TAIL)

    item_id = f"hh-{short_hash(chosen, rejected)}"
    chosen_is_b = swapped(seed, item_id)
    a_text, b_text = (rejected_text, chosen_text) if chosen_is_b else (chosen_text, rejected_text)
    item = build(
        Item,
        path,
        line,
        out.problems,
        id=item_id,
        prompt=prompt,
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
