"""Database migrations: an ordered list of small named functions, each run once.

Each migration runs once and is recorded by name in `_migrations`, as
simonw/llm does. The rules:

* one small migration per schema change: a new table, a new column, a new
  index, a new view; append it at the end of this file;
* never edit a migration that has shipped (a database that already ran it
  will not run it again); write a new one that changes what it made;
* name it ``mNNN_what_it_does`` with the next number, so that names sort in
  the order they run (tests/test_migrations.py checks this).

Release 0.1.0 recorded its migrations under names that did not sort in run
order (m001, m030, m040, m010, m020). `LEGACY_NAMES` maps those to the
current names; `migrate` renames them in `_migrations` once, and runs
nothing again (tests/test_migrations.py upgrades a database that release made).
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = []

LEGACY_NAMES: dict[str, str] = {
    "m030_drill": "m002_drill",
    "m040_settings_and_revisions": "m003_settings_and_revisions",
    "m010_critiques": "m004_critiques",
    "m020_calibration": "m005_calibration",
}
"""Names release 0.1.0 recorded -> the names the same migrations have now."""


def migration(fn: Callable[[sqlite_utils.Database], None]) -> Callable[[sqlite_utils.Database], None]:
    MIGRATIONS.append(fn)
    return fn


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply every migration not yet recorded; return the names applied."""
    if "_migrations" not in db.table_names():
        db["_migrations"].create({"name": str, "applied_at": str}, pk="name")
    _rename_legacy(db)
    done = {row["name"] for row in db["_migrations"].rows}
    applied = []
    for fn in MIGRATIONS:
        if fn.__name__ in done:
            continue
        with db.conn:
            fn(db)
            db.execute(
                "insert into _migrations (name, applied_at) values (?, strftime('%Y-%m-%dT%H:%M:%fZ','now'))",
                [fn.__name__],
            )
        applied.append(fn.__name__)
    return applied


def _rename_legacy(db: sqlite_utils.Database) -> None:
    """Record migrations run under a release-0.1.0 name under their current name (bookkeeping only)."""
    recorded = {row["name"] for row in db["_migrations"].rows}
    legacy = [(new, old) for old, new in LEGACY_NAMES.items() if old in recorded and new not in recorded]
    if legacy:
        with db.conn:
            db.conn.executemany("update _migrations set name = ? where name = ?", legacy)


@migration
# A schema declaration that shipped: long by nature, and never edited (append a new migration instead).
def m001_foundation(db: sqlite_utils.Database) -> None:
    db["runs"].create(
        {
            "id": int,
            "command": str,
            "inputs": str,  # JSON: the files and options the command was given
            "rubric_hash": str,
            "started": str,
            "finished": str,
            "counts": str,  # JSON: what was read, written, graded
        },
        pk="id",
    )
    db["rubrics"].create(
        {"hash": str, "id": str, "title": str, "version": str, "body": str, "first_seen": str},
        pk="hash",
    )
    db["items"].create(
        {
            "hash": str,
            "id": str,
            "prompt": str,  # a string, or JSON chat turns
            "response_a": str,
            "response_b": str,
            "source": str,
            "domain": str,
            "tags": str,  # JSON list
        },
        pk="hash",
    )
    db["items"].create_index(["id"])
    db["gold"].create(
        {
            "hash": str,
            "item_id": str,
            "item_hash": str,
            "preference": str,
            "strength": int,
            "difficulty": str,
            "tags": str,
            "body": str,  # the whole GoldAnswer as JSON
        },
        pk="hash",
        foreign_keys=[("item_hash", "items", "hash")],
    )
    db["gold"].create_index(["item_id"])
    db["judgments"].create(
        {
            "hash": str,
            "item_id": str,
            "item_hash": str,
            "annotator": str,
            "version": int,  # 1 for the first answer of (annotator, item); a changed answer adds a version
            "preference": str,
            "strength": int,
            "criteria": str,  # JSON list
            "rationale": str,
            "seconds": float,
            "timestamp": str,
            "run_id": int,
        },
        pk="hash",
        foreign_keys=[("item_hash", "items", "hash"), ("run_id", "runs", "id")],
    )
    db["judgments"].create_index(["annotator", "item_id"])
    db["judgments"].create_index(["item_id"])
    db["grades"].create(
        {
            "id": str,  # hash of (judgment, gold, rubric): the same grading is never stored twice
            "judgment_hash": str,
            "gold_hash": str,
            "rubric_hash": str,
            "item_id": str,
            "annotator": str,
            "score": float,
            "passed": int,
            "preference_correct": int,
            "strength_distance": int,
            "criteria_precision": float,
            "criteria_recall": float,
            "components": str,  # JSON
            "key_points_made": str,  # JSON list
            "key_points_missed": str,  # JSON list
            "run_id": int,
            "graded_at": str,
        },
        pk="id",
        foreign_keys=[
            ("judgment_hash", "judgments", "hash"),
            ("gold_hash", "gold", "hash"),
            ("rubric_hash", "rubrics", "hash"),
            ("run_id", "runs", "id"),
        ],
    )
    db["grades"].create_index(["annotator"])
    db["grades"].create_index(["item_id"])
    db["grades"].create_index(["judgment_hash"])
    db["findings"].create(
        {
            "id": int,
            "grade_id": str,
            "code": str,
            "severity": str,
            "message": str,
            "span": str,
            "criterion": str,
            "key_point": str,
        },
        pk="id",
        foreign_keys=[("grade_id", "grades", "id")],
    )
    db["findings"].create_index(["grade_id"])
    db["findings"].create_index(["code"])
    db.create_view(
        "feedback",
        """
        select
            j.annotator, j.item_id, j.version, j.preference, j.strength, j.criteria, j.rationale,
            g.score, g.passed, g.preference_correct, g.strength_distance,
            g.key_points_made, g.key_points_missed, g.rubric_hash, g.graded_at,
            (select json_group_array(json_object('code', f.code, 'severity', f.severity, 'message', f.message))
               from findings f where f.grade_id = g.id) as findings
        from judgments j join grades g on g.judgment_hash = j.hash
        """,
    )


