"""Fast matching of word lists against a text: sets and prefix tuples instead of one giant regex.

Compiling large alternation regexes costs tens of milliseconds per process, which the CLI's cold start
cannot afford; tokens, set look-ups and substring tests cost microseconds. Entry forms:
  "word"         a whole token (case-insensitive)
  "stem*"        any token starting with stem
  "two words"    a run of whole tokens ("two words*" lets the last one be a prefix)
  CJK text       a plain substring (those scripts do not separate words)
  "re:PATTERN"   a regular expression, for the few entries that need one
Two compact forms build many entries from lists:
  combos  [["this", "the"], ["image", "photo"]] -> the phrases "this image", "this photo", "the image", ...
  pairs   [["draw", "paint"], ["logo", "poster"]] -> found when a token of each list occurs anywhere
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from itertools import product
from typing import Any, NamedTuple

from rephraser.core.lang import matches_inside_words
from rephraser.core.lazy_regex import LazyPattern

__all__ = ["WORD_MARKS", "NormalisedText", "WordMatcher"]

# Combining marks that continue a word but that `\w` does not match: accents typed decomposed, Hebrew
# points, Arabic vowel signs, Devanagari's and Thai's vowel signs and viramas. Without them "तस्वीर"
# falls apart into letters.
WORD_MARKS = "\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u0900-\u0963\u0966-\u097f\u0e00-\u0e7f"
_TOKEN = re.compile(rf"[\w#+.'{WORD_MARKS}-]+")
_EDGE_PUNCTUATION = ".'-"
_LATIN_RUN = re.compile(r"[a-z][a-z0-9#+.]*")


class NormalisedText(NamedTuple):
    """A text prepared once for many matchers."""

    original: str
    lowered: str
    tokens: frozenset[str]
    padded: str  # " token token ... " for phrase containment

    @classmethod
    def of(cls, text: str) -> NormalisedText:
        lowered = text.lower().replace("\u2019", "'")
        tokens = [t.strip(_EDGE_PUNCTUATION) for t in _TOKEN.findall(lowered)]
        tokens = [t for t in tokens if t]
        return cls(text, lowered, frozenset(tokens) | _latin_inside(tokens), " " + " ".join(tokens) + " ")


def _latin_inside(tokens: list[str]) -> frozenset[str]:
    """The Latin words glued to another script's letters: Hebrew and Arabic write "in" and "the" onto the
    next word ("בpython"), Thai writes no spaces at all ("ใช้react")."""
    glued = (token for token in tokens if any(ord(char) > 0x24F for char in token))  # past Latin's letters
    return frozenset(run for token in glued for run in _LATIN_RUN.findall(token))


Entry = str | Mapping[str, Any]  # a string, or {re = "PATTERN", when = ["substring", ...]}


def sort_entries(
    entries: Iterable[Entry],
    combos: Sequence[Sequence[Sequence[str]]] = (),
    pairs: Sequence[Sequence[Sequence[str]]] = (),
) -> dict[str, list[Any]]:
    """Sort a word list by how each entry is matched, as JSON-ready lists (cached between runs).

    A regular expression may name `when` substrings (lowercase); it is compiled and tried only when
    one of them occurs in the text, which keeps its cost off most prompts.
    """
    parts: dict[str, list[Any]] = {"words": [], "stems": [], "phrases": [], "substrings": [], "patterns": []}
    spelled = (" ".join(words) for combo in combos for words in product(*combo))
    for entry in [*entries, *spelled]:
        if not isinstance(entry, str):
            parts["patterns"].append([str(entry["re"]), [str(w).lower() for w in entry.get("when", [])]])
        elif entry.startswith("re:"):
            parts["patterns"].append([entry[3:], []])
        elif matches_inside_words(entry):
            parts["substrings"].append(entry.lower())
        elif " " in entry:
            phrase = entry.lower()
            parts["phrases"].append(" " + phrase[:-1] if phrase.endswith("*") else f" {phrase} ")
        elif entry.endswith("*"):
            parts["stems"].append(entry[:-1].lower())
        else:
            parts["words"].append(entry.lower())
    parts["pairs"] = [[list(first), list(second)] for first, second in pairs]
    return parts


class WordMatcher(NamedTuple):
    """One word list, split by how each entry is matched."""

    words: frozenset[str]
    stems: tuple[str, ...]
    phrases: tuple[str, ...]
    substrings: tuple[str, ...]
    patterns: tuple[tuple[LazyPattern, tuple[str, ...]], ...]
    pairs: tuple[tuple[frozenset[str], frozenset[str]], ...] = ()

    @classmethod
    def of(
        cls,
        entries: Iterable[Entry],
        combos: Sequence[Sequence[Sequence[str]]] = (),
        pairs: Sequence[Sequence[Sequence[str]]] = (),
    ) -> WordMatcher:
        """Build a matcher straight from a word list."""
        return cls.from_parts(sort_entries(entries, combos, pairs))

    @classmethod
    def from_parts(cls, parts: Mapping[str, list[Any]]) -> WordMatcher:
        """Build a matcher from `sort_entries` output."""
        return cls(
            frozenset(parts["words"]),
            tuple(parts["stems"]),
            tuple(parts["phrases"]),
            tuple(parts["substrings"]),
            tuple((LazyPattern(pattern, re.I), tuple(when)) for pattern, when in parts["patterns"]),
            tuple((frozenset(first), frozenset(second)) for first, second in parts["pairs"]),
        )

    def hits(self, text: NormalisedText) -> set[str]:
        """The entries (or matched texts) found in the text, lowercased."""
        found = set(self.words & text.tokens)
        if self.stems:
            found.update(token for token in text.tokens if token.startswith(self.stems))
        found.update(phrase.strip() for phrase in self.phrases if phrase in text.padded)
        found.update(sub for sub in self.substrings if sub in text.lowered)
        for first, second in self.pairs:
            if not first.isdisjoint(text.tokens) and not second.isdisjoint(text.tokens):
                found.add(f"{min(first & text.tokens)} ... {min(second & text.tokens)}")
        for pattern, when in self.patterns:
            if when and not any(trigger in text.lowered for trigger in when):
                continue
            match = pattern.search(text.original)
            if match:
                found.add(match.group(0).lower().strip())
        return found
