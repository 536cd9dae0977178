"""The command line: one module per command group, each a thin Click layer over a plain function.

Commands parse options, call a library function that knows nothing of
Click, and print what it returns (rendered by `rationale.render`). Keep
imports of heavy modules (litellm above all) inside the commands that need
them, so `rationale --help` starts fast (tests/test_startup.py checks it).
Adding a command = a module here with a Click command, registered below.
"""

from __future__ import annotations

import os

# Numerical libraries start worker threads of their own (OpenBLAS one per extra core, at numpy's import;
# the tokenizer a pool at its first batch), and those threads do not block SIGINT: the kernel may hand a
# Ctrl-C to one of them while the main thread waits at a prompt, and the interrupt is lost (the drill sat at
# its question). The grader's matrix products are small and one thread is as fast (bench/grader_bench.py),
# so the command line keeps that work in the calling thread. Set before anything imports numpy.
for _threads in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_threads, "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import click  # noqa: E402

from .. import __version__  # noqa: E402
from . import browse, calibrate, critique, drill, export, gold, grade, imports, progress, revise, rubric  # noqa: E402
from .common import EXIT_BAD_INPUT, Commands, db_option, report_input_errors  # noqa: E402
from .rubric import SCHEMA_NAMES  # noqa: E402

__all__ = ["EXIT_BAD_INPUT", "SCHEMA_NAMES", "db_option", "main", "report_input_errors"]


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="rationale")
def main() -> None:
    """Teach and check the people who write preference data for AI models.

    Grade pairwise judgments and their written rationales against a rubric
    and a lead's gold answers, critique them with an LLM as a second
    reviewer, calibrate annotators, drill, and export a portfolio. Every
    result lands in one SQLite file you can browse with Datasette.

    \b
    Example:
      rationale grade examples/drill/judgments.jsonl --rubric rubrics/hhh.yaml \\
          --gold examples/drill/gold.jsonl --items examples/drill/items.jsonl
    """


for command in (
    rubric.schema,
    rubric.rubric,
    gold.gold,
    grade.grade_cmd,
    critique.critique_cmd,
    export.export_cmd,
    revise.revise_cmd,
    drill.drill_cmd,
    progress.progress_cmd,
    calibrate.calibrate_cmd,
    imports.import_cmd,
    browse.browse_cmd,
):
    main.add_command(command)
