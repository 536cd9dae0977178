"""`rationale import`: turn preference data people already have into our files.

Each format has a module with one function ``import_rows(sources, options,
out)`` that reads the sources, builds validated `Item`, `GoldAnswer` and
`Judgment` records and hands them to the shared `ImportWriter`, which
streams them to ``items.jsonl``, ``gold.jsonl`` and ``judgments.jsonl``.

Gold made by an import never has a human rationale: its
``reference_rationale`` says where the verdict came from and that no reason
was given, it is tagged ``imported``, has no key points, and its strength is
a default (see `common.IMPORTED_STRENGTH`) with the whole correct side
accepted. docs/IMPORT.md shows every format with an example.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .common import ImportUsageError, parse_labels
from .writer import ImportSummary, ImportWriter

__all__ = [
    "FORMATS",
    "ImportOptions",
    "ImportSummary",
    "ImportUsageError",
    "import_source",
    "parse_labels",
]


@dataclass(frozen=True)
class ImportOptions:
    seed: int = 0
    field_map: dict[str, str] = field(default_factory=dict)
    gold_field: str | None = None
    gold_from_votes: str | None = None
    vote_fields: tuple[str, ...] = ()
    labels: dict[str, str] | None = None
    rationale_field: str | None = None


Importer = Callable[[Sequence[Path], ImportOptions, ImportWriter], None]

# Which options each format reads; anything else is refused rather than ignored.
_OPTIONS_USED: dict[str, set[str]] = {
    "hh-rlhf": set(),
    "llmbar": set(),
    "arena": {"gold_from_votes"},
    "argilla": {"field_map", "gold_from_votes", "labels", "rationale_field"},
    "label-studio": {"field_map", "gold_from_votes", "rationale_field"},
    "jsonl": {"field_map", "gold_field", "gold_from_votes", "vote_fields", "labels", "rationale_field"},
    "json": {"field_map", "gold_field", "gold_from_votes", "vote_fields", "labels", "rationale_field"},
}

_FLAG = {
    "field_map": "--map",
    "gold_field": "--gold-field",
    "gold_from_votes": "--gold-from-votes",
    "vote_fields": "--vote-fields",
    "labels": "--labels",
    "rationale_field": "--rationale-field",
}


def _importer(fmt: str) -> Importer:
    # Imported lazily so that `rationale --help` does not load every format.
    if fmt == "hh-rlhf":
        from .hh_rlhf import import_rows
    elif fmt == "llmbar":
        from .llmbar import import_rows
    elif fmt == "arena":
        from .arena import import_rows
    elif fmt == "argilla":
        from .argilla import import_rows
    elif fmt == "label-studio":
        from .label_studio import import_rows
    else:
        from .mapped import import_rows
    return import_rows


FORMATS: tuple[str, ...] = tuple(_OPTIONS_USED)


def _check_options(fmt: str, options: ImportOptions) -> None:
    used = _OPTIONS_USED[fmt]
    for name, flag in _FLAG.items():
        if getattr(options, name) and name not in used:
            raise ImportUsageError(f"{flag} is not used by the {fmt} format")
    if options.gold_from_votes not in (None, "majority"):
        raise ImportUsageError(f"--gold-from-votes: only 'majority' is supported, not {options.gold_from_votes!r}")
    if options.gold_field and options.gold_from_votes:
        raise ImportUsageError("give either --gold-field or --gold-from-votes, not both")


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
    skip_bad: bool = False,
) -> ImportSummary:
    """Import `sources` in format `fmt` into `output_dir`.

    Raises `InputError` (nothing written) when rows are malformed and
    `skip_bad` is false, `ImportUsageError` when the options do not fit the
    format, `FileNotFoundError` for a missing source.
    """
    if fmt not in _OPTIONS_USED:
        raise ImportUsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if limit is not None and limit < 1:
        raise ImportUsageError("--limit must be at least 1")
    options = ImportOptions(
        seed=seed,
        field_map=dict(field_map or {}),
        gold_field=gold_field,
        gold_from_votes=gold_from_votes,
        vote_fields=tuple(vote_fields),
        labels=dict(labels) if labels else None,
        rationale_field=rationale_field,
    )
    _check_options(fmt, options)
    paths = [Path(s) for s in sources]
    for path in paths:
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such file")
    importer = _importer(fmt)
    out_dir = Path(output_dir)
    summary = ImportSummary(format=fmt, sources=[str(p) for p in paths], output_dir=str(out_dir))
    writer = ImportWriter(summary, out_dir, limit=limit)
    try:
        importer(paths, options, writer)
    except BaseException:
        writer.abort()
        raise
    return writer.finish(skip_bad=skip_bad)
