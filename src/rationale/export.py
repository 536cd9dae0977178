"""Portfolio export: graded (and critiqued) examples as Markdown, HTML, JSONL or DPO rows.

Everything comes from the database, so an export shows exactly what was
graded: each example carries the content hashes of its item and rubric.

* ``md``   one Markdown file, or one file per example when the output is a directory
* ``html`` one self-contained page (no network, no external fonts or scripts)
* ``jsonl`` full records with a schema version, for tracing and re-checking
* ``dpo``  ``prompt``/``chosen``/``rejected`` rows in the shape TRL's DPO trainer loads

The annotator's own choice decides ``chosen`` in DPO rows (it is their
annotation being exported); a ``gold_agrees`` column says whether the lead
agreed, and ``--min-score`` keeps only well-graded judgments.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlite_utils

from . import store

EXPORT_SCHEMA_VERSION = 1
FORMATS = ("md", "html", "jsonl", "dpo")


@dataclass
class Version:
    """One version of an annotator's answer with its latest grade."""

    hash: str
    version: int
    preference: str
    strength: int | None
    criteria: list[str]
    rationale: str | None
    timestamp: str | None
    score: float | None = None
    passed: bool | None = None
    components: dict[str, Any] = field(default_factory=dict)
    key_points_made: list[str] = field(default_factory=list)
    key_points_missed: list[str] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    rubric_hash: str | None = None
    gold_hash: str | None = None


@dataclass
class Example:
    annotator: str
    item: dict[str, Any]
    gold: dict[str, Any] | None
    rubric: dict[str, Any] | None
    original: Version
    revised: Version | None
    critique: dict[str, Any] | None = None
    swapped: bool = False  # a drill re-serve of the pair with A and B swapped, stored as shown
    variant: str = ""  # tells apart examples of one (item, annotator): "swapped", or an item version

    @property
    def latest(self) -> Version:
        return self.revised or self.original

    @property
    def is_edge_case(self) -> bool:
        tags = set(self.item.get("tags") or []) | set((self.gold or {}).get("tags") or [])
        return "edge-case" in tags or (self.gold or {}).get("difficulty") == "hard"

    @property
    def slug(self) -> str:
        """A file- and anchor-safe name for this example."""
        return _example_slug(self)

    @property
    def gold_agrees(self) -> bool | None:
        if not self.gold:
            return None
        acceptable = {self.gold["preference"], *((self.gold.get("acceptable") or {}).get("preferences") or [])}
        return self.latest.preference in acceptable

    def strength_label(self, value: int | None) -> str:
        if value is None:
            return "not given"
        for step in (self.rubric or {}).get("strength_scale", []):
            if step["value"] == value:
                return f"{value:+d} ({step['label']})"
        return f"{value:+d}"


@dataclass
class ExportResult:
    paths: list[Path]
    examples: int
    skipped_ties: int = 0
    messages: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- collecting


def _json(text: str | None, default: Any) -> Any:
    return json.loads(text) if text else default


