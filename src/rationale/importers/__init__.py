"""`rationale import`: turn preference data people already have into our files.

Each format has a module with one function ``import_rows(sources, options,
out)`` that reads the sources (through `rationale.io.reader.iter_rows`),
builds validated `Item`, `GoldAnswer` and `Judgment` records and hands them
to the shared `ImportWriter`, which streams them to ``items.jsonl``,
``gold.jsonl``, ``judgments.jsonl`` and (model judges' verdicts, kept out of
gold) ``judges.jsonl``. Adding a format = one module and one line in
`FORMATS` (the CLI's choices come from it).

Gold made by an import never has a human rationale: its
``reference_rationale`` says where the verdict came from and that no reason
was given, it is tagged ``imported``, has no key points, and its strength is
a default (see `common.IMPORTED_STRENGTH`) with the whole correct side
accepted. docs/IMPORT.md shows every format with an example.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING, Any

from .options import OPTION_FLAGS, ImportOptions, ImportUsageError, flag

if TYPE_CHECKING:  # kept out of `rationale --help`, which reads FORMATS: models load pydantic
    from ..models import ImportSummary

__all__ = [
    "FORMATS",
    "OPTION_FLAGS",
    "ImportFormat",
    "ImportOptions",
    "ImportSummary",
    "ImportUsageError",
    "import_source",
    "parse_labels",
]

Importer = Callable[[Sequence[Path], ImportOptions, Any], None]  # (sources, options, the ImportWriter)


@dataclass(frozen=True)
class ImportFormat:
    """A format: the module (imported only when used, so `--help` loads none) and the options it reads."""

    module: str
    options: frozenset[str] = frozenset()

    def importer(self) -> Importer:
        return importlib.import_module(f"{__name__}.{self.module}").import_rows


_MAPPED = frozenset({
    "field_map", "gold_field", "gold_from_votes", "vote_fields", "labels", "rationale_field",
    "confidence_field", "flags_field", "flag_note_field",
    "judge_fields", "joins", "swapped_joins", "join_on",
})

FORMATS: dict[str, ImportFormat] = {
    "hh-rlhf": ImportFormat("hh_rlhf"),
    "arena": ImportFormat("arena", frozenset({"gold_from_votes"})),
    "llmbar": ImportFormat("llmbar"),
    "argilla": ImportFormat("argilla", frozenset({"field_map", "gold_from_votes", "labels", "rationale_field"})),
    "label-studio": ImportFormat("label_studio", frozenset({"field_map", "gold_from_votes", "rationale_field"})),
    "jsonl": ImportFormat("mapped", _MAPPED),
    "json": ImportFormat("mapped", _MAPPED),
}
"""Every format by the name the CLI takes; options a format does not read are refused rather than ignored."""

_CHECKED = (
    "field_map", "gold_field", "gold_from_votes", "vote_fields", "labels", "rationale_field",
    "confidence_field", "flags_field", "flag_note_field",
    "judge_fields", "joins", "swapped_joins", "join_on",
)


def parse_labels(spec: str) -> dict[str, str]:
    """`0=tie,1=A,2=B` -> {"0": "tie", "1": "A", "2": "B"} (see `common.parse_labels`)."""
    from .common import parse_labels as parse

    return parse(spec)


def _check_options(fmt: str, options: ImportOptions) -> None:
    used = FORMATS[fmt].options
    for name in _CHECKED:
        if getattr(options, name) and name not in used:
            raise ImportUsageError(f"{flag(name)} is not used by the {fmt} format")
    from .common import check_vote_rule

    check_vote_rule(options.gold_from_votes)
    if options.gold_field and options.gold_from_votes:
        raise ImportUsageError(f"give either {flag('gold_field')} or {flag('gold_from_votes')}, not both")
    if (options.joins or options.swapped_joins) and not options.join_on:
        raise ImportUsageError(f"{flag('joins')} and {flag('swapped_joins')} need {flag('join_on')} KEY, the field both files share")
    if options.join_on and not (options.joins or options.swapped_joins):
        raise ImportUsageError(f"{flag('join_on')} needs a file to join ({flag('joins')} FILE or {flag('swapped_joins')} FILE)")


def import_source(
    fmt: str,
    sources: Sequence[str | Path],
    output_dir: str | Path,
    *,
    seed: int = 0,
    limit: int | None = None,
    field_map: dict[str, str] | None = None,
    gold_field: str | None = None,
    gold_from_votes: str | None = None,
    vote_fields: Sequence[str] = (),
    labels: dict[str, str] | None = None,
    rationale_field: str | None = None,
    confidence_field: str | None = None,
    flags_field: str | None = None,
    flag_note_field: str | None = None,
    judge_fields: Sequence[tuple[str, str]] = (),
    joins: Sequence[str | Path] = (),
    swapped_joins: Sequence[str | Path] = (),
    join_on: str | None = None,
    skip_identical: bool = False,
    skip_bad: bool = False,
    on_progress: Callable[[int, int | None], None] | None = None,
) -> ImportSummary:
    """Import `sources` in format `fmt` into `output_dir`.

    Raises `InputError` (nothing written) when rows are malformed and
    `skip_bad` is false, `ImportUsageError` when the options do not fit the
    format, `FileNotFoundError` for a missing source or joined file.
    """
    if fmt not in FORMATS:
        raise ImportUsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if limit is not None and limit < 1:
        raise ImportUsageError(f"{flag('limit')} must be at least 1")
    options = ImportOptions(
        seed=seed,
        field_map=dict(field_map or {}),
        gold_field=gold_field,
        gold_from_votes=gold_from_votes,
        vote_fields=tuple(vote_fields),
        labels=dict(labels) if labels else None,
        rationale_field=rationale_field,
        confidence_field=confidence_field,
        flags_field=flags_field,
        flag_note_field=flag_note_field,
        judge_fields=tuple((str(name), str(column)) for name, column in judge_fields),
        joins=tuple(Path(j) for j in joins),
        swapped_joins=tuple(Path(j) for j in swapped_joins),
        join_on=join_on,
        skip_identical=skip_identical,
    )
    _check_options(fmt, options)
    from ..models import ImportSummary
    from .writer import ImportWriter

    paths = [Path(s) for s in sources]
    for path in [*paths, *options.joins, *options.swapped_joins]:
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such file")
    importer = FORMATS[fmt].importer()
    out_dir = Path(output_dir)
    summary = ImportSummary(format=fmt, sources=[str(p) for p in paths], output_dir=str(out_dir))
    writer = ImportWriter(summary, out_dir, limit=limit, skip_identical=skip_identical, on_progress=on_progress)
    try:
        importer(paths, options, writer)
    except BaseException:  # Ctrl-C included: no temporary folder is left behind
        writer.abort()
        raise
    return writer.finish(skip_bad=skip_bad)
