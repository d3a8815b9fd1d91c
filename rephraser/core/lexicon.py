"""The word lists the offline analysis matches against, from the language packs' [analysis] lists
(rephraser/core/lang/<code>.toml, shared.toml first, then the languages in rank order).

`for_languages(language_set)` joins shared.toml, English and the given languages only, so one language's
words never fire in another's text (Italian "mai" in an English "main"); None joins every pack (the text
says nothing about its language). `language.pack_languages(text)` picks the set.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from rephraser.core import lang

__all__ = ["PROGRAMMING_LANGUAGES", "Lexicon", "for_languages"]

# Canonical name -> how users write it (shared.toml: the same in every language).
PROGRAMMING_LANGUAGES: dict[str, tuple[str, ...]] = {
    str(name): tuple(spellings) for name, spellings in lang.shared("programming_languages").items()
}


class Lexicon(NamedTuple):
    """The [analysis] lists of a set of packs."""

    negation_prefixes: tuple[str, ...]  # words that start a negated phrase ("no text", "ohne Zucker")
    negation_suffixes: tuple[str, ...]  # languages that negate after the noun (Japanese "文字なし")
    stop_words: tuple[str, ...]  # words that end a negated phrase: "no text or logos"
    aspect_words: dict[str, str]  # words that fix an image's aspect ratio (the first one found wins)
    media_words: tuple[str, ...]  # what a multimodal prompt is about (on a tie, the one listed first)
    reference_words: tuple[str, ...]  # words that point at something the prompt lacks ("fix this")
    question_openers: frozenset[str]  # words that open a question when the "?" is left out
    question_markers: tuple[str, ...]  # (CJK) words or endings that mark a question
    style_words: tuple[str, ...]  # words that already give an image prompt its style
    lighting_words: tuple[str, ...]  # ... or its light (then no [placeholder] is needed)


@cache
def for_languages(only: frozenset[str] | None) -> Lexicon:
    """The lists of shared.toml and the packs in `only` (None: every pack)."""

    def words(field: str) -> tuple[str, ...]:
        found: tuple[str, ...] = lang.merged("analysis", field, only)
        return found

    aspect = lang.merged_table("analysis", "aspect_words", only)
    return Lexicon(
        negation_prefixes=words("negation_prefixes"),
        negation_suffixes=words("negation_suffixes"),
        stop_words=words("stop_words"),
        aspect_words={str(word): str(ratio) for word, ratio in aspect.items()},
        media_words=words("media_words"),
        reference_words=words("reference_words"),
        question_openers=frozenset(words("question_openers")),
        question_markers=words("question_markers"),
        style_words=words("style_words"),
        lighting_words=words("lighting_words"),
    )
