"""Matching the judge's phrase lists (markers.py) against a reply: token sets built once per language and list."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache
from itertools import pairwise

from rephraser.core.judge.markers import MARKERS
from rephraser.core.lang import matches_inside_words
from rephraser.core.word_matching import WORD_MARKS

__all__ = ["Phrases", "any_of", "phrases", "segments"]


class Phrases:
    """One marker list (a Markers field) of some languages plus English. `language` may name several,
    joined by "+" ("nl+en": the prompt's and the reply's).

    Matched by tokens and sets, not one big regular expression: compiling an alternation of a few hundred
    bounded phrases costs tens of milliseconds, which every CLI call in model mode would pay. Words match
    whole (a request verb of five letters or more may go on: "suggerisci" finds "suggeriscimi"); phrases
    with punctuation ("answer:", "e.g.") and Chinese, Japanese or Korean ones match as plain text.
    """

    def __init__(self, field: str, language: str) -> None:
        tables = [MARKERS[code] for code in language.split("+") if code in MARKERS and code != "en"]
        entries = {p for table in (*tables, MARKERS["en"]) for p in getattr(table, field)}
        self._words: set[str] = set()
        self._runs: dict[str, set[tuple[str, ...]]] = {}
        self._plain: list[str] = []
        prefixes = []
        for entry in entries:
            tokens = tuple(t.group(0) for t in _tokens(entry))
            if matches_inside_words(entry) or " ".join(tokens) != entry:
                self._plain.append(entry)
            elif len(tokens) == 1:
                self._words.add(entry)
                if field == "request" and len(entry) >= 5:
                    prefixes.append(entry)
            else:
                self._runs.setdefault(tokens[0], set()).add(tokens)
        self._prefixes = tuple(prefixes)
        self._longest_run = max((len(run) for runs in self._runs.values() for run in runs), default=1)

    def found(self, lowered: str) -> list[str]:
        """Every phrase in the (lower-cased) text."""
        return [lowered[start:end] for start, end in self.spans(lowered)]

    def spans(self, lowered: str) -> list[tuple[int, int]]:
        """Where each phrase occurs in the (lower-cased) text, as (start, end)."""
        hits = self._plain_spans(lowered)
        tokens = _tokens(lowered)
        for index, token in enumerate(tokens):
            word = token.group(0)
            if word in self._words or (self._prefixes and word.startswith(self._prefixes)):
                hits.append((token.start(), token.end()))
            for run in self._runs.get(word, ()):
                following = tokens[index : index + len(run)]
                if tuple(t.group(0) for t in following) == run and _adjacent(lowered, following):
                    hits.append((token.start(), following[-1].end()))
        return sorted(hits)

    def opens(self, lowered: str) -> bool:
        """The (lower-cased, stripped) text starts with one of the phrases."""
        if any(lowered.startswith(entry) for entry in self._plain):
            return True
        tokens = _tokens(lowered[:200])
        if not tokens or tokens[0].start() != 0:
            return False
        first = tokens[0].group(0)
        if first in self._words or (self._prefixes and first.startswith(self._prefixes)):
            return True
        leading = tuple(t.group(0) for t in tokens[: self._longest_run])
        return any(
            leading[: len(run)] == run and _adjacent(lowered, tokens[: len(run)]) for run in self._runs.get(first, ())
        )

    def _plain_spans(self, lowered: str) -> list[tuple[int, int]]:
        found = []
        for entry in self._plain:
            start = lowered.find(entry)
            while start >= 0:
                if not _inside_hangul_word(lowered, start, entry):
                    found.append((start, start + len(entry)))
                start = lowered.find(entry, start + 1)
        return found


_ASCII_TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_LETTER = rf"(?:[^\W_]|[{WORD_MARKS}])"  # an alternation: several times slower, so only where needed
_MARKED_TOKEN = re.compile(rf"{_LETTER}+(?:['’-]{_LETTER}+)*")


@lru_cache(maxsize=64)
def _tokens(lowered: str) -> tuple[re.Match[str], ...]:
    """Words, whole: vowel signs continue a Devanagari or Thai word (no ASCII text has them). Cached: every
    marker list reads the same few texts of one reply."""
    return tuple((_ASCII_TOKEN if lowered.isascii() else _MARKED_TOKEN).finditer(lowered))


def _adjacent(lowered: str, tokens: Sequence[re.Match[str]]) -> bool:
    """The tokens stand one space apart (so "the answer is" does not match across a line break)."""
    return all(lowered[a.end() : b.start()] == " " for a, b in pairwise(tokens))


def _inside_hangul_word(text: str, start: int, entry: str) -> bool:
    """Korean is written with spaces and adds its endings at a word's end: "보입니다" ("it shows") must not
    be found inside "초보입니다" ("I am a beginner")."""
    return "\uac00" <= entry[0] <= "\ud7af" and start > 0 and "\uac00" <= text[start - 1] <= "\ud7af"


def any_of(language: str, group: frozenset[str] | tuple[str, ...]) -> bool:
    """Whether one of the languages in `language` ("de" or "nl+en") is in `group`."""
    return any(code in group for code in language.split("+"))


@cache
def phrases(field: str, language: str) -> Phrases:
    """The list `field` of `language` (plus English), prepared once."""
    return Phrases(field, language)


_LIST_MARKER = re.compile(r"^\s*(?:[#>*•·\-–]+|\d+[.)]|[a-z][.)]|\(\d+\))\s*")
_LABEL = re.compile(r"^[^\W\d_][\w /&'-]{0,30}[:：]\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s+|(?<=[。！？])")
_TAG = re.compile(r"^\s*</?[A-Za-z_][\w-]*>\s*")


_LEAD_IN = re.compile(r"^[^,:;]{1,40}?[,:;]\s+(?=\S)")


def segments(text: str) -> list[str]:
    """The reply cut into lines and sentences, each lower-cased and without its list marker, heading mark,
    XML tag or "Label:" prefix: where a request's verb would stand. A sentence that opens with a short
    lead-in ("In `README`, fix ...") also counts from after it."""
    pieces = []
    for line in text.lower().splitlines():
        for sentence in _SENTENCE_END.split(line):
            whole = _TAG.sub("", _LIST_MARKER.sub("", sentence.strip())).strip()
            piece = _LABEL.sub("", whole, count=1) or whole
            piece = piece.strip(" \"'“”«»*_`")
            if piece != whole.strip(" \"'“”«»*_`") and whole[:1].isalpha():
                pieces.append(whole.strip(" \"'“”«»*_`"))  # "Explícame qué dice: ..." is no label
            if piece:
                pieces.append(piece)
                lead_in = _LEAD_IN.match(piece)
                if lead_in and len(lead_in.group(0).split()) <= 4:
                    pieces.append(piece[lead_in.end() :])
    return pieces
