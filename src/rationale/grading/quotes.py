"""Quotes and mentions: what a rationale quotes, and which response it says each quote is from.

* **Quotes**: text between ``"..."`` or ``“...”``, and between ``'...'`` or
  ``‘...’`` only when the marks are clearly quote marks, not apostrophes: the
  opening mark does not follow a letter or digit and is followed by a
  non-space, the closing mark follows a non-space and is not followed by a
  letter or digit (so "B's" and "don't" never open or close a quote). Quotes
  of fewer than 3 words are ignored as evidence (they are names, terms or
  scare quotes, not evidence), though they are still masked from the
  argument checks. A quote that elides with "..." must have each fragment
  appear in order.
* **Attribution**: a quote belongs to the response named by the nearest
  mention before it in the same sentence ("A", "Response A", "B's",
  "the second response"...); failing that, the first mention after it in the
  same sentence; failing that it is unattributed and only has to appear in
  one of the responses or the prompt. A bare capital "A" counts as a mention
  only where it cannot be the article: after "Response"/"than"/"prefer"/...,
  before "'s", punctuation or a verb ("A says", "A is").
* The argument checks (criteria detected, vague phrases, length cues and
  comparative cues) read the rationale with quoted text blanked out: words
  the trainee quotes from a response are evidence, not the trainee's
  argument. Key points read the whole rationale, quotes included.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple

from .text import _TRIM, flatten

MIN_QUOTE_WORDS = 3
"""Quotes shorter than this many words are not treated as evidence."""

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

    text: str  # as written, without the quote marks
    start: int  # span of the whole quote, marks included
    end: int
    side: str | None  # "A", "B" or None when no response is named


class Mention(NamedTuple):
    """A place where the rationale names a response ("Response A", "B", "the first response")."""

    start: int
    end: int
    side: str


class RationaleText:
    """A rationale analysed once. Sentences, mentions and quotes are worked out on first use."""

    __slots__ = (
        "text", "lower", "masked", "masked_lower", "words", "quote_spans", "_sentences", "_mentions", "_quotes", "_flat"
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
        self._flat: str | None = None

    @property
    def flat(self) -> str:
        """The whole text (quotes included) lower-cased and flattened (see :func:`flatten`)."""
        if self._flat is None:
            self._flat = flatten(self.lower)
        return self._flat

    @property
    def sentence_starts(self) -> tuple[int, ...]:
        if self._sentences is None:
            starts = {0}
            starts.update(m.end() for m in _SENTENCE_END.finditer(self.masked))
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
        """The evidence quotes (at least MIN_QUOTE_WORDS words), each attributed to a side or None."""
        if self._quotes is None:
            quotes = []
            for start, end, inner in self.quote_spans:
                if len(inner.split()) < MIN_QUOTE_WORDS:
                    continue
                s_start, s_end = self.sentence_span(start)
                before = [m.side for m in self.mentions if s_start <= m.start and m.end <= start]
                after = [m.side for m in self.mentions if end <= m.start < s_end]
                side = before[-1] if before else (after[0] if after else None)
                quotes.append(Quote(inner, start, end, side))
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
    if "first" in lower or "second" in lower:
        for m in _ORDINAL.finditer(lower):
            mentions.append(Mention(m.start(), m.end(), "A" if m.group(1) == "first" else "B"))
        mentions.sort(key=lambda x: x.start)
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
