"""A deterministic detector for rationale text that tries to instruct whoever grades it.

Trainee text is untrusted. The LLM reviewer sees it inside delimited blocks and
is told to treat it as data; this detector flags the attempt regardless of what
any model says, and grading reports it as an `injection_attempt` finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Each rule has substrings (lowercase) of which every match must contain one, whatever its
# whitespace: checking them with `in` first skips the regex scans, which are the cost, for most
# rationales. A test checks that each gate admits every example its pattern matches.
INJECTION_RULES: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = tuple(
    (name, gate, re.compile(pattern, re.IGNORECASE))
    for name, gate, pattern in (
        ("ignore instructions", ('ignor', 'disregard', 'forget', 'overrid'),
         r"\b(ignore|disregard|forget|override)\s+(all\s+|any\s+|the\s+|your\s+|previous\s+|prior\s+|above\s+|earlier\s+|these\s+|those\s+)*(instructions?|rubric|rules?|guidelines?|criteria|prompts?|directions?|system)\b"),
        ("demands a score", ('/', 'out', 'perfect', 'full', 'highest', 'max', 'top', 'pass'),
         r"\b(give|rate|score|grade|mark|award)\s+(this|it|me|the\s+rationale|my\s+rationale|this\s+rationale)\s+(an?\s+|a\s+perfect\s+|full\s+|the\s+(highest|maximum|max|top)\s+)?(\d+\s*/\s*\d+|\d+\s+out\s+of\s+\d+|perfect|full\s+marks|highest|maximum|max|top|pass(ing)?)"),
        ("score demand", ('/',),
         r"\b\d\s*/\s*5\s+(on|for)\s+(every|all|each)\b"),
        ("role change", ('now', 'act', 'pretend'),
         r"\byou\s+are\s+now\b|\bact\s+as\s+(an?\s+)?(different|new|unrestricted)\b|\bpretend\s+(to\s+be|you\s+are)\b"),
        ("system prompt", ('system', 'developer', 'instruction'),
         r"\bsystem\s*prompt\b|\bdeveloper\s+(mode|message)\b|\bnew\s+instructions?\s*:"),
        ("addresses the reviewer", ('dear', 'attention', 'note', 'grader', 'reviewer', 'evaluator', 'judge'),
         r"\b(dear|attention|note\s+to\s+(the\s+)?)\s*(ai|llm|grader|reviewer|model|assistant|evaluator)\b|\b(as\s+an?\s+)?(ai|llm)\s+(grader|reviewer|evaluator|judge)\s*[,:]"),
        ("chat markup", ('<', '['),
         r"<\|?(im_start|im_end|system|assistant)\|?>|\[/?(INST|SYS)\]"),
        ("fake delimiter", ('<', '＜', '﹤'),
         r"[<＜﹤]\s*/?\s*(untrusted_[a-z_]*|gold_answer|system|instructions?)\s*[>＞﹥]"),
    )
)

INJECTION_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple((name, pattern) for name, _, pattern in INJECTION_RULES)


@dataclass(frozen=True)
class InjectionHit:
    rule: str
    span: str


def detect_injection(text: str | None) -> list[InjectionHit]:
    """Deterministic check for rationale text that tries to instruct the reviewer."""
    if not text:
        return []
    hits = []
    lowered = text.lower()
    for rule, gate, pattern in INJECTION_RULES:
        if not any(word in lowered for word in gate):
            continue
        for match in pattern.finditer(text):
            hits.append(InjectionHit(rule, match.group(0)))
    return hits
