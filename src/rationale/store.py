"""Writing and reading the foundation tables (runs, rubrics, items, gold, judgments, grades, findings).

Every function takes an open `sqlite_utils.Database` and leaves transaction
control to its caller: a command opens one transaction, calls these, and
commits or rolls back as a whole. That is why the writes go through
`db.conn.execute`/`executemany` and never through sqlite-utils' table
methods, which commit on their own (sqlite-utils still owns the schema).

Identity rules that make re-running a command harmless:

* rubrics, items and gold are keyed by their content hash (INSERT OR IGNORE);
* a judgment is keyed by the hash of what the annotator answered; a changed
  answer for the same (annotator, item) is a new row with the next version,
  and the earlier versions are kept;
* a grade is keyed by hash(judgment, gold, rubric): the same grading is never
  stored twice, and its findings are written only when the grade is new.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, NamedTuple

import sqlite_utils

from .models import GRADER_VERSION, GoldAnswer, Grade, Item, Judgment, Rubric, Severity

# Severity is a str Enum: this maps the enum and its plain text alike to the text.
_SEVERITY_TEXT: dict[str, str] = {s: s.value for s in Severity}

# Well under SQLite's limit on bound parameters (32766 since 3.32, 999 before).
_IN_CHUNK = 450


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _json(value: Any) -> str:
    return _encode(value)


# Criteria and key-point lists repeat across thousands of judgments: encode each distinct list once.
_list_cache: dict[tuple[str, ...], str] = {}


def _json_list(values: Sequence[str]) -> str:
    key = tuple(values)
    text = _list_cache.get(key)
    if text is None:
        if len(_list_cache) > 50_000:
            _list_cache.clear()
        text = _list_cache[key] = _encode(list(values))
    return text


def _json_credits(components: Mapping[str, float | None]) -> str:
    """A grade's component credits as JSON, without the general encoder's overhead (keys are fixed names)."""
    return "{" + ",".join(f'"{k}":{"null" if v is None else repr(float(v))}' for k, v in components.items()) + "}"


def _chunks(seq: Sequence[Any], size: int = _IN_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(seq), size):
        yield seq[start : start + size]


def grade_id(judgment_hash: str, gold_hash: str, rubric_hash: str) -> str:
    """The identity of one grading: this answer, against this gold, under this rubric, by this grader."""
    key = f"{GRADER_VERSION}:{judgment_hash}:{gold_hash}:{rubric_hash}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


# --------------------------------------------------------------------------- runs


def start_run(db: sqlite_utils.Database, command: str, inputs: Mapping[str, Any], rubric_hash: str | None) -> int:
    cursor = db.conn.execute(
        "insert into runs (command, inputs, rubric_hash, started) values (?, ?, ?, ?)",
        (command, _json(dict(inputs)), rubric_hash, utc_now()),
    )
    return int(cursor.lastrowid)


def finish_run(db: sqlite_utils.Database, run_id: int, counts: Mapping[str, Any]) -> None:
    db.conn.execute(
        "update runs set finished = ?, counts = ? where id = ?",
        (utc_now(), _json(dict(counts)), run_id),
    )


# --------------------------------------------------------------------------- rubric, items, gold


def save_rubric(db: sqlite_utils.Database, rubric: Rubric) -> str:
    """Store the rubric under its content hash; return the hash."""
    rubric_hash = rubric.content_hash
    db.conn.execute(
        "insert or ignore into rubrics (hash, id, title, version, body, first_seen) values (?, ?, ?, ?, ?, ?)",
        (rubric_hash, rubric.id, rubric.title, rubric.version, _json(rubric.model_dump(mode="json")), utc_now()),
    )
    return rubric_hash


def _item_row(item: Item, item_hash: str) -> tuple[Any, ...]:
    prompt = item.prompt if isinstance(item.prompt, str) else _json([t.model_dump() for t in item.prompt])
    return (item_hash, item.id, prompt, item.response_a, item.response_b, item.source, item.domain, _json(item.tags))


def save_items(db: sqlite_utils.Database, items: Mapping[str, Item] | Iterable[Item]) -> dict[str, str]:
    """Store items by content hash; return {item id: item hash}."""
    values = items.values() if isinstance(items, Mapping) else items
    hashes: dict[str, str] = {}
    rows = []
    for item in values:
        item_hash = item.content_hash
        hashes[item.id] = item_hash
        rows.append(_item_row(item, item_hash))
    db.conn.executemany(
        "insert or ignore into items (hash, id, prompt, response_a, response_b, source, domain, tags)"
        " values (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return hashes


def save_gold(
    db: sqlite_utils.Database, gold: Mapping[str, GoldAnswer], items: Mapping[str, Item] | Mapping[str, str]
) -> dict[str, str]:
    """Store gold answers by content hash, linked to their item's hash; return {item id: gold hash}.

    `items` maps item id to the Item, or directly to its hash (as `save_items` returns).
    The items must already be saved: gold points at them by foreign key.
    """
    hashes: dict[str, str] = {}
    rows = []
    for item_id, answer in gold.items():
        target = items[item_id]
        item_hash = target if isinstance(target, str) else target.content_hash
        gold_hash = answer.content_hash
        hashes[item_id] = gold_hash
        rows.append(
            (
                gold_hash,
                answer.item_id,
                item_hash,
                answer.preference,
                answer.strength,
                answer.difficulty,
                _json(answer.tags),
                _json(answer.model_dump(mode="json")),
            )
        )
    db.conn.executemany(
        "insert or ignore into gold (hash, item_id, item_hash, preference, strength, difficulty, tags, body)"
        " values (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return hashes


# --------------------------------------------------------------------------- judgments and grades


def judgment_key(db: sqlite_utils.Database, judgment: Judgment, item_hash: str) -> str:
    """The `judgments.hash` under which to store `judgment`, an answer to the item version `item_hash`.

    Normally the judgment's content hash. A judgment's content does not name the
    item version it answers, so the same words can answer two versions of one
    item, e.g. a drill pair and the same pair re-served with A and B swapped,
    where "A" means the other response. When the content hash is already stored
    for another version, this answer gets a key of its own, so each judgment row
    keeps pointing at the item its words speak of.
    """
    key = judgment.content_hash
    row = db.conn.execute("select item_hash from judgments where hash = ?", (key,)).fetchone()
    if row is None or row[0] == item_hash:
        return key
    return hashlib.sha256(f"{key}:{item_hash}".encode()).hexdigest()[:16]


class GradedJudgment(NamedTuple):
    """One row of a write batch: an answer, the item version it answered, and its grade."""

    judgment: Judgment
    item_hash: str
    grade: Grade


class BatchCounts(NamedTuple):
    judgments_new: int  # rows added to `judgments` (first answers and changed answers)
    judgments_revised: int  # of those, changed answers stored as version 2 or later
    grades_new: int
    findings_new: int


def _existing(db: sqlite_utils.Database, table: str, column: str, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(keys):
        marks = ",".join("?" * len(chunk))
        found.update(row[0] for row in db.conn.execute(f"select {column} from {table} where {column} in ({marks})", chunk))
    return found


def _latest_versions(db: sqlite_utils.Database, pairs: Sequence[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The highest stored version per (annotator, item id), one query per chunk of pairs."""
    latest: dict[tuple[str, str], int] = {}
    for chunk in _chunks(pairs):
        values = ",".join("(?, ?)" for _ in chunk)
        params = [v for pair in chunk for v in pair]
        sql = (
            f"with wanted(annotator, item_id) as (values {values}) "
            "select j.annotator, j.item_id, max(j.version) from wanted w "
            "join judgments j on j.annotator = w.annotator and j.item_id = w.item_id "
            "group by j.annotator, j.item_id"
        )
        for annotator, item_id, version in db.conn.execute(sql, params):
            latest[(annotator, item_id)] = version
    return latest


