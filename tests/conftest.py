"""Shared fixtures: the small visible data sets the grading, critique and calibration tests are written against.

Each data set is built by plain functions here and handed to tests as pytest
fixtures (session-scoped: every value is immutable or freshly built per call):

* grading: `make_rubric`, `make_gold`, `make_judgment`, `context` (factories), `grading_item`,
  `good_rationale`, `default_weights`;
* critique: `critique_rubric`, `critique_items`, `critique_gold`, `reviewer_model`, `critique_judgment`,
  `three_judgments`, `fill_db`, `critique_options`, `db_rows`, `network_blocker`, `loopback_only`;
* calibration: `calibration_batch` (rubric(), items(), gold(), judgments(), write_files(folder));
* export: `portfolio_db` (a graded database, one rationale carrying an XSS payload) and `portfolio` (its data).
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from types import SimpleNamespace

import pytest

from rationale import store
from rationale.critique.batch import CritiqueOptions
from rationale.grading.context import make_context
from rationale.models import Finding, GoldAnswer, Grade, Item, Judgment, Rubric, Severity
from rationale.store import open_db

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def lead_scored_cases() -> list[dict]:
    """The 90 expert-scored judgments on the example drill (../shared/data/lead-scored)."""
    path = SHARED_DATA / "lead-scored" / "cases.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

# =========================================================================== grading
# A tiny visible grading fixture shared by the grading tests.
#
# A two-criterion rubric (accuracy, clarity), one item where Response A
# subtracts instead of adding and Response B is right, and the lead's gold
# answer (B much better, accuracy decisive, two key points).

LABELS = {
    -3: "A is much better",
    -2: "A is better",
    -1: "A is slightly better",
    0: "About the same",
    1: "B is slightly better",
    2: "B is better",
    3: "B is much better",
}

GOOD_RATIONALE = (
    'Response A is wrong: it says "return a - b", so it will subtract instead of add. '
    'Response B adds the two numbers: it "returns the sum of a and b", which is correct and clear.'
)


DEFAULT_WEIGHTS = {
    "verdict": 0.5,
    "key_points": 0.325,
    "evidence": 0.1,
    "criteria": 0.05,
    "argument": 0.025,
}


def make_rubric(*, weights: dict[str, float] | None = None, pass_mark: float = 70, **rationale: object) -> Rubric:
    requirements = {
        "min_words": 10,
        "max_words": 60,
        "must_cite_criterion": True,
        "must_quote_evidence": True,
        "vague_phrases": ["better overall", "more helpful"],
    }
    requirements.update(rationale)
    levels = {str(n): f"level {n}" for n in range(1, 6)}
    return Rubric.model_validate(
        {
            "id": "tiny",
            "title": "Tiny rubric",
            "version": "1",
            "criteria": [
                {
                    "id": "accuracy",
                    "name": "Accuracy",
                    "description": "Claims and code are correct.",
                    "weight": 2,
                    "levels": levels,
                    "cues": ["correct", "wrong", "error", "bug"],
                },
                {
                    "id": "clarity",
                    "name": "Clarity",
                    "description": "Easy to follow.",
                    "weight": 1,
                    "levels": levels,
                    "cues": ["clear", "confusing"],
                },
            ],
            "strength_scale": [{"value": v, "label": label} for v, label in LABELS.items()],
            "rationale": requirements,
            "scoring": {"weights": weights or DEFAULT_WEIGHTS, "pass_mark": pass_mark},
        }
    )


ITEM = Item(
    id="add-two",
    prompt="Write a Python function that adds two numbers.",
    response_a="def add(a, b):\n    return a - b\n\nThis function returns the difference.",
    response_b="def add(a, b):\n    return a + b\n\nThis returns the sum of a and b.",
)


def make_gold(**fields: object) -> GoldAnswer:
    data: dict[str, object] = {
        "item_id": "add-two",
        "preference": "B",
        "strength": 3,
        "decisive_criteria": ["accuracy"],
        "key_points": [
            {"id": "subtracts", "text": "A subtracts instead of adding.", "cues": ["subtract", "minus"]},
            {"id": "b-sums", "text": "B returns the sum.", "pattern": r"\bsum\b"},
        ],
        "reference_rationale": "A subtracts; B adds.",
    }
    data.update(fields)
    return GoldAnswer.model_validate(data)


def make_judgment(**fields: object) -> Judgment:
    data: dict[str, object] = {
        "item_id": "add-two",
        "annotator": "trainee",
        "preference": "B",
        "strength": 3,
        "criteria": ["accuracy"],
        "rationale": GOOD_RATIONALE,
    }
    data.update(fields)
    return Judgment.model_validate(data)


def context(judgment: Judgment | None = None, gold: GoldAnswer | None = None, rubric: Rubric | None = None):
    return make_context(judgment or make_judgment(), ITEM, gold or make_gold(), rubric or make_rubric())


@pytest.fixture(scope="session", name="make_rubric")
def _make_rubric_fixture():  # type: ignore[no-untyped-def]
    return make_rubric


@pytest.fixture(scope="session", name="make_gold")
def _make_gold_fixture():  # type: ignore[no-untyped-def]
    return make_gold


@pytest.fixture(scope="session", name="make_judgment")
def _make_judgment_fixture():  # type: ignore[no-untyped-def]
    return make_judgment


@pytest.fixture(scope="session", name="context")
def _context_fixture():  # type: ignore[no-untyped-def]
    return context


@pytest.fixture(scope="session")
def grading_item() -> Item:
    return ITEM


@pytest.fixture(scope="session")
def good_rationale() -> str:
    return GOOD_RATIONALE


@pytest.fixture(scope="session")
def default_weights() -> dict[str, float]:
    return dict(DEFAULT_WEIGHTS)


# =========================================================================== critique
# Small visible fixtures for the critique tests: a two-criterion rubric, three items, gold, judgments.
#
# The store is filled through `rationale.store` (rubric, items, gold) and one
# plain INSERT per judgment, as `rationale grade` would leave it, without grading.


CRITIQUE_RUBRIC = Rubric.model_validate(
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
CRITIQUE_ITEMS = {
    "q1": Item(id="q1", prompt="What is 2+2?", response_a="2+2 is 4, because two pairs make four.", response_b="5"),
    "q2": Item(id="q2", prompt="Capital of France?", response_a="Lyon", response_b="The capital of France is Paris."),
    "q3": Item(id="q3", prompt="Is the sun a star?", response_a="Yes, the sun is a G-type main-sequence star.", response_b="No"),
}
CRITIQUE_GOLD = {
    "q1": GoldAnswer(item_id="q1", preference="A", strength=-2, reference_rationale="A is right: 2+2 is 4."),
    "q2": GoldAnswer(item_id="q2", preference="B", strength=2, reference_rationale="B names Paris, which is right."),
    "q3": GoldAnswer(item_id="q3", preference="A", strength=-2, reference_rationale="A is right; the sun is a star."),
}

REVIEWER_MODEL = "openai/fake-reviewer"


def _critique_judgment(item_id: str, rationale: str, preference: str = "A", strength: int = -1, annotator: str = "ana") -> Judgment:
    return Judgment(item_id=item_id, annotator=annotator, preference=preference, strength=strength,
                    criteria=["honesty"], rationale=rationale)


def _fill_db(path: Path, judgments: list[Judgment], items: dict[str, Item] | None = None,
             gold: dict[str, GoldAnswer] | None = None) -> dict[str, str]:
    """Store the rubric, items, gold (the critique fixtures' unless given) and the judgments;
    return {annotator/item: judgment hash}."""
    db = open_db(path)
    with db.conn:
        rubric_hash = store.save_rubric(db, CRITIQUE_RUBRIC)
        run_id = store.start_run(db, "test", {}, rubric_hash)
        item_hashes = store.save_items(db, items or CRITIQUE_ITEMS)
        store.save_gold(db, gold or CRITIQUE_GOLD, item_hashes)
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


def _three_judgments() -> list[Judgment]:
    return [
        _critique_judgment("q1", 'A says "2+2 is 4", which is correct; B says 5, which is false.'),
        _critique_judgment("q2", 'A is better: it answers briefly.'),  # the trainee is wrong here
        _critique_judgment("q3", 'A is accurate: "the sun is a G-type main-sequence star".'),
    ]


def _critique_options(api_base: str, **overrides: object) -> CritiqueOptions:
    # A timeout short enough to keep the fault tests fast, long enough for a loaded machine's normal answer.
    base = dict(model=REVIEWER_MODEL, api_base=api_base, concurrency=4, timeout=2.0, max_attempts=3, backoff_base=0.01)
    base.update(overrides)
    return CritiqueOptions(**base)  # type: ignore[arg-type]


def _db_rows(path: Path, sql: str, params: tuple = ()) -> list[dict]:
    db = open_db(path)
    cursor = db.conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    result = [dict(zip(names, r)) for r in cursor.fetchall()]
    db.conn.close()
    return result


def _block_the_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
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
    attempts = _block_the_network(monkeypatch)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    yield
    assert attempts == [], f"tried to reach the network: {attempts}"


@pytest.fixture(scope="session")
def critique_rubric() -> Rubric:
    return CRITIQUE_RUBRIC


@pytest.fixture(scope="session")
def critique_items() -> dict[str, Item]:
    return CRITIQUE_ITEMS


@pytest.fixture(scope="session")
def critique_gold() -> dict[str, GoldAnswer]:
    return CRITIQUE_GOLD


@pytest.fixture(scope="session")
def reviewer_model() -> str:
    return REVIEWER_MODEL


@pytest.fixture(scope="session")
def critique_judgment():  # type: ignore[no-untyped-def]
    return _critique_judgment


@pytest.fixture(scope="session")
def three_judgments():  # type: ignore[no-untyped-def]
    return _three_judgments


@pytest.fixture(scope="session")
def fill_db():  # type: ignore[no-untyped-def]
    return _fill_db


@pytest.fixture(scope="session")
def critique_options():  # type: ignore[no-untyped-def]
    return _critique_options


@pytest.fixture(scope="session")
def db_rows():  # type: ignore[no-untyped-def]
    return _db_rows


@pytest.fixture(scope="session")
def network_blocker():  # type: ignore[no-untyped-def]
    return _block_the_network


# =========================================================================== calibration
# A small calibration batch with planted behaviour, shared by the calibration tests.
#
# 24 items. On even items response A is the longer one, on odd items B is.
# Gold prefers the longer response on half the items and calls items 6 and 7
# ties. Item `q22` repeats `q00` exactly and `q23` is `q01` with A and B
# swapped, so self-consistency can be checked.
#
# Annotators:
# * `careful` answers like gold everywhere, citing the decisive criterion and the key point;
# * `lengthy` always picks the longer response, citing helpfulness;
# * `tied` calls a tie on 14 items and otherwise answers like gold;
# * `rushed` answers only 12 items, like gold except q05 and the swapped copy q23.

CAL_RUBRIC = {
    "id": "mini",
    "title": "Mini rubric",
    "version": "1",
    "criteria": [
        {
            "id": "correctness",
            "name": "Correctness",
            "description": "Facts are right.",
            "weight": 2,
            "levels": {str(n): f"level {n}" for n in range(1, 6)},
            "cues": ["correct", "wrong", "accurate"],
        },
        {
            "id": "helpfulness",
            "name": "Helpfulness",
            "description": "Meets the need.",
            "weight": 1,
            "levels": {str(n): f"level {n}" for n in range(1, 6)},
            "cues": ["helpful", "detail", "thorough"],
        },
        {
            "id": "concision",
            "name": "Concision",
            "description": "No padding.",
            "weight": 1,
            "levels": {str(n): f"level {n}" for n in range(1, 6)},
            "cues": ["concise", "padding"],
        },
    ],
    "strength_scale": [{"value": v, "label": f"step {v}"} for v in range(-3, 4)],
    "criteria_priority": ["correctness", "helpfulness", "concision"],
    "rationale": {"min_words": 3, "max_words": 200, "must_cite_criterion": False, "must_quote_evidence": False},
    "scoring": {
        "weights": {
            "preference": 0.5,
            "strength": 0.1,
            "criteria": 0.1,
            "key_points": 0.2,
            "evidence": 0.0,
            "rationale_quality": 0.1,
        },
        "pass_mark": 60,
    },
}

CAL_SHORT = "Paris is the capital."
CAL_LONG = "The capital of France is Paris, a city on the Seine with many museums and a long history of learning."


def _cal_rubric() -> Rubric:
    return Rubric.model_validate(CAL_RUBRIC)


def _cal_items() -> dict[str, Item]:
    out = {}
    for n in range(22):
        a, b = (CAL_LONG + f" ({n})", CAL_SHORT + f" ({n})") if n % 2 == 0 else (CAL_SHORT + f" ({n})", CAL_LONG + f" ({n})")
        out[f"q{n:02d}"] = Item(id=f"q{n:02d}", prompt=f"Question {n}?", response_a=a, response_b=b)
    out["q22"] = out["q00"].model_copy(update={"id": "q22"})
    out["q23"] = out["q01"].model_copy(
        update={"id": "q23", "response_a": out["q01"].response_b, "response_b": out["q01"].response_a}
    )
    return out


def _cal_longer(item: Item) -> str:
    return "A" if len(item.response_a) > len(item.response_b) else "B"


def _cal_gold_side(n: int, item: Item) -> str:
    if n == 22:  # the same pair as q00
        return _cal_gold_side(0, item)
    if n == 23:  # q01 with A and B swapped
        return _CAL_MIRROR[_cal_gold_side(1, _cal_items()["q01"])]
    # Gold prefers the longer response on items 0-1, 4-5, 8-9, ... and the shorter on the rest.
    return _cal_longer(item) if (n // 2) % 2 == 0 else _CAL_MIRROR[_cal_longer(item)]


_CAL_MIRROR = {"A": "B", "B": "A", "tie": "tie"}


def _cal_gold() -> dict[str, GoldAnswer]:
    out = {}
    for item_id, item in _cal_items().items():
        n = int(item_id[1:])
        preference = "tie" if n in (6, 7) else _cal_gold_side(n, item)
        out[item_id] = GoldAnswer(
            item_id=item_id,
            preference=preference,
            strength={"A": -2, "B": 2, "tie": 0}[preference],
            decisive_criteria=["correctness"],
            key_points=[{"id": "fact", "text": "names the right capital", "cues": ["right capital"]}],
            reference_rationale="The chosen response names the right capital.",
        )
    return out


def _cal_judgment(annotator: str, item_id: str, preference: str, criterion: str, point: bool) -> Judgment:
    strength = {"A": -2, "B": 2, "tie": 0}[preference]
    rationale = f"Response {preference} is better on {criterion}" + (" because it names the right capital." if point else ".")
    if preference == "tie":
        rationale = "Both are about the same; neither is more correct" + (" and both name the right capital." if point else ".")
    return Judgment(
        item_id=item_id,
        annotator=annotator,
        preference=preference,
        strength=strength,
        criteria=[criterion],
        rationale=rationale,
    )


def _cal_judgments() -> list[Judgment]:
    its, gs = _cal_items(), _cal_gold()
    out = []
    for item_id, answer in gs.items():
        out.append(_cal_judgment("careful", item_id, answer.preference, "correctness", True))
        out.append(_cal_judgment("lengthy", item_id, _cal_longer(its[item_id]), "helpfulness", False))
        n = int(item_id[1:])
        tied = n < 14 and n not in (0, 1)
        out.append(_cal_judgment("tied", item_id, "tie" if tied else answer.preference, "correctness", False))
        if n < 10 or n in (22, 23):
            wrong = n in (5, 23)
            pref = _CAL_MIRROR[answer.preference] if wrong else answer.preference
            out.append(_cal_judgment("rushed", item_id, pref, "helpfulness" if wrong else "correctness", not wrong))
    return out


def _cal_write_files(folder: Path) -> dict[str, Path]:
    """The batch as the files `rationale calibrate` reads."""
    import yaml

    paths = {
        "rubric": folder / "rubric.yaml",
        "items": folder / "items.jsonl",
        "gold": folder / "gold.jsonl",
        "judgments": folder / "judgments.jsonl",
    }
    paths["rubric"].write_text(yaml.safe_dump(CAL_RUBRIC, sort_keys=False), encoding="utf-8")
    for key, records in (("items", _cal_items().values()), ("gold", _cal_gold().values()), ("judgments", _cal_judgments())):
        paths[key].write_text(
            "".join(json.dumps(r.model_dump(mode="json", exclude_none=True)) + "\n" for r in records), encoding="utf-8"
        )
    return paths


@pytest.fixture(scope="session")
def calibration_batch() -> SimpleNamespace:
    return SimpleNamespace(
        rubric=_cal_rubric, items=_cal_items, gold=_cal_gold, judgments=_cal_judgments, write_files=_cal_write_files
    )


# =========================================================================== export

XSS = "<script>document.body.setAttribute('data-pwned','script')</script> and <img src=x onerror=\"document.body.setAttribute('data-pwned','img')\">"

PORTFOLIO_RUBRIC = Rubric.model_validate(
    {
        "id": "mini",
        "title": "Mini rubric",
        "version": "1",
        "criteria": [
            {"id": "honesty", "name": "Honesty", "description": "Accurate.", "weight": 1,
             "levels": {str(i): f"level {i}" for i in range(1, 6)}, "cues": ["accurate"]},
            {"id": "helpfulness", "name": "Helpfulness", "description": "Useful.", "weight": 1,
             "levels": {str(i): f"level {i}" for i in range(1, 6)}, "cues": ["useful"]},
        ],
        "strength_scale": [{"value": v, "label": f"step {v}"} for v in range(-3, 4)],
        "scoring": {"weights": {"preference": 0.4, "strength": 0.1, "criteria": 0.1, "key_points": 0.2,
                                "evidence": 0.1, "rationale_quality": 0.1}, "pass_mark": 70},
    }
)
PORTFOLIO_ITEMS = {
    "q1": Item(id="q1", prompt="What is 2+2?", response_a="2+2 is 4.", response_b="2+2 is 5.", tags=["math"]),
    "q2": Item(id="q2", prompt=[{"role": "user", "content": "Say hi"}], response_a="Hi!", response_b="Hello there!"),
    "q3": Item(id="q3", prompt="Pick one", response_a="```\nclose the fence\n```", response_b="B text"),
}
PORTFOLIO_GOLD = {
    "q1": GoldAnswer(item_id="q1", preference="A", strength=-3, decisive_criteria=["honesty"],
                     reference_rationale="Response A says \"2+2 is 4.\" which is accurate.", tags=["edge-case"]),
    "q2": GoldAnswer(item_id="q2", preference="tie", strength=0, reference_rationale="Both greet."),
    "q3": GoldAnswer(item_id="q3", preference="B", strength=1, reference_rationale="B is plain."),
}


def _portfolio_grade(j: Judgment, score: float, findings: list[Finding] = ()) -> Grade:
    gold = PORTFOLIO_GOLD[j.item_id]
    return Grade(
        item_id=j.item_id, annotator=j.annotator, judgment_hash=j.content_hash, rubric_hash=PORTFOLIO_RUBRIC.content_hash,
        gold_hash=gold.content_hash, score=score, passed=score >= 70, components={"preference": 1.0},
        preference_correct=j.preference == gold.preference, findings=list(findings),
    )


def _portfolio_judgment(item_id: str, annotator: str, preference: str, strength: int, rationale: str, criteria=("honesty",)) -> Judgment:
    return Judgment(item_id=item_id, annotator=annotator, preference=preference, strength=strength,
                    criteria=list(criteria), rationale=rationale)


@pytest.fixture
def portfolio_db(tmp_path):  # type: ignore[no-untyped-def]
    """Three items answered by tara (one rationale carrying an XSS payload) and one by raj, graded."""
    database = open_db(tmp_path / "r.db")
    rows = [
        _portfolio_judgment("q1", "tara", "A", -3, f"Response A is accurate. {XSS}"),
        _portfolio_judgment("q2", "tara", "tie", 0, "Both are useful greetings.", criteria=("helpfulness",)),
        _portfolio_judgment("q3", "tara", "B", 1, "B is plain text while A is a code fence."),
        _portfolio_judgment("q1", "raj", "B", 2, "B is longer so it is better. Tara agrees.", criteria=()),
    ]
    with database.conn:
        rubric_hash = store.save_rubric(database, PORTFOLIO_RUBRIC)
        hashes = store.save_items(database, PORTFOLIO_ITEMS)
        store.save_gold(database, PORTFOLIO_GOLD, hashes)
        run = store.start_run(database, "test", {}, rubric_hash)
        scores = [92.0, 80.0, 75.0, 20.0]
        store.save_judgments_and_grades(
            database,
            [
                store.GradedJudgment(j, hashes[j.item_id], _portfolio_grade(j, s, [Finding(code="length_only", severity=Severity.major, message=f"{j.annotator} rests on length <b>alone</b>.")] if s < 50 else []))
                for j, s in zip(rows, scores)
            ],
            run,
        )
    return database




@pytest.fixture(scope="session")
def portfolio() -> SimpleNamespace:
    return SimpleNamespace(
        xss=XSS, rubric=PORTFOLIO_RUBRIC, items=PORTFOLIO_ITEMS, gold=PORTFOLIO_GOLD, judgment=_portfolio_judgment,
        grade=_portfolio_grade,
    )


# =========================================================================== reviewed grade
# Gold with key points, so the reviewer is asked for its reading and a reviewed grade is stored.
# Under the critique rubric; `strong` makes both key points of r1 with a real quote, `weak` makes none.

REVIEWED_ITEMS = {
    "r1": Item(id="r1", prompt="What is 2+2?", response_a="2+2 is 4, because two pairs make four.", response_b="2+2 is 5."),
    "r2": Item(id="r2", prompt="Capital of France?", response_a="Lyon is the capital of France.",
               response_b="The capital of France is Paris."),
}
REVIEWED_GOLD = {
    "r1": GoldAnswer(
        item_id="r1", preference="A", strength=-2, decisive_criteria=["honesty"],
        reference_rationale="A is right: 2+2 is 4. B says 5, which is wrong.",
        key_points=[{"id": "a_right", "text": "A gives the right sum: 2+2 is 4.", "about": "A", "criterion": "honesty"},
                    {"id": "b_wrong", "text": "B's answer of 5 is wrong.", "about": "B", "criterion": "honesty"}],
    ),
    "r2": GoldAnswer(
        item_id="r2", preference="B", strength=2, decisive_criteria=["honesty"],
        reference_rationale="B is right: Paris is the capital. A names Lyon, which is wrong.",
        key_points=[{"id": "lyon_wrong", "text": "A wrongly names Lyon as the capital of France.", "about": "A",
                     "criterion": "honesty"}],
    ),
}
REVIEWED_RATIONALES = {
    "strong": ("r1", "A", -2, 'A is correct: it says "2+2 is 4", the right sum. B says the answer is 5, which is wrong, so honesty decides it for A.'),
    "weak": ("r1", "A", -2, "A is better because it reads more nicely and it is longer than B overall, I think."),
    "paris": ("r2", "B", 2, 'B is correct: "The capital of France is Paris." A wrongly says Lyon is the capital, which is false, so honesty decides it.'),
}


def _reviewed_judgment(name: str, extra: str = "") -> Judgment:
    """One of REVIEWED_RATIONALES as `name`'s judgment, optionally with text (fake-server markers) appended."""
    item_id, preference, strength, rationale = REVIEWED_RATIONALES[name]
    return Judgment(item_id=item_id, annotator=name, preference=preference, strength=strength, criteria=["honesty"],
                    rationale=(rationale + (" " + extra if extra else "")))


def _fill_reviewed_db(path: Path, judgments: list[Judgment]) -> dict[str, str]:
    return _fill_db(path, judgments, REVIEWED_ITEMS, REVIEWED_GOLD)


@pytest.fixture(scope="session")
def reviewed_judgment():  # type: ignore[no-untyped-def]
    return _reviewed_judgment


@pytest.fixture(scope="session")
def fill_reviewed_db():  # type: ignore[no-untyped-def]
    return _fill_reviewed_db


@pytest.fixture(scope="session")
def reviewed_items() -> dict[str, Item]:
    return REVIEWED_ITEMS


@pytest.fixture(scope="session")
def reviewed_gold() -> dict[str, GoldAnswer]:
    return REVIEWED_GOLD
