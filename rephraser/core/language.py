"""Offline language detection for short prompts: script first, then function words and letters.

Rough prompts are often a handful of words, where statistical detectors guess wildly; this heuristic
is documented and predictable instead. Non-Latin scripts decide by themselves (kana -> ja, Han -> zh,
Hangul -> ko, Cyrillic -> ru/uk, ...). Latin text is scored by common function words and
language-specific letters; with no evidence at all it counts as English, the language of most
keyword-style prompts ("cat astronaut moon cool").
"""

from __future__ import annotations

import re
from functools import lru_cache

from rephraser.core import lang

__all__ = ["FUNCTION_WORDS", "LANGUAGE_NAMES", "detect_language", "detect_language_confidently", "pack_languages"]

# Every language pack's [language] section (rephraser/core/lang/<code>.toml), in rank order.
LANGUAGE_NAMES = {pack.code: pack.name for pack in lang.languages()}

# (language, first, last code point) of the scripts only one language writes in. Checked with ord() rather
# than regex classes: compiling wide Unicode ranges costs milliseconds, and this runs at every CLI start.
_SCRIPTS: tuple[tuple[str, int, int], ...] = tuple(
    (pack.code, first, last) for pack in lang.languages() for first, last in pack.script
)
# The same by 256-code-point block: a block inside one script's range names it; a block a range only
# partly covers is looked up in _SCRIPTS (one dict look-up per character instead of a loop over ranges).
_PARTIAL = ""


def _blocks() -> dict[int, str]:
    blocks: dict[int, str] = {}
    for code, first, last in _SCRIPTS:
        for block in range(first >> 8, (last >> 8) + 1):
            whole = first <= block << 8 and (block << 8) + 255 <= last
            blocks[block] = code if whole and block not in blocks else _PARTIAL
    return blocks


_SCRIPT_BLOCKS = _blocks()
# Most replies are Latin text with a few other characters (curly quotes, dashes): the ASCII letters are
# counted in C, and only the rest character by character.
_NOT_ASCII_LETTERS = bytes(byte for byte in range(128) if not chr(byte).isalpha())
_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")
# Languages written in another's script, told apart by their letters: {"ru": (("uk", "іїєґ..."),)}.
_REFINED: dict[str, tuple[tuple[str, str], ...]] = {
    base: tuple((p.code, p.letters) for p in lang.languages() if p.refines == base)
    for base in {pack.refines for pack in lang.languages() if pack.refines}
}
_OWN_SCRIPT = frozenset(pack.code for pack in lang.languages() if pack.script or pack.refines)
_CJK = frozenset(pack.code for pack in lang.languages() if pack.cjk)
_LATIN = tuple(pack for pack in lang.languages() if not pack.script and not pack.refines)
# Long texts are judged on their start; a prompt's language does not change halfway.
_SAMPLE_CHARS = 4000

# Latin-script languages' function words, in rank order (a tie goes to the first).
_FUNCTION_WORDS: dict[str, frozenset[str]] = {pack.code: pack.function_words for pack in _LATIN}


def _languages_of_words() -> dict[str, tuple[str, ...]]:
    """_FUNCTION_WORDS inverted: word -> the languages it is a function word of, in rank order."""
    languages: dict[str, tuple[str, ...]] = {}
    for code, words in _FUNCTION_WORDS.items():
        for word in words:
            languages[word] = (*languages.get(word, ()), code)
    return languages


_LANGUAGES_OF_WORD = _languages_of_words()

# Every language's function words together: words that carry no subject of their own.
FUNCTION_WORDS: frozenset[str] = frozenset().union(*(pack.function_words for pack in lang.languages()))

# Letters that occur in one of these languages and hardly in the others.
_LETTERS: dict[str, str] = {pack.code: pack.letters for pack in _LATIN if pack.letters}
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