def save_judgments_and_grades(
    db: sqlite_utils.Database, rows: Sequence[GradedJudgment], run_id: int | None
) -> BatchCounts:
    """Write a batch of graded judgments; already-stored answers and gradings are skipped.

    A judgment whose content is new for its (annotator, item) gets version
    1 + the highest version stored so far; the earlier versions stay.
    """
    if not rows:
        return BatchCounts(0, 0, 0, 0)
    now = utc_now()

    hashes = [r.grade.judgment_hash for r in rows]
    stored = _existing(db, "judgments", "hash", hashes)
    fresh: dict[str, GradedJudgment] = {}
    for row in rows:
        key = row.grade.judgment_hash
        if key not in stored and key not in fresh:
            fresh[key] = row
    next_version = _latest_versions(db, list({(r.judgment.annotator, r.judgment.item_id) for r in fresh.values()}))
    judgment_rows = []
    revised = 0
    for key, (judgment, item_hash, _grade) in fresh.items():
        pair = (judgment.annotator, judgment.item_id)
        version = next_version.get(pair, 0) + 1
        next_version[pair] = version
        revised += version > 1
        judgment_rows.append(
            (
                key,
                judgment.item_id,
                item_hash,
                judgment.annotator,
                version,
                judgment.preference,
                judgment.strength,
                _json_list(judgment.criteria),
                judgment.rationale,
                judgment.seconds,
                judgment.timestamp.isoformat() if judgment.timestamp is not None else None,
                run_id,
            )
        )
    db.conn.executemany(
        "insert or ignore into judgments (hash, item_id, item_hash, annotator, version, preference, strength,"
        " criteria, rationale, seconds, timestamp, run_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        judgment_rows,
    )

    ids = [grade_id(r.grade.judgment_hash, r.grade.gold_hash, r.grade.rubric_hash) for r in rows]
    # A grade's id includes its judgment's hash, so only answers stored before can have been graded before.
    graded = _existing(db, "grades", "id", [gid for gid, r in zip(ids, rows) if r.grade.judgment_hash in stored])
    grade_rows = []
    finding_rows = []
    for gid, (_judgment, _item_hash, grade) in zip(ids, rows):
        if gid in graded:
            continue
        graded.add(gid)
        grade_rows.append(
            (
                gid,
                grade.judgment_hash,
                grade.gold_hash,
                grade.rubric_hash,
                grade.item_id,
                grade.annotator,
                grade.score,
                int(grade.passed),
                int(grade.preference_correct),
                grade.strength_distance,
                grade.criteria_precision,
                grade.criteria_recall,
                _json_credits(grade.components),
                _json_list(grade.key_points_made),
                _json_list(grade.key_points_missed),
                run_id,
                now,
            )
        )
        for f in grade.findings:
            finding_rows.append((gid, f.code, _SEVERITY_TEXT[f.severity], f.message, f.span, f.criterion, f.key_point))
    db.conn.executemany(
        "insert into grades (id, judgment_hash, gold_hash, rubric_hash, item_id, annotator, score, passed,"
        " preference_correct, strength_distance, criteria_precision, criteria_recall, components,"
        " key_points_made, key_points_missed, run_id, graded_at)"
        " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        grade_rows,
    )
    db.conn.executemany(
        "insert into findings (grade_id, code, severity, message, span, criterion, key_point)"
        " values (?, ?, ?, ?, ?, ?, ?)",
        finding_rows,
    )
    return BatchCounts(len(judgment_rows), revised, len(grade_rows), len(finding_rows))


