"""The checks that grade one judgment against gold: small pure functions.

Every check reads a :class:`CheckContext` (the judgment plus contexts that
were precompiled once per rubric, item and gold answer) and returns findings.
The six scoring components (preference, strength, criteria, key_points,
evidence, rationale_quality) are functions returning a :class:`ComponentResult`
(a credit 0..1, or ``None`` when the component is skipped, and findings); the
rationale lint is a list of plain ``CheckContext -> list[Finding]`` functions
(:data:`LINT_CHECKS`). Adding a lint check = one function in that list plus
its tests. :mod:`rationale.grader` composes them into a :class:`Grade`.

Components (credit 0..1; ``None`` = skipped and its weight shared out)
----------------------------------------------------------------------
* preference: 1 when equal to gold's or listed in ``gold.acceptable``, else 0
  (``wrong_preference``, critical).
* strength: ``1 - (d / 2n)**2`` for ``d`` steps outside gold's accepted
  range on a -n..+n scale (:func:`strength_credit`); skipped without a strength.
* criteria: F1 of the cited criteria (the ``criteria`` field, or those the
  rationale's words cue when the field is empty) against gold's decisive
  criteria; skipped when gold names none.
* key_points: share of gold's key points made; skipped when gold has none.
* evidence: share of quotes found where the rationale says they are; with no
  quote, 0 if the rubric requires evidence, else 1.
* rationale_quality: ``1 - sum(LINT_PENALTY)`` over the lint findings, at least 0.
* No rationale (vote-only data): ``no_rationale``; key points, evidence and
  rationale quality earn 0, criteria come from the field only.

Text matching rules, in one place
---------------------------------
* **Cue phrases** (criterion cues, key-point cues, the rubric's vague phrases)
  match case-insensitively, with any run of whitespace or hyphens between
  words, starting at a word start (the start of the text, or after
  whitespace, a dash, an opening bracket or quote mark, a slash or an
  asterisk); the last word may continue, so the cue ``accurate`` matches
  "accurately" but ``harm`` does not match "pharmacy". A criterion's id
  (underscores read as spaces) and name count as its cues.
* **Quotes**: text between ``"..."`` or ``“...”``, and between ``'...'`` or
  ``‘...’`` only when the marks are clearly quote marks, not apostrophes: the
  opening mark does not follow a letter or digit and is followed by a
  non-space, the closing mark follows a non-space and is not followed by a
  letter or digit (so "B's" and "don't" never open or close a quote). Quotes
  of fewer than 3 words are ignored as evidence (they are names, terms or
  scare quotes, not evidence), though they are still masked from the
  argument checks. Quote and response text are compared after
  normalisation: case-folded, curly quotes made straight, "…" as "...",
  whitespace runs as one space, surrounding punctuation trimmed; a quote
  that elides with "..." must have each fragment appear in order.
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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from .models import Finding, GoldAnswer, Item, Judgment, Rubric, Severity
from .injection import detect_injection

# --------------------------------------------------------------------------- text helpers

SEVERITY_ORDER: tuple[Severity, ...] = (Severity.critical, Severity.major, Severity.minor, Severity.info)
"""Most severe first: the order findings are reported in."""

MIN_QUOTE_WORDS = 3
"""Quotes shorter than this many words are not treated as evidence."""

_WHITESPACE = re.compile(r"\s+")
_CURLY = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "…": "..."})
_TRIM = " \t\n\"'.,;:!?()[]"


def normalise(text: str) -> str:
    """Case-fold, straighten curly quotes, spell out "…", collapse whitespace."""
    return _WHITESPACE.sub(" ", text.translate(_CURLY).casefold()).strip()


_CUE_SEPARATOR = re.compile(r"[\s\-]+")


def _cue_words(phrase: str) -> list[str]:
    return [w for w in _CUE_SEPARATOR.split(phrase) if w]


def cue_key(text: str) -> str:
    """The form under which a matched cue is looked up: lower case, single spaces."""
    return " ".join(_cue_words(text.lower()))


def _trie_source(keys: Sequence[str]) -> str:
    """Regex source matching any key, built as a prefix trie.

    A space in a key matches any run of whitespace or hyphens. Python's regex
    engine tries alternatives one by one; a trie shares the work of common
    prefixes, so a rubric's hundred cues cost about as much as a handful.
    Greedy optional tails make the longest key win at a position.
    """
    trie: dict = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = []
        for char in sorted(c for c in node if c):
            token = r"[\s\-]+" if char == " " else re.escape(char)
            branches.append(token + emit(node[char]))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?" if len(branches) == 1 else body + "?"
        return body

    return emit(trie)


# What may precede a word start: whitespace, dashes, opening brackets and quote
# marks, slashes, asterisks. Scans run on " " + text so the first word counts.
_WORD_START_CHARS = "-–—([{\"'‘“/*"
_WORD_START = r"[\s" + re.escape(_WORD_START_CHARS) + "]"


def flatten(lowered_text: str) -> str:
    """Lower-cased text with every word start after a single space: " " + words + " ".

    A cue phrase flattened the same way then matches, under the phrase rule
    (see :class:`PhraseIndex`), exactly where ``" " + phrase in flat_text``:
    a plain substring test, far cheaper than a regex scan for a few phrases.
    """
    for char in _WORD_START_CHARS:  # a chain of replace() beats str.translate here: most are absent
        if char in lowered_text:
            lowered_text = lowered_text.replace(char, " ")
    return " " + " ".join(lowered_text.split()) + " "


def flat_key(phrase: str) -> str:
    """A cue phrase in the form to look for in :func:`flatten` output."""
    return flatten(phrase.lower())[:-1]


class PhraseHit(NamedTuple):
    start: int  # in the scanned text (without the leading space)
    end: int
    owners: tuple  # what the phrase found stands for, e.g. ("criterion", "honesty"); sorted, so grading is deterministic


class PhraseIndex:
    """Many cue phrases found in ONE scan of lower-cased text, each mapped to its owners.

    A phrase matches at a word start (see ``_WORD_START``), case-insensitively
    (the caller passes lower-cased text), with any run of whitespace or
    hyphens between words; its last word may continue (``accurate`` matches
    "accurately", ``harm`` does not match "pharmacy"). Phrases may overlap:
    the scan looks at every word start, and at one word start the longest
    phrase is taken with the owners of every shorter phrase it begins with.

    Why one scan: Python's regex engine pays per character position scanned,
    so one pass over a rationale for all of a rubric's phrases costs a
    fraction of one pass per list. The pattern opens with the word-start
    character class, which lets the engine skip through words without trying
    the phrases at all.
    """

    __slots__ = ("owners", "regex")

    def __init__(self, phrases: Iterable[tuple[str, object]]):
        direct: dict[str, set[object]] = {}
        for phrase, owner in phrases:
            key = cue_key(phrase)
            if key:
                direct.setdefault(key, set()).add(owner)
        keys = sorted(direct)
        self.owners: dict[str, tuple] = {
            key: tuple(sorted({o for other in keys if key.startswith(other) for o in direct[other]}, key=repr))
            for key in keys
        }
        self.regex = re.compile(_WORD_START + "(?=(" + _trie_source(keys) + "))") if keys else None

    def find(self, lowered_text: str) -> list[PhraseHit]:
        if self.regex is None:
            return []
        owners = self.owners
        hits = []
        for m in self.regex.finditer(" " + lowered_text):
            matched = m.group(1)
            # The matched text is the key itself unless its words were split by
            # unusual whitespace or hyphens; only then normalise it.
            found = owners.get(matched) or owners[cue_key(matched)]
            start = m.start()  # the leading space shifts the scan by one: m.start() + 1 - 1
            hits.append(PhraseHit(start, start + len(matched), found))
        return hits


def _shorten(text: str, limit: int = 80) -> str:
    text = _WHITESPACE.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- quotes and mentions

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


# --------------------------------------------------------------------------- precompiled contexts

LENGTH_PHRASES: tuple[str, ...] = (
    "longer", "lengthier", "wordier", "shorter", "more detailed", "more detail", "more thorough",
    "more comprehensive", "more words", "more information", "more verbose", "more extensive", "more in-depth",
    "more elaborate", "more content", "more text", "goes into more detail", "less detail", "too short",
    "too brief", "brief",
)
"""Phrases that talk about a response's length rather than its content."""

