"""LLMBar (princeton-nlp): JSON arrays of ``input``, ``output_1``, ``output_2``,
``label`` (1 or 2: the objectively better output).

``output_1`` is response A and ``output_2`` response B, as in the source:
LLMBar already balances which position wins (see its paper), and keeping
the order lets anyone check an item against the original by eye. The item
id is ``llmbar-<file name>-<position in the file>`` (1-based), which is
stable because the published files do not change. The file name is kept
as a tag (``natural``, ``adversarial-neighbor``...) so drills can pick a set.
Identical or empty outputs (none in the published files) are imported and
counted like every format's (see the writer).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import InputProblem
from ..models import Item
from ..io.reader import iter_rows
from .common import build, identifier, imported_gold


def import_rows(sources: Sequence[Path], options, out) -> None:
    for path in sources:
        subset = identifier(path.name.removesuffix(".gz").removesuffix(".json").removesuffix(".jsonl"))
        for position, (line, row) in enumerate(iter_rows(path, out.problems), start=1):
            if out.full:
                out.summary.limit_reached = True
                return
            out.read()
            bad = []
            for name in ("input", "output_1", "output_2"):
                if name not in row:
                    bad.append(InputProblem(str(path), line, name, "required field is missing"))
                elif not isinstance(row[name], str):
                    bad.append(InputProblem(str(path), line, name, "must be a string"))
            label = row.get("label")
            if "label" not in row:
                bad.append(InputProblem(str(path), line, "label", "required field is missing"))
            elif label not in (1, 2) or isinstance(label, bool):
                bad.append(InputProblem(str(path), line, "label", f"must be 1 or 2, got {label!r}"))
            if bad:
                out.bad(bad)
                continue
            item_id = f"llmbar-{subset}-{position}"
            item = build(
                Item,
                path,
                line,
                out.problems,
                {"prompt": "input", "response_a": "output_1", "response_b": "output_2"},
                id=item_id,
                prompt=row["input"],
                response_a=row["output_1"],
                response_b=row["output_2"],
                source=f"{path.name}:{line}",
                tags=["llmbar", subset],
            )
            if item is None:
                continue
            side = "A" if label == 1 else "B"
            gold = imported_gold(
                item_id,
                side,
                f"the source marks output {label} (response {side}) as better (LLMBar label {label})",
                ["llmbar", subset],
            )
            out.add(item, gold, path=path, line=line)