@lru_cache(maxsize=512)  # the judge asks about the same prompt and reply several times
def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of the text's language (see module docstring for the rules)."""
    counts = _script_counts(text[:_SAMPLE_CHARS])
    latin = counts.pop("latin", 0)
    if counts.get("ja"):
        # Kana only occur in Japanese; Japanese text also uses Han characters.
        counts["ja"] += counts.pop("zh", 0)
    if counts:
        script = max(counts, key=lambda code: counts[code])
        # One CJK character carries about as much as a Latin word: weigh it up against embedded code words.
        weight = 3 if script in _CJK else 1
        if counts[script] * weight >= latin * 0.5:
            return _refine_script(script, text)
    return _latin_language(text)


@lru_cache(maxsize=512)
def detect_language_confidently(text: str) -> str:
    """The text's language when the evidence is clear, else "": a script of its own, or Latin text whose
    function words and letters point at one language well ahead of the others. The judge compares
    languages only where both sides are clear (a three-word prompt has no reliable language)."""
    counts = _script_counts(text[:_SAMPLE_CHARS])
    counts.pop("latin", 0)
    detected = detect_language(text) if counts else ""
    if detected in _OWN_SCRIPT:
        return detected
    scores = _latin_scores(text)
    ranked = sorted(scores.values(), reverse=True)
    best = max(scores, key=lambda code: scores[code])
    clear = ranked[0] >= 3.0 and ranked[0] >= 2.0 * ranked[1]
    return best if clear or (ranked[0] >= 5.0 and ranked[0] >= 1.5 * ranked[1]) else ""


@lru_cache(maxsize=512)
def pack_languages(text: str) -> frozenset[str] | None:
    """The languages whose packs' words count for `text` (analysis, detection): English, the language of
    each other script it is written in, and the Latin-script language it is clearly in; None (every
    pack) when Latin text does not say which language it is in ("foto gato playa" has no word that
    says Spanish). Related languages come along (`related` in each pack)."""
    scripts = {_refine_script(code, text) for code in _script_counts(text[:_SAMPLE_CHARS]) if code != "latin"}
    clear = detect_language_confidently(text)
    if not scripts and not clear:
        return None
    return _with_relatives({"en", *scripts, *([clear] if clear else [])})


def _with_relatives(codes: set[str]) -> frozenset[str]:
    """A word shared by related languages sits in one pack ("captura" in pt's, not es's): their packs count."""
    return frozenset(codes.union(*(lang.language(code).related for code in codes if code in lang.codes())))


def _script_counts(text: str) -> dict[str, int]:
    """Letters per script ("latin" first), the other scripts in the order they first occur."""
    if text.isascii():  # most prompts: Latin letters only, counted in C
        return {"latin": len(text)} if text else {}  # the count matters only beside other scripts
    latin = len(text.encode("ascii", "ignore").translate(None, _NOT_ASCII_LETTERS))
    counts: dict[str, int] = {"latin": latin} if latin else {}
    for char in _ASCII_RUNS.sub("", text):
        point = ord(char)
        if point < 0x250:
            if char.isalpha():
                counts["latin"] = counts.get("latin", 0) + 1
            continue
        code = _SCRIPT_BLOCKS.get(point >> 8)
        if code is None:
            continue
        if code == _PARTIAL:
            code = next((c for c, first, last in _SCRIPTS if first <= point <= last), None)
            if code is None:
                continue
        counts[code] = counts.get(code, 0) + 1
    return counts


def _refine_script(code: str, text: str) -> str:
    for refined, letters in _REFINED.get(code, ()):
        if any(letter in text for letter in letters):
            return refined
    return code


def _latin_language(text: str) -> str:
    scores = _latin_scores(text)
    best = max(scores, key=lambda code: scores[code])
    # Ties and near-ties (short keyword lists) go to English.
    if scores[best] <= scores["en"] or scores[best] < 1.0:
        return "en"
    return best


@lru_cache(maxsize=512)  # read by detect_language and detect_language_confidently alike; never mutated
def _latin_scores(text: str) -> dict[str, float]:
    scores = dict.fromkeys(_FUNCTION_WORDS, 0.0)
    for word in _WORD.findall(text):
        for code in _LANGUAGES_OF_WORD.get(word.lower(), ()):
            scores[code] += 1.0
    lowered = text.lower()
    for code, letters in _LETTERS.items():
        scores[code] += 1.5 * min(sum(lowered.count(letter) for letter in letters), 3)
    return scores