CRITERION, VAGUE, LENGTH = "criterion", "vague", "length"


@dataclass(frozen=True, slots=True)
class RubricContext:
    """Everything about a rubric the checks need, compiled once."""

    rubric: Rubric
    phrases: PhraseIndex  # owners: (CRITERION, id), (VAGUE, phrase), (LENGTH, phrase)
    criterion_names: dict[str, str]
    max_strength: int
    strength_labels: dict[int, str]

    @classmethod
    def build(cls, rubric: Rubric) -> "RubricContext":
        entries: list[tuple[str, object]] = []
        for criterion in rubric.criteria:
            for phrase in (criterion.name, criterion.id.replace("_", " "), *criterion.cues):
                entries.append((phrase, (CRITERION, criterion.id)))
        entries.extend((p, (VAGUE, p)) for p in rubric.rationale.vague_phrases)
        entries.extend((p, (LENGTH, p)) for p in LENGTH_PHRASES)
        return cls(
            rubric=rubric,
            phrases=PhraseIndex(entries),
            criterion_names={c.id: c.name for c in rubric.criteria},
            max_strength=rubric.max_strength,
            strength_labels={s.value: s.label for s in rubric.strength_scale},
        )

    def criteria_in(self, text: str) -> list[tuple[str, int, int]]:
        """(criterion id, start, end) of each criterion cue in a rationale's own words (quotes blanked).

        The same reading the criteria check uses, for callers outside grading
        (calibration's "which criteria does each side appeal to").
        """
        lowered = analyse_rationale(text).masked_lower
        return [(what, h.start, h.end) for h in self.phrases.find(lowered) for kind, what in h.owners if kind == CRITERION]


