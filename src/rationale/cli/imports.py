"""`rationale import`: preference data people already have, into items, gold and judgments files.

The format choices come from `rationale.importers.FORMATS` and the option
flags from `rationale.importers.OPTION_FLAGS`: adding a format needs nothing here.
"""

from __future__ import annotations

import click

from ..importers import FORMATS, ImportUsageError
from ..importers import OPTION_FLAGS as FLAG
from .common import report_input_errors


def _parse_named_fields(spec: str | None) -> list[tuple[str, str]]:
    """`gpt-3.5=gpt_result,pandalm_result` -> [("gpt-3.5", "gpt_result"), ("pandalm_result", "pandalm_result")]."""
    named = []
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        name, sep, column = part.partition("=")
        if sep and (not name.strip() or not column.strip()):
            raise click.BadParameter(f"{part!r} should look like NAME=FIELD or FIELD", param_hint=FLAG["judge_fields"])
        named.append((name.strip(), column.strip()) if sep else (part.strip(), part.strip()))
    return named


def _parse_map(pairs: tuple[str, ...]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        target, sep, source = pair.partition("=")
        if not sep or not target.strip() or not source:
            raise click.BadParameter(f"{pair!r} should look like TARGET=FIELD or TARGET='{{field}} text'", param_hint=FLAG["field_map"])
        mapping[target.strip()] = source
    return mapping


@click.command("import")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(list(FORMATS)))
@click.argument("sources", metavar="SOURCE...", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", "output_dir", required=True, type=click.Path(file_okay=False), help="Directory for items.jsonl, gold.jsonl, judgments.jsonl.")
@click.option(FLAG["seed"], type=int, default=0, show_default=True, help="Seed of the per-item A/B order (hh-rlhf, arena).")
@click.option(FLAG["limit"], type=click.IntRange(min=1), help="Stop after this many items.")
@click.option(FLAG["field_map"], "maps", multiple=True, metavar="TARGET=FIELD", help="Where a target comes from: a field, a.dotted.path or a '{template}'. Repeatable.")
@click.option(FLAG["gold_field"], help="Field holding the gold label (jsonl/json).")
@click.option(FLAG["gold_from_votes"], type=click.Choice(["majority", "plurality"]), help="Make gold from the votes: majority = more than half of the votes cast; plurality = more votes than any other label.")
@click.option(FLAG["vote_fields"], help="Comma-separated columns, one vote (judgment) each; annotator = column name.")
@click.option(FLAG["labels"], "labels_spec", metavar="V=A,V=B,V=tie", help="How source labels map to A/B/tie, or to missing (no vote), e.g. 0=tie,1=A,2=B,garbage=missing.")
@click.option(FLAG["rationale_field"], help="Where each vote's reasoning is (a column, '{vote}_reason', or an Argilla/Label Studio question).")
@click.option(FLAG["confidence_field"], metavar="F", help="Where each vote's confidence (1-5) is, found like --rationale-field (jsonl/json).")
@click.option(FLAG["flags_field"], metavar="F", help="Where each vote's flags are: a JSON list or 'edge_case,needs_expert' (jsonl/json).")
@click.option(FLAG["flag_note_field"], metavar="F", help="Where each vote's note on its flags is; needs --flags-field (jsonl/json).")
@click.option(FLAG["judge_fields"], "judge_fields", metavar="NAME=FIELD,...", help="Verdicts of model judges (jsonl/json): written to judges.jsonl, never part of gold.")
@click.option(FLAG["joins"], "joins", multiple=True, type=click.Path(exists=True, dir_okay=False), metavar="FILE", help="Attach the rows of FILE whose --on key matches (jsonl/json). Repeatable.")
@click.option(FLAG["swapped_joins"], "swapped_joins", multiple=True, type=click.Path(exists=True, dir_okay=False), metavar="FILE", help="Like --join, for verdicts given with A and B exchanged: they land on a mirrored item ID-swapped.")
@click.option(FLAG["join_on"], "join_on", metavar="KEY", help="The field the source and the joined files share (e.g. idx).")
@click.option(FLAG["skip_identical"], "skip_identical", is_flag=True, help="Skip pairs whose two responses are identical (default: keep them, tagged, with a tie as gold).")
@click.option(FLAG["skip_bad"], is_flag=True, help="Skip malformed rows (listed) instead of failing with exit 2.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
def import_cmd(fmt, sources, output_dir, seed, limit, maps, gold_field, gold_from_votes, vote_fields, labels_spec, rationale_field,
               confidence_field, flags_field, flag_note_field, judge_fields, joins, swapped_joins, join_on, skip_identical, skip_bad, quiet) -> None:
    """Import preference data into items.jsonl, gold.jsonl and judgments.jsonl.

    Formats: hh-rlhf, arena (Chatbot Arena / MT-Bench human judgments),
    llmbar, argilla, label-studio, and jsonl/json by field mapping (with
    model judges' verdicts joined from their own files by key).
    Malformed rows are listed as FILE:LINE: field: message and nothing is
    written (exit 2) unless --skip-bad. See docs/IMPORT.md. On a terminal a
    progress bar runs on stderr.

    \b
    Examples:
      rationale import hh-rlhf harmless-base-test.jsonl.gz -o data/hh --limit 200
      rationale import llmbar natural.json -o data/llmbar
      rationale import jsonl votes.jsonl -o data/votes --map prompt='{instruction}\\n\\n{input}' \\
          --map response_a=response1 --map response_b=response2 \\
          --vote-fields annotator1,annotator2,annotator3 --labels 0=tie,1=A,2=B --gold-from-votes majority

    \b
    Exit status: 0 imported; 2 malformed rows (without --skip-bad) or bad options, nothing written;
    130 interrupted, nothing written.
    """
    from ..importers import import_source, parse_labels
    from ..render.imports import render_import_summary
    from .bar import count_lines, progress_bar, wanted

    try:
        labels = parse_labels(labels_spec) if labels_spec else None
        fields = [f.strip() for f in vote_fields.split(",") if f.strip()] if vote_fields else []
        show_bar = wanted(quiet)
        # In JSON Lines a line is a row; a JSON array's rows are not its lines, and --limit stops early:
        # those get a count and a rate without an end.
        lines_are_rows = limit is None and all(s.endswith((".jsonl", ".jsonl.gz", ".csv")) for s in sources)
        total = count_lines(list(sources)) if show_bar and lines_are_rows else None
        options = dict(seed=seed, limit=limit, field_map=_parse_map(maps), gold_field=gold_field,
                       gold_from_votes=gold_from_votes, vote_fields=fields, labels=labels,
                       rationale_field=rationale_field, confidence_field=confidence_field, flags_field=flags_field,
                       flag_note_field=flag_note_field, judge_fields=_parse_named_fields(judge_fields), joins=joins,
                       swapped_joins=swapped_joins, join_on=join_on, skip_identical=skip_identical, skip_bad=skip_bad)
        with progress_bar("importing rows", total=total, enabled=show_bar) as on_progress:
            summary = report_input_errors(
                lambda: import_source(fmt, sources, output_dir, **options, on_progress=on_progress)
            )
    except ImportUsageError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(render_import_summary(summary))
