"""Chatbot Arena / MT-Bench human judgments (lmsys ``mt_bench_human_judgments``
and ``chatbot_arena_conversations``).

Each row is one judge's vote: ``question_id``, ``model_a``, ``model_b``,
``winner`` (``model_a``, ``model_b``, ``tie`` or ``tie (bothbad)``),
``judge``, ``conversation_a`` / ``conversation_b`` (lists of
``{"role", "content"}``) and ``turn``. Rows about the same two answers to
the same question become one item with one judgment per judge
(annotator = judge). Gold is written only with ``--gold-from-votes
majority|plurality`` (see `votes.VOTE_RULES`); an item whose votes name
no winner keeps its votes, without gold, and is counted.

``turn`` says how much of the conversation was judged (MT-Bench rows carry
both turns and a vote on turn 1 or 2; Arena rows give the number of turns),
so each conversation is cut after the assistant's reply to that user turn.
The turns both sides share are the prompt; what follows is each response.
When the sides parted before the last turn (MT-Bench turn 2, where each
model also wrote its own first answer) the response is the rest of that
side's conversation as text, ``Assistant: ...`` / ``User: ...``.

Which model shows as A is a seeded coin flip per item; each vote is mapped
to the side its model landed on. The models are kept as item tags
(``model_a:<name>``, ``model_b:<name>`` in our A/B order).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import InputProblem
from ..models import ChatTurn, Item, Judgment, content_hash
from ..io.reader import iter_rows
from .common import build, gold_from_votes, identifier, render_turns, shared_prefix, swapped

WINNERS = {"model_a": "model_a", "model_b": "model_b", "tie": "tie", "tie (bothbad)": "tie"}

SKIP_NO_PROMPT = "the two conversations share no prompt"
SKIP_SAME_JUDGE_TWICE = "a judge voted twice on the same pair (the first vote is kept)"

_ROLES = {"user": "user", "human": "user", "assistant": "assistant", "gpt": "assistant", "system": "system"}


@dataclass
class _Pair:
    path: Path
    line: int
    question_id: str
    turn: int | None
    models: tuple[str, str]  # our A, our B
    prompt: list[dict[str, str]]
    responses: tuple[str, str]
    votes: list[Judgment] = field(default_factory=list)
    judges: set[str] = field(default_factory=set)


def _conversation(value: Any, name: str, path: Path, line: int, problems: list[InputProblem]):
    if not isinstance(value, list) or not value:
        problems.append(InputProblem(str(path), line, name, "must be a non-empty list of {role, content} messages"))
        return None
    turns = []
    for index, message in enumerate(value):
        role = _ROLES.get(str(message.get("role", "")).lower()) if isinstance(message, dict) else None
        content = message.get("content") if isinstance(message, dict) else None
        if role is None or not isinstance(content, str):
            problems.append(
                InputProblem(str(path), line, f"{name}.{index}", "must be {role: user|assistant|system, content: text}")
            )
            return None
        turns.append({"role": role, "content": content})
    return turns


def _cut_at_turn(turns: list[dict[str, str]], turn: int | None) -> list[dict[str, str]]:
    if turn is None:
        return turns
    users = 0
    for index, message in enumerate(turns):
        if message["role"] == "user":
            users += 1
            if users > turn:
                return turns[:index]
    return turns


def _render(rest: list[dict[str, str]]) -> str:
    return render_turns([(m["role"], m["content"].strip()) for m in rest])


def import_rows(sources: Sequence[Path], options, out) -> None:
    pairs: dict[str, _Pair] = {}
    for path in sources:
        for line, row in iter_rows(path, out.problems):
            out.read()
            _collect(path, line, row, options.seed, pairs, out)
    for item_id, pair in pairs.items():
        if out.full:
            out.summary.limit_reached = True
            return
        item = build(
            Item,
            pair.path,
            pair.line,
            out.problems,
            id=item_id,
            prompt=[ChatTurn(**m) for m in pair.prompt],
            response_a=pair.responses[0],
            response_b=pair.responses[1],
            source=f"{pair.path.name}:{pair.line}",
            tags=["arena", f"model_a:{pair.models[0]}", f"model_b:{pair.models[1]}"],
        )
        if item is None:
            continue
        gold = None
        if options.gold_from_votes:
            gold = gold_from_votes(options.gold_from_votes, item, (v.preference for v in pair.votes), "the judges",
                                   ["arena"], out, pair.path, pair.line)
        out.add(item, gold, pair.votes, path=pair.path, line=pair.line)


def _collect(path: Path, line: int, row: dict[str, Any], seed: int, pairs: dict[str, _Pair], out) -> None:
    checked = _checked_row(path, line, row, out)
    if checked is None:
        return
    winner, turn, conv_a, conv_b = checked
    model_a, model_b = str(row["model_a"]), str(row["model_b"])
    conv_a, conv_b = _cut_at_turn(conv_a, turn), _cut_at_turn(conv_b, turn)

    shared = shared_prefix(conv_a, conv_b)
    if shared == len(conv_a) == len(conv_b):
        shared -= 1  # identical conversations: the last turn is each side's (identical) response
    rest_a, rest_b = conv_a[shared:], conv_b[shared:]
    if shared == 0:
        out.skip(path, line, SKIP_NO_PROMPT)
        return
    text_a, text_b = _render(rest_a), _render(rest_b)

    # The same pair of answers is one item whichever model the row calls model_a.
    sides = sorted([(model_a, text_a), (model_b, text_b)])
    key = content_hash([str(row["question_id"]), turn, conv_a[:shared], sides])
    item_id = f"arena-{identifier(str(row['question_id']))}-{turn if turn is not None else 'all'}-{key[:10]}"
    if swapped(seed, item_id):
        sides.reverse()
    pair = pairs.get(item_id)
    if pair is None:
        pair = pairs[item_id] = _Pair(
            path=path,
            line=line,
            question_id=str(row["question_id"]),
            turn=turn,
            models=(sides[0][0], sides[1][0]),
            prompt=conv_a[:shared],
            responses=(sides[0][1], sides[1][1]),
        )
    judge = str(row["judge"])
    if judge in pair.judges:
        out.skip(path, line, SKIP_SAME_JUDGE_TWICE)
        return
    pair.judges.add(judge)
    winning = {"model_a": (model_a, text_a), "model_b": (model_b, text_b)}.get(winner)  # None for a tie
    preference = "tie" if winning is None else ("A" if winning == sides[0] else "B")
    _vote(path, line, row, item_id, judge, preference, pair, out)


def _checked_row(path: Path, line: int, row: dict[str, Any], out):  # type: ignore[no-untyped-def]
    """(winner, turn, conversation a, conversation b), or None with the row's problems reported."""
    bad: list[InputProblem] = []
    for name in ("question_id", "model_a", "model_b", "winner", "judge"):
        if row.get(name) in (None, ""):
            bad.append(InputProblem(str(path), line, name, "required field is missing"))
    winner = WINNERS.get(str(row.get("winner", "")).strip().lower())
    if row.get("winner") not in (None, "") and winner is None:
        bad.append(InputProblem(str(path), line, "winner", f"must be one of {', '.join(WINNERS)}; got {row['winner']!r}"))
    turn = row.get("turn")
    if turn is not None and (isinstance(turn, bool) or not isinstance(turn, int) or turn < 1):
        bad.append(InputProblem(str(path), line, "turn", f"must be a whole number from 1, got {turn!r}"))
    conv_a = _conversation(row.get("conversation_a"), "conversation_a", path, line, bad)
    conv_b = _conversation(row.get("conversation_b"), "conversation_b", path, line, bad)
    if bad:
        out.bad(bad)
        return None
    return winner, turn, conv_a, conv_b


def _vote(path: Path, line: int, row: dict[str, Any], item_id: str, judge: str, preference: str, pair: _Pair, out) -> None:  # type: ignore[no-untyped-def]
    timestamp = None
    if isinstance(row.get("tstamp"), (int, float)) and not isinstance(row.get("tstamp"), bool):
        timestamp = datetime.fromtimestamp(row["tstamp"], tz=timezone.utc)
    judgment = build(
        Judgment, path, line, out.problems, {"annotator": "judge"},
        item_id=item_id, annotator=judge, preference=preference, timestamp=timestamp,
    )
    if judgment is not None:
        pair.votes.append(judgment)
