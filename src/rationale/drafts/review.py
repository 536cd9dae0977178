"""`rationale gold review`: a lead goes through the stored drafts and writes an ordinary gold file.

For each pending draft of the items given: the pair, the draft and what `gold lint`
says of it; the lead accepts it (`a`), edits it in $EDITOR (`e`: the edit is shown with
`gold lint`'s warnings on it, then accepted with `a` or edited again), rejects it (`r`),
leaves it for later (`s`) or stops (`q`). Each decision is committed at once. The gold file written holds the gold given with `--gold`, every
accepted draft of these items in place of the gold it builds on, and nothing else:
an accepted answer carries `provenance` (the draft, the model, who accepted it,
when, and whether it was edited). Drafts never reach a grade any other way.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Protocol

from pydantic import ValidationError

from .. import store
from ..models import GoldAnswer, Item, Provenance, Rubric

ACCEPT, EDIT, REJECT, SKIP, QUIT = "a", "e", "r", "s", "q"
KEYS = "a accept · e edit in $EDITOR · r reject · s skip · q stop"
EDITED_KEYS = "a accept your edit · e edit again · r reject · s skip · q stop"
EDIT_HEADER = "// Edit the gold answer below (JSON). Lines starting with // are dropped. Save and quit to accept it.\n"


class ReviewIO(Protocol):
    def show(self, text: str) -> None: ...
    def ask(self, label: str) -> str: ...  # one line; raises EOFError when input ends, KeyboardInterrupt on Ctrl-C
    def edit(self, text: str) -> str | None: ...  # $EDITOR; None when abandoned or unavailable


@dataclass
class ReviewSummary:
    pending: int = 0
    accepted: int = 0
    edited: int = 0
    rejected: int = 0
    skipped: int = 0
    written: int = 0  # gold answers in the file written
    from_drafts: int = 0  # of those, accepted drafts
    output: str = ""
    stopped: bool = False
    interrupted: bool = False  # stopped by Ctrl-C: the decisions made are kept and the file is written all the same
    notes: list[str] = field(default_factory=list)


def review_drafts(
    *,
    items_path: str | os.PathLike[str],
    rubric_path: str | os.PathLike[str],
    output: str | os.PathLike[str],
    reviewer: str,
    io: ReviewIO,
    gold_path: str | os.PathLike[str] | None = None,
    db_path: str | os.PathLike[str] | None = None,
) -> ReviewSummary:
    """Review the pending drafts of these items with `io`, then write the gold file (see the module docstring)."""
    from ..io import load_references
    from ..render.gold import render_draft

    rubric, items, gold = load_references(rubric_path, items_path, gold_path)
    gold = gold or {}
    summary = ReviewSummary(output=os.fspath(output))
    hashes = {item.content_hash: item for item in items.values()}
    db = store.open_db(db_path)
    try:
        pending = store.drafts.drafts_for(db, list(hashes), [store.drafts.DRAFT])
        summary.pending = len(pending)
        warnings = _lint(pending, gold, rubric)
        for row in pending:
            draft = GoldAnswer.model_validate(json.loads(row["body"]))
            io.show(render_draft(hashes[row["item_hash"]], draft, row["model"], warnings.get(row["id"], [])))
            try:
                decision = _decide(io, draft, rubric, items, gold)
            except EOFError:
                summary.stopped = True
                break
            except KeyboardInterrupt:
                summary.stopped = summary.interrupted = True
                break
            if decision is None:
                summary.stopped = True
                break
            kind, accepted = decision
            _record(db, row, kind, accepted, reviewer, summary)
        accepted_rows = store.drafts.drafts_for(db, list(hashes), [store.drafts.ACCEPTED])
    finally:
        db.close()
    written = dict(gold)
    for row in accepted_rows:  # oldest first: a later acceptance for the same item wins
        answer = GoldAnswer.model_validate(json.loads(row["accepted"]))
        written[answer.item_id] = answer
    summary.from_drafts = len({json.loads(r["accepted"])["item_id"] for r in accepted_rows})
    summary.written = len(written)
    _write(Path(output), [written[i] for i in items if i in written])
    return summary


def _lint(pending: list[dict[str, Any]], gold: dict[str, GoldAnswer], rubric: Rubric) -> dict[str, list[str]]:
    """`gold lint` on the pending drafts beside the gold they join: warning lines per draft id."""
    drafts = {row["id"]: GoldAnswer.model_validate(json.loads(row["body"])) for row in pending}
    by_item = {d.item_id: draft_id for draft_id, d in drafts.items()}
    lines: dict[str, list[str]] = {}
    for w in lint_beside(list(drafts.values()), gold, rubric):
        where = f"key point {w.key_point}: " if w.key_point else ""
        lines.setdefault(by_item[w.item_id], []).append(f"{where}{w.message} [{w.code}]")
    return lines


def lint_beside(drafts: list[GoldAnswer], gold: dict[str, GoldAnswer], rubric: Rubric) -> list:
    """`gold lint` warnings on `drafts`, read beside the gold they join (generic cues are judged across the set)."""
    from ..grading.gold_lint import lint_gold

    drafted = {d.item_id for d in drafts}
    together = [g for item_id, g in gold.items() if item_id not in drafted] + drafts
    return [w for w in lint_gold(together, rubric) if w.item_id in drafted]


def pending_drafts(
    *, items_path: str | os.PathLike[str], rubric_path: str | os.PathLike[str], gold_path: str | os.PathLike[str] | None,
    db_path: str | os.PathLike[str] | None,
) -> tuple[list[GoldAnswer], list]:
    """The drafts of these items waiting for review, and `gold lint`'s warnings on them (`gold lint --drafts`)."""
    from ..io import load_references

    rubric, items, gold = load_references(rubric_path, items_path, gold_path)
    db = store.open_db(db_path)
    try:
        rows = store.drafts.drafts_for(db, [item.content_hash for item in items.values()], [store.drafts.DRAFT])
    finally:
        db.close()
    drafts = [GoldAnswer.model_validate(json.loads(row["body"])) for row in rows]
    return drafts, lint_beside(drafts, gold or {}, rubric)


