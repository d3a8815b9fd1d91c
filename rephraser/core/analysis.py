"""Deterministic extraction of what a prompt contains: the slots an offline rewrite fills.

Nothing here guesses or invents: every value is a piece of the input as written (or a ratio the input
names in words). Templates receive an `Analysis` as `a`.
"""

from __future__ import annotations

import re
from functools import cache
from typing import NamedTuple

from rephraser.core import lexicon
from rephraser.core.code_blocks import CodeBlock, split_code
from rephraser.core.lang import matches_inside_words
from rephraser.core.language import detect_language, detect_language_confidently, pack_languages
from rephraser.core.lazy_regex import LazyPattern
from rephraser.core.word_matching import NormalisedText

__all__ = ["Analysis", "analyze"]


class Analysis(NamedTuple):
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
    styles: tuple[str, ...]  # style words the prompt already has (image prompts)
    lighting: tuple[str, ...]  # light and mood words it already has
    references: tuple[str, ...]  # "this"/"it" with nothing in the prompt for them to point at
    is_question: bool

    @property
    def must_keep(self) -> tuple[str, ...]:
        """Facts that every rewrite must carry verbatim."""
        groups = (
            self.quoted,
            self.placeholders,
            self.urls,
            self.paths,
            self.numbers,
            self.identifiers,
            self.names,
            tuple(b.text for b in self.code_blocks),
        )
        return _unique(item for group in groups for item in group)


_DIGITS = tuple("0123456789")
_UPPER = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_QUOTED = LazyPattern(
    r'"([^"\n]{1,300})"|“([^”\n]{1,300})”|„([^“”\n]{1,300})[“”]|«\s?([^»\n]{1,300}?)\s?»'
    r"|(?<![\w])'([^'\n]{1,300})'(?![\w])|`([^`\n]{1,300})`|「([^」\n]{1,300})」|『([^』\n]{1,300})』",
    triggers=tuple("\"“„«'`「『"),
)
_PLACEHOLDER = LazyPattern(
    r"\{\{\s*[\w.]+\s*\}\}|\{[\w.]+\}|\[[A-Z][A-Z0-9_ ]*\]|<[A-Z][A-Z0-9_]*>|\$[A-Z][A-Z0-9_]+", triggers=tuple("{[<$")
)
_URL = LazyPattern(r"\bhttps?://[^\s<>\"'`]+[^\s<>\"'`.,;:!?)\]]", triggers=("http",))
_PATH = LazyPattern(
    r"(?<![\w/:])(?:~|\.{1,2})?/(?:[\w.\-]+/)*[\w.\-]+|\b[A-Za-z]:\\[\w\\.\-]+"
    r"|\b[\w\-]+\.(?:py|js|ts|tsx|jsx|json|toml|yaml|yml|md|txt|csv|html|css|rs|go|java|kt|c|h"
    r"|cpp|hpp|cs|rb|php|sh|sql|ipynb|pdf|png|jpg|svg|xml|ini|cfg|lock|log)\b",
    triggers=tuple("/\\."),
)
_NUMBER = LazyPattern(r"(?<![\w.])\d+(?:[.,:]\d+)*(?:%|[a-zA-Z°]{1,3}\b)?", triggers=_DIGITS)
_IDENTIFIER = LazyPattern(
    r"\b(?:[a-z_][a-z0-9]*_[a-z0-9_]+|[a-z]+[A-Z][A-Za-z0-9]*|[A-Z][a-z0-9]+[A-Z]\w*"
    r"|\w+\.\w+(?:\.\w+)*\([\w, ]*\)|\w+\([\w, ]*\))",
    triggers=("_", "(", *_UPPER),
)
_NAME = LazyPattern(r"(?<=[a-z,;] )[A-Z][\w\-]+(?: [A-Z][\w\-]+)*", triggers=_UPPER)
_RATIO = LazyPattern(r"(?<![\d:])(\d{1,2}) ?[:x×] ?(\d{1,2})(?![\d:])", triggers=_DIGITS)
_VERSION_AFTER = r"\s*v?(\d+(?:\.\d+){0,2})\b"


