"""`rationale gold lint`: gold answers checked the way the grader will read them, for the leads who write them."""

from __future__ import annotations

import sys

import click

from ..render.formatters import terminal_safe
from .common import EXIT_INTERRUPTED, db_option, report_input_errors

EXIT_WARNINGS = 1


@click.group()
def gold() -> None:
    """Tools for the gold answers leads write.

    \b
    Example:
      rationale gold lint examples/drill/gold.jsonl --items examples/drill/items.jsonl --rubric rubrics/hhh.yaml
    """


@gold.command("lint")
@click.argument("gold_path", metavar="GOLD", type=click.Path(dir_okay=False))
@click.option("--items", "items_path", required=True, type=click.Path(dir_okay=False), help="Items JSONL/CSV.")
@click.option("--rubric", "rubric_path", required=True, type=click.Path(dir_okay=False), help="Rubric YAML/JSON.")
@click.option("--drafts", is_flag=True, help="Lint the LLM drafts of these items waiting for review (in --db), beside GOLD.")
@db_option
def gold_lint(gold_path: str, items_path: str, rubric_path: str, drafts: bool, db_path: str) -> None:
    """Warn about gold the grader would read differently from its author.

    Key points the reference rationale itself does not make (by the grader's
    reading), key points too short to recognise in other words or naming no
    response, cues that fit nearly any rationale, near-duplicate key points, and
    decisive criteria no key point applies (where key points name criteria).

    With --drafts, the LLM drafts of these items that wait for `gold review`
    are linted instead, read beside GOLD (the gold they join).

    Exit 0 when there is nothing to say, 1 with warnings, 2 when a file is invalid.

    \b
    Example:
      rationale gold lint examples/drill/gold.jsonl --items examples/drill/items.jsonl --rubric rubrics/hhh.yaml
    """
    from ..grading.gold_lint import lint_gold
    from ..io import load_references
    from ..render.gold import render_gold_warnings

    if drafts:
        from ..drafts.review import pending_drafts

        pending, warnings = report_input_errors(lambda: pending_drafts(items_path=items_path, rubric_path=rubric_path,
                                                                       gold_path=gold_path, db_path=db_path))
        click.echo(render_gold_warnings(f"{db_path} (drafts)", len(pending), warnings))
    else:
        rubric, _items, answers = report_input_errors(lambda: load_references(rubric_path, items_path, gold_path))
        warnings = lint_gold(list(answers.values()), rubric)
        click.echo(render_gold_warnings(gold_path, len(answers), warnings))
    if warnings:
        sys.exit(EXIT_WARNINGS)


@gold.command("draft")
@click.option("--model", envvar="RATIONALE_MODEL", required=True, help="litellm model name, e.g. openai/gpt-4o-mini, or openai/NAME with --api-base (env RATIONALE_MODEL).")
@click.option("--items", "items_path", required=True, type=click.Path(dir_okay=False), help="Items JSONL/CSV.")
@click.option("--rubric", "rubric_path", required=True, type=click.Path(dir_okay=False), help="Rubric YAML/JSON (the criteria and strength scale a draft uses).")
@click.option("--gold", "gold_path", type=click.Path(dir_okay=False), help="Existing gold: items whose gold has key points are left alone; the choice of gold without them is kept.")
@click.option("--api-base", envvar="RATIONALE_API_BASE", help="Base URL of an OpenAI-compatible server (env RATIONALE_API_BASE).")
@click.option("--budget", type=click.FloatRange(min=0), help="Stop before spending more than this many USD (priced models only).")
@click.option("--limit", type=click.IntRange(min=1), help="Draft at most this many items this run.")
@click.option("--concurrency", type=click.IntRange(1, 64), default=2, show_default=True, help="Requests in flight at once.")
@click.option("--timeout", type=click.FloatRange(min=0.01), default=120.0, show_default=True, help="Seconds per request before it is retried.")
@click.option("--retry-failed", is_flag=True, help="Draft again the items whose draft failed before.")
@click.option("--output-mode", type=click.Choice(["auto", "schema", "json", "grammar"]), default="auto", show_default=True, help="How to ask for JSON (as `critique`).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@db_option
def gold_draft(model, items_path, rubric_path, gold_path, api_base, budget, limit, concurrency, timeout, retry_failed,
               output_mode, as_json, db_path) -> None:
    """Ask an LLM to draft gold (key points, decisive criteria, strength range, reference rationale).

    For every item whose gold has no key points (or no gold at all): with gold
    that names the winner (imported labels, votes) the model explains that
    choice and may not change it. Drafts are stored in the database, linted with
    `gold lint`, and never graded against until a lead accepts them with
    `rationale gold review`. Replies are cached: a second run sends nothing.
    The pair is sent as delimited data the model is told never to obey.

    \b
    Exit status:
      0    drafts made (or nothing to draft)
      1    some drafts failed (their reasons are listed; --retry-failed tries again),
           or the model or its key is not set up (nothing drafted)
      2    bad input files or options, nothing written
      130  interrupted (Ctrl-C): every draft already made is kept; run again for the rest

    \b
    Example:
      rationale import llmbar natural.json -o data/llmbar
      rationale gold draft --model openai/gpt-4o-mini --items data/llmbar/items.jsonl \\
          --gold data/llmbar/gold.jsonl --rubric rubrics/hhh.yaml --budget 0.50
    """
    import json

    from ..drafts import DraftOptions, draft_gold
    from ..llm.client import LLMSetupError
    from ..render.gold import render_draft_report

    options = DraftOptions(model=model, api_base=api_base or None, budget=budget, concurrency=concurrency,
                           timeout=timeout, output_mode=output_mode, limit=limit, retry_failed=retry_failed)
    try:
        report = report_input_errors(lambda: draft_gold(items_path=items_path, rubric_path=rubric_path, options=options,
                                                        gold_path=gold_path, db_path=db_path))
    except LLMSetupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(report.to_json(), indent=2) if as_json else render_draft_report(report))
    if report.failed:
        sys.exit(EXIT_WARNINGS)


