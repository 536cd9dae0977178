"""Loading items, gold answers and judgments (JSONL or CSV), checked against each other and the rubric.

Loaders keep going after a bad line so that one run shows every problem in a
file; `load_*` raise `InputError` at the end, `iter_judgments` appends to the
caller's list and leaves raising to the caller (it streams, so it cannot know
the end in advance). Checks that need another file (the rubric's scale and
criteria, the items' ids, duplicates) run after a record's shape is checked,
and also on a record with other problems wherever its values have the right
type, so one pass shows every problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..errors import InputError, InputProblem
from ..models import GoldAnswer, Item, Judgment, Rubric
from .first_answers import FirstAnswers
from .messages import validate
from .reader import PathLike, _display, iter_records, unreadable
from .rubric import load_rubric


def _raise_if(problems: list[InputProblem]) -> None:
    if problems:
        raise InputError(problems)


def load_items(path: PathLike) -> dict[str, Item]:
    """Load items (JSONL or CSV) keyed by id; raise InputError with every problem."""
    shown = _display(path)
    problems: list[InputProblem] = []
    items: dict[str, Item] = {}
    first_line: dict[str, int] = {}
    for line, record in iter_records(path, problems):
        item = validate(Item, record, shown, line, problems)
        if item is None:
            continue
        if item.id in items:
            problems.append(
                InputProblem(shown, line, "id", f"duplicate item id {item.id!r} (first on line {first_line[item.id]})")
            )
            continue
        items[item.id] = item
        first_line[item.id] = line
    _raise_if(problems)
    return items


class _RubricTerms:
    """What records are checked against in a rubric, computed once rather than per record."""

    def __init__(self, rubric: Rubric):
        self.top = rubric.max_strength
        self.criteria = frozenset(rubric.criterion_ids)
        self.allowed = f"rubric {rubric.id} defines {', '.join(rubric.criterion_ids)}"

    def scale_problem(self, value: object) -> str | None:
        number = _whole_number(value)
        if number is None or -self.top <= number <= self.top:
            return None
        return f"{number} is outside the rubric's scale -{self.top}..{self.top}"

    def unknown_criteria(self, field: str, cited: object) -> list[tuple[str, str]]:
        if not isinstance(cited, list):
            return []
        return [
            (f"{field}[{index}]", f"unknown criterion {criterion!r} ({self.allowed})")
            for index, criterion in enumerate(cited)
            if isinstance(criterion, str) and criterion not in self.criteria
        ]


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _whole_number(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _unknown_item(value: object, items: dict[str, Item]) -> list[tuple[str, str]]:
    item_id = _text(value)
    if item_id is None or item_id in items:
        return []
    return [("item_id", f"unknown item {item_id!r} (not in the items file)")]


def _item_and_scale(record: dict, items: dict[str, Item], terms: _RubricTerms) -> list[tuple[str, str]]:
    """The checks gold and judgments share: the item exists, the strength is on the rubric's scale."""
    found = _unknown_item(record.get("item_id"), items)
    scale = terms.scale_problem(record.get("strength"))
    if scale:
        found.append(("strength", scale))
    return found


def _report_cross_checks(
    found: list[tuple[str, str]], path: str, line: int, problems: list[InputProblem], already: int
) -> bool:
    """Append cross-file problems not already reported for the field by shape checks; True if any."""
    if not found:
        return False
    reported = {p.field for p in problems[already:]}
    fresh = [(field, message) for field, message in found if field not in reported]
    problems.extend(InputProblem(path, line, field, message) for field, message in fresh)
    return bool(fresh)


def load_gold(path: PathLike, items: dict[str, Item], rubric: Rubric) -> dict[str, GoldAnswer]:
    """Load gold answers (JSONL or CSV) keyed by item id, checked against the items and the rubric.

    The checks against items and rubric also run on a record with other
    problems, wherever its values have the right type, so one pass shows all.
    """
    shown = _display(path)
    problems: list[InputProblem] = []
    gold: dict[str, GoldAnswer] = {}
    first_line: dict[str, int] = {}
    terms = _RubricTerms(rubric)
    for line, record in iter_records(path, problems):
        before = len(problems)
        answer = validate(GoldAnswer, record, shown, line, problems)
        found = _item_and_scale(record, items, terms)
        acceptable = record.get("acceptable")
        if isinstance(acceptable, dict):
            for name in ("strength_min", "strength_max"):
                scale = terms.scale_problem(acceptable.get(name))
                if scale:
                    found.append((f"acceptable.{name}", scale))
        found.extend(terms.unknown_criteria("decisive_criteria", record.get("decisive_criteria")))
        item_id = _text(record.get("item_id"))
        if item_id is not None and item_id in first_line:
            found.append(("item_id", f"duplicate gold for item {item_id!r} (first on line {first_line[item_id]})"))
        elif item_id is not None:
            first_line[item_id] = line
        if _report_cross_checks(found, shown, line, problems, before) or answer is None:
            continue
        gold[answer.item_id] = answer
    _raise_if(problems)
    return gold


