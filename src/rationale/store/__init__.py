"""The SQLite store: one file, WAL, foreign keys; all SQL lives in this package.

* `db`: opening (and migrating) the file; `migrations`: the schema, one small migration per change;
* `common`: what the table modules share (timestamps, JSON columns, the latest-version rule);
* `runs`: the `runs` table and `recording_run`, the one way a command records itself;
* one module per table family: `references` (rubrics, items, gold), `judgments` (judgments,
  grades, findings, revisions), `critiques` (critiques, the LLM cache), `drafts` (LLM-drafted gold), `batches`
  (provider batch jobs), `drill`, `calibration`,
  and the read-only queries of `progress` and `export`.

Rows are keyed by content hash, so re-running adds nothing; a changed answer is
a new judgment version.
"""

from . import (
    batches,
    calibration,
    critiques,
    db,
    drafts,
    drill,
    evaluation,
    export,
    judgments,
    progress,
    references,
    reviewed_grades,
    runs,
)
from .common import utc_now
from .db import DatabaseBusy, open_db, open_reader, remove_database_files, resolve_db_path, writing
from .judgments import (
    BatchCounts,
    GradedJudgment,
    findings_for_grade,
    grade_id,
    judgment_key,
    judgment_versions,
    link_run_judgments,
    latest_grades,
    latest_judgments,
    PreparedGrade,
    prepare_grade,
    save_judgments_and_grades,
    save_prepared,
    StoredReader,
    StoredResult,
    stored_results,
    table_counts,
)
from .references import item_from_row, load_item, save_gold, save_items, save_rubric
from .runs import Recording, finish_recording, finish_run, get_run, recording_run, start_recording, start_run

__all__ = [
    "BatchCounts", "DatabaseBusy", "GradedJudgment", "PreparedGrade", "Recording", "batches", "calibration", "critiques", "db", "drafts",
    "drill", "evaluation", "export", "findings_for_grade",
    "finish_run", "get_run", "grade_id", "item_from_row", "judgment_key", "judgment_versions", "judgments", "link_run_judgments",
    "latest_grades", "latest_judgments", "load_item", "open_db", "open_reader", "progress", "recording_run", "references",
    "reviewed_grades",
    "remove_database_files", "resolve_db_path", "runs", "save_gold", "save_items", "save_judgments_and_grades",
    "prepare_grade", "save_prepared", "save_rubric", "start_recording", "start_run", "StoredReader", "StoredResult", "stored_results", "table_counts", "utc_now", "writing",
    "finish_recording",
]