@dataclass(frozen=True, slots=True)
class ItemContext:
    """An item's texts, normalised once for the evidence check."""

    item: Item
    response_a: str
    response_b: str
    prompt: str

    @classmethod
    def build(cls, item: Item) -> "ItemContext":
        return cls(item, normalise(item.response_a), normalise(item.response_b), normalise(item.prompt_text))


@dataclass(frozen=True, slots=True)
class GoldContext:
    """A gold answer with its key-point phrases and patterns compiled once."""

    gold: GoldAnswer
    key_points: tuple[tuple[str, str], ...]  # (id, lead's text)
    cues: tuple[tuple[str, int], ...]  # (flat_key(cue), key-point index)
    patterns: tuple[tuple[int, re.Pattern[str]], ...]  # (key-point index, case-insensitive regex)
    content_hash: str
    strength_low: int
    strength_high: int

    @classmethod
    def build(cls, gold: GoldAnswer) -> "GoldContext":
        low, high = acceptable_strength_range(gold)
        return cls(
            gold=gold,
            key_points=tuple((kp.id, kp.text) for kp in gold.key_points),
            cues=tuple(
                (key, index)
                for index, kp in enumerate(gold.key_points)
                for key in sorted({flat_key(cue) for cue in kp.cues})
                if key.strip()
            ),
            patterns=tuple(
                (index, re.compile(kp.pattern, re.IGNORECASE))
                for index, kp in enumerate(gold.key_points)
                if kp.pattern is not None
            ),
            content_hash=gold.content_hash,
            strength_low=low,
            strength_high=high,
        )


def acceptable_strength_range(gold: GoldAnswer) -> tuple[int, int]:
    """The strengths that earn full credit: gold's own, widened by ``acceptable``.

    A missing bound of the acceptable range stays at the gold strength.
    """
    low = high = gold.strength
    if gold.acceptable is not None:
        if gold.acceptable.strength_min is not None:
            low = min(low, gold.acceptable.strength_min)
        if gold.acceptable.strength_max is not None:
            high = max(high, gold.acceptable.strength_max)
    return low, high


