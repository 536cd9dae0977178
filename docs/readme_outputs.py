"""The command outputs the README shows, produced by running the real commands on the shipped examples.

README.md calls these from `[[[cog ... ]]]` blocks; `cog -r README.md` (or
`make readme`) rewrites the outputs and `tests/test_readme.py` fails when
they drift (`cog --check`). Each function runs the command in-process on a
fresh database in a temporary directory (so no run id, path or timestamp
depends on the machine) and shows an excerpt: the lines that match its
spans, with "..." where lines are left out.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from contextlib import contextmanager
from pathlib import Path

from click.testing import CliRunner

from rationale.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = {
    "rubric": "rubrics/hhh.yaml",
    "items": "examples/drill/items.jsonl",
    "gold": "examples/drill/gold.jsonl",
}
Span = tuple[str, int | None]  # (regex of the first line, how many lines; None = it and the indented lines below)


@contextmanager
def _fresh_database():
    """A temporary RATIONALE_DB, a terminal 80 columns wide, and the repository as the working directory."""
    with tempfile.TemporaryDirectory() as folder:
        saved = {k: os.environ.get(k) for k in ("RATIONALE_DB", "COLUMNS")}
        cwd = os.getcwd()
        os.environ["RATIONALE_DB"] = str(Path(folder) / "rationale.db")
        os.environ["COLUMNS"] = "80"
        os.chdir(ROOT)
        try:
            yield Path(folder)
        finally:
            os.chdir(cwd)
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def _run(args: Sequence[str], stdin: str | None = None) -> tuple[str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.stdout, result.stderr


def excerpt(text: str, spans: Sequence[Span], *, trailing: bool = False, width: int | None = None) -> str:
    """The lines each span picks, in order, "..." between those that are not adjacent."""
    lines = text.splitlines()
    keep: set[int] = set()
    start = 0
    for pattern, count in spans:
        index = next(i for i in range(start, len(lines)) if re.search(pattern, lines[i]))
        end = index + 1
        if count is None:
            while end < len(lines) and lines[end].startswith(" "):
                end += 1
        else:
            end = index + count
        keep.update(range(index, end))
        start = index + 1
    out: list[str] = []
    previous = None
    for i in sorted(keep):
        if previous is not None and i != previous + 1:
            out.append("...")
        line = lines[i]
        out.append(line if width is None or len(line) <= width else line[: width - 3].rstrip() + "...")
        previous = i
    if trailing:
        out.append("...")
    return "\n".join(out)


def _cap_codes(text: str, most: int = 4) -> str:
    """A grade row's finding codes, at most `most` of them."""

    def cap(match: re.Match[str]) -> str:
        codes = match.group(2).split(", ")
        return match.group(1) + (", ".join(codes[:most] + ["..."]) if len(codes) > most else match.group(2))

    return re.sub(r"^(\S+ .*?(?:pass|FAIL)    )(.+)$", cap, text, flags=re.M)


def console(command: str, output: str) -> str:
    return f"```console\n$ {command}\n{output}\n```\n"


def grade() -> str:
    with _fresh_database():
        out, _ = _run(["grade", "examples/drill/judgments.jsonl", "--rubric", EXAMPLES["rubric"], "--gold",
                       EXAMPLES["gold"], "--items", EXAMPLES["items"]])
    rows: list[Span] = [(f"^{item} ", None) for item in ("drill-01", "drill-04", "drill-05", "drill-12", "drill-13")]
    shown = excerpt(_cap_codes(out), [("^Graded", 3), *rows, ("^Summary", 7)], trailing=True)
    return console(
        "rationale grade examples/drill/judgments.jsonl --rubric rubrics/hhh.yaml \\\n"
        "      --gold examples/drill/gold.jsonl --items examples/drill/items.jsonl",
        shown,
    )


def drill() -> str:
    answers = "B\n2\n3,4\nResponse B is more accurate ... \n.\n"
    with _fresh_database():
        out, _ = _run(["drill", "--items", EXAMPLES["items"], "--gold", EXAMPLES["gold"], "--rubric", EXAMPLES["rubric"],
                       "--annotator", "sam", "--n", "1", "--seed", "3"], stdin=answers)
    spans: list[Span] = [("^Item 1 of 1", 5), ("^┏━ Response A", 2), ("^┏━ Response B", 2), ("^Feedback", 10),
                         ("^Reference rationale", 3)]
    return console(
        "printf 'B\\n2\\n3,4\\nResponse B is more accurate ... \\n.\\n' | rationale drill --items examples/drill/items.jsonl \\\n"
        "      --gold examples/drill/gold.jsonl --rubric rubrics/hhh.yaml --annotator sam --n 1 --seed 3",
        excerpt(out, spans, trailing=True),
    )


def progress() -> str:
    with _fresh_database():
        _run(["grade", "examples/drill/judgments.jsonl", "--rubric", EXAMPLES["rubric"], "--gold", EXAMPLES["gold"],
              "--items", EXAMPLES["items"]])
        out, _ = _run(["progress", "trainee-tara"])
    spans: list[Span] = [("^Progress of", 5), ("^Criteria cited", 2), ("^Position bias", 2), ("^Next focus", 2)]
    return console("rationale progress trainee-tara", excerpt(out, spans))


