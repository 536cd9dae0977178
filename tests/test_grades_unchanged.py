"""Every grade of the reference sets is the one recorded: work on the grader's speed changes no grade.

The sets (see ``bench/grade_dump.py``): 3,000 judgments of the seeded bench data, the shipped examples and
every lead-scored case. The digest of each set's grades (their JSON, in order) is checked in; a change
that is meant to change grades regenerates it with the golden files, after reading what changed:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py tests/test_grades_unchanged.py

To see which grades changed, write both checkouts' grades with ``bench/grade_dump.py`` and diff them.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DIGESTS = Path(__file__).parent / "golden" / "grade_digests.json"
BENCH_JUDGMENTS = 3_000


def _graded_sets():
    spec = importlib.util.spec_from_file_location("grade_dump", ROOT / "bench" / "grade_dump.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.graded_sets(BENCH_JUDGMENTS)


def test_every_reference_grade_is_the_recorded_one():
    found = {
        name: {"grades": len(lines), "sha256": hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()}
        for name, lines in _graded_sets()
    }
    if os.environ.get("UPDATE_GOLDEN"):
        DIGESTS.write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")
    recorded = json.loads(DIGESTS.read_text(encoding="utf-8"))
    changed = sorted(name for name in recorded.keys() | found.keys() if recorded.get(name) != found.get(name))
    if changed:
        pytest.fail(f"the grades of {', '.join(changed)} changed (bench/grade_dump.py writes them to diff)")