@dataclass(slots=True)
class CheckContext:
    """What every check reads: one judgment and the precompiled contexts.

    The phrase scans are done once, on first use, and shared by the checks.
    """

    judgment: Judgment
    item: ItemContext
    gold: GoldContext
    rubric: RubricContext
    rationale: RationaleText | None
    _rubric_hits: list[PhraseHit] | None = field(default=None, repr=False)
    _criteria_found: list[tuple[str, int, int]] | None = field(default=None, repr=False)

    @property
    def rubric_hits(self) -> list[PhraseHit]:
        """The rubric's phrases (criterion cues, vague and length phrases) in the rationale's own words."""
        if self._rubric_hits is None:
            self._rubric_hits = self.rubric.phrases.find(self.rationale.masked_lower) if self.rationale else []
        return self._rubric_hits

    def hits(self, kind: str) -> list[tuple[str, int, int]]:
        """(what, start, end) of each rubric phrase of one kind (CRITERION, VAGUE or LENGTH)."""
        return [(what, h.start, h.end) for h in self.rubric_hits for k, what in h.owners if k == kind]

    @property
    def criteria_found(self) -> list[tuple[str, int, int]]:
        """(criterion id, start, end) of each criterion cue in the rationale's own words (quotes blanked)."""
        if self._criteria_found is None:
            self._criteria_found = self.hits(CRITERION)
        return self._criteria_found

    def key_points_made(self) -> set[int]:
        """Indexes of the gold key points the rationale makes, quotes included (by cue or pattern)."""
        if self.rationale is None:
            return set()
        flat = self.rationale.flat
        made = {index for key, index in self.gold.cues if key in flat}
        made.update(index for index, pattern in self.gold.patterns if pattern.search(self.rationale.text))
        return made

    def key_point_between(self, start: int, end: int) -> bool:
        """True when rationale[start:end] uses any key point's cue or pattern."""
        if self.rationale is None:
            return False
        flat = flatten(self.rationale.lower[start:end])
        if any(key in flat for key, _ in self.gold.cues):
            return True
        return any(pattern.search(self.rationale.text, start, end) for _, pattern in self.gold.patterns)


def make_context(
    judgment: Judgment,
    item: Item | ItemContext,
    gold: GoldAnswer | GoldContext,
    rubric: Rubric | RubricContext,
) -> CheckContext:
    """Build a context from plain models (or reuse precompiled pieces)."""
    return CheckContext(
        judgment=judgment,
        item=item if isinstance(item, ItemContext) else ItemContext.build(item),
        gold=gold if isinstance(gold, GoldContext) else GoldContext.build(gold),
        rubric=rubric if isinstance(rubric, RubricContext) else RubricContext.build(rubric),
        rationale=analyse_rationale(judgment.rationale) if judgment.rationale is not None else None,
    )


@lru_cache(maxsize=65536)
def finding(
    code: str,
    severity: Severity,
    message: str,
    *,
    span: str | None = None,
    criterion: str | None = None,
    key_point: str | None = None,
) -> Finding:
    # Built without re-validation (every argument comes from this module) and
    # shared: a Finding is immutable and the same few messages recur across a batch.
    return Finding.model_construct(
        code=code, severity=severity, message=message, span=span, criterion=criterion, key_point=key_point
    )


@dataclass(slots=True)
class ComponentResult:
    """A scoring component's credit (None = skipped) and findings."""

    credit: float | None
    findings: list[Finding] = field(default_factory=list)
    details: dict[str, object] = field(default_factory=dict)


# --------------------------------------------------------------------------- preference


def score_preference(ctx: CheckContext) -> ComponentResult:
    """Full credit when the preference is gold's or one of gold's acceptable ones."""
    gold = ctx.gold.gold
    chosen = ctx.judgment.preference
    accepted = chosen == gold.preference or (gold.acceptable is not None and chosen in gold.acceptable.preferences)
    if accepted:
        return ComponentResult(1.0, details={"correct": True})
    label = ctx.rubric.strength_labels.get(gold.strength, f"{gold.strength:+d}")
    yours = "You called it a tie" if chosen == "tie" else f"You chose Response {chosen}"
    lead = "the lead called it a tie" if gold.preference == "tie" else f"the lead chose Response {gold.preference}"
    message = f"{yours}, but {lead} ({label})."
    return ComponentResult(0.0, [finding("wrong_preference", Severity.critical, message)], {"correct": False})


# --------------------------------------------------------------------------- strength


def strength_credit(distance: int, max_strength: int) -> float:
    """Credit for a strength ``distance`` steps from the acceptable range.

    ``credit = 1 - (distance / width) ** 2`` where ``width = 2 * max_strength``
    is the full scale width (6 on the -3..+3 scale). Quadratic, because a
    step or two off is within the noise even good annotators show on near
    ties, while a flipped strong preference is a real error: on -3..+3,
    missing a near tie by one step keeps 0.97, two steps 0.89, three 0.75,
    and flipping "A much better" to "B much better" (six steps) earns 0.
    """
    width = 2 * max_strength
    return max(0.0, 1.0 - (distance / width) ** 2)