def collect_examples(
    db: sqlite_utils.Database,
    *,
    annotator: str | None = None,
    min_score: float | None = None,
    tags: tuple[str, ...] = (),
    item_ids: tuple[str, ...] = (),
    with_critique: bool = False,
) -> list[Example]:
    """Every (annotator, item version) answer in the database that passes the filters.

    Versions are grouped by the item's content hash, not its id: a drill pair
    re-served with A and B swapped is stored as shown, under the swapped pair's
    own hash, so it is an example of its own (marked `swapped`), never a
    "revision" of the answer on the original order, whose "A" is the other
    response. Within a group the first version is the original answer; the
    newest, when there is more than one, is the revision a portfolio shows as
    "after".
    """
    where, params = [], []
    if annotator:
        where.append("j.annotator = ?")
        params.append(annotator)
    if item_ids:
        where.append(f"j.item_id in ({','.join('?' * len(item_ids))})")
        params.extend(item_ids)
    sql = f"""
        select j.*, g.id as grade_id, g.score, g.passed, g.components, g.key_points_made,
               g.key_points_missed, g.rubric_hash, g.gold_hash
        from judgments j
        left join grades g on g.id = (
            select g2.id from grades g2 where g2.judgment_hash = j.hash
            order by g2.graded_at desc, g2.rowid desc limit 1)
        {"where " + " and ".join(where) if where else ""}
        order by j.annotator, j.item_id, j.version
    """
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in db.query(sql, params):
        grouped.setdefault((row["annotator"], row["item_hash"]), []).append(row)
    swapped_pairs = {
        (who, item_hash)
        for who, item_hash in db.execute(
            "select distinct s.annotator, j.item_hash from drill_presentations p"
            " join drill_sessions s on s.id = p.session_id join judgments j on j.hash = p.judgment_hash"
            " where p.swapped = 1"
        ).fetchall()
    }
    groups_per_item: Counter[tuple[str, str]] = Counter()

    items_cache: dict[str, dict[str, Any]] = {}
    gold_cache: dict[str, dict[str, Any] | None] = {}
    rubric_cache: dict[str, dict[str, Any] | None] = {}
    examples = []
    for (who, item_hash), rows in grouped.items():
        swapped = (who, item_hash) in swapped_pairs
        groups_per_item[(who, rows[0]["item_id"])] += 1
        if swapped:
            variant = "swapped"
        elif groups_per_item[(who, rows[0]["item_id"])] > 1:
            variant = item_hash[:8]  # a later version of the item's content
        else:
            variant = ""
        original = _version(db, rows[0])
        revised = _version(db, rows[-1]) if len(rows) > 1 else None
        latest_row = rows[-1]
        item = items_cache.get(latest_row["item_hash"])
        if item is None:
            item = _item(db, latest_row["item_hash"])
            items_cache[latest_row["item_hash"]] = item
        gold_hash = latest_row["gold_hash"]
        if gold_hash not in gold_cache:
            gold_cache[gold_hash] = _body(db, "gold", gold_hash)
        rubric_hash = latest_row["rubric_hash"]
        if rubric_hash not in rubric_cache:
            rubric_cache[rubric_hash] = _body(db, "rubrics", rubric_hash)
            if rubric_cache[rubric_hash] is not None:
                rubric_cache[rubric_hash]["hash"] = rubric_hash
        example = Example(
            annotator=who,
            item=item,
            gold=gold_cache[gold_hash],
            rubric=rubric_cache[rubric_hash],
            original=original,
            revised=revised,
            swapped=swapped,
            variant=variant,
        )
        if min_score is not None and (example.latest.score is None or example.latest.score < min_score):
            continue
        if tags:
            have = set(item.get("tags") or []) | set((example.gold or {}).get("tags") or [])
            if not have.intersection(tags):
                continue
        if with_critique:
            example.critique = latest_critique(db, example.latest.hash)
        examples.append(example)
    return examples


def _version(db: sqlite_utils.Database, row: dict[str, Any]) -> Version:
    findings = []
    if row.get("grade_id"):
        findings = list(
            db.query(
                "select code, severity, message, span, criterion, key_point from findings where grade_id = ? order by id",
                [row["grade_id"]],
            )
        )
    return Version(
        hash=row["hash"],
        version=row["version"],
        preference=row["preference"],
        strength=row["strength"],
        criteria=_json(row["criteria"], []),
        rationale=row["rationale"],
        timestamp=row["timestamp"],
        score=row["score"],
        passed=None if row["passed"] is None else bool(row["passed"]),
        components=_json(row["components"], {}),
        key_points_made=_json(row["key_points_made"], []),
        key_points_missed=_json(row["key_points_missed"], []),
        findings=findings,
        rubric_hash=row["rubric_hash"],
        gold_hash=row["gold_hash"],
    )


def _item(db: sqlite_utils.Database, item_hash: str) -> dict[str, Any]:
    item = store.load_item(db, item_hash)
    return {"hash": item_hash, **item.model_dump(mode="json")}