def _decide(io: ReviewIO, draft: GoldAnswer, rubric: Rubric, items: dict[str, Item],
            gold: dict[str, GoldAnswer] | None = None) -> tuple[str, GoldAnswer | None] | None:
    """(decision, the gold to accept) or None to stop. An edit is linted and shown before it can be accepted."""
    edited: GoldAnswer | None = None
    while True:
        key = io.ask(f"[{EDITED_KEYS if edited is not None else KEYS}]").strip().lower()
        if key == QUIT:
            return None
        if key in (ACCEPT, REJECT, SKIP):
            if key == ACCEPT and edited is not None:
                return EDIT, edited
            return key, draft if key == ACCEPT else None
        if key == EDIT:
            again = _edit(io, edited or draft, rubric)
            if again is not None:
                edited = again
                warnings = [(f"key point {w.key_point}: " if w.key_point else "") + f"{w.message} [{w.code}]"
                            for w in lint_beside([edited], gold or {}, rubric)]
                io.show("Your edit, as `gold lint` reads it:\n" + "\n".join(
                    [f"  lint: {w}" for w in warnings] or ["  lint: nothing to warn about"]))
            continue
        io.show(f"! {key!r} is not a choice: {EDITED_KEYS if edited is not None else KEYS}.")


def _edit(io: ReviewIO, draft: GoldAnswer, rubric: Rubric) -> GoldAnswer | None:
    """The draft edited in $EDITOR and checked as gold for the same item; None when abandoned or still invalid."""
    text = EDIT_HEADER + json.dumps(draft.model_dump(mode="json", exclude_none=True), indent=2, ensure_ascii=False) + "\n"
    written = io.edit(text)
    if written is None:
        io.show("! Nothing came back from the editor (closed without saving, no terminal, or no editor): the draft is unchanged.")
        return None
    body = "\n".join(line for line in written.splitlines() if not line.lstrip().startswith("//"))
    try:
        edited = GoldAnswer.model_validate_json(body)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'gold'}: {e['msg']}" for e in exc.errors()[:5])
        io.show(f"! The edited gold is not valid ({problems}): the draft is unchanged; edit again or choose another key.")
        return None
    problems = _against_rubric(edited, draft, rubric)
    if problems:
        io.show(f"! The edited gold does not fit: {'; '.join(problems)}. The draft is unchanged.")
        return None
    return edited


def _against_rubric(edited: GoldAnswer, draft: GoldAnswer, rubric: Rubric) -> list[str]:
    problems = []
    if edited.item_id != draft.item_id:
        problems.append(f"item_id {edited.item_id!r} is not this draft's item {draft.item_id!r}")
    unknown = sorted(set(edited.decisive_criteria) - set(rubric.criterion_ids))
    if unknown:
        problems.append(f"decisive_criteria: not in the rubric: {', '.join(unknown)}")
    if abs(edited.strength) > rubric.max_strength:
        problems.append(f"strength {edited.strength:+d} is off the rubric's scale")
    return problems


def _record(db: Any, row: dict[str, Any], kind: str, accepted: GoldAnswer | None, reviewer: str, summary: ReviewSummary) -> None:
    if kind == SKIP:
        summary.skipped += 1
        return
    if kind == REJECT:
        store.drafts.record_review(db, row["id"], status=store.drafts.REJECTED, reviewer=reviewer, accepted=None, edited=False)
        summary.rejected += 1
        return
    assert accepted is not None
    edited = kind == EDIT
    provenance = Provenance(draft_id=row["id"], model=row["model"], accepted_by=reviewer,
                            accepted_at=datetime.now(timezone.utc).replace(microsecond=0), edited=edited)
    gold = GoldAnswer.model_validate({**accepted.model_dump(mode="json"), "provenance": provenance.model_dump(mode="json")})
    store.drafts.record_review(db, row["id"], status=store.drafts.ACCEPTED, reviewer=reviewer,
                               accepted=gold.model_dump(mode="json", exclude_none=True), edited=edited)
    summary.accepted += 1
    summary.edited += edited


def _write(path: Path, answers: list[GoldAnswer]) -> None:
    """The gold file, written whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text("".join(a.model_dump_json(exclude_none=True) + "\n" for a in answers), encoding="utf-8")
    partial.replace(path)
