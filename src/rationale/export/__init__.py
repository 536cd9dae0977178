"""Portfolio export: graded (and critiqued) examples as Markdown, HTML, JSONL or DPO rows.

* ``md``   one Markdown file, or one file per example when the output is a directory
* ``html`` one self-contained page (no network, no external fonts or scripts)
* ``jsonl`` full records with a schema version, for tracing and re-checking
* ``dpo``  ``prompt``/``chosen``/``rejected`` rows in the shape TRL's DPO trainer loads

`collect` reads the examples, `anonymize` replaces names, `formats` writes
JSONL and DPO rows; the documents are rendered by `rationale.render.portfolio`.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlite_utils

from .. import store
from ..errors import unwritable_output
from .anonymize import Pseudonyms, anonymize
from .collect import Example, ExportResult, Version, collect_examples
from .formats import EXPORT_SCHEMA_VERSION, example_record, write_dpo, write_jsonl

FORMATS = ("md", "html", "jsonl", "dpo")

__all__ = [
    "EXPORT_SCHEMA_VERSION", "FORMATS", "Example", "ExportResult", "Pseudonyms", "Version", "anonymize",
    "collect_examples", "example_record", "export", "portfolio_sections",
]


def export(
    db: sqlite_utils.Database,
    fmt: str,
    output: Path,
    *,
    annotator: str | None = None,
    min_score: float | None = None,
    tags: tuple[str, ...] = (),
    item_ids: tuple[str, ...] = (),
    with_critique: bool = False,
    anonymize_names: bool = False,
    with_audit: bool | None = None,
    on_progress: Callable[[int, int | None], None] | None = None,
) -> ExportResult:
    """Write the examples that pass the filters in `fmt` to `output`.

    `with_audit`: add the quality audit and guideline proposal of the newest
    calibration batch. By default they come with a team export and not with a
    personal one (`annotator`): the audit names every annotator of the batch.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    examples = collect_examples(
        db, annotator=annotator, min_score=min_score, tags=tags, item_ids=item_ids, with_critique=with_critique,
        on_progress=on_progress,
    )
    if not examples:
        return ExportResult([], 0)  # nothing is written for nothing
    extra = portfolio_sections(db, examples, with_audit=annotator is None if with_audit is None else with_audit)
    if anonymize_names:
        pseudonyms = Pseudonyms(db)
        # Every name the database knows, not only the exported ones: the audit names the whole batch.
        for name in store.export.annotator_names(db):
            pseudonyms(name)
        anonymize(examples, pseudonyms)
        extra = json.loads(pseudonyms.scrub(json.dumps(extra, ensure_ascii=False)) or "{}")
    if fmt in ("md", "html"):
        from ..render.portfolio import write_html, write_markdown

        document = write_markdown if fmt == "md" else write_html

        def write(examples: list[Example], path: Path, extra: dict[str, Any]) -> ExportResult:
            return ExportResult(document(examples, path, extra), len(examples))
    else:
        write = {"jsonl": write_jsonl, "dpo": write_dpo}[fmt]
    try:
        result = _written_whole(write, examples, output, extra)
    except OSError as exc:
        raise unwritable_output(output, "-o", exc) from None
    result.critiqued = sum(1 for e in examples if e.critique)
    return result


def _written_whole(write: Callable[..., ExportResult], examples: list[Example], output: Path, extra: dict[str, Any]) -> ExportResult:
    """`write` into a hidden folder beside `output`, then each file moved into place: an export interrupted
    (Ctrl-C, a full disk) leaves no file cut short, only the files it had finished or none."""
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".partial", dir=output.parent))
    try:
        result = write(examples, staging / output.name, extra)
        placed = []
        for path in result.paths:
            destination = output.parent / path.relative_to(staging)
            destination.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.replace(path, destination)
            except OSError as exc:  # said of the user's path, not of the hidden folder's
                raise OSError(exc.errno, exc.strerror, str(destination)) from None
            placed.append(destination)
        result.paths = placed
        return result
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def portfolio_sections(db: sqlite_utils.Database, examples: list[Example], with_audit: bool = True) -> dict[str, Any]:
    """Summary figures, plus (`with_audit`) the quality audit and guideline proposal of the newest calibration batch."""
    from ..calibration import audit_sections

    scores = [e.latest.score for e in examples if e.latest.score is not None]
    sections: dict[str, Any] = {
        "count": len(examples),
        "scores": scores,
        "mean_score": sum(scores) / len(scores) if scores else None,
        "pass_rate": (sum(1 for e in examples if e.latest.passed) / len(examples)) if examples else None,
        "accuracy": (sum(1 for e in examples if e.gold_agrees) / len(examples)) if examples else None,
        "per_criterion": _per_criterion(examples),
        "finding_counts": Counter(f["code"] for e in examples for f in e.latest.findings).most_common(),
        "revised": sum(1 for e in examples if e.revised),
    }
    if with_audit:
        sections.update(audit_sections(db))
    return sections


def _per_criterion(examples: list[Example]) -> list[dict[str, Any]]:
    """For each decisive criterion: how often the exported answers cited it where it decided the pair."""
    hits: Counter[str] = Counter()
    needed: Counter[str] = Counter()
    names: dict[str, str] = {}
    for e in examples:
        for c in (e.rubric or {}).get("criteria", []):
            names[c["id"]] = c["name"]
        for c in (e.gold or {}).get("decisive_criteria") or []:
            needed[c] += 1
            if c in e.latest.criteria:
                hits[c] += 1
    return [{"id": c, "name": names.get(c, c), "recall": hits[c] / n, "needed": n} for c, n in sorted(needed.items())]