def analyze(text: str) -> Analysis:
    """Extract the slots of `text` (see Analysis), with the word lists of its languages' packs."""
    prose, blocks = split_code(text)
    lowered = prose.lower()
    normalised = NormalisedText.of(text)
    prose_words = NormalisedText.of(prose)
    only = pack_languages(text)
    words_of = lexicon.for_languages(only)
    language, version = _programming_language(normalised)
    exclusions, negations = _negations(prose, only, _not_negating(text))
    words = _without_urls(prose)  # a URL's digits and names belong to the URL, kept whole
    return Analysis(
        prose=prose,
        code_blocks=blocks,
        quoted=_unique(next(g for g in m.groups() if g) for m in _QUOTED.finditer(text)),
        placeholders=_unique(_PLACEHOLDER.findall(text)),
        urls=_unique(_URL.findall(text)),
        paths=_unique(p for p in _PATH.findall(text) if not _URL.search(p)),
        numbers=_unique(_NUMBER.findall(words)),
        identifiers=_unique(_IDENTIFIER.findall(words)),
        names=_unique(_NAME.findall(prose)),
        negations=negations,
        exclusions=exclusions,
        aspect_ratio=_aspect_ratio(lowered, prose_words, only),
        programming_language=language,
        language_version=version,
        media=_first_word(prose_words, words_of.media_words),
        styles=_found_words(prose_words, words_of.style_words),
        lighting=_found_words(prose_words, words_of.lighting_words),
        references=_references(normalised, blocks, words_of),
        is_question=_is_question(prose, words_of),
    )


def _is_question(prose: str, words_of: lexicon.Lexicon) -> bool:
    stripped = prose.strip()
    if stripped.endswith(("?", "？")) or stripped.startswith("¿"):
        return True
    first = stripped.split(maxsplit=1)[0].lower().rstrip(",:") if stripped else ""
    return first in words_of.question_openers or any(m in stripped for m in words_of.question_markers)


def _without_urls(text: str) -> str:
    return _URL.compiled.sub(" ", text) if "http" in text else text


def _unique(items: object) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:  # type: ignore[attr-defined]
        if item and item not in seen:
            seen[item] = None
    return tuple(seen)


def _not_negating(text: str) -> frozenset[str]:
    """Negation words of other packs that the text's own language uses otherwise (its pack's
    `not_negations`: Portuguese "no" and "na" mean "in the", never English "no")."""
    own = detect_language_confidently(text) or detect_language(text)
    if not own or own == "en":
        return frozenset()
    from rephraser.core import lang

    return lang.not_negations(own)


