"""The `grade` pipeline: load, validate, grade against gold, store, summarise.

One call is one command and one transaction. The rubric, items and gold are
checked before the database is opened; judgments are streamed, graded and
written in batches, and if any judgment turns out to be bad the transaction
is rolled back (and a database file this call created is removed), so bad
input leaves the database exactly as it was.

Memory stays flat in the number of judgments except for the per-judgment
results the report prints (text and `--json` both give per-item feedback):
each is a tuple holding the answer, the gold answer, the score and the
findings (code, severity, message, span), with identical findings shared
between judgments. About 0.4 KB a judgment: ~40 MB for 100,000. The full
grade (components, key points made, criteria precision/recall) is in the
database: `grades`, `findings` and the `feedback` view.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from .errors import InputError, InputProblem
from .models import GoldAnswer, Grade, Judgment, Rubric, Severity

BATCH_SIZE = 2000
CACHE_KIB = 16_000
# Severity is a str Enum, so this maps both the enum and its plain text to the text.
SEVERITY_TEXT: dict[str, str] = {s: s.value for s in Severity}
TOP = 5


class FindingBrief(NamedTuple):
    code: str
    severity: str
    message: str
    span: str | None = None
    criterion: str | None = None
    key_point: str | None = None


class JudgmentResult(NamedTuple):
    """What the report shows for one judgment (the full grade is in the database).

    A tuple rather than a dataclass: 100,000 of them are built and kept.
    """

    path: str
    line: int
    item_id: str
    annotator: str
    preference: str
    strength: int | None
    gold_preference: str
    gold_strength: int
    score: float
    passed: bool
    preference_correct: bool
    strength_distance: int | None
    key_points_missed: tuple[str, ...]
    findings: tuple[FindingBrief, ...]  # most severe first, as the grader orders them
    judgment_hash: str = ""  # the stored answer (`judgments.hash`), for follow-up commands such as a critique

    def top_findings(self, n: int = 3) -> tuple[FindingBrief, ...]:
        """The n most severe problems, then every info note (notes explain the result, e.g. a pass held back)."""
        problems = tuple(f for f in self.findings if f.severity != "info")
        return problems[:n] + tuple(f for f in self.findings if f.severity == "info")


@dataclass(frozen=True)
class CriterionWeakness:
    criterion: str
    name: str
    missed: int  # decisive for the item but not cited
    irrelevant: int  # cited but not decisive for the item

    @property
    def total(self) -> int:
        return self.missed + self.irrelevant


@dataclass(frozen=True)
class MissedKeyPoint:
    item_id: str
    key_point: str
    text: str
    missed: int


@dataclass(frozen=True)
class GradingSummary:
    n: int
    preference_correct: int
    passed: int
    mean_score: float | None
    weakest_criteria: list[CriterionWeakness]
    most_missed_key_points: list[MissedKeyPoint]
    finding_counts: dict[str, int]

    @property
    def accuracy(self) -> float | None:
        return self.preference_correct / self.n if self.n else None

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.n if self.n else None


@dataclass(frozen=True)
class RubricRef:
    id: str
    title: str
    version: str
    hash: str
    pass_mark: float


@dataclass
class GradingReport:
    run_id: int
    db_path: str
    rubric: RubricRef
    inputs: dict[str, Any]
    counts: dict[str, int]
    summary: GradingSummary
    results: list[JudgmentResult] = field(default_factory=list)
    started: str = ""
    finished: str = ""
    seconds: float = 0.0


class _Tally:
    """Running totals for the summary, so nothing per-judgment is needed to compute it."""

    def __init__(self, rubric: Rubric) -> None:
        self.rubric = rubric
        self.n = 0
        self.correct = 0
        self.passed = 0
        self.score_sum = 0.0
        self.missed_criteria: Counter[str] = Counter()
        self.irrelevant_criteria: Counter[str] = Counter()
        self.missed_key_points: Counter[tuple[str, str]] = Counter()
        self.codes: Counter[str] = Counter()

    def add(self, judgment: Judgment, gold: GoldAnswer, grade: Grade) -> None:
        self.n += 1
        self.correct += grade.preference_correct
        self.passed += grade.passed
        self.score_sum += grade.score
        decisive = gold.decisive_criteria
        cited = judgment.criteria
        for criterion in decisive:
            if criterion not in cited:
                self.missed_criteria[criterion] += 1
        for criterion in cited:
            if criterion not in decisive:
                self.irrelevant_criteria[criterion] += 1
        for kp in grade.key_points_missed:
            self.missed_key_points[(gold.item_id, kp)] += 1
        codes = self.codes
        for f in grade.findings:
            codes[f.code] += 1

    def summary(self, gold: dict[str, GoldAnswer]) -> GradingSummary:
        names = {c.id: c.name for c in self.rubric.criteria}
        weak = [
            CriterionWeakness(cid, names.get(cid, cid), self.missed_criteria[cid], self.irrelevant_criteria[cid])
            for cid in set(self.missed_criteria) | set(self.irrelevant_criteria)
        ]
        weak.sort(key=lambda w: (-w.total, -w.missed, w.criterion))
        points = []
        for (item_id, kp_id), count in self.missed_key_points.items():
            text = next((kp.text for kp in gold[item_id].key_points if kp.id == kp_id), kp_id)
            points.append(MissedKeyPoint(item_id, kp_id, text, count))
        points.sort(key=lambda p: (-p.missed, p.item_id, p.key_point))
        return GradingSummary(
            n=self.n,
            preference_correct=self.correct,
            passed=self.passed,
            mean_score=round(self.score_sum / self.n, 2) if self.n else None,
            weakest_criteria=weak[:TOP],
            most_missed_key_points=points[:TOP],
            finding_counts=dict(sorted(self.codes.items(), key=lambda kv: (-kv[1], kv[0]))),
        )


def _result(path: str, line: int, judgment: Judgment, gold: GoldAnswer, grade: Grade, shared: dict[Any, Any]) -> JudgmentResult:
    # The same finding (code, message, span) recurs across thousands of judgments: keep one copy of each.
    s = shared.setdefault
    findings = []
    for f in grade.findings:
        brief = FindingBrief(f.code, SEVERITY_TEXT[f.severity], f.message, f.span, f.criterion, f.key_point)
        findings.append(s(brief, brief))
    missed = tuple(grade.key_points_missed)
    return JudgmentResult(
        path,
        line,
        gold.item_id,
        s(judgment.annotator, judgment.annotator),
        judgment.preference,
        judgment.strength,
        gold.preference,
        gold.strength,
        grade.score,
        grade.passed,
        grade.preference_correct,
        grade.strength_distance,
        s(missed, missed),
        tuple(findings),
        grade.judgment_hash,
    )


def _remove_database_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = Path(f"{path}{suffix}")
        if candidate.exists():
            candidate.unlink()


def grade_files(
    judgment_paths: Sequence[str | os.PathLike[str]],
    *,
    rubric_path: str | os.PathLike[str],
    gold_path: str | os.PathLike[str],
    items_path: str | os.PathLike[str],
    db_path: str | os.PathLike[str] | None,
    annotator: str | None = None,
) -> GradingReport:
    """Grade every judgment in `judgment_paths` against gold; store and summarise the results.

    Raises InputError with every problem found; the database is then left as it was.
    """
    from . import store
    from .db import open_db, resolve_db_path
    from .grader import Grader
    from .loaders import iter_judgments, load_references

    clock = time.perf_counter()
    rubric, items, gold = load_references(rubric_path, items_path, gold_path)
    paths = [str(p) for p in judgment_paths]
    inputs = {
        "judgments": paths,
        "rubric": str(rubric_path),
        "gold": str(gold_path),
        "items": str(items_path),
        "annotator": annotator,
    }

    db_file = resolve_db_path(db_path)
    if not db_file.parent.is_dir():
        raise InputError([InputProblem(str(db_file), None, "--db", f"directory {str(db_file.parent)!r} does not exist")])
    created = not db_file.exists()
    db = open_db(db_file)
    conn = db.conn
    # The hash-keyed indexes take inserts at random places; a 16 MB page cache (SQLite's default
    # is 2 MB) keeps more of them in memory and cuts the write time of 100k judgments by about a third.
    conn.execute(f"pragma cache_size = -{CACHE_KIB}")
    try:
        conn.execute("begin immediate")
        rubric_hash = store.save_rubric(db, rubric)
        run_id = store.start_run(db, "grade", inputs, rubric_hash)
        item_hashes = store.save_items(db, items)
        gold_hashes = store.save_gold(db, gold, item_hashes)
        del gold_hashes  # the grades carry the gold hash; saving is what matters here

        grader = Grader(rubric)
        tally = _Tally(rubric)
        results: list[JudgmentResult] = []
        shared: dict[Any, Any] = {}
        problems: list[InputProblem] = []
        batch: list[store.GradedJudgment] = []
        totals = Counter()
        for path, line, judgment in iter_judgments(paths, items, rubric, problems, annotator=annotator):
            answer = gold.get(judgment.item_id)
            if answer is None:
                problems.append(
                    InputProblem(path, line, "item_id", f"no gold answer for item {judgment.item_id!r} in {gold_path}")
                )
            if problems:
                continue  # keep reading to report every problem, but grade nothing more
            grade = grader.grade(judgment, items[judgment.item_id], answer)
            tally.add(judgment, answer, grade)
            results.append(_result(path, line, judgment, answer, grade, shared))
            batch.append(store.GradedJudgment(judgment, item_hashes[judgment.item_id], grade))
            if len(batch) >= BATCH_SIZE:
                totals.update(store.save_judgments_and_grades(db, batch, run_id)._asdict())
                batch.clear()
        if problems:
            raise InputError(problems)
        totals.update(store.save_judgments_and_grades(db, batch, run_id)._asdict())

        counts = {
            "judgments_read": tally.n,
            "judgments_new": totals["judgments_new"],
            "judgments_revised": totals["judgments_revised"],
            "grades_new": totals["grades_new"],
            "findings_new": totals["findings_new"],
            "items": len(items),
            "gold": len(gold),
        }
        store.finish_run(db, run_id, counts)
        run = store.get_run(db, run_id)
        conn.commit()
    except BaseException:
        conn.rollback()
        conn.close()
        if created:
            _remove_database_files(db_file)
        raise
    conn.close()

    return GradingReport(
        run_id=run_id,
        db_path=str(db_file),
        rubric=RubricRef(rubric.id, rubric.title, rubric.version, rubric_hash, rubric.scoring.pass_mark),
        inputs=inputs,
        counts=counts,
        summary=tally.summary(gold),
        results=results,
        started=run["started"] if run else "",
        finished=run["finished"] if run else "",
        seconds=round(time.perf_counter() - clock, 3),
    )