def load_references(
    rubric_path: PathLike,
    items_path: PathLike,
    gold_path: PathLike | None = None,
    problems: list[InputProblem] | None = None,
    then: Iterable[PathLike] = (),
) -> tuple[Rubric, dict[str, Item], dict[str, GoldAnswer] | None]:
    """Load the rubric, the items and (optionally) the gold that judgments are checked against.

    A bad rubric does not hide the problems of the items file: both are read
    before either raises. Gold is checked against both, so it waits until they
    are sound; so do the files in `then` (the judgments), but a gold or `then`
    file that cannot be opened at all is reported with the rubric's and items'
    problems. Gold problems are appended to `problems` when the caller passes
    a list (to report them with the judgments' problems); otherwise they raise.
    """
    found: list[InputProblem] = []
    rubric = items = None
    try:
        rubric = load_rubric(rubric_path)
    except InputError as exc:
        found.extend(exc.problems)
    try:
        items = load_items(items_path)
    except InputError as exc:
        found.extend(exc.problems)
    if rubric is None or items is None:
        waiting = [gold_path] if gold_path is not None else []
        found.extend(p for p in map(unreadable, [*waiting, *then]) if p is not None)
        raise InputError(found)
    gold = None
    if gold_path is not None:
        try:
            gold = load_gold(gold_path, items, rubric)
        except InputError as exc:
            if problems is None:
                raise
            problems.extend(exc.problems)
    return rubric, items, gold


_LINE_BITS = 40  # a line number and the index of its file, in one int
_LINE_MASK = (1 << _LINE_BITS) - 1


def iter_judgments(
    paths: Iterable[PathLike],
    items: dict[str, Item],
    rubric: Rubric,
    problems: list[InputProblem],
    annotator: str | None = None,
) -> Iterator[tuple[str, int, Judgment]]:
    """Stream valid judgments as (path, line, Judgment); append every problem found.

    Checks each record's shape, then against the other inputs: the item
    exists, the strength is on the rubric's scale, the cited criteria are the
    rubric's, and no annotator answers the same item twice across all the
    files (the message names where the first answer is). The checks against
    other inputs also run on a record with other problems, wherever its
    values have the right type, so one pass shows every problem.

    With `annotator`: a record without an annotator is taken to be theirs,
    and a record naming another annotator is skipped without any checks,
    since it is not what was asked for (a calibration batch mixes
    annotators). Lines that cannot be parsed are reported all the same: we
    cannot tell whose they are.
    """
    first_answers = FirstAnswers(items)
    shown_paths: list[str] = []
    terms = _RubricTerms(rubric)
    for path in paths:
        shown = _display(path)
        shown_paths.append(shown)
        path_index = len(shown_paths) - 1
        for line, record in iter_records(path, problems):
            if annotator is not None:
                named = record.get("annotator")
                if named is None:
                    record = {**record, "annotator": annotator}
                elif isinstance(named, str) and named != annotator:
                    continue
            before = len(problems)
            judgment = validate(Judgment, record, shown, line, problems)
            found = _item_and_scale(record, items, terms)
            found.extend(terms.unknown_criteria("criteria", record.get("criteria")))
            who, item_id = _text(record.get("annotator")), _text(record.get("item_id"))
            if who is not None and item_id is not None:
                first = first_answers.first_or_record(who, item_id, path_index << _LINE_BITS | line)
                if first is not None:
                    where_path, where_line = shown_paths[first >> _LINE_BITS], first & _LINE_MASK
                    where = f"line {where_line}" if where_path == shown else f"{where_path}:{where_line}"
                    found.append(("item_id", f"duplicate judgment by {who!r} for item {item_id!r} (first on {where})"))
            if _report_cross_checks(found, shown, line, problems, before) or judgment is None:
                continue
            yield shown, line, judgment