def _body(db: sqlite_utils.Database, table: str, key: str | None) -> dict[str, Any] | None:
    if key is None:
        return None
    row = db.execute(f"select body from {table} where hash = ?", [key]).fetchone()
    return json.loads(row[0]) if row else None


def latest_critique(db: sqlite_utils.Database, judgment_hash: str) -> dict[str, Any] | None:
    """The newest successful critique of a judgment version, when the second reviewer has run."""
    if "critiques" not in db.table_names():
        return None
    columns = {c.name for c in db["critiques"].columns}
    if "judgment_hash" not in columns:
        return None
    order = "rowid desc"
    status_filter = "and status = 'ok'" if "status" in columns else ""
    row = db.execute(
        f"select * from critiques where judgment_hash = ? {status_filter} order by {order} limit 1", [judgment_hash]
    ).fetchone()
    if row is None:
        return None
    record = dict(zip([d[0] for d in db.conn.execute("select * from critiques limit 0").description], row))
    body_column = next((c for c in ("critique", "body", "parsed") if c in record and record[c]), None)
    body = json.loads(record[body_column]) if body_column else {}
    body.setdefault("model", record.get("model"))
    return body


# --------------------------------------------------------------------------- anonymising


class Pseudonyms:
    """Stable pseudonyms: the same name always maps to the same pseudonym in one database.

    The key is a random secret kept in the database, so a pseudonym cannot be
    reversed by hashing a list of likely names.
    """

    def __init__(self, db: sqlite_utils.Database):
        self.key = _pseudonym_key(db)
        self.names: dict[str, str] = {}

    def __call__(self, name: str) -> str:
        if name not in self.names:
            digest = hmac.new(self.key, name.encode("utf-8"), hashlib.sha256).hexdigest()[:6]
            self.names[name] = f"annotator-{digest}"
        return self.names[name]

    def scrub(self, text: str | None) -> str | None:
        """Replace every known real name inside free text too."""
        if not text:
            return text
        for real, alias in sorted(self.names.items(), key=lambda kv: -len(kv[0])):
            text = re.sub(re.escape(real), alias, text, flags=re.IGNORECASE)
        return text


def _pseudonym_key(db: sqlite_utils.Database) -> bytes:
    row = db.execute("select value from settings where name = 'pseudonym_key'").fetchone()
    if row:
        return bytes.fromhex(row[0])
    key = secrets.token_bytes(32)
    with db.conn:
        db.execute("insert into settings (name, value) values ('pseudonym_key', ?)", [key.hex()])
    return key


def anonymize(examples: list[Example], pseudonyms: Pseudonyms) -> None:
    for example in examples:
        pseudonyms(example.annotator)
    for example in examples:
        example.annotator = pseudonyms(example.annotator)
        for version in filter(None, (example.original, example.revised)):
            version.rationale = pseudonyms.scrub(version.rationale)
            for finding in version.findings:
                finding["message"] = pseudonyms.scrub(finding["message"])
        if example.critique:
            example.critique = json.loads(pseudonyms.scrub(json.dumps(example.critique, ensure_ascii=False)) or "{}")


# --------------------------------------------------------------------------- writing


def export(
    db: sqlite_utils.Database,
    fmt: str,
    output: Path,
    *,
    annotator: str | None = None,
    min_score: float | None = None,
    tags: tuple[str, ...] = (),
    item_ids: tuple[str, ...] = (),
    with_critique: bool = False,
    anonymize_names: bool = False,
) -> ExportResult:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    examples = collect_examples(
        db, annotator=annotator, min_score=min_score, tags=tags, item_ids=item_ids, with_critique=with_critique
    )
    extra = portfolio_sections(db, examples)
    if anonymize_names:
        pseudonyms = Pseudonyms(db)
        # Every name the database knows, not only the exported ones: the audit names the whole batch.
        for table in ("judgments", "calibration_votes"):
            if table in db.table_names():
                for (name,) in db.execute(f"select distinct annotator from {table}").fetchall():
                    pseudonyms(name)
        anonymize(examples, pseudonyms)
        extra = json.loads(pseudonyms.scrub(json.dumps(extra, ensure_ascii=False)) or "{}")
    writer = {"md": write_markdown, "html": write_html, "jsonl": write_jsonl, "dpo": write_dpo}[fmt]
    return writer(examples, output, extra)


