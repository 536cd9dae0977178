"""`rationale browse`: the database in Datasette, with titles, column descriptions and a lead's canned queries."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import click

from .common import EXIT_NOTHING_FOUND, db_option, require_db


@click.command("browse")
@db_option
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True, help="Port for Datasette to listen on (localhost only).")
@click.option("--metadata", "print_metadata", is_flag=True, help="Print the metadata JSON (for `datasette --metadata`) instead of starting Datasette.")
def browse_cmd(db_path, port, print_metadata) -> None:
    """Browse the database in Datasette: table and column descriptions, units, canned queries.

    \b
    Canned queries: weakest criteria per annotator, escalations, most-missed
    key points, a trainee's history, and full-text search over rationales
    (also the search box of the judgments table). Needs Datasette:
    pip install datasette.

    \b
    Example:
      rationale browse --db rationale.db
      rationale browse --metadata > metadata.json && datasette rationale.db -m metadata.json

    \b
    Exit status: Datasette's own; 1 when Datasette is not installed; 130 when
    stopped by Ctrl-C or kill (SIGTERM), which stops Datasette with it.
    """
    from ..store.datasette import metadata

    document = json.dumps(metadata(Path(db_path).stem), indent=2, ensure_ascii=False)
    if print_metadata:
        click.echo(document)
        return
    require_db(db_path, "run `rationale grade` first")
    from ..store import open_reader

    reader = open_reader(db_path)  # a file SQLite cannot read is named here, not in Datasette's traceback
    if reader is not None:
        reader.close()
    program = shutil.which("datasette") or shutil.which("datasette", path=str(Path(sys.executable).parent))
    if program is None:
        click.echo("error: Datasette is not installed: pip install datasette", err=True)
        sys.exit(EXIT_NOTHING_FOUND)
    # `kill` (SIGTERM) would end this process alone and leave Datasette serving, and the metadata
    # folder behind: as an interrupt, it stops Datasette (subprocess.run kills it) and cleans up.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with tempfile.TemporaryDirectory() as folder:
        meta = Path(folder) / "metadata.json"
        meta.write_text(document, encoding="utf-8")
        done = subprocess.run([program, db_path, "--metadata", str(meta), "--port", str(port)])
    sys.exit(done.returncode)
