"""Deterministic extraction of what a prompt contains: the slots an offline rewrite fills.

Nothing here guesses or invents: every value is a piece of the input as written (or a ratio the input
names in words). Templates receive an `Analysis` as `a`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rephraser.core import lexicon
from rephraser.core.code_blocks import CodeBlock, split_code

__all__ = ["Analysis", "analyze"]


@dataclass(frozen=True)
class Analysis:
    """The slots of one prompt. Every string is verbatim from the input unless noted."""

    prose: str
    code_blocks: tuple[CodeBlock, ...]
    quoted: tuple[str, ...]
    placeholders: tuple[str, ...]
    urls: tuple[str, ...]
    paths: tuple[str, ...]
    numbers: tuple[str, ...]
    identifiers: tuple[str, ...]
    names: tuple[str, ...]
    negations: tuple[str, ...]
    exclusions: tuple[str, ...]
    aspect_ratio: str  # normalised "W:H", from a ratio in the text or an aspect word
    programming_language: str  # canonical name, e.g. "Python"
    language_version: str
    media: str
    references: tuple[str, ...]  # "this"/"it" with nothing in the prompt for them to point at
    is_question: bool

    @property
    def must_keep(self) -> tuple[str, ...]:
        """Facts that every rewrite must carry verbatim."""
        groups = (self.quoted, self.placeholders, self.urls, self.paths, self.numbers, self.identifiers,
                  self.names, tuple(b.text for b in self.code_blocks))
        return _unique(item for group in groups for item in group)


_QUOTED = re.compile(r'"([^"\n]{1,300})"|“([^”\n]{1,300})”|„([^“”\n]{1,300})[“”]|«\s?([^»\n]{1,300}?)\s?»'
                     r"|(?<![\w])'([^'\n]{1,300})'(?![\w])|`([^`\n]{1,300})`|「([^」\n]{1,300})」|『([^』\n]{1,300})』")
_PLACEHOLDER = re.compile(r"\{\{\s*[\w.]+\s*\}\}|\{[\w.]+\}|\[[A-Z][A-Z0-9_ ]*\]|<[A-Z][A-Z0-9_]*>|\$[A-Z][A-Z0-9_]+")
_URL = re.compile(r"\bhttps?://[^\s<>\"'`]+[^\s<>\"'`.,;:!?)\]]")
_PATH = re.compile(r"(?<![\w/:])(?:~|\.{1,2})?/(?:[\w.\-]+/)*[\w.\-]+|\b[A-Za-z]:\\[\w\\.\-]+"
                   r"|\b[\w\-]+\.(?:py|js|ts|tsx|jsx|json|toml|yaml|yml|md|txt|csv|html|css|rs|go|java|kt|c|h"
                   r"|cpp|hpp|cs|rb|php|sh|sql|ipynb|pdf|png|jpg|svg|xml|ini|cfg|lock|log)\b")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,:]\d+)*(?:%|[a-zA-Z°]{1,3}\b)?")
_IDENTIFIER = re.compile(r"\b(?:[a-z_][a-z0-9]*_[a-z0-9_]+|[a-z]+[A-Z][A-Za-z0-9]*|[A-Z][a-z0-9]+[A-Z]\w*"
                         r"|\w+\.\w+(?:\.\w+)*\(\)|\w+\(\))")
_NAME = re.compile(r"(?<=[a-z,;] )[A-Z][\w\-]+(?: [A-Z][\w\-]+)*")
_RATIO = re.compile(r"(?<![\d:])(\d{1,2}) ?[:x×] ?(\d{1,2})(?![\d:])")
_VERSION_AFTER = r"\s*v?(\d+(?:\.\d+){0,2})\b"
# Words that end a negated phrase: "no text or logos" excludes "text", then "logos" separately.
_STOP_WORDS = ("(?:and|or|but|with|in|on|at|for|to|und|oder|mit|aber|im|y|o|con|pero|en|et|ou|avec|mais|dans"
               "|e|ou|com|mas|em|ed|con|ma|nel|и|или|с|но|в)")


def analyze(text: str) -> Analysis:
    """Extract the slots of `text` (see Analysis)."""
    prose, blocks = split_code(text)
    lowered = prose.lower()
    language, version = _programming_language(text)
    exclusions, negations = _negations(prose)
    return Analysis(
        prose=prose,
        code_blocks=blocks,
        quoted=_unique(next(g for g in m.groups() if g) for m in _QUOTED.finditer(text)),
        placeholders=_unique(_PLACEHOLDER.findall(text)),
        urls=_unique(_URL.findall(text)),
        paths=_unique(p for p in _PATH.findall(text) if not _URL.search(p)),
        numbers=_unique(_NUMBER.findall(prose)),
        identifiers=_unique(_IDENTIFIER.findall(prose)),
        names=_unique(_NAME.findall(prose)),
        negations=negations,
        exclusions=exclusions,
        aspect_ratio=_aspect_ratio(lowered),
        programming_language=language,
        language_version=version,
        media=_first_word(lowered, lexicon.MEDIA_WORDS),
        references=_references(lowered, blocks, text),
        is_question=prose.rstrip().endswith(("?", "？", "¿")),
    )


def _unique(items: object) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:  # type: ignore[attr-defined]
        if item and item not in seen:
            seen[item] = None
    return tuple(seen)


def _negations(prose: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return (what is excluded, the whole negated phrases), both as written."""
    prefix = _negation_prefix_pattern()
    suffixes = "|".join(re.escape(s) for s in lexicon.NEGATION_SUFFIXES)
    suffix = re.compile(rf"([^\s、。,.!?なし]{{1,8}}?)({suffixes})")
    excluded: list[str] = []
    phrases: list[str] = []
    for match in prefix.finditer(prose):
        excluded.append(match[3])
        phrases.append(match[0].strip())
    for match in suffix.finditer(prose):
        excluded.append(match[1])
        phrases.append(match[0])
    return _unique(excluded), _unique(phrases)