@migration
# A schema declaration that shipped: long by nature, and never edited (append a new migration instead).
def m002_drill(db: sqlite_utils.Database) -> None:
    # One row per drill session; `number` counts the annotator's sessions and is
    # the clock the spaced-repetition schedule runs on.
    db["drill_sessions"].create(
        {
            "id": int,
            "annotator": str,
            "number": int,
            "item_order": str,  # new | missed | mixed
            "requested": int,
            "seed": int,
            "items_path": str,
            "gold_path": str,
            "rubric_hash": str,
            "run_id": int,
            "started": str,
            "finished": str,  # null while the session is unfinished (resumable)
        },
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
    )
    db["drill_sessions"].create_index(["annotator", "number"])
    # The session's plan, written before the first item is shown, so an
    # interrupted session can be resumed; answer columns fill in as answers come.
    db["drill_presentations"].create(
        {
            "session_id": int,
            "position": int,
            "item_id": str,
            "swapped": int,  # 1: shown with A and B swapped; judgment, grade and gold are stored as shown
            "shown_preference": str,  # as the trainee saw it
            "shown_strength": int,
            "judgment_hash": str,
            "grade_id": str,
            "preference_correct": int,
            "passed": int,
            "score": float,
            "seconds": float,
            "answered_at": str,
        },
        pk=("session_id", "position"),
        foreign_keys=[
            ("session_id", "drill_sessions", "id"),
            ("judgment_hash", "judgments", "hash"),
            ("grade_id", "grades", "id"),
        ],
    )
    db["drill_presentations"].create_index(["item_id"])
    db["drill_presentations"].create_index(["grade_id"])
    # Leitner boxes per (annotator, item): box 1 comes back next session, each
    # box above doubles the wait.
    db["drill_schedule"].create(
        {
            "annotator": str,
            "item_id": str,
            "box": int,
            "due_session": int,
            "times_seen": int,
            "times_passed": int,
            "last_passed": int,
            "last_session": int,
        },
        pk=("annotator", "item_id"),
    )


@migration
def m003_settings_and_revisions(db: sqlite_utils.Database) -> None:
    # settings holds per-database secrets such as the pseudonym key of `export --anonymize`.
    db["settings"].create({"name": str, "value": str}, pk="name")
    # A revision is a new judgment version written with `rationale revise`; the row keeps where it came from.
    db["revisions"].create(
        {"judgment_hash": str, "previous_hash": str, "annotator": str, "item_id": str, "revised_at": str, "note": str},
        pk="judgment_hash",
        foreign_keys=[("judgment_hash", "judgments", "hash"), ("previous_hash", "judgments", "hash")],
    )


