"""The user's facts: every one must come back unchanged (numbers, names, quoted text, paths, URLs,
placeholders, code, exclusions, constraints, an image's subject words); inventions.py holds the other
half, what a rewrite must not make up."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from rephraser.core import lexicon
from rephraser.core.analysis import Analysis
from rephraser.core.judge.markers import CAPITALISES_NOUNS
from rephraser.core.judge.phrases import any_of, phrases
from rephraser.core.language import FUNCTION_WORDS
from rephraser.core.word_matching import NormalisedText

__all__ = [
    "changed_quantities",
    "dropped_constraints",
    "dropped_facts",
    "dropped_subject_words",
    "invented_text",
    "lost_exclusions",
    "plain_text",
]

_BRACKETS = re.compile(r"\[[^\]\n]*\]")
_FENCE = re.compile(r"```.*?```", re.S)
_LIST_MARKER = re.compile(r"^\s*\d+[.)]\s", re.M)
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,:]\d+)*")
_FLUX_OR_SD_WEIGHT = re.compile(r":\d+(?:\.\d+)?\)")


def dropped_facts(analysis: Analysis, output: str, language: str, family: str) -> list[str]:
    """The prompt's must-keep facts (numbers, names, quoted text, paths, URLs, placeholders, identifiers,
    code) the reply does not carry verbatim."""
    missing = []
    for fact in _facts_to_keep(analysis, language, family):
        if fact[:1].isdigit() and fact.replace(".", "").replace(",", "").replace(":", "").isdigit():
            decade = rf"(?:19|20|')?{re.escape(fact)}s" if len(fact) == 2 else "(?!x)x"  # "années 50" -> "1950s"
            grouped = _grouped(fact)  # "4500" written "4.500", "4,500" or "4 500"
            kept = re.search(rf"(?<![\d.,]){re.escape(fact)}(?![\d])|{decade}|{grouped}", output)
            if not kept and not (language.startswith("en") and _number_as_word(fact, output)):
                missing.append(fact)
        elif _UNIT_NUMBER.fullmatch(fact) and _unit_number_kept(fact, output):
            continue
        elif not _text_kept(fact, output, quoted=fact in analysis.quoted):
            missing.append(fact)
    return missing


_SEPARATOR = "[.,\u00a0\u202f ]"


_ENGLISH_NUMBERS = (
    ("one", "first"), ("two", "second"), ("three", "third"), ("four", "fourth"), ("five", "fifth"), ("six", "sixth"),
    ("seven", "seventh"), ("eight", "eighth"), ("nine", "ninth"), ("ten", "tenth"), ("eleven", "eleventh"),
    ("twelve", "twelfth"),
)  # fmt: skip


def _number_as_word(number: str, output: str) -> bool:
    """A small number written as an English word, cardinal or ordinal ("book 1" as "the first book")."""
    if not number.isdigit() or not 1 <= int(number) <= len(_ENGLISH_NUMBERS):
        return False
    words = _ENGLISH_NUMBERS[int(number) - 1]
    return bool(re.search(rf"\b(?:{'|'.join(words)})\b", output, re.I))


def thousands_groups(number: str) -> list[str]:
    """A whole number's digits in the groups a thousands separator sets apart: "14500" -> ["14", "500"]."""
    head = len(number) % 3 or 3
    return [number[:head], *(number[i : i + 3] for i in range(head, len(number), 3))]


def _grouped(number: str) -> str:
    """A pattern for a whole number of four or more digits written with thousands separators."""
    if not number.isdigit() or len(number) < 4:
        return "(?!x)x"
    return r"(?<![\d.,])" + _SEPARATOR.join(thousands_groups(number)) + r"(?![\d])"


_UNIT_NUMBER = re.compile(r"(\d+(?:[.,]\d+)?)\s?([a-zA-Z°%]{1,3})")
_QUANTITY = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)?)\s+([^\W\d_]{3,})")


def changed_quantities(original: str, output: str, language: str) -> list[str]:
    """Quantities whose noun comes back counted by another number, never by the prompt's: "3 weeks and 2
    hours a day" returned as "3 weeks and 3 hours a day" keeps every number and every word, and changes
    a fact."""
    if any_of(language, ("zh", "ja", "ko")):
        return []  # no spaces between a number and its counter word
    plain = plain_text(output)
    counted = {(number, noun[:4]) for number, noun in _QUANTITY.findall(plain)}
    changed = []
    for number, noun in _QUANTITY.findall(plain_text(original)):
        numbers = {n for n, stem in counted if stem == noun[:4]}
        still_there = re.search(rf"(?<![\d.,]){re.escape(number)}(?!\d)", plain)  # else dropped_facts says so
        if numbers and number not in numbers and still_there:
            changed.append(f"{number} {noun}")
    return changed