def _negation_prefix_pattern() -> re.Pattern[str]:
    """Spaced scripts need a space after the negation word ("mai" must not match "main"); CJK needs none."""
    ordered = sorted(lexicon.NEGATION_PREFIXES, key=len, reverse=True)
    spaced = "|".join(re.escape(w) for w in ordered if not _is_cjk(w))
    unspaced = "|".join(re.escape(w) for w in ordered if _is_cjk(w))
    word = r"[^\s,.;!?。，、]+"
    phrase = rf"{word}(?:[ \t]+(?!{_STOP_WORDS}(?!\w)){word}){{0,2}}"
    return re.compile(rf"(?:(?<![\w])({spaced})[ \t]+|({unspaced}))({phrase})", re.I)


def _is_cjk(word: str) -> bool:
    return any("\u3040" <= ch <= "\u9fff" for ch in word)


def _aspect_ratio(lowered: str) -> str:
    for match in _RATIO.finditer(lowered):
        width, height = int(match[1]), int(match[2])
        if 0 < width <= 32 and 0 < height <= 32 and max(width, height) / min(width, height) <= 4:
            return f"{width}:{height}"
    for word, ratio in lexicon.ASPECT_WORDS.items():
        if word in lowered:
            return ratio
    return ""


def _programming_language(text: str) -> tuple[str, str]:
    lowered = text.lower()
    for name, spellings in lexicon.PROGRAMMING_LANGUAGES.items():
        for spelling in spellings:
            match = re.search(rf"(?<![\w#+.]){re.escape(spelling)}(?![\w#+])(?:{_VERSION_AFTER})?", lowered)
            if match:
                return name, match[1] or ""
    return "", ""


def _first_word(lowered: str, words: tuple[str, ...]) -> str:
    best: tuple[int, str] | None = None
    for word in words:
        position = _find_word(lowered, word)
        if position >= 0 and (best is None or position < best[0]):
            best = (position, word)
    return best[1] if best else ""


def _find_word(lowered: str, word: str) -> int:
    if not word.isascii():
        return lowered.find(word)
    match = re.search(rf"(?<![\w]){re.escape(word)}s?(?![\w])", lowered)
    return match.start() if match else -1


def _references(lowered: str, blocks: tuple[CodeBlock, ...], text: str) -> tuple[str, ...]:
    """'this'/'it' words in a short prompt that carries no material for them to point at."""
    if blocks or ":" in text or _QUOTED.search(text) or _URL.search(text) or len(lowered.split()) > 14:
        return ()
    return _unique(w for w in lexicon.REFERENCE_WORDS if re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", lowered))