@migration
# A schema declaration that shipped: long by nature, and never edited (append a new migration instead).
def m004_critiques(db: sqlite_utils.Database) -> None:
    # One row per (judgment, reviewer setup). `id` hashes the judgment with the cache key, so a
    # re-run upserts instead of duplicating; failed rows keep their reason and are never scored.
    db["critiques"].create(
        {
            "id": str,
            "judgment_hash": str,
            "item_id": str,
            "annotator": str,
            "model": str,
            "template_version": str,
            "rubric_hash": str,
            "gold_hash": str,
            "with_gold": int,
            "swapped": int,  # 1 when the verdict was also asked with A and B swapped
            "status": str,  # ok | failed
            "failure_reason": str,
            "preference": str,  # the reviewer's final verdict (a tie when the orders disagree)
            "strength": int,
            "verdict_ab": str,  # preference asked in the given order
            "verdict_ba": str,  # preference asked swapped, mapped back to the original labels
            "consistent": int,
            "supports_choice": int,
            "confidence": float,
            "escalate": int,
            "escalation_reasons": str,  # JSON list
            "injection_attempt": int,
            "tokens_in": int,
            "tokens_out": int,
            "cost": float,
            "latency": float,
            "body": str,  # the whole Critique as JSON, raw responses included
            "run_id": int,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("judgment_hash", "judgments", "hash"), ("run_id", "runs", "id")],
    )
    db["critiques"].create_index(["judgment_hash"])
    db["critiques"].create_index(["status"])
    db["critiques"].create_index(["annotator", "item_id"])
    # The response cache: one row per distinct LLM request (model, template, rubric, item, rationale,
    # options, order). A key found here is never sent again.
    db["llm_cache"].create(
        {
            "key": str,
            "model": str,
            "kind": str,  # critique | verdict
            "template_version": str,
            "response": str,  # the validated JSON reply
            "raw": str,  # the model's text as received
            "tokens_in": int,
            "tokens_out": int,
            "cost": float,
            "latency": float,
            "created_at": str,
        },
        pk="key",
    )
    db.create_view(
        "escalations",
        """
        select
            c.annotator, c.item_id, c.model, j.preference as trainee_preference, j.strength as trainee_strength,
            c.preference as reviewer_preference, c.strength as reviewer_strength,
            (select g.preference from gold g where g.hash = c.gold_hash) as gold_preference,
            c.confidence, c.consistent, c.escalation_reasons, c.status, c.judgment_hash, c.created_at
        from critiques c join judgments j on j.hash = c.judgment_hash
        where c.escalate = 1  -- failed reviews escalate only for an injection attempt the detector found
        """,
    )


@migration
# A schema declaration that shipped: long by nature, and never edited (append a new migration instead).
def m005_calibration(db: sqlite_utils.Database) -> None:
    # One row per calibration batch; a batch name run again replaces its rows.
    # `report` holds the whole analysis as JSON (every figure the report shows).
    db["calibration_batches"].create(
        {
            "id": int,
            "name": str,
            "run_id": int,
            "rubric_hash": str,
            "created": str,
            "threshold": float,
            "min_items": int,
            "items": int,
            "annotators": int,
            "judgments": int,
            "has_gold": int,
            "report": str,
        },
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
    )
    db["calibration_batches"].create_index(["name"])
    # The votes as given in the batch: judgments without gold are not graded,
    # so they are kept here rather than in `judgments`.
    db["calibration_votes"].create(
        {"batch_id": int, "annotator": str, "item_id": str, "preference": str, "strength": int, "judgment_hash": str},
        pk=("batch_id", "annotator", "item_id"),
        foreign_keys=[("batch_id", "calibration_batches", "id")],
    )
    db["calibration_items"].create(
        {
            "batch_id": int,
            "item_id": str,
            "votes": int,
            "entropy": float,  # of the preference votes, bits: the disagreement ranking
            "majority": str,
            "dawid_skene": str,
            "gold": str,
        },
        pk=("batch_id", "item_id"),
        foreign_keys=[("batch_id", "calibration_batches", "id")],
    )
    # Per-annotator figures, one row per batch: what `calibrate --history` reads.
    db["calibration_annotators"].create(
        {
            "batch_id": int,
            "annotator": str,
            "judged": int,
            "gold_items": int,
            "correct": int,
            "accuracy": float,
            "accuracy_low": float,
            "accuracy_high": float,
            "verdict": str,
            "mean_score": float,
            "strength_credit": float,
            "kappa_with_peers": float,
            "agreement_with_peers": float,
            "reliability": float,
            "share_a": float,
            "gold_share_a": float,
            "tie_rate": float,
            "gold_tie_rate": float,
            "longer_rate": float,
            "gold_longer_rate": float,
            "consistency": float,
            "biases": str,  # JSON list of flagged biases, in words
        },
        pk=("batch_id", "annotator"),
        foreign_keys=[("batch_id", "calibration_batches", "id")],
    )
    db["calibration_annotators"].create_index(["annotator"])


