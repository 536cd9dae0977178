"""`rationale calibrate`: agreement, accuracy against gold, biases and unclear guidelines for a batch."""

from __future__ import annotations

import sys

import click

from ..render.formatters import terminal_safe
from .common import EXIT_NOTHING_FOUND, db_option, format_options, report_input_errors, require_db, unknown_name


@click.command("calibrate")
@click.argument("judgments", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--items", "items_path", type=click.Path(dir_okay=False), help="Items file (JSONL or CSV).")
@click.option("--rubric", "rubric_path", type=click.Path(dir_okay=False), help="Rubric file (YAML or JSON).")
@click.option("--gold", "gold_path", type=click.Path(dir_okay=False), help="Gold answers: enables accuracy, verdicts and biases.")
@click.option("--judges", "judge_paths", multiple=True, type=click.Path(dir_okay=False), metavar="FILE",
              help="Verdicts of model judges (judges.jsonl from `rationale import`): scored against gold, kept out of agreement. Repeatable.")
@click.option("--batch", help="Name of the batch (default: derived from its content; a name run again replaces it).")
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.8, show_default=True, help="Accuracy an annotator must reach.")
@click.option("--min-items", type=click.IntRange(1), default=20, show_default=True, help="Gold items needed before a verdict.")
@click.option("--min-overlap", type=click.IntRange(2), default=10, show_default=True,
              help="Items two annotators (or every annotator, for a batch-wide coefficient) must share before an agreement"
                   " coefficient is computed: fewer gives 'not enough overlap'. Lower it for a small pilot batch and read"
                   " the wide intervals.")
@format_options("text", "json", "md", "html")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to this file instead of stdout.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.option("--history", "history_of", metavar="ANNOTATOR", help="Show ANNOTATOR's figures across stored batches instead.")
@db_option
def calibrate_cmd(judgments, items_path, rubric_path, gold_path, judge_paths, batch, threshold, min_items, min_overlap, fmt, output, quiet, history_of, db_path) -> None:
    """Calibrate annotators on a shared batch: agreement, accuracy against gold, biases, unclear guidelines.

    \b
    Examples:
      rationale calibrate examples/calibration/judgments.jsonl --items examples/drill/items.jsonl \\
          --rubric rubrics/hhh.yaml --gold examples/drill/gold.jsonl --format html -o calibration.html
      rationale calibrate data/pandalm/judgments.jsonl --judges data/pandalm/judges.jsonl \\
          --items data/pandalm/items.jsonl --gold data/pandalm/gold.jsonl --rubric rubrics/hhh.yaml
      rationale calibrate --history rushed-raj

    \b
    Exit status: 0 reported; 1 --history of an annotator in no stored batch;
    2 bad input or options (every problem listed, nothing written); 75 the database
    stayed busy with another command's write past the wait; 130 interrupted.
    """
    from pathlib import Path

    from ..calibration import annotator_history, calibrate_files
    from ..render.calibration import render_history
    from ..render.calibration_html import render

    if history_of is not None:
        if judgments:
            raise click.UsageError("--history reads stored batches; give it no judgment files")
        require_db(db_path, "run `rationale calibrate` on a batch first")
        if fmt == "html":
            raise click.UsageError("--history supports --format text, json or md")
        history = annotator_history(db_path, history_of)
        if not history.rows:
            from ..calibration.batch import calibrated_annotators

            known = calibrated_annotators(db_path)
            hint = unknown_name(history_of, known, "annotators in stored batches") if known else ""
            click.echo(f"error: {terminal_safe(history_of)!r} is in no stored calibration batch{hint}", err=True)
            sys.exit(EXIT_NOTHING_FOUND)
        text = render_history(history, fmt)
    else:
        missing = [name for name, value in (("JUDGMENTS", judgments), ("--items", items_path), ("--rubric", rubric_path)) if not value]
        if missing:
            raise click.UsageError(f"missing {', '.join(missing)}")
        from .bar import progress_bar, wanted

        with progress_bar("calibrating: read, grade, analyse, store", enabled=wanted(quiet)) as on_progress:
            report = report_input_errors(
                lambda: calibrate_files(
                    judgments, items_path=items_path, rubric_path=rubric_path, gold_path=gold_path,
                    judge_paths=judge_paths, batch=batch, threshold=threshold, min_items=min_items, min_overlap=min_overlap,
                    db_path=db_path,
                    on_progress=on_progress,
                )
            )
        text = render(report, fmt)
    if output:
        Path(output).write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)
