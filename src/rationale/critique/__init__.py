"""The LLM second reviewer: one critique (`review`), a batch of them (`batch`), and how good it is (`evaluation`).

The prompts and reply parsing are in `rationale.llm`; the deterministic
injection detector, shared with grading, is `rationale.grading.injection`.
"""

from ..grading.injection import InjectionHit, detect_injection
from ..llm.parsing import InvalidReply, criterion_scores, parse_critique, parse_verdict
from ..llm.prompts import (
    critique_messages,
    critique_schema,
    neutralise,
    repair_messages,
    static_prompt,
    untrusted,
    verdict_messages,
    verdict_schema,
)
from .review import (
    TEMPLATE_VERSION,
    CritiqueTask,
    ReviewSetup,
    build_critique,
    escalation_reasons,
    failed_critique,
    final_verdict,
    injection_issues,
    injection_reason,
    unswap,
)

__all__ = [
    "TEMPLATE_VERSION", "CritiqueTask", "InjectionHit", "InvalidReply", "ReviewSetup", "build_critique",
    "criterion_scores", "critique_messages", "critique_schema", "detect_injection", "escalation_reasons",
    "failed_critique", "final_verdict", "injection_issues", "injection_reason", "neutralise", "parse_critique",
    "parse_verdict", "repair_messages", "static_prompt", "unswap", "untrusted", "verdict_messages", "verdict_schema",
]
