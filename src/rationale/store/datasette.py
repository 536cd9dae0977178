"""Datasette metadata for a rationale database: titles, column descriptions, units and a lead's canned queries.

`rationale browse` hands this to Datasette (`datasette DB --metadata FILE`);
`rationale browse --metadata` prints it for anyone running or publishing
Datasette themselves. The canned queries are SQL, so they live here with the
rest of the store's SQL; tests/test_datasette.py loads the metadata into the
real `datasette` package and runs every query.
"""

from __future__ import annotations

from typing import Any

DATABASE = "rationale"  # the name Datasette gives rationale.db; other file names are renamed in `metadata(name)`

# Where the annotator is a form field: an empty value means every annotator.
_ANY_ANNOTATOR = "(:annotator = '' or g.annotator = :annotator)"

QUERIES: dict[str, dict[str, Any]] = {
    "weakest_criteria": {
        "title": "Weakest criteria per annotator",
        "description": "How often each annotator left out a criterion where the gold says it decides the pair"
        " (and cited one where it does not). Leave the annotator empty for everyone.",
        "sql": f"""
select g.annotator, f.criterion,
       sum(f.code = 'missed_decisive_criterion') as missed_where_decisive,
       sum(f.code = 'irrelevant_criterion') as cited_where_not
from findings f join grades g on g.id = f.grade_id
where f.code in ('missed_decisive_criterion', 'irrelevant_criterion') and f.criterion is not null
  and {_ANY_ANNOTATOR}
group by g.annotator, f.criterion
order by g.annotator, missed_where_decisive desc, cited_where_not desc""",
    },
    "open_escalations": {
        "title": "Escalations",
        "description": "Answers the LLM second reviewer disagreed with, could not review, or met an injection attempt in, newest first.",
        "sql": """
select annotator, item_id, status, trainee_preference, reviewer_preference, gold_preference, confidence, consistent,
       escalation_reasons, model, rubric_id, rubric_version, created_at
from escalations order by created_at desc""",
    },
    "most_missed_key_points": {
        "title": "Most-missed key points",
        "description": "The lead's key points trainees' rationales most often leave out, with how often the item was graded.",
        "sql": """
select g.item_id, f.key_point, count(*) as missed,
       (select count(*) from grades g2 where g2.item_id = g.item_id) as graded,
       min(f.message) as finding
from findings f join grades g on g.id = f.grade_id
where f.code = 'missed_key_point'
group by g.item_id, f.key_point
order by missed desc, g.item_id
limit 100""",
    },
    "trainee_history": {
        "title": "A trainee's history",
        "description": "Every graded answer of one annotator, oldest first: choice, score, pass and rationale.",
        "sql": f"""
select g.graded_at, j.item_id, j.version, j.preference, j.strength, g.score, g.passed, g.preference_correct,
       (select count(*) from findings f where f.grade_id = g.id and f.severity in ('critical', 'major')) as serious_findings,
       j.rationale
from grades g join judgments j on j.hash = g.judgment_hash
where {_ANY_ANNOTATOR}
order by g.graded_at, g.rowid""",
    },
    "search_rationales": {
        "title": "Search rationales",
        "description": "Full-text search over every rationale: rationales holding every word typed, any punctuation"
                       " (SQLite FTS5 with stemming: 'quote' finds 'quoted').",
        "sql": """
select j.annotator, j.item_id, j.version, j.preference,
       snippet(judgments_fts, 0, '[', ']', ' … ', 16) as match, j.rationale
from judgments_fts join judgments j on j.rowid = judgments_fts.rowid
where judgments_fts match escape_fts(:text)
order by rank
limit 200""",
    },
}