def _unit_number_kept(fact: str, output: str) -> bool:
    """ "10am" written "10 AM", "5km" written "5 km": the same number with the same unit; "3x" (times) is
    any "3" counting something ("3 sessions a week", "3 times")."""
    match = _UNIT_NUMBER.fullmatch(fact)
    assert match is not None
    number, unit = match.groups()
    time = rf"(?<![\d.,]){re.escape(number)}(?:[.:]00|\s?{re.escape(unit)})"
    if unit.lower() == "k" and re.search(_grouped(str(int(float(number.replace(",", "."))) * 1000)), output):
        return True  # "14k" written "14,000"
    if unit.lower() in ("st", "nd", "rd", "th") and _number_as_word(number, output):
        return True  # "3rd" written "third"
    if unit.lower() in ("am", "pm") and re.search(
        rf"(?<![\d.,]){re.escape(number)}(?::00)?\s?{unit[0]}\.?m\b", output, re.I
    ):
        return True  # "1am" written "1 a.m." or "1:00 AM"
    if unit.lower() in ("h", "u", "uhr") and re.search(time, output, re.I):
        return True  # a time: "23u" written "23.00 uur", "23:00" or "23h"
    if unit.lower() == "x":
        return bool(re.search(rf"(?<![\d.,]){re.escape(number)}(?:\s?x|\s+[^\W\d_]+)", output, re.I))
    return bool(re.search(rf"(?<![\d.,]){re.escape(number)}\s?{re.escape(unit)}(?![a-z])", output, re.I))


def _latin_head(name: str) -> str:
    match = re.match(r"[A-Za-z][A-Za-z0-9.+#-]*(?: [A-Z][A-Za-z0-9.+#-]*)*", name)
    return match.group(0) if match and match.end() < len(name) and ord(name[match.end()]) > 0x2FFF else name


# A log line the user ended with a word or two of prose ("... (reading 'map') help"): the line is the fact.
_TRAILING_PROSE = re.compile(r"(?<=[)\]'\"`.;!?])[ \t]+[^\W\d_]+(?:[ \t]+[^\W\d_]+){0,2}[ \t]*$")


def _text_kept(fact: str, output: str, quoted: bool) -> bool:
    if quoted and not _quoted_kept(fact, output):
        return False
    normal = _normal(output)
    if _normal(fact) in normal or _acronym_spelled_out(fact, output):
        return True
    if not quoted and fact[:1].islower() and fact[:1].upper() + fact[1:] in normal:
        return True  # "next.js" written "Next.js", "python" "Python": a name given its capital
    if quoted or "\n" in fact:
        return False  # code keeps every line
    line = _TRAILING_PROSE.sub("", fact)
    return line != fact and len(line) >= 12 and _normal(line) in normal


def _quoted_kept(fact: str, output: str) -> bool:
    """Quoted text comes back whole: "hello-world" must not turn into "hello-world!"."""
    pattern = rf"(?<![\w]){re.escape(fact)}(?![\w!?-])" if fact[:1].isalnum() else re.escape(fact)
    return bool(re.search(pattern, _normal(output))) or (not fact[-1:].isalnum() and fact in output)


def _acronym_spelled_out(fact: str, output: str) -> bool:
    """ "PRs" written as "pull requests": the letters of an acronym open consecutive words of the reply."""
    letters = fact.rstrip("s").lower()
    if not (2 <= len(letters) <= 5 and fact.rstrip("s").isupper()):
        return False
    initials = "".join(word[0] for word in re.findall(r"[^\W\d_]+", output.lower()))
    return letters in initials