class _ReviewIO:
    """The terminal, or lines of stdin when it is not one; $EDITOR through click."""

    def __init__(self) -> None:
        self.interactive = sys.stdin.isatty()

    def show(self, text: str) -> None:
        if self.interactive:  # at a terminal, lines wrap between words, not wherever the terminal cuts them
            import shutil
            import textwrap

            width = max(40, shutil.get_terminal_size().columns - 1)
            text = "\n".join(
                textwrap.fill(line, width, subsequent_indent=" " * (len(line) - len(line.lstrip()) + 2),
                              break_long_words=False, break_on_hyphens=False) if len(line) > width else line
                for line in text.splitlines()
            )
        click.echo(text)

    def ask(self, label: str) -> str:
        if self.interactive:
            try:
                return click.prompt(label, default="", show_default=False, prompt_suffix=" ")
            except click.Abort as exc:  # click says Abort for both; Ctrl-C is an interrupt, not the end of input
                click.echo()
                raise (KeyboardInterrupt if isinstance(exc.__context__, KeyboardInterrupt) else EOFError) from None
        click.echo(label)
        line = sys.stdin.readline()
        if not line:
            raise EOFError
        return line.rstrip("\n")

    def edit(self, text: str) -> str | None:
        import os

        if not self.interactive and not (os.environ.get("VISUAL") or os.environ.get("EDITOR")):
            return None  # no terminal for a default editor to run in
        try:
            return click.edit(text, extension=".json", require_save=True)
        except click.ClickException as exc:  # no such editor, or it failed: say so, not "closed without saving"
            self.show(f"! The editor did not run ({terminal_safe(exc.message)}): set $EDITOR to an installed editor.")
            return None


@gold.command("review")
@click.option("--items", "items_path", required=True, type=click.Path(dir_okay=False), help="Items JSONL/CSV.")
@click.option("--rubric", "rubric_path", required=True, type=click.Path(dir_okay=False), help="Rubric YAML/JSON.")
@click.option("--gold", "gold_path", type=click.Path(dir_okay=False), help="The gold the drafts join (kept as it is where no draft is accepted).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="The gold file to write (JSONL).")
@click.option("--reviewer", required=True, help="Your name: recorded on every draft you accept or reject.")
@db_option
def gold_review(items_path, rubric_path, gold_path, output, reviewer, db_path) -> None:
    """Go through the LLM's gold drafts: accept, edit in $EDITOR, or reject each; write a gold file.

    Each pending draft of these items is shown with the pair and what `gold
    lint` says of it. Every decision is saved at once, so you can stop (q) and
    carry on later; the file written holds --gold with every accepted draft in
    place of the answer it builds on, each recording who accepted it and from
    which draft. When stdin is not a terminal, one key per line.

    \b
    Exit status:
      0    reviewed (or nothing pending) and the gold file written
      2    bad input files or options, nothing written
      130  interrupted (Ctrl-C): every decision made is kept and the gold file written with them

    \b
    Example:
      rationale gold review --items data/llmbar/items.jsonl --gold data/llmbar/gold.jsonl \\
          --rubric rubrics/hhh.yaml --reviewer lena -o data/llmbar/gold-reviewed.jsonl
    """
    from ..drafts import review_drafts

    if not reviewer.strip():
        raise click.BadParameter("must not be blank", param_hint="--reviewer")
    summary = report_input_errors(lambda: review_drafts(items_path=items_path, rubric_path=rubric_path, output=output,
                                                        reviewer=reviewer, io=_ReviewIO(), gold_path=gold_path,
                                                        db_path=db_path))
    click.echo(
        f"Reviewed {summary.accepted + summary.rejected} of {summary.pending} pending drafts: {summary.accepted} accepted"
        f" ({summary.edited} edited), {summary.rejected} rejected, {summary.skipped} skipped"
        + (" (stopped)" if summary.stopped else "") + "."
    )
    click.echo(f"Wrote {summary.output}: {summary.written} gold answers, {summary.from_drafts} of them accepted drafts.")
    if summary.interrupted:
        click.echo("interrupted: every decision made is kept; run the same command again to review the rest", err=True)
        sys.exit(EXIT_INTERRUPTED)
