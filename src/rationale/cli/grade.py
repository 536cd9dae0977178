"""`rationale grade`: grade judgment files against gold, store, print the report (and optionally critique)."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

import click

from .common import db_option, echo_lines, format_options, report_input_errors
from .critique import both_grades, check_critique_key, critique_after_grade

if TYPE_CHECKING:
    from ..errors import InputProblem


@click.command("grade")
@click.argument("judgments", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--rubric", "rubric_path", required=True, type=click.Path(dir_okay=False), help="Rubric file (YAML or JSON).")
@click.option("--gold", "gold_path", required=True, type=click.Path(dir_okay=False), help="The lead's gold answers (JSONL or CSV).")
@click.option("--items", "items_path", required=True, type=click.Path(dir_okay=False), help="The items judged (JSONL or CSV).")
@db_option
@click.option("--annotator", help="Grade only this annotator (and take records without an annotator to be theirs).")
@format_options("text", "json")
@click.option("-q", "--quiet", is_flag=True, help="Text: the summary only, no per-judgment table; and no progress bar.")
@click.option("--failures-only", is_flag=True, help="Text: list only the judgments that did not pass, then the summary.")
@click.option("--workers", type=click.IntRange(1, 64), help="Processes that grade: by default one per core, used only above 1,000 judgments to grade; 1 grades in this process alone.")
@click.option("--critique", "critique_model", help="Then critique the graded rationales with this LLM (a litellm model name) as a second reviewer and print, beside each grade, the grade its reading of the key points reaches; see `rationale critique`. Grading itself never calls an LLM.")
@click.option("--critique-api-base", envvar="RATIONALE_API_BASE", help="Base URL of an OpenAI-compatible server for --critique (env RATIONALE_API_BASE).")
@click.option("--critique-concurrency", type=click.IntRange(1, 256), help="Requests in flight at once for --critique [default: as `critique --concurrency`].")
@click.option("--critique-budget", type=click.FloatRange(min=0), help="With --critique: stop before spending more than this many USD.")
def grade_cmd(judgments, rubric_path, gold_path, items_path, db_path, annotator, fmt, quiet=False, failures_only=False,
              workers=None, critique_model=None, critique_api_base=None, critique_concurrency=None, critique_budget=None) -> None:
    """Grade trainees' judgments and rationales against gold answers and store the feedback.

    Each judgment gets a 0-100 score, pass/fail against the rubric's pass mark
    and findings that explain every deduction; the summary shows accuracy,
    mean score, pass rate, the weakest criteria and the most-missed key
    points. Everything is stored in the database (re-running adds nothing;
    a changed rationale is kept as a new version). JUDGMENTS may be '-' for
    JSON Lines on stdin. On a terminal a progress bar runs on stderr.

    A re-run reads the grades already stored (same answer, gold, rubric and
    grader version) instead of grading again. Large inputs are graded on
    every core (see --workers). --json is written as it is produced, one
    result at a time, never built whole in memory.

    \b
    Example:
      rationale grade examples/drill/judgments.jsonl --rubric rubrics/hhh.yaml \\
          --gold examples/drill/gold.jsonl --items examples/drill/items.jsonl
      rationale grade batch1.jsonl batch2.csv --rubric rubrics/hhh.yaml \\
          --gold gold.jsonl --items items.jsonl --annotator ana --format json > ana.json
      cat new.jsonl | rationale grade - --rubric rubrics/hhh.yaml --gold gold.jsonl \\
          --items items.jsonl --failures-only

    \b
    Exit status:
      0    grading ran, whatever the scores
      2    bad input or options: every problem listed, nothing written
      75   the database stayed busy with another command's write past the wait (10 min)
      130  interrupted: the batches already written are kept; run it again for the rest
    """
    from ..grading.pipeline import grade_files
    from ..render.grade import grading_json, iter_grading_text, write_grading_json
    from .bar import count_lines, progress_bar, wanted

    if critique_model:
        check_critique_key(critique_model, critique_api_base)  # before anything is graded or written
    if judgments.count("-") > 1:
        raise click.UsageError("stdin ('-') can be given once")
    show_bar = wanted(quiet)
    with progress_bar("grading", total=count_lines(list(judgments)) if show_bar else None, enabled=show_bar) as on_progress:
        report = report_input_errors(
            lambda: grade_files(
                list(judgments),
                rubric_path=rubric_path,
                gold_path=gold_path,
                items_path=items_path,
                db_path=db_path,
                annotator=annotator,
                on_progress=on_progress,
                workers=workers,
            ),
            hint=None if annotator else _annotator_hint,
        )
    critique_options = None
    if critique_model:
        from ..critique.batch import CritiqueOptions

        critique_options = CritiqueOptions(model=critique_model, api_base=critique_api_base or None,
                                           pairs=[(r.annotator, r.item_id) for r in report.results],
                                           concurrency=critique_concurrency, budget=critique_budget)
    if fmt == "json":
        if critique_options is None:
            write_grading_json(report, sys.stdout)
            return
        combined = json.loads(grading_json(report))
        combined["critique"] = critique_after_grade(critique_options, db_path).to_json()
        combined["reviewed_grades"] = both_grades(critique_options, db_path).to_json()
        click.echo(json.dumps(combined, indent=2, ensure_ascii=False))
        return
    echo_lines(iter_grading_text(report, shown="none" if quiet else "failures" if failures_only else "all"))
    if critique_options is not None:
        from ..render.critique import render_report
        from ..render.reviewed_grade import render_reviewed_grades

        click.echo("")
        click.echo("\n".join(render_report(critique_after_grade(critique_options, db_path))))
        click.echo("")
        click.echo("\n".join(render_reviewed_grades(both_grades(critique_options, db_path))))


def _annotator_hint(problems: list[InputProblem]) -> str | None:
    """Records without an annotator (one person's own file, or stdin) are what --annotator is for."""
    from ..io.messages import MISSING

    if any(p.field == "annotator" and p.message == MISSING for p in problems):
        return "judgments of one person may leave the annotator out: give --annotator NAME"
    return None