def portfolio_sections(db: sqlite_utils.Database, examples: list[Example]) -> dict[str, Any]:
    """Summary figures plus the calibration-derived sections when calibration data exists."""
    scores = [e.latest.score for e in examples if e.latest.score is not None]
    criterion_hits: Counter[str] = Counter()
    criterion_needed: Counter[str] = Counter()
    names: dict[str, str] = {}
    for e in examples:
        for c in (e.rubric or {}).get("criteria", []):
            names[c["id"]] = c["name"]
        decisive = (e.gold or {}).get("decisive_criteria") or []
        for c in decisive:
            criterion_needed[c] += 1
            if c in e.latest.criteria:
                criterion_hits[c] += 1
    per_criterion = [
        {"id": c, "name": names.get(c, c), "recall": criterion_hits[c] / n, "needed": n}
        for c, n in sorted(criterion_needed.items())
    ]
    findings = Counter(f["code"] for e in examples for f in e.latest.findings)
    sections: dict[str, Any] = {
        "count": len(examples),
        "scores": scores,
        "mean_score": sum(scores) / len(scores) if scores else None,
        "pass_rate": (sum(1 for e in examples if e.latest.passed) / len(examples)) if examples else None,
        "accuracy": (sum(1 for e in examples if e.gold_agrees) / len(examples)) if examples else None,
        "per_criterion": per_criterion,
        "finding_counts": findings.most_common(),
        "revised": sum(1 for e in examples if e.revised),
    }
    sections.update(calibration_sections(db))
    return sections


def calibration_sections(db: sqlite_utils.Database) -> dict[str, Any]:
    """Quality audit and guideline proposal from the newest stored calibration batch, if any."""
    try:
        from .calibration import portfolio_sections as from_calibration  # written with the calibrate command
    except ImportError:
        return {}
    return from_calibration(db) or {}


def _example_slug(example: Example) -> str:
    raw = f"{example.item['id']}--{example.annotator}" + (f"--{example.variant}" if example.variant else "")
    return re.sub(r"[^A-Za-z0-9._-]+", "-", raw).strip("-")[:120]


