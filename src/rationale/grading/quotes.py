"""Quotes and mentions: what a rationale quotes, and which response it says each quote is from.

* **Quotes**: text between ``"..."`` or ``“...”``, between ``'...'`` or
  ``‘...’`` only when the marks are clearly quote marks, not apostrophes (the
  opening mark does not follow a letter or digit and is followed by a
  non-space; the closing mark follows a non-space and is not followed by a
  letter or digit, so "B's" and "don't" never open or close a quote), and code
  between backticks. A quote that elides with "..." must have each fragment
  appear in order.
* **Mentions** of the responses: "Response A", "B's", "the second response", a
  bare capital "A" only where it cannot be the article (after "than"/"prefer"/...,
  before "'s", punctuation or a verb: "A says", "A is"), and an "A" that opens a
  sentence or clause before a verb ("A loops over", "A first asks", "while A never").
* **Attribution**: a quote is *attributed* to a response when the rationale names
  that response earlier in the same clause and introduces the quote as its words:
  a saying verb or a noun for what it wrote ("A says", "B's advice to", "A's line",
  "A opens with", "A: "...""). Otherwise the quote is *unattributed*: an example, a
  term, a phrase of the user's, which only has to appear somewhere in the pair or
  the prompt (:mod:`.evidence`).
* The argument checks read the rationale with quoted text blanked out (`masked`):
  words the trainee quotes from a response are evidence, not the trainee's argument.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple

from .text import _TRIM

MIN_QUOTE_WORDS = 3
"""Quotes shorter than this are only checked when attributed: unattributed, they are names, terms or scare quotes."""

CLAUSE_BREAK = re.compile(
    # Read as: ";\s+" | ":\s+" before a capital | ",\s+" and a conjunction | "\s+" and a conjunction | "\s+" and a
    # dash | "\s-\s" | "\n". The first character is taken by one class and each way in checks it behind itself, so
    # the regex engine skips straight to the characters a break can start with (it tries every position of a
    # pattern that opens with alternatives): half the time, the same matches (tests/test_clause_breaks.py).
    r"[;:,\s](?:(?<=;)\s+|(?<=:)\s+(?=[A-Z])|(?<=,)\s+(?:while|whereas|but|so|which|because|although|though|yet)\s+"
    r"|(?<=\s)\s*(?:while|whereas|but|because|so that|although|though)\s+|(?<=\s)\s*[—–]\s+|(?<=\s)-\s|(?<=\n))"
)
"""Where one clause ends and the next begins. A colon splits only before a capital:
"A is wrong: it says ..." keeps the claim and its reason together."""

_BACKTICK = re.compile(r"`([^`\n]{2,})`")
_INTRODUCES = re.compile(
    r"\b(?:say|says|said|saying|write|writes|wrote|writing|claim|claims|claimed|claiming|state|states|stated|tell|tells|"
    r"told|call|calls|called|promise|promises|promised|reassure|reassures|assure|assures|note|notes|insist|insists|puts?|"
    r"answer|answers|repl(?:y|ies|ied)|describe|describes|explain|explains|suggest|suggests|recommend|recommends|advise|"
    r"advises|advice|warn|warns|warning|opens?|opening|closes?|closing|ends?|ending|starts?|begins?|adds?|lists?|"
    r"includes?|gives?|offers?|uses?|line|sentence|phrase|wording|statement|text|code|example|fix|version|tip|step|"
    r"conclusion|intro|pattern|query|filter|comparator|loop|quote|quotes|quoting|reads|reading|with|as|like|such\s+as)\b",
    re.I,
)
_DIRECTLY = re.compile(r"(?:['’]s)?\s*[:(]?\s*")
_ATTRIBUTION_REACH = 80
"""Characters between a mention and a quote it introduces, at most."""

_QUOTE = re.compile(
    r'"(?P<dq>[^"\n]+)"'
    r"|“(?P<cq>[^”\n]+)”"
    r"|'(?<![\w']')(?=[^\s'])(?P<sq>[^'\n]*?[^\s'])'(?!\w)"
    r"|‘(?P<csq>[^’\n]*?[^\s’])’(?!\w)"
)


# Mentions of the two responses. The patterns other than _LETTER run on the
# lower-cased text: case-sensitive patterns let Python's regex engine skip
# ahead to possible first characters, several times faster than IGNORECASE.
# The word-boundary checks come after the letter, not before it: a pattern
# that opens with a lookbehind stops the engine from jumping to A/B characters.
_LETTER = re.compile(r"[AB](?<!\w[AB])(?!\w)")
_RESPONSE_NOUNS = frozenset("response answer output assistant option model completion candidate reply".split())
_A_OBJECT_WORDS = frozenset(
    "than over prefer preferred prefers chose choose picked pick recommend and with in from of to unlike like"
    " vs vs. versus favor favour favored favoured both".split()
)
_OPENING_MARKS = "([{\"'‘“*"
_MENTION_VERBS = (
    "is|was|isn't|wasn't|has|had|hasn't|does|did|doesn't|didn't|says|said|states|stated|claims|claimed|"
    "gives|gave|uses|used|provides|provided|offers|includes|mentions|explains|answers|answered|gets|got|"
    "fails|failed|wins|won|returns|handles|misses|missed|omits|ignores|adds|lists|refuses|refused|"
    "correctly|incorrectly|only|also|clearly|actually|just|simply|instead|should|would|could|can|cannot|can't|"
    "makes|made|contains|suggests|recommends|follows|violates|addresses|stays|keeps|goes|writes|wrote|"
    "reads|seems|looks|feels|sounds|loses|lost|outperforms|beats|errs|and|or|but|vs|versus|while|because|since"
)
_A_SUBJECT_AFTER = re.compile(r"['’]s\b|\s*[.,;:!?)/]|\s*$|\s+(?:" + _MENTION_VERBS + r")\b")
_ORDINAL = re.compile(r"the(?<!\wthe)\s+(first|second)\s+(?:response|answer|output|one|completion|reply)\b")
_LOOKBACK = 40  # characters searched before a letter for "Response", "prefer", ...

_SENTENCE_END = re.compile(r"[.!?\n](?:(?<=\n)|[.!?]*(?=\s|$))")


def _same_length_lower(text: str) -> str:
    """Lower case that keeps every index (a few characters lengthen when lowered)."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


