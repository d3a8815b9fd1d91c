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
from collections.abc import Iterable, Sequence
from itertools import product
from typing import NamedTuple

__all__ = ["NormalisedText", "WordMatcher"]

_TOKEN = re.compile(r"[\w#+.'-]+")
_EDGE_PUNCTUATION = ".'-"


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
        return cls(text, lowered, frozenset(tokens), " " + " ".join(tokens) + " ")


class WordMatcher(NamedTuple):
    """One word list, split by how each entry is matched."""

    words: frozenset[str]
    stems: tuple[str, ...]
    phrases: tuple[str, ...]
    substrings: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    pairs: tuple[tuple[frozenset[str], frozenset[str]], ...] = ()

    @classmethod
    def of(
        cls,
        entries: Iterable[str],
        combos: Sequence[Sequence[Sequence[str]]] = (),
        pairs: Sequence[Sequence[Sequence[str]]] = (),
    ) -> WordMatcher:
        """Sort the entries (plus the phrases the combos spell out) by how they are matched."""
        entries = [*entries, *(" ".join(words) for combo in combos for words in product(*combo))]
        words: set[str] = set()
        stems: list[str] = []
        phrases: list[str] = []
        substrings: list[str] = []
        patterns: list[re.Pattern[str]] = []
        for entry in entries:
            if entry.startswith("re:"):
                patterns.append(re.compile(entry[3:], re.I))
                continue
            entry = entry.lower()
            if _is_cjk(entry):
                substrings.append(entry)
            elif " " in entry:
                phrases.append(" " + entry[:-1] if entry.endswith("*") else f" {entry} ")
            elif entry.endswith("*"):
                stems.append(entry[:-1])
            else:
                words.add(entry)
        pair_sets = tuple((frozenset(first), frozenset(second)) for first, second in pairs)
        return cls(frozenset(words), tuple(stems), tuple(phrases), tuple(substrings), tuple(patterns), pair_sets)

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
        for pattern in self.patterns:
            match = pattern.search(text.original)
            if match:
                found.add(match.group(0).lower().strip())
        return found


def _is_cjk(word: str) -> bool:
    return any("\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" for ch in word)