def _template_env():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("rationale", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md_text"] = md_text
    env.filters["md_block"] = md_block
    env.filters["prompt_text"] = prompt_text
    return env


def prompt_text(prompt: Any) -> str:
    if isinstance(prompt, list):
        return "\n\n".join(f"[{t['role']}] {t['content']}" for t in prompt)
    return str(prompt)


def md_text(text: Any) -> str:
    """Make untrusted text inert in Markdown: HTML-escape it and neutralise Markdown links and images."""
    if text is None:
        return ""
    from html import escape

    escaped = escape(str(text), quote=False)
    return re.sub(r"([\[\]!`*_|])", r"\\\1", escaped)


def md_block(text: Any) -> str:
    """A fenced block longer than any backtick run inside, so the text cannot close it."""
    body = "" if text is None else str(text)
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{body}\n{fence}"


def write_markdown(examples: list[Example], output: Path, extra: dict[str, Any]) -> ExportResult:
    env = _template_env()
    example_template = env.get_template("example.md.j2")
    if output.suffix.lower() == ".md":
        output.parent.mkdir(parents=True, exist_ok=True)
        body = env.get_template("portfolio.md.j2").render(examples=examples, extra=extra, example_template=example_template)
        output.write_text(body, encoding="utf-8")
        return ExportResult([output], len(examples))
    output.mkdir(parents=True, exist_ok=True)
    paths = []
    for example in examples:
        path = output / f"{example.slug}.md"
        path.write_text(example_template.render(e=example, level=1), encoding="utf-8")
        paths.append(path)
    index = output / "README.md"
    index.write_text(
        env.get_template("portfolio.md.j2").render(
            examples=examples, extra=extra, example_template=None, links=[f"{e.slug}.md" for e in examples]
        ),
        encoding="utf-8",
    )
    return ExportResult([index, *paths], len(examples))


def write_html(examples: list[Example], output: Path, extra: dict[str, Any]) -> ExportResult:
    from markupsafe import Markup

    from .svg import bar_chart, histogram

    env = _template_env()
    charts = {
        "scores": Markup(histogram(extra["scores"], title="Score distribution")),
        "criteria": Markup(
            bar_chart(
                [c["name"] for c in extra["per_criterion"]],
                [100 * c["recall"] for c in extra["per_criterion"]],
                max_value=100,
                value_format="{:.0f}%",
                title="Decisive criteria identified",
            )
        )
        if extra["per_criterion"]
        else None,
    }
    html = env.get_template("portfolio.html.j2").render(examples=examples, extra=extra, charts=charts)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(html, encoding="utf-8")
    return ExportResult([output], len(examples))


def example_record(example: Example) -> dict[str, Any]:
    def version(v: Version | None) -> dict[str, Any] | None:
        if v is None:
            return None
        return {
            "judgment_hash": v.hash,
            "version": v.version,
            "preference": v.preference,
            "strength": v.strength,
            "criteria": v.criteria,
            "rationale": v.rationale,
            "timestamp": v.timestamp,
            "grade": {
                "score": v.score,
                "passed": v.passed,
                "components": v.components,
                "key_points_made": v.key_points_made,
                "key_points_missed": v.key_points_missed,
                "findings": v.findings,
                "rubric_hash": v.rubric_hash,
                "gold_hash": v.gold_hash,
            },
        }

    return {
        "schema_version": EXPORT_SCHEMA_VERSION,
        "annotator": example.annotator,
        "item": example.item,
        "item_hash": example.item["hash"],
        "swapped": example.swapped,
        "rubric": {"id": (example.rubric or {}).get("id"), "version": (example.rubric or {}).get("version")},
        "rubric_hash": example.latest.rubric_hash,
        "gold": example.gold,
        "gold_agrees": example.gold_agrees,
        "original": version(example.original),
        "revised": version(example.revised),
        "critique": example.critique,
    }


def write_jsonl(examples: list[Example], output: Path, extra: dict[str, Any]) -> ExportResult:
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8") as fh:
        for example in examples:
            fh.write(json.dumps(example_record(example), ensure_ascii=False) + "\n")
    return ExportResult([output], len(examples))


def write_dpo(examples: list[Example], output: Path, extra: dict[str, Any]) -> ExportResult:
    """Rows for TRL's DPO trainer. Ties carry no preference, so they are left out and counted.

    A column must hold one type for Hugging Face datasets, so when any prompt
    is a conversation every row uses the conversational format.
    """
    kept = [e for e in examples if e.latest.preference != "tie"]
    ties = len(examples) - len(kept)
    conversational = any(isinstance(e.item["prompt"], list) for e in kept)
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8") as fh:
        for e in kept:
            chosen_side = e.latest.preference
            chosen = e.item["response_a"] if chosen_side == "A" else e.item["response_b"]
            rejected = e.item["response_b"] if chosen_side == "A" else e.item["response_a"]
            prompt: Any = e.item["prompt"]
            if conversational:
                if isinstance(prompt, str):
                    prompt = [{"role": "user", "content": prompt}]
                chosen = [{"role": "assistant", "content": chosen}]
                rejected = [{"role": "assistant", "content": rejected}]
            row = {
                "prompt": prompt,
                "chosen": chosen,
                "rejected": rejected,
                "rationale": e.latest.rationale,
                "strength": e.latest.strength,
                "score": e.latest.score,
                "gold_agrees": e.gold_agrees,
                "item_id": e.item["id"],
                "item_hash": e.item["hash"],
                "annotator": e.annotator,
            }
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    messages = [f"left out {ties} tie{'s' if ties != 1 else ''}: a tie has no chosen and rejected response"] if ties else []
    return ExportResult([output], len(kept), skipped_ties=ties, messages=messages)