class Quote(NamedTuple):
    """A quoted span of the rationale."""

    text: str  # as written, without the marks
    start: int  # span of the whole quote, marks included
    end: int
    side: str | None  # the response named before it in its sentence (or after it), None when none is
    attributed: bool  # the rationale presents these as that response's words
    code: bool = False  # between backticks


class Mention(NamedTuple):
    """A place where the rationale names a response ("Response A", "B", "the first response")."""

    start: int
    end: int
    side: str


class RationaleText:
    """A rationale analysed once. Sentences, mentions and quotes are worked out on first use."""

    __slots__ = (
        "text", "lower", "masked", "masked_lower", "words", "quote_spans", "_sentences", "_mentions", "_quotes"
    )

    def __init__(self, text: str):
        self.text = text
        self.lower = _same_length_lower(text)
        self.words = len(text.split())
        spans = [(m.start(), m.end(), m.group(m.lastgroup)) for m in _QUOTE.finditer(text)]  # type: ignore[arg-type]
        self.quote_spans: tuple[tuple[int, int, str], ...] = tuple(spans)
        if spans:
            pieces = []
            last = 0
            for start, end, inner in spans:
                pieces.append(text[last:start])
                # A quote that ends its sentence ("... returns 4.") keeps the full stop.
                ends_sentence = inner.rstrip().endswith((".", "!", "?"))
                pieces.append(" " * (end - start - 1) + ("." if ends_sentence else " "))
                last = end
            pieces.append(text[last:])
            self.masked = "".join(pieces)
            self.masked_lower = _same_length_lower(self.masked)
        else:
            self.masked = text
            self.masked_lower = self.lower
        self._sentences: tuple[int, ...] | None = None
        self._mentions: tuple[Mention, ...] | None = None
        self._quotes: tuple[Quote, ...] | None = None

    @property
    def sentence_starts(self) -> tuple[int, ...]:
        if self._sentences is None:
            starts = {0}
            text = self.text
            # A "?" standing alone ("where ? only makes the quantifier lazy") is a character talked about, not a question.
            starts.update(m.end() for m in _SENTENCE_END.finditer(self.masked)
                          if not (text[m.start()] == "?" and (m.start() == 0 or text[m.start() - 1].isspace())))
            self._sentences = tuple(sorted(starts))
        return self._sentences

    def sentence_span(self, position: int) -> tuple[int, int]:
        """(start, end) of the sentence containing ``position``."""
        starts = self.sentence_starts
        index = bisect_right(starts, position)
        return starts[index - 1], (starts[index] if index < len(starts) else len(self.text))

    @property
    def mentions(self) -> tuple[Mention, ...]:
        """Where the rationale's own words (quotes excluded) name a response, in order."""
        if self._mentions is None:
            self._mentions = _find_mentions(self.masked, self.masked_lower)
        return self._mentions

    @property
    def quotes(self) -> tuple[Quote, ...]:
        """Every quote and code span, each with the response it is attributed to (see the module docstring)."""
        if self._quotes is None:
            text = self.text
            spans = [(start, end, inner, False) for start, end, inner in self.quote_spans]
            spans += [
                (m.start(), m.end(), m.group(1), True)
                for m in _BACKTICK.finditer(text)
                if not any(s <= m.start() < e for s, e, _ in self.quote_spans)
            ]
            quotes = []
            for start, end, inner, code in sorted(spans):
                s_start, s_end = self.sentence_span(start)
                before = [m for m in self.mentions if s_start <= m.start and m.end <= start]
                if before:
                    between = text[before[-1].end : start]
                    unbroken = CLAUSE_BREAK.search(between) is None or between.rstrip().endswith(":")
                    attributed = (
                        len(between) <= _ATTRIBUTION_REACH
                        and unbroken
                        and bool(_INTRODUCES.search(between) or _DIRECTLY.fullmatch(between))
                    )
                    quotes.append(Quote(inner, start, end, before[-1].side, attributed, code))
                else:
                    after = [m.side for m in self.mentions if end <= m.start < s_end]
                    quotes.append(Quote(inner, start, end, after[0] if after else None, False, code))
            self._quotes = tuple(quotes)
        return self._quotes