def _normal(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").splitlines())


# What the analysis does not list but a rewrite must keep as written: a complexity ("O(n+m)") and a
# "non-" word that constrains ("non-root user", "non-blocking").
_KEPT_AS_WRITTEN = re.compile(r"\bO\([^()\n]{1,20}\)|(?<![\w-])non-[a-z]{3,}\b", re.I)


# Numbers written against Chinese, Japanese or Korean ("第2列", "3つ"): a word boundary never sets them apart.
_CJK_NUMBER = re.compile(
    r"(?<=[\u3040-\u9fff\uac00-\ud7af])\d+(?![\d.,])|(?<![\w.,])\d+(?=[\u3040-\u9fff\uac00-\ud7af])"
)


def _facts_to_keep(analysis: Analysis, language: str, family: str) -> tuple[str, ...]:
    facts = (*analysis.must_keep, *(m.group(0) for m in _KEPT_AS_WRITTEN.finditer(analysis.prose)))
    facts = (*facts, *(n for n in _CJK_NUMBER.findall(analysis.prose) if n not in facts))
    if any_of(language, CAPITALISES_NOUNS):
        # A capitalised word there is a noun, which a rewrite may rephrase; a name of two words stays.
        facts = tuple(f for f in facts if f not in analysis.names or " " in f)
    # A name or identifier the analysis read on into Chinese or Japanese ("TypeScriptで配列を...") is its
    # Latin part.
    facts = tuple(_latin_head(f) for f in facts)
    if family == "flux":
        # FLUX has no negative prompt: what the prompt excludes is described positively, never named.
        facts = tuple(f for f in facts if not any(f in phrase for phrase in analysis.negations))
    return facts


_EXTRA_NEGATIONS = (
    "niente",
    "nessun",
    "nessuna",
    "nada",
    "rien",
    "nichts",
    "ничего",
    "negative",
    "exclude",
    "excluding",
    "nunca",
    "никаких",
    "bez",
    "nie",
    "yok",
    "olmadan",
    "無",
    "不",
    "없",
    "말",
)


def _every_pack() -> lexicon.Lexicon:
    # Every pack's negations, not just the prompt's languages: a cue the judge misses would stop a good
    # rewrite as a lost exclusion, and a cue from another language in the reply is never a false alarm.
    return lexicon.for_languages(None)  # cached there


@cache
def _negation_cue() -> re.Pattern[str]:
    every = _every_pack()
    words = sorted({*every.negation_prefixes, *every.negation_suffixes, *_EXTRA_NEGATIONS}, key=len, reverse=True)
    spaced = "|".join(
        re.escape(w) for w in words if w.isascii() or (w[0].isalpha() and not "\u3040" <= w[0] <= "\ud7af")
    )
    unspaced = "|".join(re.escape(w) for w in words if "\u3040" <= w[0] <= "\ud7af")
    return re.compile(rf"(?<![\w-])(?:{spaced})(?![\w-])|--no\b|{unspaced}", re.I)


def lost_exclusions(analysis: Analysis, output: str, family: str) -> list[str]:
    """What the prompt excludes ("no text") that the reply no longer excludes: gone, or kept without a
    negation near it. FLUX prompts describe exclusions positively instead, so they are not checked."""
    if family == "flux":
        return []
    lowered = output.lower()
    lost = []
    for excluded in analysis.exclusions:
        word = excluded.lower()
        spans = [m.start() for m in re.finditer(re.escape(word), lowered)]
        negated = any(_negated_before(lowered, start) for start in spans)
        if not negated and not _in_negative_section(lowered, word):
            lost.append(excluded)
    if lost and not any(word.lower() in lowered for word in lost) and _negations(lowered) >= len(analysis.exclusions):
        return []  # every exclusion is still there, reworded ("no spoilers" -> "without revealing the ending")
    return lost


def _negated_before(lowered: str, start: int) -> bool:
    line_start = lowered.rfind("\n", 0, start) + 1
    return bool(_negation_cue().search(lowered[max(line_start, start - 60) : start]))


def _in_negative_section(lowered: str, word: str) -> bool:
    """The word stands under a heading that negates ("Negative prompt:", "Avoid:"), up to the next heading."""
    negative = False
    for line in lowered.splitlines():
        head, colon, _rest = line.lstrip("#*- ").partition(":")
        if colon and len(head) <= 40:
            negative = bool(_negation_cue().search(head))
        if negative and word in line:
            return True
    return False


_QUOTES = re.compile(r'"[^"\n]*"|“[^”\n]*”|\'[^\'\n]*\'|`[^`\n]*`')
_CONSTRAINT_STOP = frozenset(
    "and or but with the a an of to in on for at by my our your und oder aber mit der die das den dem ein eine "
    "et ou mais avec le la les un une de du des y o pero con el los las del e ed ma il lo gli di da "
    "en of maar met het een van и или но с в на i lub ale z w na ve veya ama ile".split()
)


def dropped_constraints(original: str, output: str, language: str) -> list[str]:
    """The objects of the prompt's constraints ("ignore the header", "we don't drink alcohol", "must allow
    lowercase") that the reply no longer mentions: a rewrite may reword a constraint, not lose it."""
    if any_of(language, ("zh", "ja", "ko")):
        return []  # no spaces to find a constraint's object by
    prose = _QUOTES.sub(" ", original.lower())
    lowered = output.lower()
    lost = []
    for _start, end in phrases("constraint", language).spans(prose):
        words = re.findall(r"[^\W\d_][\w'-]*|[.,;:!?()]", prose[end : end + 60])
        object_word = ""
        for word in words[:4]:
            if not word[0].isalpha() or (word in _CONSTRAINT_STOP and object_word):
                break
            if (len(word) >= 4 or (len(word) == 3 and word.isascii())) and word not in _CONSTRAINT_STOP:
                object_word = word  # "only png and jpg": a format's three letters are the object
        if object_word and object_word[:5] not in lowered:
            lost.append(object_word)
    if lost and _negations(output) >= max(1, _negations(prose)):
        return []  # the constraint was reworded ("no spoilers" -> "without revealing the ending")
    return lost


def _negations(text: str) -> int:
    return len(_negation_cue().findall(text))


_NOT_SUBJECT = frozenset(
    "this that with from have what when where which your about into then than them they will would could should "
    "please make write just also some more very the and for are was were been being style called named says "
    "saying showing looks looking image picture photo prompt".split()
)


_QUOTED_TEXT = re.compile(r'"([^"\n]{2,80})"|“([^”\n]{2,80})”|«\s?([^»\n]{2,80}?)\s?»|„([^“”\n]{2,80})[“”]')


def invented_text(original: str, output: str) -> list[str]:
    """Quoted words an image prompt adds: they would be written into the picture (a sign, a slogan)."""
    added = (next(g for g in m.groups() if g) for m in _QUOTED_TEXT.finditer(output))
    known = original.lower()
    return [text for text in added if text.lower() not in known]  # "July 12" for "july 12" adds nothing


def dropped_subject_words(original: str, output: str, analysis: Analysis) -> list[str]:
    """Image prompts keep every subject and attribute word: "a boy and his grandfather" must not come back as
    "a boy and his father". Words are compared by their first four letters without accents, in languages
    written with spaces; function words and what the prompt excludes (checked on its own) are left out."""
    kept = plain_text(output)
    negated = {word for phrase in analysis.negations for word in NormalisedText.of(phrase).tokens}
    negated |= {w.lower() for w in (*_every_pack().negation_prefixes, *_EXTRA_NEGATIONS)}
    words = NormalisedText.of(_QUOTES.sub(" ", analysis.prose or original)).tokens
    wanted = {
        w
        for w in words
        if len(w) >= 4 and w.isalpha() and w not in _NOT_SUBJECT and w not in negated and w not in FUNCTION_WORDS
    }
    return sorted(w for w in wanted if plain_text(w)[:4] not in kept and not _stem_kept(w, kept))


_PROCLITICS = {"arabic": "وفبلك", "hebrew": "והבלכמש"}


def _stem_kept(word: str, kept: str) -> bool:
    """Arabic and Hebrew join "and", "the", "in" to the word ("وخيمة", "ליד"), and Arabic adverbs take an
    ending ("ليلا" for "الليل"): their stem of three letters, after such prefixes, is what must come back."""
    script = "arabic" if "\u0600" <= word[:1] <= "\u06ff" else "hebrew" if "\u0590" <= word[:1] <= "\u05ff" else ""
    if not script:
        return False
    stems = [word, word[1:]] if word[0] in _PROCLITICS[script] and len(word) >= 4 else [word]
    stems += [stem[2:] for stem in stems if script == "arabic" and stem.startswith("ال") and len(stem) >= 5]
    return any(len(stem) >= 3 and stem[:3] in kept for stem in stems)


def plain_text(text: str) -> str:
    """Lower-case, without accents: "Château" and "chateau" are one word."""
    if text.isascii():
        return text.lower()  # most replies: nothing to decompose
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
