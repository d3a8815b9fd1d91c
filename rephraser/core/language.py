"""Offline language detection for short prompts: script first, then function words and letters.

Rough prompts are often a handful of words, where statistical detectors guess wildly; this heuristic
is documented and predictable instead. Non-Latin scripts decide by themselves (kana -> ja, Han -> zh,
Hangul -> ko, Cyrillic -> ru/uk, ...). Latin text is scored by common function words and
language-specific letters; with no evidence at all it counts as English, the language of most
keyword-style prompts ("cat astronaut moon cool").
"""

from __future__ import annotations

import re

__all__ = ["LANGUAGE_NAMES", "detect_language"]

LANGUAGE_NAMES = {
    "en": "English", "de": "German", "es": "Spanish", "fr": "French", "pt": "Portuguese", "it": "Italian",
    "nl": "Dutch", "pl": "Polish", "tr": "Turkish", "sv": "Swedish", "ru": "Russian", "uk": "Ukrainian",
    "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "ar": "Arabic", "fa": "Persian", "he": "Hebrew",
    "el": "Greek", "hi": "Hindi", "th": "Thai",
}

# (language, pattern) in priority order; counted per character.
_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("zh", re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")),
    ("ko", re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("hi", re.compile(r"[\u0900-\u097f]")),
    ("th", re.compile(r"[\u0e00-\u0e7f]")),
)
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")

_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the a an and or of to in on for with is are be this that it my your please what how why "
                    "can could should would i you we not make write".split()),
    "de": frozenset("der die das und oder ein eine einen mit für ist sind nicht ich du wir bitte wie was warum "
                    "mein meine ohne auf zu im den dem des schreibe erstelle mach mache kannst".split()),
    "es": frozenset("el la los las y o un una unos con para por es son no yo tú por favor qué cómo porque "
                    "mi sin del al en que escribe haz crea puedes este esta".split()),
    "fr": frozenset("le la les et ou un une des avec pour est sont ne pas je tu nous s'il stp comment "
                    "pourquoi mon ma sans du au dans que écris fais crée peux ce cet cette ces".split()),
    "pt": frozenset("o a os as e ou um uma com para por é são não eu você por favor como porque meu minha "
                    "sem do da no na em que escreva faça crie pode este esta isso".split()),
    "it": frozenset("il lo la gli le e o un una con per è sono non io tu per favore come perché mio mia "
                    "senza del della nel che scrivi fai crea puoi questo questa".split()),
    "nl": frozenset("de het een en of met voor is zijn niet ik jij wij alsjeblieft hoe wat waarom mijn "
                    "zonder van op maak schrijf kun".split()),
    "pl": frozenset("i lub z dla jest są nie ja ty my proszę jak co dlaczego mój bez na w że napisz zrób".split()),
    "tr": frozenset("ve veya bir ile için bu şu ben sen lütfen nasıl neden değil yaz yap".split()),
    "sv": frozenset("och eller en ett med för är inte jag du vi snälla hur vad varför min utan på skriv gör".split()),
}

_LETTERS: dict[str, re.Pattern[str]] = {
    "de": re.compile(r"[äöüß]"),
    "es": re.compile(r"[ñ¿¡]"),
    "fr": re.compile(r"[èêëàâîïôûùœ]"),
    "pt": re.compile(r"[ãõ]"),
    "it": re.compile(r"[ìò]"),
    "pl": re.compile(r"[łąęśżźćń]"),
    "tr": re.compile(r"[ğşı]"),
    "sv": re.compile(r"[å]"),
}
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
_PERSIAN = re.compile(r"[پچژگ]")
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def detect_language(text: str) -> str:
    """Return the ISO 639-1 code of the text's language (see module docstring for the rules)."""
    latin = len(_LATIN.findall(text))
    best_script, best_count = "", 0
    for code, pattern in _SCRIPTS:
        count = len(pattern.findall(text))
        # One CJK character carries about as much as a Latin word: weigh it up against embedded code words.
        weight = 3 if code in ("ja", "zh", "ko") else 1
        if count * weight > best_count:
            best_script, best_count = code, count * weight
        if code == "ja" and count:
            best_script, best_count = "ja", max(best_count, count * 3 + len(_SCRIPTS[1][1].findall(text)) * 3)
            break
    if best_count and best_count >= latin * 0.5:
        return _refine_script(best_script, text)
    return _latin_language(text)


def _refine_script(code: str, text: str) -> str:
    if code == "ru" and _UKRAINIAN.search(text):
        return "uk"
    if code == "ar" and _PERSIAN.search(text):
        return "fa"
    return code


def _latin_language(text: str) -> str:
    words = [w.lower() for w in _WORD.findall(text)]
    scores = dict.fromkeys(_FUNCTION_WORDS, 0.0)
    for word in words:
        for code, vocabulary in _FUNCTION_WORDS.items():
            if word in vocabulary:
                scores[code] += 1.0
    lowered = text.lower()
    for code, pattern in _LETTERS.items():
        scores[code] += 1.5 * min(len(pattern.findall(lowered)), 3)
    best = max(scores, key=lambda code: scores[code])
    # Ties and near-ties (short keyword lists) go to English.
    if scores[best] <= scores["en"] or scores[best] < 1.0:
        return "en"
    return best
