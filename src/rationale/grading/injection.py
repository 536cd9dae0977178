"""Deterministic detection of rationale text addressed to whoever grades it.

A rationale is written about two responses for a human reader. Text that instead
speaks to the grader, the reviewer model or "the pipeline" -- asking for a score,
for checks to be skipped, or for its own instructions to be followed -- is an
attempt to game the review. Describing what a response did with the *user's*
instructions ("B ignores the instruction to ...") is analysis and is never flagged.

The text is normalised first (NFKC, zero-width characters and soft hyphens removed,
Cyrillic and Greek look-alike letters mapped to Latin) so disguised spellings read
as plain ones. Each rule is a small regular expression over one sentence; a
sentence is flagged when a rule matches.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from dataclasses import dataclass

_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e\u200e\u200f"), None)
# Letters that look like Latin ones (Cyrillic and Greek), mapped to what they imitate.
_CONFUSABLES = str.maketrans(
    "АВЕКМНОРСТХІЈЅаеорсухіјѕԁԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧαεικνορτυχ",
    "ABEKMHOPCTXIJSaeopcyxijsdqwABEZHIKMNOPTYXaeikvoptux",
)


def normalise(text: str) -> str:
    """NFKC (full-width letters become ASCII), invisible characters removed, look-alikes mapped."""
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_CONFUSABLES)


_GRADER = (
    r"(?:grader|grading(?:\s+(?:model|system|tool|pipeline|script|software))?|reviewer|review(?:ing)?\s+(?:model|system|pipeline)"
    r"|evaluator|evaluation\s+(?:model|system|pipeline|tool|script)|scorer|scoring\s+(?:model|system|pipeline)|"
    r"automated\s+(?:grader|review|reviewer|comparison|check|checker|system|grading|scoring|evaluation)|"
    r"(?:ai|llm|language\s+model|model)\s+(?:reading|grading|reviewing|checking|scoring)\s+this|"
    r"whoever\s+(?:reviews|grades|checks|scores|marks|evaluates|reads)\s+this|"
    r"(?:dear|hey|hi|hello)\s+(?:ai|llm|model|assistant|grader|reviewer|evaluator|system))"
)
_THIS_WORK = r"(?:this|my|the)\s+(?:rationale|annotation|judg(?:e)?ment|answer|submission|analysis|response|work|entry|label)"
_SCORE_WORDS = (
    r"(?:full\s+(?:marks|credit|points|score|agreement)|(?:a\s+)?perfect\s+(?:score|grade|mark)|top\s+(?:marks|score|of\s+the\s+scale)"
    r"|(?:the\s+)?(?:maximum|highest|max)\s+(?:score|grade|mark|points)?|\d+\s*/\s*\d+|\d+\s+out\s+of\s+\d+|100\s*%|"
    r"reference[-\s]quality|gold[-\s]standard|a\s+pass(?:ing\s+(?:grade|score|mark))?|passing)"
)
_DIRECTIVE = (
    r"(?:give|award|assign|grant|record|log|mark|score|grade|rate|treat|count|accept|approve|pass|store|register|enter)"
)
_SKIP = (
    r"(?:skip|bypass|omit|disable|waive)\s+(?:the\s+|any\s+|all\s+|your\s+)?(?:\w+[-\s]+){0,2}(?:checks?|verification|comparison|review|evidence|key[-\s]points?)"
    r"|no\s+need\s+to\s+(?:check|compare|verify|review|look)|without\s+(?:any\s+)?(?:further\s+)?(?:checks?|checking|verification|comparison|review)"
    r"|(?:do\s+not|don't|never)\s+(?:check|compare|verify|penali[sz]e|deduct|dock|flag)"
)

_GRADER_GATE = (
    "grader", "grading", "reviewer", "review", "evaluat", "scorer", "scoring", "automated", "reading this",
    "checking this", "whoever", "dear", "hey", "hi ", "hello",
)

# Each rule is (name, gate, pattern): every match of the pattern contains one of the gate's (lower-case)
# substrings, so a rule whose gate is absent from the text is skipped unread -- most rationales trip none.
# tests/test_injection.py checks that each gate admits every attempt its pattern catches.
INJECTION_RULES: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = tuple(
    (name, gate, re.compile(pattern, re.IGNORECASE | re.MULTILINE))
    for name, gate, pattern in (
        # An imperative to drop the rules: capitalised, at the start of a clause, or aimed at "all previous" ones
        # (not "B ignores the instructions" or "B chose to ignore the user's instructions").
        ("overrides the instructions", ('ignor', 'disregard', 'forget', 'overrid', 'bypass'),
         r"(?-i:\b(?:Ignore|Disregard|Forget|Override|Bypass))\s+(?:all\s+|any\s+|the\s+|your\s+|previous\s+|prior\s+|above\s+|earlier\s+)*"
         r"(?:instructions?|rubric|rules?|guidelines?|criteria|prompts?|directions?|system\s+prompt|gold|reference|key\s+points?|checks?)\b"
         r"|\b(?:ignore|disregard|forget)\s+(?:all\s+)?(?:the\s+)?(?:previous|prior|above|earlier|preceding)\s+(?:instructions?|rules|prompts?|directions?)\b"),
        ("overrides the instructions", ('ignor', 'disregard', 'forget', 'overrid', 'bypass'),
         r"(?:^|[.!?;:,(\[\-]\s*|\b(?:please|kindly|now|just|you\s+(?:must|should|will|can|need\s+to))\s+)"
         r"(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+|the\s+|your\s+|previous\s+|prior\s+|above\s+|earlier\s+|these\s+|those\s+|other\s+)*"
         r"(?:instructions?|rubric|rules?|guidelines?|criteria|prompts?|directions?|system\s+prompt|gold|reference|key\s+points?|checks?)\b"),
        # Speaking to the grader and asking for something about the grade.
        ("addresses the grader", _GRADER_GATE,
         _GRADER + r"\b[^.!?\n]{0,160}?\b(?:" + _DIRECTIVE + r"|" + _SCORE_WORDS + r"|" + _SKIP + r"|should|must|please|kindly|(?:can|could|may)\s+(?:simply|just))\b"),
        ("addresses the grader", _GRADER_GATE,
         r"\b(?:" + _DIRECTIVE + r"|" + _SKIP + r")\b[^.!?\n]{0,80}?\b(?:for|to|by)\s+(?:the\s+|any\s+)?" + _GRADER + r"\b"),
        # Asking for a score for this very rationale.
        ("demands a score", ('full', 'perfect', 'top', 'maxim', 'highest', 'max', '/', 'out of', '%', 'reference', 'gold', 'pass'),
         r"\b(?:" + _DIRECTIVE + r")\s+(?:this|it|me|" + _THIS_WORK + r")\b[^.!?\n]{0,40}?" + _SCORE_WORDS),
        ("demands a score", ('deserve', 'merit', 'earn', 'should', 'can be', 'may be', 'worth'),
         _THIS_WORK + r"\s+(?:deserves|merits|earns|should\s+(?:get|receive|earn|be\s+(?:given|scored|graded|marked|recorded|treated|counted))"
         r"|(?:can|may)\s+be\s+(?:recorded|treated|counted|scored|accepted)|is\s+worth)\b[^.!?\n]{0,60}?(?:" + _SCORE_WORDS + r"|as\s+(?:correct|reference|gold|agreeing|matching))"),
        ("demands a score", ('please', 'kindly', 'must', 'should'),
         r"\b(?:please|kindly|you\s+(?:must|should))\s+(?:" + _DIRECTIVE + r")\b[^.!?\n]{0,60}?" + _SCORE_WORDS),
        ("demands a score", ('/',), r"\b\d+\s*/\s*\d+\s+(?:on|for|in)\s+(?:every|all|each)\b"),
        ("demands a score", ('every', ' all', 'each', 'across'), r"\b(?:" + _DIRECTIVE + r")\s+(?:this|it|me|" + _THIS_WORK + r")\s+(?:a\s+)?\d+(?:\s*/\s*\d+)?\s+(?:on|for|in|across)\s+(?:every|all|each)\b"),
        ("addresses the grader", ('dear', 'hey', 'hi ', 'hello', 'attention', 'note'), r"(?:^|[.!?;:(\[]\s*)(?:dear|hey|hi|hello|attention|note\s+(?:to|for))\s+(?:the\s+)?(?:ai|llm|model|assistant|grader|reviewer|evaluator|system)\b"),
        ("asks to skip checks", ('skip', 'bypass', 'omit', 'disable', 'waive', 'no need', 'without', 'not ', "n't", 'never'), r"(?:^|[.!?;:(\[]\s*|\b(?:please|kindly|just)\s+)" + _SKIP),
        ("asks to skip checks", ('review', 'approv', 'verif', 'check', 'validat'), _THIS_WORK + r"[^.!?\n]{0,80}?\b(?:already|was)\s+(?:been\s+)?(?:reviewed|approved|verified|checked|validated)\b"),
        ("role change", ('you are now', 'act as', 'pretend'), r"\byou\s+are\s+now\s+(?:a|an|the|my)?\s*(?:grader|reviewer|assistant|model|ai|evaluator|judge|lenient|different|new|unrestricted)\b"
                        r"|\bact\s+as\s+(?:an?\s+)?(?:different|new|unrestricted|lenient)\b"
                        r"|\bpretend\s+(?:to\s+be|you\s+are)\s+(?:an?\s+)?(?:grader|reviewer|evaluator|judge|ai|model|assistant)\b"),
        ("new instructions", ('task', 'instruction', 'system prompt', 'reply', 'respond', 'answer', 'output', 'reveal', 'print', 'show', 'repeat', 'display', 'tell me', 'give me'), r"\b(?:new|updated|revised|real|actual)\s+(?:task|instructions?|system\s+prompt)\s*:"
                             r"|\b(?:reply|respond|answer|output)\s+(?:only\s+)?with\s+(?:this\s+|the\s+following\s+)?(?:json|\{)"
                             r"|\bsystem\s+prompt\s*:|\b(?:reveal|print|show|repeat|output|display|tell\s+me|give\s+me)\s+(?:me\s+)?(?:your|the)\s+(?:system\s+|hidden\s+|original\s+)?(?:prompt|instructions)\b"),
        ("chat markup", ('<', '[', 'system', 'assistant'), r"<\|?(?:im_start|im_end|system|assistant|user)\|?>|\[/?(?:INST|SYS)\]|^\s*(?:system|assistant)\s*:"),
        ("fake delimiter", ('<',), r"<\s*/?\s*(?:untrusted_[a-z_]*|gold_answer|system|instructions?|rubric|trainee_[a-z_]*)\s*>"),
        # Other languages: the same requests in French, Spanish, German, Italian and Portuguese.
        ("overrides the instructions", ('ignor', 'oubli', 'olvid', 'vergiss', 'dimentic', 'esque'),
         r"\b(?:(?:ignore[sz]?|oublie[sz]?)\s+(?:toutes\s+)?(?:les|tes|vos)\s+(?:instructions|consignes|r[eè]gles)"
         r"|(?:ignora|ignorad|olvida|olvidad)\s+(?:todas\s+)?(?:las|tus|sus)\s+(?:instrucciones|reglas|indicaciones)"
         r"|(?:ignoriere|ignorier|vergiss)\s+(?:alle\s+)?(?:die|deine|ihre|alle|vorherigen)\s+(?:\w+\s+)?(?:anweisungen|regeln|vorgaben)"
         r"|(?:ignora|dimentica)\s+(?:tutte\s+)?(?:le|tue)\s+(?:istruzioni|regole)"
         r"|(?:ignore|esque[cç]a)\s+(?:todas\s+)?(?:as|suas)\s+(?:instru[cç][oõ]es|regras))\b"),
        ("demands a score", ('maxim', 'máxim', 'parfait', 'pleine', 'volle', 'höchst', 'hochst', 'massimo', 'pontua', 'puntua'),
         r"\b(?:note\s+maximale|note\s+parfaite|pleine\s+note|puntuaci[oó]n\s+m[aá]xima|nota\s+m[aá]xima|m[aá]xima\s+puntuaci[oó]n|"
         r"volle\s+punktzahl|h[oö]chste\s+(?:punktzahl|note|bewertung)|punteggio\s+massimo|pontua[cç][aã]o\s+m[aá]xima)\b"),
        ("new instructions", ('tâche', 'tache', 'tarea', 'aufgabe', 'répond', 'repond', 'respond', 'antwort'),
         r"\b(?:nouvelles?\s+(?:t[aâ]che|instructions?|consignes?)|nueva\s+tarea|nuevas\s+instrucciones|neue\s+(?:aufgabe|anweisung(?:en)?))\s*:"
         r"|\b(?:r[eé]ponds|r[eé]pondez|responde|responded|antworte|antwortet)\s+(?:uniquement\s+|seulement\s+|solo\s+|s[oó]lo\s+|[uú]nicamente\s+|nur\s+)?(?:avec|con|mit)\s+(?:ce\s+|este\s+|diesem\s+)?(?:json|\{)"),
        ("demands a score", ('result', 'score', 'grade', 'mark', 'rating', 'outcome'),
         r"\b(?:result|score|grade|mark|rating|outcome)\s+(?:for|of)\s+(?:this|my)\s+(?:rationale|annotation|judg(?:e)?ment|answer|submission|analysis|work|entry|label)"
         r"\s+(?:is|should\s+be|must\s+be|=)\s+(?:a\s+|an\s+)?" + _SCORE_WORDS),
        ("addresses the grader", ('correct', 'evalua', 'bewert', 'prüf', 'pruf', 'korrekt', 'valut', 'avali'),
         r"\b(?:correcteur|[eé]valuateur|correctora?|evaluadora?|bewerter|pr[uü]fer|korrektor|valutatore|avaliador)\b[^.!?\n]{0,80}?"
         r"\b(?:donne[zs]?|attribue[zs]?|accorde[zs]?|da(?:le)?|otorga|asigna|gib|vergib|bewerte|dai|assegna|d[eê])\b"),
    )
)

_BASE64 = re.compile(r"[A-Za-z0-9+/]{24,}={0,2}")


@dataclass(frozen=True)
class InjectionHit:
    rule: str
    span: str  # the trainee's own text, as written


def _decoded_blobs(text: str) -> list[str]:
    """Text hidden in base64 runs, where it decodes to readable ASCII."""
    found = []
    for blob in _BASE64.findall(text):
        try:
            raw = base64.b64decode(blob + "=" * (-len(blob) % 4), validate=True)
        except (binascii.Error, ValueError):
            continue
        if raw and all(32 <= b < 127 or b in (9, 10, 13) for b in raw):
            found.append(raw.decode("ascii"))
    return found


_GATE_WORDS = tuple(sorted({word for _, gate, _ in INJECTION_RULES for word in gate}))
_GATES = tuple(frozenset(gate) for _, gate, _ in INJECTION_RULES)
_ASCII_GATE_WORDS = tuple(word for word in _GATE_WORDS if word.isascii())

# A finer shortcut for the rules whose gate words are common in rationales ("not", "answer", "check"): every
# match of the pattern contains all the groups of one of these ways in (at least one word of each group), so
# where none is complete the rule cannot match. Read only on ASCII text, where a case-insensitive match of a
# word means the lower-cased word is in the lower-cased text; tests/test_injection.py checks each against
# every attempt its pattern catches.
RULE_NEEDS: dict[int, tuple[str, tuple[tuple[str, ...], ...]]] = {
    10: ("asks to skip checks", (
        (("skip", "bypass", "omit", "disable", "waive", "need", "without"),),
        (("check", "compare", "verify", "penali", "deduct", "dock", "flag"),),
    )),
    11: ("asks to skip checks", ((("already", "was"), ("reviewed", "approved", "verified", "checked", "validated")),)),
    13: ("new instructions", (
        ((":",), ("task", "instruction", "system")),
        (("with",), ("json", "{")),
        (("prompt", "instructions"),),
    )),
}
"""Rule index -> (the rule's name, its ways in: each a tuple of groups of words)."""
for _index, (_name, _) in RULE_NEEDS.items():
    assert INJECTION_RULES[_index][0] == _name, f"RULE_NEEDS[{_index}] is not the {_name!r} rule"


def _may_match(index: int, lowered: str) -> bool:
    """False only when the rule cannot match this (ASCII, lower-cased) text (see RULE_NEEDS)."""
    needs = RULE_NEEDS.get(index)
    return needs is None or any(
        all(any(word in lowered for word in group) for group in way) for way in needs[1]
    )


def detect_injection(text: str | None) -> list[InjectionHit]:
    """Every rule the text trips, first match each, in the order they appear."""
    if not text:
        return []
    ascii = text.isascii()
    plain = text if ascii else normalise(text)  # normalising changes no ASCII character
    lowered = plain.lower()
    same_length = len(plain) == len(text)
    # One substring test per gate word, for every rule (ASCII text holds none of the other languages' accented words).
    present = {word for word in (_ASCII_GATE_WORDS if ascii else _GATE_WORDS) if word in lowered}
    found: list[tuple[int, InjectionHit]] = []
    for index, ((rule, _, pattern), gate) in enumerate(zip(INJECTION_RULES, _GATES)):
        if present.isdisjoint(gate) or any(rule == hit.rule for _, hit in found):
            continue
        if ascii and not _may_match(index, lowered):
            continue
        match = pattern.search(plain)
        if match:
            span = text[match.start() : match.end()] if same_length else match.group(0)
            found.append((match.start(), InjectionHit(rule, span.strip(" ,;:.("))))
    hits = [hit for _, hit in sorted(found, key=lambda entry: entry[0])]
    if len(plain) >= 24:
        for decoded in _decoded_blobs(plain):
            hits.extend(InjectionHit("hidden in base64: " + inner.rule, inner.span) for inner in detect_injection(decoded))
    return hits