def calibrate() -> str:
    with _fresh_database():
        out, _ = _run(["calibrate", "examples/calibration/judgments.jsonl", "--items", EXAMPLES["items"], "--rubric",
                       EXAMPLES["rubric"], "--gold", "examples/calibration/gold.jsonl", "--batch", "example"])
    spans: list[Span] = [("^Calibration batch", 3), ("^Agreement among", 9), ("^Each annotator", 8),
                         ("^Biases against", 8), ("^Escalation against", 6), ("^Confidence calibration", 6),
                         ("^Consensus without gold", 3), ("^Most contested", 4), ("^Questions for the next", 3)]
    return console(
        "rationale calibrate examples/calibration/judgments.jsonl --items examples/drill/items.jsonl \\\n"
        "      --rubric rubrics/hhh.yaml --gold examples/calibration/gold.jsonl --batch example",
        excerpt(out, spans, trailing=True, width=120),
    )


BAD_LINES = [
    '{"item_id": "drill-01", "annotator": "ana", "preference": "A", "strength": -2, "rationale": "A is right."}',
    '{"item_id": "drill-02", "annotator": "ana", "preference": "C", "strength": 2, "rationale": "B is right."}',
    '{"item_id": "drill-03", "annotator": "ana", "preference": "B", "strength": 5, "rationale": "B is right."}',
]


def bad_input() -> str:
    with _fresh_database() as folder:
        (folder / "bad.jsonl").write_text("\n".join(BAD_LINES) + "\n", encoding="utf-8")
        os.chdir(folder)
        _, err = _run(["grade", "bad.jsonl", "--rubric", str(ROOT / EXAMPLES["rubric"]), "--gold",
                       str(ROOT / EXAMPLES["gold"]), "--items", str(ROOT / EXAMPLES["items"])])
    return console(
        "rationale grade bad.jsonl --rubric rubrics/hhh.yaml --gold examples/drill/gold.jsonl --items examples/drill/items.jsonl",
        err.rstrip("\n"),
    )


def gold_lint() -> str:
    with _fresh_database():
        out, _ = _run(["gold", "lint", EXAMPLES["gold"], "--items", EXAMPLES["items"], "--rubric", EXAMPLES["rubric"]])
    return console(
        "rationale gold lint examples/drill/gold.jsonl --items examples/drill/items.jsonl --rubric rubrics/hhh.yaml",
        out.rstrip("\n"),
    )


def agreement() -> str:
    """The grade against expert leads' scores, measured now (the same figures as bench/grader_agreement.py)."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from grader_agreement import sets

    from rationale.grading.agreement_with_lead import measure

    rows = ["| set | n | Spearman ρ | pass/fail agreement | lenient passes | harsh fails | mean abs. difference |",
            "|---|---|---|---|---|---|---|"]
    for name, cases, rubric, items, gold in sets():
        a, _ = measure(cases, rubric, items, gold)
        rows.append(
            f"| {name} | {a.n} | {a.spearman:.2f} | {a.pass_agreement:.0%} | {a.lenient} | {a.harsh} | {a.mean_abs_difference:.1f} |"
        )
    return "\n".join(rows) + "\n"


def batch_dry_run() -> str:
    """`critique --batch --dry-run` on the graded example drill: what would be submitted, at batch prices."""
    with _fresh_database():
        _run(["grade", "examples/drill/judgments.jsonl", "--rubric", EXAMPLES["rubric"], "--gold", EXAMPLES["gold"],
              "--items", EXAMPLES["items"]])
        out, _ = _run(["critique", "--model", "openai/gpt-4o-mini", "--batch", "--dry-run"])
    return console("rationale critique --model openai/gpt-4o-mini --batch --dry-run", out.rstrip("\n"))


def batch_cancel() -> str:
    """`critique --batch`, `--cancel`, then `--collect` on 5 answers of the graded example drill.

    The provider is tests/fake_batches.py's server on 127.0.0.1 (OpenAI's batch API, cancel semantics
    included): it holds the batch in progress, and 6 of its lines finish before the cancel takes effect.
    """
    import sys

    sys.path.insert(0, str(ROOT / "tests"))
    from fake_batches import FakeBatches

    with _fresh_database(), FakeBatches(hold=True, finished_before_cancel=6) as fake:
        _run(["grade", "examples/drill/judgments.jsonl", "--rubric", EXAMPLES["rubric"], "--gold", EXAMPLES["gold"],
              "--items", EXAMPLES["items"]])
        server = ["--model", "openai/gpt-4o-mini", "--api-base", fake.api_base]
        _run(["critique", *server, "--batch", "--limit", "5"])
        cancelled, _ = _run(["critique", *server, "--cancel"])
        fake.hold = False
        collected, _ = _run(["critique", *server, "--collect", "--limit", "5"])
    shown = "rationale critique --model openai/gpt-4o-mini --api-base http://127.0.0.1:PORT/v1"
    collected = excerpt(collected, [("^batch jobs with", 1), (r"\(first\): cancelled", 3), ("note: ", 2)], trailing=True)
    return console(f"{shown} --cancel", f"{cancelled.rstrip()}\n$ {shown} --collect --limit 5\n{collected}")