TABLES: dict[str, dict[str, Any]] = {
    "runs": {
        "description": "Every command run: what it was given, when it started and finished, what it wrote.",
        "columns": {"inputs": "JSON: the files and options", "counts": "JSON: what was read, written and graded"},
    },
    "rubrics": {"description": "Each rubric that graded something, by content hash.", "columns": {"body": "the rubric as JSON"}},
    "items": {
        "description": "Each pair as judged, by content hash (a pair re-served with A and B swapped is a version of its own).",
        "columns": {"prompt": "a string, or JSON chat turns", "tags": "JSON list"},
    },
    "gold": {
        "description": "The lead's gold answers, by content hash.",
        "columns": {"strength": "signed: negative = A better, 0 = about the same, positive = B better", "body": "the gold answer as JSON"},
    },
    "judgments": {
        "description": "Each annotator's answers; a changed answer is a new version and the old one is kept. Search box: the rationale text.",
        "columns": {
            "version": "1 for the first answer of (annotator, item); each change adds one",
            "strength": "signed: negative = A better, 0 = about the same, positive = B better",
            "criteria": "JSON list of the criteria the annotator relied on",
            "seconds": "time taken to answer",
            "confidence": "how sure the annotator said they were: 1 = a guess ... 5 = certain",
            "flags": "JSON list of escalation flags (edge_case, guideline_unclear, ...); null when nothing is flagged",
            "flag_note": "why the annotator flagged the pair",
        },
        "units": {"seconds": "s"},
        "facets": ["annotator", "preference"],
    },
    "grades": {
        "description": "The grade of a judgment against gold under a rubric.",
        "columns": {
            "score": "0-100 points: the components weighted by the rubric",
            "passed": "1 when the score reaches the pass mark and no finding is critical",
            "preference_correct": "1 when the choice is the gold's, or one of its acceptable alternatives",
            "strength_distance": "steps on the strength scale between the annotator's strength and the gold's",
            "components": "JSON: credit 0-1 per scoring component (null where skipped)",
            "key_points_made": "JSON list of the gold key points the rationale makes",
            "key_points_missed": "JSON list of the gold key points it leaves out",
            "escalation": "against the gold's edge cases: hit, miss or false_alarm; null for a clear pair not flagged",
        },
        "facets": ["annotator", "passed", "escalation"],
    },
    "findings": {
        "description": "What the grader found in each graded answer: one sentence a trainee understands each.",
        "columns": {"code": "stable machine-readable code", "span": "the offending text of the rationale"},
        "facets": ["code", "severity"],
    },
    "feedback": {"description": "A judgment with its grade and findings, ready to browse.", "facets": ["annotator", "passed"]},
    "critiques": {
        "description": "The LLM second reviewer's critiques, one per judgment and reviewer set-up.",
        "columns": {"cost": "US dollars, from litellm's price list", "confidence": "0-1, the reviewer's own"},
        "units": {"latency": "s"},
        "facets": ["status", "model"],
    },
    "escalations": {"description": "What a lead should look at: the second reviewer disagreed, could not review (status failed,"
                    " with its reason), or met an injection attempt; the newest critique of each answer by each model."},
    "run_judgments": {"description": "What each run graded, new or already stored (`critique --run N` reviews these)."},
    "llm_cache": {"description": "LLM replies by request: a request found here is never sent again.", "units": {"latency": "s"}},
    "llm_batches": {
        "description": "Provider batch jobs (`critique --batch`): each uploaded JSONL file and the batch made of it.",
        "columns": {"batch_id": "the provider's id; null while the file is uploaded but the batch not created",
                    "collected_at": "when its output and error files were read; null while it is open",
                    "cancelled_at": "when `critique --cancel` asked the provider to cancel it (status: cancelling,"
                                    " then cancelled); null if never",
                    "estimated_cost": "USD at batch prices, before sending; null for an unpriced model"},
    },
    "llm_batch_requests": {
        "description": "Each request in a batch job: its llm_cache key (sent as custom_id) and what became of it.",
        "columns": {"kind": "critique, verdict or reading (the reading reaches the reviewed grade)",
                    "gold_hash": "the gold a reading's reply is checked against; null for the other kinds",
                    "status": "pending, ok, invalid, repairing, repaired, failed, or cancelled (a cancelled batch never"
                              " ran it: `critique --batch` sends it again)", "raw": "JSON list of the replies",
                    "cost": "USD at batch prices (a synchronous repair at synchronous prices)"},
    },
    "reviewed_grades": {
        "description": "The grade the second reviewer's reading reaches, beside the grader's (kept in `grades`);"
        " `body` lists every difference and why.",
        "columns": {"deterministic_score": "the grader's score of the same answer",
                    "escalate": "1 when the two grades disagree on pass/fail or on a key point"},
        "facets": ["model", "passed", "escalate"],
    },
    "drill_sessions": {"description": "Drill sessions; `number` counts an annotator's sessions and drives the schedule."},
    "drill_presentations": {
        "description": "What each drill session showed, in order, and the answer given.",
        "columns": {"swapped": "1 when shown with A and B swapped (answer, grade and gold are stored as shown)"},
        "units": {"seconds": "s"},
    },
    "drill_schedule": {"description": "The spaced-repetition (Leitner) box of each (annotator, item)."},
    "revisions": {"description": "Revised rationales (`rationale revise`): each new version and the one it revised."},
    "calibration_batches": {"description": "Calibration batches; `report` holds every figure of the analysis as JSON."},
    "calibration_votes": {
        "description": "Every vote of a calibration batch: who chose what on which item (the judgment it came from).",
        "facets": ["annotator", "preference"],
    },
    "calibration_items": {
        "description": "Each item of a calibration batch: its votes, their entropy and the consensus.",
        "columns": {
            "entropy": "bits: 0 when every vote agrees, higher when the votes split",
            "majority": "the majority vote, empty without one",
            "dawid_skene": "the Dawid-Skene consensus (votes weighted by each annotator's estimated reliability)",
            "gold": "the gold preference, empty without gold",
        },
    },
    "calibration_annotators": {
        "description": "Each annotator's figures in each calibration batch.",
        "columns": {"accuracy": "0-1 against gold", "kappa_with_peers": "mean Cohen's kappa with the other annotators"},
    },
    "gold_drafts": {
        "description": "Gold an LLM drafted (`rationale gold draft`) and the lead's decision (`rationale gold review`); never graded against.",
        "columns": {
            "status": "draft, failed, accepted or rejected",
            "body": "the drafted gold answer as JSON",
            "lint": "JSON: `gold lint` warnings on the draft",
            "accepted": "the gold as the lead accepted it (edited or not), with its provenance",
        },
        "facets": ["status", "model", "reviewed_by"],
    },
    "settings": {"description": "Per-database settings.", "hidden": True},
}


def metadata(database: str = DATABASE) -> dict[str, Any]:
    """The metadata document for a database Datasette names `database` (the file name without .db)."""
    return {
        "title": "rationale",
        "description": "Pairwise preference judgments, their grades against gold, findings, critiques, drills and calibration.",
        "databases": {
            database: {
                "description": "One SQLite file written by rationale: see the canned queries below the tables.",
                "tables": TABLES,
                "queries": QUERIES,
            }
        },
    }