def strength_distance(strength: int, low: int, high: int) -> int:
    """Ordinal steps from ``strength`` to the nearest value of [low, high]."""
    if strength < low:
        return low - strength
    if strength > high:
        return strength - high
    return 0


def score_strength(ctx: CheckContext) -> ComponentResult:
    """Strength credit by ordinal distance (see :func:`strength_credit`); skipped without a strength."""
    strength = ctx.judgment.strength
    if strength is None:
        return ComponentResult(None)
    top = ctx.rubric.max_strength
    distance = strength_distance(strength, ctx.gold.strength_low, ctx.gold.strength_high)
    if not distance:
        return ComponentResult(1.0, details={"distance": 0})
    severity = Severity.minor if distance == 1 else Severity.major if distance <= top else Severity.critical
    labels = ctx.rubric.strength_labels
    gold_strength = ctx.gold.gold.strength
    steps = "step" if distance == 1 else "steps"
    low, high = ctx.gold.strength_low, ctx.gold.strength_high
    accepted = f" and accepts {low:+d} to {high:+d}" if low != high else ""
    message = (
        f'You rated the strength "{labels.get(strength, strength)}" ({strength:+d}), but the lead rated it '
        f'"{labels.get(gold_strength, gold_strength)}" ({gold_strength:+d}){accepted}: {distance} {steps} off.'
    )
    return ComponentResult(
        strength_credit(distance, top), [finding("strength_off", severity, message)], {"distance": distance}
    )


# --------------------------------------------------------------------------- criteria


def cited_criteria(ctx: CheckContext) -> list[str]:
    """The criteria the judgment relies on.

    The judgment's ``criteria`` field when it lists any; otherwise the
    criteria whose cues the rationale uses (so a trainee who names criteria
    only in prose still gets credit). Vote-only judgments use the field only.
    """
    if ctx.judgment.criteria:
        return list(dict.fromkeys(ctx.judgment.criteria))
    return list(dict.fromkeys(cid for cid, _, _ in ctx.criteria_found))


def score_criteria(ctx: CheckContext) -> ComponentResult:
    """F1 of the cited criteria against gold's decisive criteria; skipped when gold names none."""
    decisive = list(dict.fromkeys(ctx.gold.gold.decisive_criteria))
    if not decisive:
        return ComponentResult(None, details={"precision": None, "recall": None})
    cited = cited_criteria(ctx)
    hits = [c for c in cited if c in decisive]
    precision = len(hits) / len(cited) if cited else 0.0
    recall = len(hits) / len(decisive)
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    names = ctx.rubric.criterion_names
    findings = [
        finding(
            "missed_decisive_criterion",
            Severity.major,
            f"You did not rely on {names.get(c, c)}, which decides this pair.",
            criterion=c,
        )
        for c in decisive
        if c not in cited
    ]
    findings.extend(
        finding(
            "irrelevant_criterion",
            Severity.minor,
            f"You relied on {names.get(c, c)}, which does not decide this pair.",
            criterion=c,
        )
        for c in cited
        if c not in decisive
    )
    return ComponentResult(f1, findings, {"precision": precision, "recall": recall})


# --------------------------------------------------------------------------- key points


def key_points_made(ctx: CheckContext) -> tuple[list[str], list[str]]:
    """(made, missed) key-point ids, in gold's order."""
    indexes = ctx.key_points_made()
    made = [kp_id for index, (kp_id, _) in enumerate(ctx.gold.key_points) if index in indexes]
    missed = [kp_id for index, (kp_id, _) in enumerate(ctx.gold.key_points) if index not in indexes]
    return made, missed


def score_key_points(ctx: CheckContext) -> ComponentResult:
    """Share of gold's key points the rationale makes; skipped when gold has none."""
    points = ctx.gold.key_points
    if not points:
        return ComponentResult(None, details={"made": [], "missed": []})
    made, missed = key_points_made(ctx)
    findings = []
    if ctx.rationale is not None:
        texts = dict(points)
        findings = [
            finding(
                "missed_key_point",
                Severity.major,
                f"Your rationale does not make this key point: {texts[kp_id]}",
                key_point=kp_id,
            )
            for kp_id in missed
        ]
    return ComponentResult(len(made) / len(points), findings, {"made": made, "missed": missed})


# --------------------------------------------------------------------------- evidence