@migration
def m006_grade_verdict_and_reasoning(db: sqlite_utils.Database) -> None:
    """Grader version 2: the verdict and reasoning grades and each key point's result, beside the overall score.

    Grades stored by version 1 keep null here; re-grading stores fresh version-2 grades beside them.
    """
    db["grades"].add_column("verdict_score", float)
    db["grades"].add_column("reasoning_score", float)
    db["grades"].add_column("key_points", str)  # JSON: [{key_point, status, credit, sentence, hedged}]
    db.conn.execute("drop view if exists feedback")
    db.create_view(
        "feedback",
        """
        select
            j.annotator, j.item_id, j.version, j.preference, j.strength, j.criteria, j.rationale,
            g.score, g.verdict_score, g.reasoning_score, g.passed, g.preference_correct, g.strength_distance,
            g.key_points_made, g.key_points_missed, g.key_points, g.rubric_hash, g.graded_at,
            (select json_group_array(json_object('code', f.code, 'severity', f.severity, 'message', f.message))
               from findings f where f.grade_id = g.id) as findings
        from judgments j join grades g on g.judgment_hash = j.hash
        """,
    )


@migration
def m007_rationale_search(db: sqlite_utils.Database) -> None:
    # Full-text search on rationales (Datasette shows a search box on `judgments`). An external-content
    # FTS5 index: the text stays in `judgments` only, and triggers keep the index in step with every
    # insert, update and delete; rows already stored are indexed here.
    db["judgments"].enable_fts(["rationale"], create_triggers=True, tokenize="porter")


@migration
def m009_run_judgments(db: sqlite_utils.Database) -> None:
    # What each run graded, whether or not its grades were new: `critique --run N` reviews exactly that.
    # (Runs before this migration are answered from `judgments.run_id` and `grades.run_id`.)
    db["run_judgments"].create({"run_id": int, "judgment_hash": str}, pk=("run_id", "judgment_hash"),
                               foreign_keys=[("run_id", "runs", "id"), ("judgment_hash", "judgments", "hash")])


@migration
def m010_escalations_failed_and_rubric(db: sqlite_utils.Database) -> None:
    # The escalations view: failed reviews too (a lead must see what the reviewer could not do, and why),
    # the rubric each critique used, and only the newest critique of an answer by a model (one row per
    # answer, not one per rubric version it was ever reviewed under).
    db.conn.execute("drop view if exists escalations")
    db.create_view(
        "escalations",
        """
        select
            c.annotator, c.item_id, c.model, r.id as rubric_id, r.version as rubric_version,
            j.preference as trainee_preference, j.strength as trainee_strength,
            c.preference as reviewer_preference, c.strength as reviewer_strength,
            (select g.preference from gold g where g.hash = c.gold_hash) as gold_preference,
            c.confidence, c.consistent,
            case when c.status = 'failed'
                 then json_insert(coalesce(c.escalation_reasons, '[]'), '$[#]', 'review_failed: ' || coalesce(c.failure_reason, 'no reason recorded'))
                 else c.escalation_reasons end as escalation_reasons,
            c.status, c.failure_reason, c.judgment_hash, c.rubric_hash, c.created_at
        from critiques c
        join judgments j on j.hash = c.judgment_hash
        left join rubrics r on r.hash = c.rubric_hash
        where (c.escalate = 1 or c.status = 'failed')
          and c.rowid = (select max(c2.rowid) from critiques c2 where c2.judgment_hash = c.judgment_hash and c2.model = c.model)
        """,
    )


@migration
def m011_confidence_and_escalation(db: sqlite_utils.Database) -> None:
    """Grader version 3: an answer's confidence, flags and flag note; a grade's escalation outcome.

    Rows stored before keep null (no confidence given, nothing flagged; an older grade has no outcome).
    """
    db["judgments"].add_column("confidence", int)
    db["judgments"].add_column("flags", str)  # JSON list, null when nothing is flagged
    db["judgments"].add_column("flag_note", str)
    db["grades"].add_column("escalation", str)  # hit | miss | false_alarm, null when neither edge case nor flag