def _word_before(lower: str, position: int) -> tuple[int, str] | None:
    """(start, word) of the whitespace-separated word right before ``position``, or None.

    None unless whitespace precedes ``position``. Leading opening marks are
    stripped ("(response" reads as "response").
    """
    end = position
    while end and lower[end - 1].isspace():
        end -= 1
    if end == position or end == 0:
        return None
    start = max(lower.rfind(" ", 0, end), lower.rfind("\n", 0, end), lower.rfind("\t", 0, end)) + 1
    word = lower[start:end]
    stripped = word.lstrip(_OPENING_MARKS)
    return start + len(word) - len(stripped), stripped


def _words_before(lower: str, position: int, count: int) -> list[tuple[int, str]]:
    """Up to ``count`` words (see :func:`_word_before`) ending right before ``position``, in order."""
    found: list[tuple[int, str]] = []
    while len(found) < count:
        word = _word_before(lower, position)
        if word is None:
            break
        found.append(word)
        position = word[0]
        # A word the opening marks were stripped from starts after them; step back over the marks.
        while position and lower[position - 1] in _OPENING_MARKS:
            position -= 1
    found.reverse()
    return found


# "A" opening a sentence or clause is Response A when a verb follows ("A loops", "A first asks",
# "while A never mentions"), and the article otherwise ("A fixed bedtime", "A concise rewrite").
_ADVERB = (
    r"(?:first|then|also|even|still|only|never|just|instead|rightly|correctly|wrongly|actually|already|again|now|clearly"
    r"|simply|properly|wisely|sensibly|immediately|explicitly|quietly|silently|\w+ly)"
)
_NOT_A_VERB = (
    r"(?:series|process|class|business|bus|lens|news|basis|crisis|thesis|gas|plus|less|bonus|status|focus|census"
    r"|access|success|loss|mass|pass|glass|boss|kiss|dress|address|mess|fixed|detailed|concise|good|bad|great|better"
    r"|short|long|simple|common|typical|single|few|lot|bit|little|more|much|key|clear|quick|second|third|similar|different)"
)
_A_THEN_VERB = re.compile(
    r"A(?=\s+(?:" + _ADVERB + r"\s+)?(?!" + _NOT_A_VERB + r"\b)"
    r"(?:[a-z]+(?:s|ed)|is|was|has|had|does|did|doesn't|didn't|isn't|can|could|should|would|will|won't|never)\b)"
)
_CLAUSE_START = re.compile(
    r"(?:^|[.!?;:\n•\-–—(*]|\b(?i:while|whereas|but|and|because|since|though|however|yet|meanwhile|instead|still|so),?)\s*$"
)
"""What may come just before an "A" that opens a clause: a sentence or clause break, or a connective, capitalised
or not ("But A quantifies ...", "However, A ...")."""


def _clause_opening_a(masked: str, known: set[int]) -> list[Mention]:
    """Each "A" that opens a clause and is followed by a verb, not already found."""
    found = []
    position = masked.find("A")
    while position >= 0:
        if (
            position not in known
            and (position == 0 or not masked[position - 1].isalnum())
            and _A_THEN_VERB.match(masked, position)
            and _CLAUSE_START.search(masked, max(0, position - 12), position)
        ):
            found.append(Mention(position, position + 1, "A"))
        position = masked.find("A", position + 1)
    return found


def _find_mentions(masked: str, lower: str) -> tuple[Mention, ...]:
    mentions = []
    for m in _LETTER.finditer(masked):
        position, side = m.start(), m.group(0)
        before = _word_before(lower, position)
        if before is not None and before[1] in _RESPONSE_NOUNS:
            mentions.append(Mention(before[0], m.end(), side))
        elif (
            side == "B"
            or (before is not None and before[1] in _A_OBJECT_WORDS)
            or _A_SUBJECT_AFTER.match(lower, m.end())
        ):
            mentions.append(Mention(position, m.end(), side))
    extra = _clause_opening_a(masked, {m.start for m in mentions})
    if "first" in lower or "second" in lower:
        extra += [Mention(m.start(), m.end(), "A" if m.group(1) == "first" else "B") for m in _ORDINAL.finditer(lower)]
    if extra:
        mentions = sorted(mentions + extra, key=lambda x: x.start)
    return tuple(mentions)


def analyse_rationale(text: str) -> RationaleText:
    """Find quotes, blank them out, and (lazily) split sentences and attribute each quote."""
    return RationaleText(text)


def _contains_fragments(haystack: str, quote: str) -> bool:
    """True when the normalised quote appears in the haystack (elisions in order)."""
    if "..." not in quote:
        return quote in haystack
    position = 0
    for fragment in quote.split("..."):
        fragment = fragment.strip(_TRIM)
        if not fragment:
            continue
        found = haystack.find(fragment, position)
        if found < 0:
            return False
        position = found + len(fragment)
    return True