def check_quote(quote: Quote, item: ItemContext) -> Finding | None:
    """None when the quote is where the rationale says it is (or in the prompt)."""
    text = normalise(quote.text).strip(_TRIM)
    if not text:
        return None
    in_a = _contains_fragments(item.response_a, text)
    in_b = _contains_fragments(item.response_b, text)
    shown = _shorten(quote.text)
    if quote.side is not None:
        if (in_a if quote.side == "A" else in_b):
            return None
        other = "B" if quote.side == "A" else "A"
        if in_a or in_b:
            return finding(
                "misattributed_quote",
                Severity.major,
                f'You quoted "{shown}" as Response {quote.side}, but it is not in Response {quote.side}'
                f" (it is in Response {other}).",
                span=quote.text,
            )
        if _contains_fragments(item.prompt, text):
            return None
        return finding(
            "fabricated_quote",
            Severity.critical,
            f'You quoted "{shown}" as Response {quote.side}, but it is in neither response.',
            span=quote.text,
        )
    if in_a or in_b or _contains_fragments(item.prompt, text):
        return None
    return finding(
        "fabricated_quote",
        Severity.critical,
        f'You quoted "{shown}", but it is in neither response nor the prompt.',
        span=quote.text,
    )


def score_evidence(ctx: CheckContext) -> ComponentResult:
    """Share of quotes verified in the response they are attributed to.

    No rationale earns 0. No quotes earns 0 with ``no_evidence_quoted`` when
    the rubric requires quoted evidence, and 1 otherwise.
    """
    if ctx.rationale is None:
        return ComponentResult(0.0, details={"quotes": 0})
    quotes = ctx.rationale.quotes
    if not quotes:
        if ctx.rubric.rubric.rationale.must_quote_evidence:
            return ComponentResult(
                0.0,
                [
                    finding(
                        "no_evidence_quoted",
                        Severity.major,
                        "You quoted no evidence from the responses: quote the words"
                        f" ({MIN_QUOTE_WORDS} or more) that support your choice.",
                    )
                ],
                {"quotes": 0},
            )
        return ComponentResult(1.0, details={"quotes": 0})
    findings = [f for f in (check_quote(q, ctx.item) for q in quotes) if f is not None]
    return ComponentResult((len(quotes) - len(findings)) / len(quotes), findings, {"quotes": len(quotes)})


# --------------------------------------------------------------------------- rationale lint

LINT_PENALTY: dict[Severity, float] = {
    Severity.critical: 1.0,
    Severity.major: 0.4,
    Severity.minor: 0.15,
    Severity.info: 0.0,
}
"""Rationale-quality credit = max(0, 1 - sum of these over the lint findings)."""


def check_too_short(ctx: CheckContext) -> list[Finding]:
    rationale = ctx.rationale
    minimum = ctx.rubric.rubric.rationale.min_words
    if rationale is None or rationale.words >= minimum:
        return []
    return [
        finding(
            "too_short",
            Severity.major,
            f"Your rationale has {rationale.words} words; write at least {minimum} so a reader can check your reasoning.",
        )
    ]


def check_too_long(ctx: CheckContext) -> list[Finding]:
    rationale = ctx.rationale
    maximum = ctx.rubric.rubric.rationale.max_words
    if rationale is None or rationale.words <= maximum:
        return []
    return [
        finding(
            "too_long",
            Severity.minor,
            f"Your rationale has {rationale.words} words; keep it under {maximum} and lead with what decides the pair.",
        )
    ]


def check_no_criterion_cited(ctx: CheckContext) -> list[Finding]:
    if ctx.rationale is None or not ctx.rubric.rubric.rationale.must_cite_criterion or ctx.criteria_found:
        return []
    names = ", ".join(c.name for c in ctx.rubric.rubric.criteria)
    return [
        finding(
            "no_criterion_cited",
            Severity.major,
            f"Your rationale appeals to no rubric criterion; say which one decides it ({names}).",
        )
    ]


_NUMBER = re.compile(r"\d")