@migration
def m012_gold_drafts(db: sqlite_utils.Database) -> None:
    """Gold drafted by an LLM (`rationale gold draft`), kept apart from `gold`: never graded against until a lead
    accepts it (`rationale gold review`), which records who accepted it, when, and whether it was edited."""
    db["gold_drafts"].create(
        {
            "id": str,  # content hash of (item version, rubric, model, template, the gold it builds on)
            "item_id": str,
            "item_hash": str,
            "rubric_hash": str,
            "model": str,
            "template_version": str,
            "based_on": str,  # hash of the gold whose choice it keeps, null when drafted from the pair alone
            "status": str,  # draft | failed | accepted | rejected
            "body": str,  # JSON: the drafted gold answer (null when failed)
            "lint": str,  # JSON: gold lint warnings on the draft
            "failure_reason": str,
            "tokens_in": int,
            "tokens_out": int,
            "cost": float,
            "run_id": int,
            "created_at": str,
            "reviewed_by": str,
            "reviewed_at": str,
            "accepted": str,  # JSON: the gold as accepted (edited or not), with its provenance
            "edited": int,
        },
        pk="id",
        foreign_keys=[("run_id", "runs", "id")],
    )
    db["gold_drafts"].create_index(["item_id"])
    db["gold_drafts"].create_index(["status"])


@migration
def m013_provider_batches(db: sqlite_utils.Database) -> None:
    """Provider batch jobs (`critique --batch`): each uploaded file and batch, and the requests it carries.

    A row is written as soon as the file is uploaded (before the batch is
    created), so a process killed at any point leaves enough to resume: a file
    without a batch id is submitted by the next run, a batch without
    `collected_at` is polled and collected.
    """
    db["llm_batches"].create(
        {
            "id": int,  # local id
            "batch_id": str,  # the provider's id; null until the batch is created
            "provider": str,
            "model": str,
            "api_base": str,
            "purpose": str,  # first | repair
            "input_file_id": str,
            "output_file_id": str,
            "error_file_id": str,
            "status": str,  # uploaded, then the provider's: validating, in_progress, finalizing, completed, expired, ...
            "requests": int,
            "bytes": int,
            "estimated_cost": float,  # at batch prices, before sending; null for an unpriced model
            "run_id": int,
            "uploaded_at": str,
            "collected_at": str,  # when its output and error files were read; null while it is open
        },
        pk="id",
    )
    db["llm_batches"].create_index(["batch_id"], unique=True)
    db["llm_batch_requests"].create(
        {
            "batch": int,  # llm_batches.id
            "key": str,  # the request's llm_cache key, sent as custom_id
            "kind": str,  # critique | verdict
            "rubric_hash": str,  # reads the reply
            "status": str,  # pending | ok | invalid | repairing | repaired | failed
            "problem": str,  # why a reply was invalid or the request failed
            "raw": str,  # the reply text, when one came
            "tokens_in": int,
            "tokens_out": int,
            "cost": float,
        },
        pk=("batch", "key"),
        foreign_keys=[("batch", "llm_batches", "id")],
    )
    db["llm_batch_requests"].create_index(["key"])
    db["llm_batch_requests"].create_index(["status"])


@migration
def m015_reviewed_grades(db: sqlite_utils.Database) -> None:
    # The grade the second reviewer's reading reaches, one row per critique (the same id), beside the
    # deterministic grade in `grades`, which it never replaces. `body` holds the whole ReviewedGrade:
    # the reviewed Grade, the reviewer's reading and every difference from the grader with its reason.
    db["reviewed_grades"].create(
        {
            "id": str,  # the critiques row whose reading this grade follows
            "judgment_hash": str,
            "item_id": str,
            "annotator": str,
            "model": str,
            "rubric_hash": str,
            "gold_hash": str,
            "score": float,  # the reviewed grade
            "passed": int,
            "deterministic_score": float,  # the grader's, for comparison (the grade itself stays in `grades`)
            "deterministic_passed": int,
            "differences": int,  # how many places the reviewer's reading differs from the grader's
            "escalate": int,  # 1 when they disagree on pass/fail or on a key point
            "escalation_reasons": str,  # JSON list
            "body": str,
            "run_id": int,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("judgment_hash", "judgments", "hash"), ("run_id", "runs", "id")],
    )
    db["reviewed_grades"].create_index(["judgment_hash"])
    db["reviewed_grades"].create_index(["annotator", "item_id"])


@migration
def m016_batch_request_gold(db: sqlite_utils.Database) -> None:
    # A reading request's reply (the reviewed grade) is read against the gold whose key points it must name,
    # not against the rubric alone: the batch records that gold so a later `--collect` can validate the reply.
    db["llm_batch_requests"].add_column("gold_hash", str)  # null for critique and verdict requests


@migration
def m017_batch_cancelled_at(db: sqlite_utils.Database) -> None:
    # `critique --cancel`: when a lead asked the provider to cancel a batch (or stopped a file whose batch was never
    # created); the provider's own status (cancelling, then cancelled) stays in `status`. Null for a batch never cancelled.
    db["llm_batches"].add_column("cancelled_at", str)
