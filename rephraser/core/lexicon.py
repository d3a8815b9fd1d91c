"""The word lists the offline analysis matches against: every language pack's [analysis] lists joined
(rephraser/core/lang/<code>.toml, shared.toml first, then the languages in rank order)."""

from __future__ import annotations

from rephraser.core import lang

__all__ = [
    "ASPECT_WORDS",
    "LIGHTING_WORDS",
    "MEDIA_WORDS",
    "NEGATION_PREFIXES",
    "NEGATION_SUFFIXES",
    "PROGRAMMING_LANGUAGES",
    "QUESTION_MARKERS_CJK",
    "QUESTION_OPENERS",
    "REFERENCE_WORDS",
    "STOP_WORDS",
    "STYLE_WORDS",
]


def _words(field: str) -> tuple[str, ...]:
    words: tuple[str, ...] = lang.merged("analysis", field)
    return words


# Words that start a negated phrase ("no text", "ohne Zucker", "sin jerga").
NEGATION_PREFIXES = _words("negation_prefixes")
# Languages that negate after the noun (Japanese "文字なし" = "no text").
NEGATION_SUFFIXES = _words("negation_suffixes")
# Words that end a negated phrase: "no text or logos" excludes "text", then "logos" separately.
STOP_WORDS = _words("stop_words")

# Words that fix an image's aspect ratio (the first one found wins, so order matters).
ASPECT_WORDS: dict[str, str] = {
    str(word): str(ratio) for word, ratio in lang.merged_table("analysis", "aspect_words").items()
}

# What a multimodal prompt may be about, as the user writes it (on a tie, the one listed first wins).
MEDIA_WORDS = _words("media_words")

# Canonical name -> how users write it (shared.toml: the same in every language).
PROGRAMMING_LANGUAGES: dict[str, tuple[str, ...]] = {
    str(name): tuple(spellings) for name, spellings in lang.shared("programming_languages").items()
}

# Words that point at something the prompt does not contain ("fix this", "erkläre das").
REFERENCE_WORDS = _words("reference_words")

# Words that open a question, and (CJK) words or endings that mark one, when the "?" is left out.
QUESTION_OPENERS = frozenset(_words("question_openers"))
QUESTION_MARKERS_CJK = _words("question_markers")

# Words that already give an image prompt its style or its light (then no [placeholder] is needed).
STYLE_WORDS = _words("style_words")
LIGHTING_WORDS = _words("lighting_words")
