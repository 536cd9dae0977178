"""Opening the SQLite store: one file, migrated, ready for Datasette."""

from __future__ import annotations

import math
import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from .migrations import migrate

DEFAULT_DB = "rationale.db"
BUSY_TIMEOUT_MS = 5000
FIRST_TRY_MS = 300  # how long the first attempt to write waits before saying that it is waiting
BUSY_WAIT_SECONDS = 600.0  # how long a writer waits for another command's write to end before giving up


class DatabaseBusy(Exception):
    """Another command kept the database's write lock for longer than BUSY_WAIT_SECONDS."""


def _wait_limit() -> float:
    """BUSY_WAIT_SECONDS, or $RATIONALE_BUSY_WAIT seconds when set (a script that would rather fail fast)."""
    value = os.environ.get("RATIONALE_BUSY_WAIT")
    if value is None:
        return BUSY_WAIT_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not seconds >= 0 or math.isinf(seconds):
        from ..errors import InputError, InputProblem

        raise InputError([InputProblem("$RATIONALE_BUSY_WAIT", None, "(environment)",
                                       f"must be a number of seconds, 0 or more; got {value!r}")])
    return seconds


def _attempt_ms(seconds_left: float) -> int:
    """How long one attempt to begin may wait: SQLite's busy timeout, but never past the command's limit."""
    return max(1, min(BUSY_TIMEOUT_MS, int(seconds_left * 1000)))


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _tell_waiting(db: sqlite_utils.Database, limit: float) -> None:
    name = db.conn.execute("pragma database_list").fetchone()[2] or "the database"
    print(f"rationale: {name} is busy with another command's write; waiting for it (up to {limit:.0f} s)...",
          file=sys.stderr, flush=True)


@contextmanager
def writing(db: sqlite_utils.Database, wait_seconds: float | None = None) -> Iterator[None]:
    """One short write transaction: begin (waiting while another command writes), commit, or roll back on any error.

    SQLite lets one writer at a time. `begin immediate` takes the write lock
    up front, so the transaction never fails half-way for want of it; while
    another command holds it, each attempt waits BUSY_TIMEOUT_MS and the
    attempts go on, with one line on stderr, for up to `wait_seconds`
    (BUSY_WAIT_SECONDS, or $RATIONALE_BUSY_WAIT), then DatabaseBusy. Readers are never blocked (WAL).
    """
    conn = db.conn
    limit = wait_seconds if wait_seconds is not None else _wait_limit()
    start = time.monotonic()
    told = False
    conn.execute(f"pragma busy_timeout = {min(FIRST_TRY_MS, _attempt_ms(limit))}")  # a short first try: a wait is told at once
    try:
        while True:
            try:
                conn.execute("begin immediate")
                break
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc):
                    raise
                waited = time.monotonic() - start
                if waited >= limit:
                    raise DatabaseBusy(
                        f"the database stayed busy with another command's write for {waited:.0f} s; try again"
                    ) from None
                if not told:
                    _tell_waiting(db, limit)
                    told = True
                conn.execute(f"pragma busy_timeout = {_attempt_ms(limit - waited)}")
    finally:
        conn.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
    try:
        yield
        conn.commit()
    except BaseException:
        conn.rollback()
        raise


def resolve_db_path(path: str | os.PathLike[str] | None) -> Path:
    """`--db PATH`, else `$RATIONALE_DB`, else `./rationale.db`."""
    return Path(path or os.environ.get("RATIONALE_DB") or DEFAULT_DB)


def open_db(path: str | os.PathLike[str] | None = None) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate the database.

    WAL lets Datasette read while a batch writes; the busy timeout lets two
    commands share the file without 'database is locked' errors.
    """
    file = resolve_db_path(path)
    db = sqlite_utils.Database(file)
    db.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("pragma foreign_keys = on")
    try:
        mode = db.execute("pragma journal_mode").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        db.close()
        raise _not_a_database(file, exc) from None
    if mode != "wal":
        db.execute("pragma journal_mode = wal")
    migrate(db)
    return db


SQLITE_HEADER = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite database file


def _check_header(file: Path) -> None:
    """Refuse a --db that is not an SQLite file (an empty file is a new database), reading it without opening it:
    a read-only connection would leave -wal and -shm files beside it."""
    with file.open("rb") as handle:
        head = handle.read(len(SQLITE_HEADER))
    if head and head != SQLITE_HEADER:
        raise _not_a_database(file, sqlite3.DatabaseError("file is not a database"))


def _not_a_database(file: Path, exc: sqlite3.DatabaseError) -> Exception:
    """A --db that SQLite cannot read (a text file, a damaged database), as one input problem: nothing is written to it."""
    if isinstance(exc, sqlite3.OperationalError):  # busy, locked, out of disk: not about what the file is
        return exc
    from ..errors import InputError, InputProblem

    return InputError([InputProblem(str(file), None, "--db", f"is not a rationale database (SQLite: {exc}); give another --db")])


def open_reader(path: str | os.PathLike[str] | None) -> sqlite_utils.Database | None:
    """A connection that only reads an existing database, as it is (never created, never migrated); None if none.

    For reading back what is stored before anything is written (a grade re-run's stored grades)."""
    file = resolve_db_path(path)
    if not file.is_file():
        return None
    _check_header(file)
    conn = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)
    conn.execute(f"pragma busy_timeout = {BUSY_TIMEOUT_MS}")
    return sqlite_utils.Database(conn)


def remove_database_files(path: Path) -> None:
    """Delete a database file and its WAL, shared-memory and journal files (a failed first write leaves none)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = Path(f"{path}{suffix}")
        if candidate.exists():
            candidate.unlink()


def use_page_cache(db: sqlite_utils.Database, kib: int, checkpoint_pages: int | None = None) -> None:
    """A larger page cache for one connection's bulk writes (SQLite's default is 2 MB), and optionally a
    larger WAL between checkpoints (SQLite's default is 1,000 pages)."""
    db.conn.execute(f"pragma cache_size = -{int(kib)}")
    if checkpoint_pages is not None:
        db.conn.execute(f"pragma wal_autocheckpoint = {int(checkpoint_pages)}")


def commit_without_fsync(db: sqlite_utils.Database) -> None:
    """Commit without an fsync each time: in WAL mode every commit stays safe from a crash or Ctrl-C of this
    process (only a power cut can lose the last ones). For many small commits, such as one per critique."""
    db.execute("pragma synchronous = normal")
