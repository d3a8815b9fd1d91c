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

__all__ = ["FUNCTION_WORDS", "LANGUAGE_NAMES", "detect_language", "detect_language_confidently"]

LANGUAGE_NAMES = {
    "en": "English",
    "de": "German",
    "es": "Spanish",
    "fr": "French",
    "pt": "Portuguese",
    "it": "Italian",
    "nl": "Dutch",
    "pl": "Polish",
    "tr": "Turkish",
    "sv": "Swedish",
    "ru": "Russian",
    "uk": "Ukrainian",
    "zh": "Chinese",
    "ja": "Japanese",
    "ko": "Korean",
    "ar": "Arabic",
    "fa": "Persian",
    "he": "Hebrew",
    "el": "Greek",
    "hi": "Hindi",
    "th": "Thai",
}

# (language, first, last code point). Checked with ord() rather than regex classes: compiling wide
# Unicode ranges costs milliseconds, and this runs at every CLI start.
_SCRIPTS: tuple[tuple[str, int, int], ...] = (
    ("ja", 0x3040, 0x30FF),
    ("zh", 0x4E00, 0x9FFF),
    ("zh", 0x3400, 0x4DBF),
    ("ko", 0xAC00, 0xD7AF),
    ("ko", 0x1100, 0x11FF),
    ("ru", 0x0400, 0x04FF),
    ("ar", 0x0600, 0x06FF),
    ("he", 0x0590, 0x05FF),
    ("el", 0x0370, 0x03FF),
    ("hi", 0x0900, 0x097F),
    ("th", 0x0E00, 0x0E7F),
)
# Long texts are judged on their start; a prompt's language does not change halfway.
_SAMPLE_CHARS = 4000


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "the a an and or of to in on for with is are be this that it my your please what how why can "
        "could should would i you we not make write no at by from as all some any into about than so if but do does "
        "has have was were will just more very also only me our their its"
    ),
    "de": _words(
        "der die das und oder ein eine einen mit für ist sind nicht ich du wir bitte wie was warum mein "
        "meine ohne auf zu im den dem des schreibe erstelle mach mache kannst"
    ),
    "es": _words(
        "el la los las y o un una unos con para por es son no yo tú favor qué cómo porque mi sin del al "
        "en que escribe haz crea puedes este esta"
    ),
    "fr": _words(
        "le la les et ou un une des avec pour est sont ne pas je tu nous s'il stp comment pourquoi mon ma "
        "sans du au dans que écris fais crée peux ce cet cette ces"
    ),
    "pt": _words(
        "o a os as e ou um uma com para por é são não eu você favor como porque meu minha sem do da no na "
        "em que escreva faça crie pode este esta isso"
    ),
    "it": _words(
        "il lo la gli le e o un una con per è sono non io tu favore come perché mio mia senza del della "
        "nel che scrivi fai crea puoi questo questa al alla allo ai di da dei delle gli"
    ),
    "nl": _words(
        "de het een en of met voor is zijn niet ik jij wij alsjeblieft hoe wat waarom mijn zonder van op "
        "maak schrijf kun"
    ),
    "pl": _words("i lub z dla jest są nie ja ty my proszę jak co dlaczego mój bez na w że napisz zrób"),
    "tr": _words("ve veya bir ile için bu şu ben sen lütfen nasıl neden değil yaz yap"),
    "sv": _words("och eller en ett med för är inte jag du vi snälla hur vad varför min utan på skriv gör"),
}

# Every language's function words together: words that carry no subject of their own.
FUNCTION_WORDS: frozenset[str] = frozenset().union(*_FUNCTION_WORDS.values())

# Letters that occur in one of these languages and hardly in the others.
_LETTERS: dict[str, str] = {
    "de": "äöüß",
    "es": "ñ¿¡",
    "fr": "èêëàâîïôûùœ",
    "pt": "ãõ",
    "it": "ìò",
    "pl": "łąęśżźćń",
    "tr": "ğşı",
    "sv": "å",
}
_UKRAINIAN = "іїєґІЇЄҐ"
_PERSIAN = "پچژگ"
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
        weight = 3 if script in ("ja", "zh", "ko") else 1
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
    if detected in {code for code, _first, _last in _SCRIPTS} | {"uk", "fa"}:
        return detected
    scores = _latin_scores(text)
    ranked = sorted(scores.values(), reverse=True)
    best = max(scores, key=lambda code: scores[code])
    clear = ranked[0] >= 3.0 and ranked[0] >= 2.0 * ranked[1]
    return best if clear or (ranked[0] >= 5.0 and ranked[0] >= 1.5 * ranked[1]) else ""


def _script_counts(text: str) -> dict[str, int]:
    if text.isascii():  # most prompts: Latin letters only, counted in C
        return {"latin": len(text)} if text else {}  # the count matters only beside other scripts
    counts: dict[str, int] = {}
    for char in text:
        point = ord(char)
        if point < 0x250:
            if char.isalpha():
                counts["latin"] = counts.get("latin", 0) + 1
            continue
        for code, first, last in _SCRIPTS:
            if first <= point <= last:
                counts[code] = counts.get(code, 0) + 1
                break
    return counts


def _refine_script(code: str, text: str) -> str:
    if code == "ru" and any(letter in text for letter in _UKRAINIAN):
        return "uk"
    if code == "ar" and any(letter in text for letter in _PERSIAN):
        return "fa"
    return code


def _latin_language(text: str) -> str:
    scores = _latin_scores(text)
    best = max(scores, key=lambda code: scores[code])
    # Ties and near-ties (short keyword lists) go to English.
    if scores[best] <= scores["en"] or scores[best] < 1.0:
        return "en"
    return best


def _latin_scores(text: str) -> dict[str, float]:
    words = [w.lower() for w in _WORD.findall(text)]
    scores = dict.fromkeys(_FUNCTION_WORDS, 0.0)
    for word in words:
        for code, vocabulary in _FUNCTION_WORDS.items():
            if word in vocabulary:
                scores[code] += 1.0
    lowered = text.lower()
    for code, letters in _LETTERS.items():
        scores[code] += 1.5 * min(sum(lowered.count(letter) for letter in letters), 3)
    return scores