# --------------------------------------------------------------------------- queries


def _dicts(cursor: Any) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def get_run(db: sqlite_utils.Database, run_id: int) -> dict[str, Any] | None:
    rows = _dicts(db.conn.execute("select * from runs where id = ?", (run_id,)))
    if not rows:
        return None
    run = rows[0]
    run["inputs"] = json.loads(run["inputs"]) if run["inputs"] else None
    run["counts"] = json.loads(run["counts"]) if run["counts"] else None
    return run


def judgment_versions(db: sqlite_utils.Database, annotator: str, item_id: str) -> list[dict[str, Any]]:
    """Every stored answer of one annotator to one item, oldest version first."""
    return _dicts(
        db.conn.execute(
            "select * from judgments where annotator = ? and item_id = ? order by version",
            (annotator, item_id),
        )
    )


def latest_judgments(db: sqlite_utils.Database, annotator: str | None = None) -> list[dict[str, Any]]:
    """The highest version of each (annotator, item) answer, optionally for one annotator."""
    where = "where j.annotator = ?" if annotator is not None else ""
    params: tuple[Any, ...] = (annotator,) if annotator is not None else ()
    return _dicts(
        db.conn.execute(
            f"""
            select j.* from judgments j
            join (select annotator, item_id, max(version) as version from judgments group by annotator, item_id) latest
              on latest.annotator = j.annotator and latest.item_id = j.item_id and latest.version = j.version
            {where}
            order by j.annotator, j.item_id
            """,
            params,
        )
    )


