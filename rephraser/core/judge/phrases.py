"""Matching the judge's phrase lists (markers.py) against a reply: compiled once per language and list."""

from __future__ import annotations

import re
from functools import cache

from rephraser.core.judge.markers import MARKERS, NO_SPACES, Markers

__all__ = ["Phrases", "any_of", "phrases", "segments"]

_CJK_LANGUAGES = NO_SPACES | {"ko"}


class Phrases:
    """One marker list (a Markers field) of some languages plus English, as two patterns: anywhere and at
    the start of a segment. `language` may name several, joined by "+" ("nl+en": the prompt's and the
    reply's)."""

    def __init__(self, field: str, language: str) -> None:
        self.anywhere, self.opening = _patterns(field, language)

    def found(self, lowered: str) -> list[str]:
        """Every phrase in the (lower-cased) text."""
        return [m.group(0) for m in self.anywhere.finditer(lowered)]

    def opens(self, lowered: str) -> bool:
        """The (lower-cased, stripped) text starts with one of the phrases."""
        return bool(self.opening.match(lowered))


def any_of(language: str, group: frozenset[str] | tuple[str, ...]) -> bool:
    """Whether one of the languages in `language` ("de" or "nl+en") is in `group`."""
    return any(code in group for code in language.split("+"))


@cache
def phrases(field: str, language: str) -> Phrases:
    """The compiled list `field` of `language` (plus English)."""
    return Phrases(field, language)


def _patterns(field: str, language: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    tables: list[Markers] = [MARKERS[code] for code in language.split("+") if code in MARKERS and code != "en"]
    tables.append(MARKERS["en"])
    phrases = sorted({p for table in tables for p in getattr(table, field)}, key=len, reverse=True)
    alternatives = "|".join(_bounded(p, open_end=field == "request") for p in phrases) or r"(?!x)x"
    return re.compile(alternatives), re.compile(rf"(?:{alternatives})")


def _bounded(phrase: str, open_end: bool = False) -> str:
    """A phrase that must not start or end inside a word (except in scripts written without spaces).
    With `open_end`, a long word may go on: "suggerisci" matches "suggeriscimi" (a pronoun attached)."""
    body = re.escape(phrase)
    if any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in phrase):
        return body
    before = r"(?<!\w)" if phrase[0].isalnum() else ""
    after = r"(?!\w)" if phrase[-1].isalnum() and not (open_end and len(phrase) >= 5 and " " not in phrase) else ""
    return f"{before}{body}{after}"


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
            piece = _TAG.sub("", _LIST_MARKER.sub("", sentence.strip())).strip()
            piece = _LABEL.sub("", piece, count=1) or piece
            piece = piece.strip(" \"'“”«»*_`")
            if piece:
                pieces.append(piece)
                lead_in = _LEAD_IN.match(piece)
                if lead_in and len(lead_in.group(0).split()) <= 4:
                    pieces.append(piece[lead_in.end() :])
    return pieces
