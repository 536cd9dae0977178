"""Opening the SQLite store: one file, migrated, ready for Datasette."""

from __future__ import annotations

import os
from pathlib import Path

import sqlite_utils

from .migrations import migrate

DEFAULT_DB = "rationale.db"
BUSY_TIMEOUT_MS = 5000


def resolve_db_path(path: str | os.PathLike[str] | None) -> Path:
    """`--db PATH`, else `$RATIONALE_DB`, else `./rationale.db`."""
    return Path(path or os.environ.get("RATIONALE_DB") or DEFAULT_DB)


def open_db(path: str | os.PathLike[str] | None = None) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate the database.

    WAL lets Datasette read while a batch writes; the busy timeout lets two
    commands share the file without 'database is locked' errors.
    """
    db = sqlite_utils.Database(resolve_db_path(path))
    db.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("pragma foreign_keys = on")
    if db.execute("pragma journal_mode").fetchone()[0] != "wal":
        db.execute("pragma journal_mode = wal")
    migrate(db)
    return db


def remove_database_files(path: Path) -> None:
    """Delete a database file and its WAL, shared-memory and journal files (a failed first write leaves none)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = Path(f"{path}{suffix}")
        if candidate.exists():
            candidate.unlink()


def use_page_cache(db: sqlite_utils.Database, kib: int) -> None:
    """A larger page cache for one connection's bulk writes (SQLite's default is 2 MB)."""
    db.conn.execute(f"pragma cache_size = -{int(kib)}")


def commit_without_fsync(db: sqlite_utils.Database) -> None:
    """Commit without an fsync each time: in WAL mode every commit stays safe from a crash or Ctrl-C of this
    process (only a power cut can lose the last ones). For many small commits, such as one per critique."""
    db.execute("pragma synchronous = normal")