def check_vague_phrases(ctx: CheckContext) -> list[Finding]:
    """A vague phrase in a sentence with nothing specific (no quote, number or key-point cue)."""
    rationale = ctx.rationale
    if rationale is None:
        return []
    findings = []
    checked: set[int] = set()
    for _, phrase_start, phrase_end in ctx.hits(VAGUE):
        start, end = rationale.sentence_span(phrase_start)
        if start in checked:
            continue
        checked.add(start)
        if _NUMBER.search(rationale.masked, start, end) or any(start <= q[0] < end for q in rationale.quote_spans):
            continue
        if ctx.key_point_between(start, end):
            continue
        findings.append(
            finding(
                "vague_phrase",
                Severity.minor,
                f'You wrote "{rationale.text[phrase_start:phrase_end]}" without anything specific;'
                " quote or name what makes it so.",
                span=rationale.text[start:end].strip(),
            )
        )
    return findings


# Comparative cues, read right after a mention of a response ("A is clearer",
# "B's answer is wrong", "A fails") or right before one ("I prefer B"), on
# the lower-cased text with quotes blanked.
_LENGTH_WORDS = r"detailed|verbose|thorough|comprehensive|wordy|extensive|lengthy|elaborate|in-depth|complete"
_BAD_WORDS = r"verbose|wordy|confusing|harmful|risky|misleading|ambiguous|vague|biased|dangerous|redundant|repetitive|hedged"
_INTENSIFIER = r"(?:(?:much|far|clearly|significantly|slightly|a\s+bit|somewhat|definitely|way|a\s+lot|obviously)\s+)?"
_PREDICATE_AFTER = re.compile(
    r"(?:['’]s\s+\w+)?\s+(?:is|was|seems|looks|feels|reads|sounds)\s+(?P<neg>not\s+)?"
    + _INTENSIFIER
    + r"(?:(?P<good>better|superior|stronger|preferable|clearer|safer|correct|accurate|right|the\s+better"
    + r"|the\s+best|best|less\s+(?:" + _BAD_WORDS + r")|more\s+(?!(?:" + _LENGTH_WORDS + r")\b)\w+)"
    + r"|(?P<bad>worse|weaker|inferior|wrong|incorrect|inaccurate|misleading|harmful|unsafe|unhelpful"
    + r"|less\s+\w+|more\s+(?:" + _BAD_WORDS + r")))\b"
    + r"|\s+(?:(?:clearly|also|simply|just)\s+)?(?:(?P<wins>wins|won|outperforms|beats|does\s+better|did\s+better)"
    + r"|(?P<fails>fails|failed|loses|lost|errs|does\s+worse|did\s+worse|gets\s+it\s+wrong|got\s+it\s+wrong))\b"
)
_PREFER_WORDS = frozenset(
    "prefer preferred prefers choose chose pick picked favor favour favored favoured recommend".split()
)


def _preference_before(lower: str, position: int) -> tuple[int, bool] | None:
    """(start, negated) of "prefer"/"chose"/"go with"... right before ``position``, or None.

    A "not", "never" or "...n't" one or two words before the verb negates it
    ("I would not prefer A", "I don't really prefer A").
    """
    last = _word_before(lower, position)
    if last is None or (last[1] not in _PREFER_WORDS and last[1] != "with"):
        return None
    words = _words_before(lower, position, 5)
    if words[-1][1] in _PREFER_WORDS:
        verb = len(words) - 1
    elif words[-1][1] == "with" and len(words) > 1 and words[-2][1] in ("go", "went"):
        verb = len(words) - 2
    else:
        return None
    for index in (verb - 1, verb - 2):
        if index >= 0:
            word = words[index][1]
            if word in ("not", "never") or word.endswith(("n't", "n’t")):
                return words[index][0], True
    return words[verb][0], False


_CONCESSIVE = re.compile(r"\b(?:although|though|while|whereas|despite|even\s+if|granted)\b")
_CLAUSE_BREAK = re.compile(r"[,;:]")


def _concedes(rationale: RationaleText, position: int) -> bool:
    """True inside a concessive clause ("Although A is clearer, ..."): it concedes, it does not argue."""
    sentence_start, _ = rationale.sentence_span(position)
    lead_in = rationale.masked_lower[sentence_start:position]
    breaks = [b.end() for b in _CLAUSE_BREAK.finditer(lead_in)]
    return _CONCESSIVE.search(lead_in, breaks[-1] if breaks else 0) is not None