def _negations(
    prose: str, only: frozenset[str] | None, not_negating: frozenset[str] = frozenset()
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return (what is excluded, the whole negated phrases), both as written."""
    if not _may_negate(NormalisedText.of(prose), only, not_negating):
        return (), ()  # skips compiling the patterns below for most prompts
    prefix, suffix = _negation_patterns(only, not_negating)
    excluded: list[str] = []
    phrases: list[str] = []
    for match in prefix.finditer(prose):
        excluded.append(match[3])
        phrases.append(match[0].strip())
    for match in suffix.finditer(prose):
        excluded.append(match[1])
        phrases.append(match[0])
    return _unique(excluded), _unique(phrases)


def _may_negate(text: NormalisedText, only: frozenset[str] | None, not_negating: frozenset[str]) -> bool:
    spaced, unspaced = _negation_words(only)
    spaced = tuple(word for word in spaced if word not in not_negating)
    return any(word in text.lowered for word in unspaced) or any(
        f" {word} " in text.padded or word in text.tokens for word in spaced
    )


@cache
def _negation_words(only: frozenset[str] | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(spaced, unspaced) negation words: CJK ones match anywhere, the others as words."""
    words_of = lexicon.for_languages(only)
    words = words_of.negation_prefixes + words_of.negation_suffixes
    unspaced = tuple(word for word in words if matches_inside_words(word))
    return tuple(word for word in words if word not in unspaced), unspaced


@cache
def _negation_patterns(
    only: frozenset[str] | None, not_negating: frozenset[str] = frozenset()
) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(prefix, suffix) patterns. Spaced scripts need a space after the negation word ("mai" must not
    match "main"); CJK needs none; Japanese negates after the noun."""
    words_of = lexicon.for_languages(only)
    suffixes = "|".join(re.escape(s) for s in words_of.negation_suffixes) or "(?!)"
    suffix = re.compile(rf"([^\s、。,.!?なし]{{1,8}}?)({suffixes})")
    ordered = sorted((w for w in words_of.negation_prefixes if w not in not_negating), key=len, reverse=True)
    # An empty alternative would match everywhere: "(?!)" never does (a set of packs without CJK ones).
    spaced = "|".join(re.escape(w) for w in ordered if not matches_inside_words(w)) or "(?!)"
    unspaced = "|".join(re.escape(w) for w in ordered if matches_inside_words(w)) or "(?!)"
    word = r"[^\s,.;!?。，、]+"
    # A stop word ends the phrase: "no text or logos" excludes "text", then "logos" separately.
    stop = "(?:" + ("|".join(re.escape(w) for w in words_of.stop_words) or "(?!)") + ")"
    phrase = rf"{word}(?:[ \t]+(?!{stop}(?!\w)){word}){{0,2}}"
    return re.compile(rf"(?:(?<![\w])({spaced})[ \t]+|({unspaced}))({phrase})", re.I), suffix


def _aspect_ratio(lowered: str, words: NormalisedText, only: frozenset[str] | None) -> str:
    for match in _RATIO.finditer(lowered):
        width, height = int(match[1]), int(match[2])
        if 0 < width <= 32 and 0 < height <= 32 and max(width, height) / min(width, height) <= 4:
            return f"{width}:{height}"
    for word, ratio, cjk in _aspect_words(only):
        if _aspect_word_in(word, cjk, words):
            return ratio
    return ""


@cache
def _aspect_words(only: frozenset[str] | None) -> tuple[tuple[str, str, bool], ...]:
    """(word, ratio, written without spaces) once per set of packs, not per prompt."""
    return tuple(
        (word, ratio, matches_inside_words(word)) for word, ratio in lexicon.for_languages(only).aspect_words.items()
    )


def _aspect_word_in(word: str, cjk: bool, text: NormalisedText) -> bool:
    """A whole word ("story", not inside "history"; "stories" too), a run of words, a stem at a word's start
    ("вертикальн" in "вертикальный"), or for Chinese and Japanese a plain substring."""
    if cjk:
        return word in text.lowered
    if " " in word:
        return f" {word} " in text.padded
    if word.isascii():
        return word in text.tokens or f"{word}s" in text.tokens or f"{word[:-1]}ies" in text.tokens
    return any(token.startswith(word) for token in text.tokens)


def _programming_language(text: NormalisedText) -> tuple[str, str]:
    for name, spellings in lexicon.PROGRAMMING_LANGUAGES.items():
        for spelling in spellings:
            found = f" {spelling} " in text.padded if " " in spelling else spelling in text.tokens
            if found:
                version = re.search(rf"{re.escape(spelling)}{_VERSION_AFTER}", text.lowered)
                return name, version[1] if version else ""
    return "", ""


def _word_hits(text: NormalisedText, words: tuple[str, ...]) -> list[tuple[int, str]]:
    """(position, word) for each word of `words` in the text, matching whole words or plurals."""
    return [(position, word) for word in words if (position := _find_word(text, word)) >= 0]


def _first_word(text: NormalisedText, words: tuple[str, ...]) -> str:
    """The word of `words` that comes first in the text ("" if none; on a tie, the one listed first)."""
    hits = _word_hits(text, words)
    return min(hits, key=lambda hit: hit[0])[1] if hits else ""


def _found_words(text: NormalisedText, words: tuple[str, ...]) -> tuple[str, ...]:
    """Each word of `words` the text contains, as the text writes it, in the text's order."""
    spans = []
    for _, word in sorted(_word_hits(text, words)):
        start = text.lowered.find(word)  # lower-casing keeps these words' offsets
        spans.append(text.original[start : start + len(word)] if start >= 0 else word)
    return _unique(spans)


def _find_word(text: NormalisedText, word: str) -> int:
    if not word.isascii():
        return text.lowered.find(word)
    if " " not in word and word not in text.tokens and f"{word}s" not in text.tokens:
        return -1  # a set look-up first: most words of a long list are not in a short prompt
    for form in (f" {word} ", f" {word}s "):
        position = text.padded.find(form)
        if position >= 0:
            return position
    return -1


def _references(text: NormalisedText, blocks: tuple[CodeBlock, ...], words_of: lexicon.Lexicon) -> tuple[str, ...]:
    """'this'/'it' words in a short prompt that carries no material for them to point at."""
    raw = text.original
    if blocks or ":" in raw or _QUOTED.search(raw) or _URL.search(raw) or len(text.lowered.split()) > 14:
        return ()
    return tuple(word for word in words_of.reference_words if word in text.tokens)
