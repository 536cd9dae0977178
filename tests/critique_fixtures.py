"""Small visible fixtures for the critique tests: a two-criterion rubric, three items, gold, judgments.

The store is filled through `rationale.store` (rubric, items, gold) and one
plain INSERT per judgment, as `rationale grade` would leave it, without grading.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from rationale import store
from rationale.critique.batch import CritiqueOptions
from rationale.store import open_db
from rationale.models import GoldAnswer, Item, Judgment, Rubric

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

RUBRIC = Rubric.model_validate(
    {
        "id": "tiny",
        "title": "Tiny rubric",
        "version": "1",
        "criteria": [
            {"id": "honesty", "name": "Honesty", "description": "Says only what is true.", "weight": 2,
             "levels": {str(n): f"honesty level {n}" for n in range(1, 6)}},
            {"id": "helpfulness", "name": "Helpfulness", "description": "Answers what was asked.", "weight": 1,
             "levels": {str(n): f"helpfulness level {n}" for n in range(1, 6)}},
        ],
        "criteria_priority": ["honesty", "helpfulness"],
        "strength_scale": [{"value": v, "label": f"step {v}"} for v in (-2, -1, 0, 1, 2)],
        "scoring": {
            "weights": {"preference": 0.5, "strength": 0.1, "criteria": 0.1, "key_points": 0.1, "evidence": 0.1,
                        "rationale_quality": 0.1},
            "pass_mark": 70,
        },
    }
)

# The fake reviewer prefers the longer response, so q1 and q3 get verdict A and q2 gets B.
ITEMS = {
    "q1": Item(id="q1", prompt="What is 2+2?", response_a="2+2 is 4, because two pairs make four.", response_b="5"),
    "q2": Item(id="q2", prompt="Capital of France?", response_a="Lyon", response_b="The capital of France is Paris."),
    "q3": Item(id="q3", prompt="Is the sun a star?", response_a="Yes, the sun is a G-type main-sequence star.", response_b="No"),
}
GOLD = {
    "q1": GoldAnswer(item_id="q1", preference="A", strength=-2, reference_rationale="A is right: 2+2 is 4."),
    "q2": GoldAnswer(item_id="q2", preference="B", strength=2, reference_rationale="B names Paris, which is right."),
    "q3": GoldAnswer(item_id="q3", preference="A", strength=-2, reference_rationale="A is right; the sun is a star."),
}

MODEL = "openai/fake-reviewer"


def judgment(item_id: str, rationale: str, preference: str = "A", strength: int = -1, annotator: str = "ana") -> Judgment:
    return Judgment(item_id=item_id, annotator=annotator, preference=preference, strength=strength,
                    criteria=["honesty"], rationale=rationale)


def fill_db(path: Path, judgments: list[Judgment]) -> dict[str, str]:
    """Store the rubric, items, gold and the judgments; return {annotator/item: judgment hash}."""
    db = open_db(path)
    with db.conn:
        rubric_hash = store.save_rubric(db, RUBRIC)
        run_id = store.start_run(db, "test", {}, rubric_hash)
        item_hashes = store.save_items(db, ITEMS)
        store.save_gold(db, GOLD, item_hashes)
        hashes = {}
        for j in judgments:
            db.conn.execute(
                "insert into judgments (hash, item_id, item_hash, annotator, version, preference, strength, criteria,"
                " rationale, run_id) values (?, ?, ?, ?, 1, ?, ?, ?, ?, ?)",
                (j.content_hash, j.item_id, item_hashes[j.item_id], j.annotator, j.preference, j.strength,
                 '["honesty"]', j.rationale, run_id),
            )
            hashes[f"{j.annotator}/{j.item_id}"] = j.content_hash
    db.conn.close()
    return hashes


def three_judgments() -> list[Judgment]:
    return [
        judgment("q1", 'A says "2+2 is 4", which is correct; B says 5, which is false.'),
        judgment("q2", 'A is better: it answers briefly.'),  # the trainee is wrong here
        judgment("q3", 'A is accurate: "the sun is a G-type main-sequence star".'),
    ]


def options(api_base: str, **overrides: object) -> CritiqueOptions:
    # A timeout short enough to keep the fault tests fast, long enough for a loaded machine's normal answer.
    base = dict(model=MODEL, api_base=api_base, concurrency=4, timeout=2.0, max_attempts=3, backoff_base=0.01)
    base.update(overrides)
    return CritiqueOptions(**base)  # type: ignore[arg-type]


def rows(path: Path, sql: str, params: tuple = ()) -> list[dict]:
    db = open_db(path)
    cursor = db.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    result = [dict(zip(names, r)) for r in cursor.fetchall()]
    db.conn.close()
    return result


def block_the_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Fail any connection that leaves the machine; return the list of attempts (a price list, a tokenizer...)."""
    real_connect = socket.socket.connect
    attempts: list[object] = []

    def connect(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "::1", "localhost") and self.family != socket.AF_UNIX:
            attempts.append(address)
            raise OSError(f"test tried to reach the network: {address}")
        return real_connect(self, address)  # type: ignore[arg-type]

    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if host not in (None, "127.0.0.1", "::1", "localhost"):
            attempts.append(host)
            raise socket.gaierror(f"test tried to resolve {host}")
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts


@pytest.fixture
def loopback_only(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The critique tests never use the network (even where a library would swallow the failure), nor a real key."""
    attempts = block_the_network(monkeypatch)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    yield
    assert attempts == [], f"tried to reach the network: {attempts}"
