"""Text matching: normalising text, and finding many cue phrases in one scan.

Cue phrases (criterion cues, key-point cues, the rubric's vague phrases)
match case-insensitively, with any run of whitespace or hyphens between
words, starting at a word start (the start of the text, or after whitespace,
a dash, an opening bracket or quote mark, a slash or an asterisk); the last
word may continue, so the cue ``accurate`` matches "accurately" but ``harm``
does not match "pharmacy". A criterion's id (underscores read as spaces) and
name count as its cues. Quote and response text are compared after
normalisation: case-folded, curly quotes made straight, "…" as "...",
whitespace runs as one space, surrounding punctuation trimmed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

_CURLY = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "…": "..."})


_TRIM = " \t\n\"'.,;:!?()[]"


def normalise(text: str) -> str:
    """Case-fold, straighten curly quotes, spell out "…", collapse whitespace."""
    # str.split() splits at exactly the characters re's \s matches (Py_UNICODE_ISSPACE), four times faster than a sub
    return " ".join(text.translate(_CURLY).casefold().split())


_MARKDOWN = re.compile(r"[`*_]+")
_DASHES = str.maketrans({"–": "-", "—": "-"})


def comparable(text: str) -> str:
    """How quotes and responses are compared: :func:`normalise` with markdown marks removed and dashes evened."""
    return normalise(_MARKDOWN.sub("", text.translate(_DASHES)))


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

    def token(char: str) -> str:
        return r"[\s\-]+" if char == " " else re.escape(char)

    def chain(node: dict) -> tuple[str, dict]:
        # A run of single-child nodes is emitted in a loop: only a fork or an ending recurses, so a long cue
        # costs no stack (a phrase is at most MAX_PHRASE_CHARS anyway).
        run = []
        while "" not in node and len(node) == 1:
            (char, node), = node.items()
            run.append(token(char))
        return "".join(run), node

    def emit(node: dict) -> str:
        ends = "" in node
        branches = []
        for char in sorted(c for c in node if c):
            run, rest = chain(node[char])
            branches.append(token(char) + run + emit(rest))
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


def shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