def latest_grades(
    db: sqlite_utils.Database, annotator: str | None = None, rubric_hash: str | None = None
) -> list[dict[str, Any]]:
    """The most recent grade of the latest version of each (annotator, item) answer.

    When the same answer was graded several times (a new gold or rubric), the
    grading with the latest `graded_at` wins; `rubric_hash` restricts to one rubric.
    """
    clauses = []
    params: list[Any] = []
    if annotator is not None:
        clauses.append("j.annotator = ?")
        params.append(annotator)
    if rubric_hash is not None:
        clauses.append("g.rubric_hash = ?")
        params.append(rubric_hash)
    where = ("and " + " and ".join(clauses)) if clauses else ""
    return _dicts(
        db.conn.execute(
            f"""
            select g.*, j.version, j.preference, j.strength, j.criteria, j.rationale from judgments j
            join (select annotator, item_id, max(version) as version from judgments group by annotator, item_id) latest
              on latest.annotator = j.annotator and latest.item_id = j.item_id and latest.version = j.version
            join grades g on g.judgment_hash = j.hash
            where g.rowid = (
                select g2.rowid from grades g2 where g2.judgment_hash = j.hash
                {"and g2.rubric_hash = g.rubric_hash" if rubric_hash is not None else ""}
                order by g2.graded_at desc, g2.rowid desc limit 1
            ) {where}
            order by j.annotator, j.item_id
            """,
            params,
        )
    )


def item_from_row(row: Mapping[str, Any]) -> Item:
    """Rebuild an Item from its `items` row.

    A chat prompt is stored as JSON turns; a plain prompt that merely starts
    with "[" stays text.
    """
    prompt: Any = row["prompt"]
    if isinstance(prompt, str) and prompt.startswith("["):
        try:
            turns = json.loads(prompt)
        except json.JSONDecodeError:
            turns = None
        if isinstance(turns, list) and turns and all(isinstance(t, dict) and "role" in t for t in turns):
            prompt = turns
    return Item(
        id=row["id"],
        prompt=prompt,
        response_a=row["response_a"],
        response_b=row["response_b"],
        source=row["source"],
        domain=row["domain"],
        tags=json.loads(row["tags"]) if row["tags"] else [],
    )


def load_item(db: sqlite_utils.Database, item_hash: str) -> Item | None:
    """The exact item version stored under this content hash."""
    rows = _dicts(db.conn.execute("select * from items where hash = ?", (item_hash,)))
    return item_from_row(rows[0]) if rows else None


def findings_for_grade(db: sqlite_utils.Database, grade_id_: str) -> list[dict[str, Any]]:
    return _dicts(db.conn.execute("select * from findings where grade_id = ? order by id", (grade_id_,)))


def table_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Row counts of the foundation tables (for tests and `runs.counts`)."""
    names = ("runs", "rubrics", "items", "gold", "judgments", "grades", "findings")
    return {name: db.conn.execute(f"select count(*) from {name}").fetchone()[0] for name in names}
