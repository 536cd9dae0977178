"""`rationale --help` and `rationale grade` never import litellm (it costs seconds of start-up).

Each check runs in a fresh interpreter: in this test process other tests may
already have imported litellm, which would hide an import (or fake one).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

TINY = Path(__file__).parent / "data" / "tiny"

PROBE = """
import json, sys
{before}
from rationale.cli import main
main(["--help"], standalone_mode=False)
main(
    ["grade", {judgments!r}, "--rubric", {rubric!r}, "--gold", {gold!r}, "--items", {items!r}, "--db", {db!r}],
    standalone_mode=False,
)
print(json.dumps(sorted(name for name in sys.modules if name == "litellm" or name.startswith("litellm."))))
"""


def litellm_modules_after_help_and_grade(tmp_path: Path, before: str = "", pythonpath: str | None = None) -> list[str]:
    code = PROBE.format(
        before=before,
        judgments=str(TINY / "judgments.jsonl"),
        rubric=str(TINY / "rubric.yaml"),
        gold=str(TINY / "gold.jsonl"),
        items=str(TINY / "items.jsonl"),
        db=str(tmp_path / "startup.db"),
    )
    env = None
    if pythonpath is not None:
        env = {**os.environ, "PYTHONPATH": pythonpath + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Graded 3 judgments" in done.stdout  # the grade command really ran
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_help_and_grade_leave_litellm_unimported(tmp_path):
    assert litellm_modules_after_help_and_grade(tmp_path) == []


def test_the_probe_notices_litellm_when_something_imports_it(tmp_path):
    # A stand-in litellm (the real one takes seconds to import) proves the check can fail.
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "litellm.py").write_text("IMPORTED = True\n", encoding="utf-8")
    assert litellm_modules_after_help_and_grade(tmp_path, before="import litellm", pythonpath=str(fake)) == ["litellm"]


MODEL_PROBE = """
import json, sys
from rationale.cli import main
main({args!r}, standalone_mode=False)
print(json.dumps(sorted(name for name in ("tokenizers", "safetensors", "numpy") if name in sys.modules)))
"""


def heavy_modules_after(args: list[str], tmp_path: Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", MODEL_PROBE.format(args=args)], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_help_loads_neither_the_word_vectors_nor_numpy(tmp_path):
    assert heavy_modules_after(["--help"], tmp_path) == []


def test_checking_a_rubric_loads_no_word_vectors(tmp_path):
    rubric = str(Path(__file__).parents[1] / "rubrics" / "hhh.yaml")
    assert "tokenizers" not in heavy_modules_after(["rubric", "validate", rubric], tmp_path)


PANDAS_PROBE = """
import json, sys
from rationale.cli import main
main(
    ["grade", {judgments!r}, "--rubric", {rubric!r}, "--gold", {gold!r}, "--items", {items!r}, "--db", {db!r}],
    standalone_mode=False,
)
imported_by_grade = "pandas" in sys.modules
import pandas  # installed with the test tools (statsmodels needs it): importing it later still works
print(json.dumps([imported_by_grade, pandas.__name__]))
"""


def test_grade_does_not_import_pandas_though_it_is_installed(tmp_path):
    # sqlite-utils would import it (a quarter of a second, 30 MB) to convert values rationale never passes.
    code = PANDAS_PROBE.format(judgments=str(TINY / "judgments.jsonl"), rubric=str(TINY / "rubric.yaml"),
                               gold=str(TINY / "gold.jsonl"), items=str(TINY / "items.jsonl"), db=str(tmp_path / "p.db"))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [False, "pandas"]