def comparative_cues(rationale: RationaleText) -> list[tuple[str, str]]:
    """(side favoured, cue text) for each comparative cue outside concessive clauses, in order."""
    found: list[tuple[str, str]] = []
    lower = rationale.masked_lower
    for mention in rationale.mentions:
        other = "B" if mention.side == "A" else "A"
        prefer = _preference_before(lower, mention.start)
        if prefer is not None and not _concedes(rationale, prefer[0]):
            favoured = other if prefer[1] else mention.side
            found.append((favoured, rationale.text[prefer[0] : mention.end]))
        predicate = _PREDICATE_AFTER.match(lower, mention.end)
        if predicate is not None and not _concedes(rationale, mention.start):
            favours = bool(predicate.group("good") or predicate.group("wins"))
            if predicate.group("neg"):
                favours = not favours
            found.append((mention.side if favours else other, rationale.text[mention.start : predicate.end()]))
    return found


def check_contradicts_choice(ctx: CheckContext) -> list[Finding]:
    """The comparative cues, on balance, argue for the response not chosen (ties are not checked)."""
    chosen = ctx.judgment.preference
    if ctx.rationale is None or chosen == "tie":
        return []
    cues = comparative_cues(ctx.rationale)
    net = sum(1 if side == chosen else -1 for side, _ in cues)
    if net >= 0:
        return []
    other = "B" if chosen == "A" else "A"
    first = next(cue for side, cue in cues if side == other)
    return [
        finding(
            "contradicts_choice",
            Severity.major,
            f'You chose Response {chosen}, but your rationale argues for Response {other} ("{_shorten(first)}").',
            span=first,
        )
    ]


def check_length_only(ctx: CheckContext) -> list[Finding]:
    """The rationale rests on length alone: a length cue, no other criterion cue, no quote."""
    rationale = ctx.rationale
    if rationale is None or rationale.quotes:
        return []
    lengths = [(start, end) for _, start, end in ctx.hits(LENGTH)]
    if not lengths:
        return []
    for _, start, end in ctx.criteria_found:
        if not any(ls <= start and end <= le for ls, le in lengths):
            return []
    cue = rationale.text[lengths[0][0] : lengths[0][1]]
    return [
        finding(
            "length_only",
            Severity.major,
            f'Your rationale rests on length ("{cue}"); say what the extra or missing text does for the'
            " user and quote it.",
            span=cue,
        )
    ]


def check_injection_attempt(ctx: CheckContext) -> list[Finding]:
    """The rationale addresses the grader ("ignore the rubric", "give this 5/5"): critical, once per rationale.

    Critical, because it is an attempt to game the review rather than a weak
    argument; the LLM reviewer is shielded from it separately (see `critique.py`).
    """
    if ctx.rationale is None:
        return []
    hits = detect_injection(ctx.rationale.text)
    if not hits:
        return []
    return [
        finding(
            "injection_attempt",
            Severity.critical,
            f'Your rationale gives instructions to whoever grades it ("{_shorten(hits[0].span)}"): write for a'
            " human reader; such instructions are never followed and this answer cannot pass.",
            span=hits[0].span,
        )
    ]


LINT_CHECKS: tuple[Callable[[CheckContext], list[Finding]], ...] = (
    check_too_short,
    check_too_long,
    check_no_criterion_cited,
    check_vague_phrases,
    check_contradicts_choice,
    check_length_only,
    check_injection_attempt,
)


def score_rationale_quality(ctx: CheckContext) -> ComponentResult:
    """1 minus :data:`LINT_PENALTY` per lint finding, floored at 0; no rationale earns 0."""
    if ctx.rationale is None:
        return ComponentResult(
            0.0,
            [
                finding(
                    "no_rationale",
                    Severity.major,
                    "You gave no rationale, so the rationale earns no credit: say why, cite a criterion and quote"
                    " the responses.",
                )
            ],
        )
    findings = [f for check in LINT_CHECKS for f in check(ctx)]
    penalty = sum(LINT_PENALTY[f.severity] for f in findings)
    return ComponentResult(max(0.0, 1.0 - penalty), findings)


COMPONENTS: tuple[tuple[str, Callable[[CheckContext], ComponentResult]], ...] = (
    ("preference", score_preference),
    ("strength", score_strength),
    ("criteria", score_criteria),
    ("key_points", score_key_points),
    ("evidence", score_evidence),
    ("rationale_quality", score_rationale_quality),
)
"""The scoring components in report order; names match ``rubric.scoring.weights``."""
