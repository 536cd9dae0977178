"""Stream imported records to items.jsonl, gold.jsonl, judgments.jsonl and judges.jsonl.

Files are written into a temporary directory next to the output directory
and moved into place only when the import succeeds, so a failed import
leaves the output directory exactly as it was.

Shapes every format shares are settled here, once: an empty response is
counted, and identical responses are kept as an item tagged
``identical-responses`` whose gold is a tie (or skipped with
``--skip-identical``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import InputError, InputProblem, unwritable_output
from ..models import GoldAnswer, ImportSummary, Item, Judgment
from .common import KEPT_EMPTY, imported_gold

OUTPUT_FILES = ("items.jsonl", "gold.jsonl", "judgments.jsonl", "judges.jsonl")
EXAMPLES_PER_REASON = 5
IDENTICAL_TAG = "identical-responses"
SKIP_IDENTICAL = "the two responses are identical (--skip-identical)"
KEPT_IDENTICAL = "the two responses are identical (kept, tagged identical-responses, gold a tie)"


class SeenIds:
    """Which item ids were written, kept as 64-bit BLAKE2 digests in a set.

    A digest costs about a third of the memory of the id string itself, so
    memory stays small for hundreds of thousands of streamed items. Two ids
    share a digest with odds around n^2 / 2^65 (about 1e-9 for 160,000 ids);
    such a pair would be reported as a duplicate, never silently merged.
    """

    def __init__(self) -> None:
        self._digests: set[int] = set()

    @staticmethod
    def _digest(item_id: str) -> int:
        return int.from_bytes(hashlib.blake2b(item_id.encode("utf-8"), digest_size=8).digest(), "little")

    def __contains__(self, item_id: str) -> bool:
        return self._digest(item_id) in self._digests

    def add(self, item_id: str) -> None:
        self._digests.add(self._digest(item_id))


def _dump(model) -> str:
    # pydantic's own serialiser: compact UTF-8 JSON, several times faster than json.dumps(model_dump()).
    if getattr(model, "flags", None) == []:  # a judgment with nothing flagged reads as it did before flags existed
        return model.model_dump_json(exclude_none=True, exclude={"flags"})
    return model.model_dump_json(exclude_none=True)


class ImportWriter:
    """Collects validated records, skips and problems for one import."""

    def __init__(
        self, summary: ImportSummary, output_dir: Path, *, limit: int | None = None, skip_identical: bool = False,
        on_progress: Callable[[int, int | None], None] | None = None,
    ):
        self.summary = summary
        self.on_progress = on_progress  # told the rows read so far (a progress bar's feed)
        self.output_dir = output_dir
        self.limit = limit
        self.skip_identical = skip_identical
        self.problems: list[InputProblem] = []
        self._ids = SeenIds()
        try:
            output_dir.parent.mkdir(parents=True, exist_ok=True)
            self._tmp = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.import-", dir=output_dir.parent))
        except OSError as exc:
            raise unwritable_output(output_dir, "-o", exc) from None
        self._items = self._gold = self._judgments = self._judges = None  # type: ignore[assignment]
        try:
            self._items = open(self._tmp / "items.jsonl", "w", encoding="utf-8")
            self._gold = open(self._tmp / "gold.jsonl", "w", encoding="utf-8")
            self._judgments = open(self._tmp / "judgments.jsonl", "w", encoding="utf-8")
            self._judges = open(self._tmp / "judges.jsonl", "w", encoding="utf-8")
        except BaseException:
            self.abort()
            raise

    @property
    def full(self) -> bool:
        return self.limit is not None and self.summary.items >= self.limit

    def read(self, count: int = 1) -> None:
        self.summary.read += count
        if self.on_progress is not None:
            self.on_progress(self.summary.read, None)

    def has_item(self, item_id: str) -> bool:
        return item_id in self._ids

    def skip(self, path: Path | str, line: int | None, reason: str) -> None:
        _count(self.summary.skipped, self.summary.skipped_examples, path, line, reason)

    def keep(self, path: Path | str, line: int | None, reason: str) -> None:
        """Count a real-data shape imported as it is, with what was done (shown apart from the skips)."""
        _count(self.summary.kept, self.summary.kept_examples, path, line, reason)

    def bad(self, problems: Iterable[InputProblem]) -> None:
        self.problems.extend(problems)

    def add(
        self,
        item: Item,
        gold: GoldAnswer | None = None,
        judgments: Iterable[Judgment] = (),
        *,
        path: Path | str,
        line: int | None,
        judges: Iterable[Judgment] = (),
    ) -> bool:
        """Write one item with its gold, judgments and judges' verdicts; False when it was not written
        (a duplicate id, over the limit, or identical responses under --skip-identical)."""
        if self.full:
            self.summary.limit_reached = True
            return False
        if item.id in self._ids:
            self.skip(path, line, "duplicate item (same id as an earlier row)")
            return False
        if item.response_a.strip() == item.response_b.strip():
            if self.skip_identical:
                self.skip(path, line, SKIP_IDENTICAL)
                return False
            item, gold = _identical(item, gold)
            self.keep(path, line, KEPT_IDENTICAL)
        elif not item.response_a.strip() or not item.response_b.strip():
            self.keep(path, line, KEPT_EMPTY)
        self._ids.add(item.id)
        self._items.write(_dump(item) + "\n")
        self.summary.items += 1
        if gold is not None:
            self._gold.write(_dump(gold) + "\n")
            self.summary.gold += 1
        for judgment in judgments:
            self._judgments.write(_dump(judgment) + "\n")
            self.summary.judgments += 1
        for verdict in judges:
            self._judges.write(_dump(verdict) + "\n")
            self.summary.judge_verdicts += 1
        return True

    def _close(self) -> None:
        for handle in (self._items, self._gold, self._judgments, self._judges):
            if handle is not None:
                handle.close()

    def abort(self) -> None:
        """Close and remove the temporary folder (whatever stopped the import: bad rows, an error, Ctrl-C)."""
        self._close()
        shutil.rmtree(self._tmp, ignore_errors=True)

    def finish(self, *, skip_bad: bool) -> ImportSummary:
        """Move the files into place, or raise InputError (writing nothing) when rows were bad.

        The temporary folder is removed whatever happens, Ctrl-C included."""
        try:
            return self._move_into_place(skip_bad)
        finally:
            self.abort()

    def _move_into_place(self, skip_bad: bool) -> ImportSummary:
        self._close()
        if self.problems and not skip_bad:
            raise InputError(_told_once(sorted(self.problems, key=lambda p: (p.path, p.line or 0, p.field)), self.summary.read))
        self.summary.bad_rows = sorted(self.problems, key=lambda p: (p.path, p.line or 0, p.field))
        self.output_dir.mkdir(parents=True, exist_ok=True)
        written = {
            "items.jsonl": True,
            "gold.jsonl": self.summary.gold > 0,
            "judgments.jsonl": self.summary.judgments > 0,
            "judges.jsonl": self.summary.judge_verdicts > 0,
        }
        for name in OUTPUT_FILES:
            target = self.output_dir / name
            if written[name]:
                os.replace(self._tmp / name, target)
                self.summary.files.append(str(target))
            elif target.exists():
                # A stale file from an earlier import would pair old gold with new items.
                target.unlink()
        return self.summary


EVERY_RECORD_FROM = 6  # a problem met on every record of at least this many is told once, not once a record


def _told_once(problems: list[InputProblem], read: int) -> list[InputProblem]:
    """The problems, with one that every record has (a misspelt --map field, the wrong format) told once for all:
    999 identical lines hide the one fix to make."""
    if read < EVERY_RECORD_FROM:
        return problems
    places: dict[tuple[str, str], set[tuple[str, int | None]]] = {}
    for p in problems:
        places.setdefault((p.field, p.message), set()).add((p.path, p.line))
    everywhere = {key for key, where in places.items() if len(where) >= read}
    told: set[tuple[str, str]] = set()
    kept = []
    for p in problems:
        key = (p.field, p.message)
        if key not in everywhere:
            kept.append(p)
        elif key not in told:
            told.add(key)
            kept.append(InputProblem(p.path, None, p.field, f"{p.message}, in all {read} records"))
    return kept


def _count(counts: dict[str, int], examples: dict[str, list[str]], path: Path | str, line: int | None, reason: str) -> None:
    counts[reason] = counts.get(reason, 0) + 1
    shown = examples.setdefault(reason, [])
    if len(shown) < EXAMPLES_PER_REASON:
        shown.append(f"{path}:{line}" if line is not None else str(path))


def _identical(item: Item, gold: GoldAnswer | None) -> tuple[Item, GoldAnswer | None]:
    """The item tagged identical-responses; its gold a tie whatever the source said, or when it said nothing:
    nothing tells the two apart, so a tie is the one right answer."""
    item = item.model_copy(update={"tags": [*item.tags, IDENTICAL_TAG]})
    if gold is not None and gold.preference == "tie":
        return item, gold
    said = f" (the source said {gold.preference})" if gold is not None else ""
    # Not from votes any more: calibrate must not remake this gold from them.
    tags = [t for t in gold.tags if t != "imported" and not t.startswith("from-votes")] if gold is not None else []
    tie = imported_gold(item.id, "tie", f"the two responses are identical, so neither is better{said}", [*tags, IDENTICAL_TAG])
    return item, tie
