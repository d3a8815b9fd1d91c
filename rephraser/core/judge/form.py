"""The reply's form: the prompt's language, the target's syntax, and a length within reason."""

from __future__ import annotations

import re

from rephraser.core import lang
from rephraser.core.code_blocks import split_code
from rephraser.core.image_syntax import flux_negations, midjourney_problems, split_parameters
from rephraser.core.lang import matches_inside_words
from rephraser.core.language import detect_language, detect_language_confidently

__all__ = ["LENGTH_BUDGET_WORDS", "switched_language", "syntax_problems", "too_long"]

_QUOTED = re.compile(r'"[^"\n]*"|“[^”\n]*”|«[^»\n]*»|`[^`\n]*`|\[[^\]\n]*\]|https?://\S+|(?<!\w)\'[^\'\n]{3,}\'(?!\w)')


def switched_language(original: str, output: str, *, in_english: bool) -> str:
    """The reply's language when it clearly differs from the prompt's ("" when it does not, or when
    either is too short to tell). An English image prompt is right when `in_english` asks for it."""
    after = detect_language_confidently(_prose(output))
    plain = detect_language(_prose(original))
    # A short prompt rarely has a clear language; its plain reading counts when it found any evidence.
    before = detect_language_confidently(_prose(original)) or (plain if plain != "en" and after == "en" else "")
    if not before or not after or before == after:
        return ""
    if in_english and after == "en":
        return ""
    if _same_words(original, output):
        return ""  # the prompt's own words came back: misread as another language, not translated
    return after


_CONTENT_WORD = re.compile(r"(?<![\w-])[^\W\d_]{4,}(?![\w-])")


def _same_words(original: str, output: str) -> bool:
    """Most of the prompt's lower-case words of four letters or more are in the reply (by their first
    four letters, without accents): a translation would have changed them. Names and terms, which
    survive a translation, are left out by their capital; scripts without spaces are not compared."""
    from rephraser.core.judge.facts import plain_text

    words = [w for w in _CONTENT_WORD.findall(_prose(original)) if not w[0].isupper() and not matches_inside_words(w)]
    if any(ord(ch) > 0x2FF and ch.isalpha() for ch in original):
        words = [w for w in words if not w.isascii()]  # "print", "range" in a Japanese prompt are code
    if len(words) < 2:
        return False
    kept = plain_text(output)
    return sum(plain_text(w)[:4] in kept for w in words) >= 0.6 * len(words)


def _prose(text: str) -> str:
    prose, _blocks = split_code(text)
    return _QUOTED.sub(" ", prose)


_MJ_RANGES = {"stylize": 1000, "s": 1000, "chaos": 100, "c": 100, "weird": 3000, "w": 3000}
_SD_WEIGHT = re.compile(r"\(([^():\n]+):(\d+(?:\.\d+)?)\)")
_MJ_PARAMETER = re.compile(r"(?<!\S)--([a-z]+)")


def syntax_problems(original: str, output: str, *, family: str, language: str, has_exclusions: bool) -> list[str]:
    """What breaks the image model's syntax: Midjourney parameters that are invalid, out of range, not at
    the end or lost; an SDXL prompt without its negative prompt or with weights out of range; a FLUX
    prompt that names what it excludes."""
    problems = []
    if family == "midjourney" or _MJ_PARAMETER.search(output):
        problems += _midjourney(original, output)
    if family == "sdxl":
        problems += _sdxl(output, has_exclusions)
    if family == "flux":
        words = [word for word in flux_negations(output) if word.lower() not in lang.not_negations(language)]
        problems += [f'a FLUX prompt must not negate ("{word}")' for word in words[:1]]
    return problems


def _midjourney(original: str, output: str) -> list[str]:
    problems = midjourney_problems(output.strip())
    prompt, parameters = split_parameters(output.strip())
    if parameters and not prompt:
        problems.append("the parameters must come last, after the prompt")
    for name, value in re.findall(r"--([a-z]+)\s+(\d+)", parameters):
        limit = _MJ_RANGES.get(name)
        if limit is not None and int(value) > limit:
            problems.append(f"--{name} {value} is out of range (0-{limit})")
    given = set(_MJ_PARAMETER.findall(split_parameters(original)[1]))
    lost = given - set(_MJ_PARAMETER.findall(parameters))
    problems += [f"the parameter --{name} was lost" for name in sorted(lost)]
    return problems


def _sdxl(output: str, has_exclusions: bool) -> list[str]:
    problems = []
    if has_exclusions and not re.search(r"^\W*negative(?: prompt)?\W*[:：]", output, re.I | re.M):
        problems.append("an SDXL prompt needs its exclusions in a separate negative prompt")
    for _phrase, weight in _SD_WEIGHT.findall(output):
        if not 0.1 <= float(weight) <= 2.0:
            problems.append(f"the weight {weight} is out of range (0.1-2.0)")
    return problems


# Words a rewrite may reasonably run to, per target or profile (besides the prompt's own words).
LENGTH_BUDGET_WORDS = {
    "chat": 120,
    "code": 130,
    "image": 60,
    "multimodal": 120,
    "midjourney": 30,
    "sdxl": 50,
    "dalle": 60,
    "flux": 40,
    "ideogram": 70,
}
# "Far past the budget": this many budgets, plus twice the prompt's own length.
_FAR_PAST = {"image": 3.0}
_DEFAULT_FAR_PAST = 4.0


def too_long(original: str, output: str, *, target: str, family: str) -> str:
    """How long the reply is when it runs far past the target's length budget ("" otherwise)."""
    budget = LENGTH_BUDGET_WORDS.get(family, LENGTH_BUDGET_WORDS.get(target, 120))
    limit = _FAR_PAST.get(target, _DEFAULT_FAR_PAST) * budget + 2 * words(original)
    size = words(output)
    return f"{size:.0f} words, where about {budget} are enough" if size > limit else ""


def words(text: str) -> float:
    """Words, counting two characters of Chinese, Japanese or Korean as one."""
    cjk = sum(1 for ch in text if "\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af")
    return len(text.split()) + cjk / 2
