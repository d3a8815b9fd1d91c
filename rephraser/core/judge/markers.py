"""The judge's words, per language: how a refusal opens, how an answer announces itself, which verbs open a
request to a model, how a prompt addresses the model, and which units give an answer its size.

The words are in each language pack's [judge] section (rephraser/core/lang/<code>.toml), one list per
field of Markers. Each language lists its own words; the judge reads the detected language's list plus
English (models often answer in English whatever they were asked in). Phrases are lower-case; for
languages written with spaces they match at word boundaries, for Chinese, Japanese and Korean anywhere.
"""

from __future__ import annotations

from typing import NamedTuple

from rephraser.core import lang

__all__ = ["CAPITALISES_NOUNS", "MARKERS", "NO_SPACES", "UNSPACED_WORDS", "Markers"]


class Markers(NamedTuple):
    """One language's words (see the module docstring)."""

    refusal: tuple[str, ...] = ()  # a reply that opens with one of these declines
    asks_back: tuple[str, ...] = ()  # a reply that opens with one of these asks the user instead of rewriting
    answer: tuple[str, ...] = ()  # announces an answer or a finished piece of work, anywhere in the reply
    chatter: tuple[str, ...] = ()  # an assistant talking to the user after (or around) doing the task
    request: tuple[str, ...] = ()  # verbs and phrases that open a request to a model
    address: tuple[str, ...] = ()  # a prompt speaking to the model ("you are", "act as", "your task")
    meta: tuple[str, ...] = ()  # words about the answer to produce ("the response", "output format")
    greeting: tuple[str, ...] = ()  # a letter or email opening: the email was written, not asked for
    signoff: tuple[str, ...] = ()
    units: tuple[str, ...] = ()  # after a number they size the answer: "3 bullet points", "150 words"
    examples: tuple[str, ...] = ()  # "for example": what follows is an illustration, not a claimed fact
    assumption: tuple[str, ...] = ()  # "assume", "assumed": a default the rewrite marks as its own
    injection: tuple[str, ...] = ()  # phrases that tell the model to drop its instructions
    constraint: tuple[str, ...] = ()  # words that open a constraint whose object must survive ("ignore the header")


def _markers(code: str) -> Markers:
    return Markers(**{field: tuple(words) for field, words in lang.section(code, "judge").items()})


# Every language pack's [judge] section (rephraser/core/lang/<code>.toml), for the languages that have one.
MARKERS: dict[str, Markers] = {
    code: _markers(code) for code in lang.codes() if any(lang.section(code, "judge").values())
}

# Languages that capitalise every noun: a capitalised word there is no sign of a name.
CAPITALISES_NOUNS = frozenset(pack.code for pack in lang.languages() if pack.capitalises_nouns)
# Scripts written without spaces between words: match phrases anywhere, count characters, not words.
NO_SPACES = frozenset(pack.code for pack in lang.languages() if pack.no_spaces)
# Languages whose words cannot be told apart by spaces: those written without them, and the CJK scripts
# (Korean spaces its words but glues endings onto them).
UNSPACED_WORDS = NO_SPACES | frozenset(pack.code for pack in lang.languages() if pack.cjk)
