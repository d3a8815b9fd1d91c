"""Inventions: what a rewrite adds about the user's situation that the user never gave. What counts
depends on the rewrite strength: the answer's shape ("3 bullet points", "under 150 words") is an addition a
balanced rewrite may make; a date, an amount, a version or a person's name is a fact only the user can give."""

from __future__ import annotations

import re
from functools import cache

from rephraser.core import lexicon
from rephraser.core.judge.facts import plain_text, thousands_groups
from rephraser.core.judge.markers import CAPITALISES_NOUNS
from rephraser.core.judge.phrases import any_of, phrases
from rephraser.core.language import LANGUAGE_NAMES
from rephraser.core.scaffolding import scaffolding_text

__all__ = ["capitalised_words", "invented_names", "invented_numbers"]

_BRACKETS = re.compile(r"\[[^\]\n]*\]")
_FENCE = re.compile(r"```.*?```", re.S)
_LIST_MARKER = re.compile(r"^\s*\d+[.)]\s", re.M)
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,:]\d+)*")
_FLUX_OR_SD_WEIGHT = re.compile(r":\d+(?:\.\d+)?\)")


_SIZING_BEFORE = re.compile(
    r"(?:under|below|at most|at least|max(?:imum)?|min(?:imum)?|up to|no more than|fewer than|less than|more than|"
    r"within|between|around|about|exactly|top|first|last|maximal|höchstens|maximal|mindestens|bis zu|unter|"
    r"moins de|au plus|au moins|jusqu'à|menos de|máximo|mínimo|hasta|meno di|al massimo|almeno|fino a|"
    r"no máximo|até|hoogstens|maximaal|minstens|не более|не менее|до|максимум|минимум|maksymalnie|do|"
    r"en fazla|en az|不超过|最多|至少|以内|以下|以上|最大|최대|이내)\s*$",
    re.I,
)


def invented_numbers(original: str, output: str, *, language: str, target: str, strength: str) -> list[str]:
    """Numbers in the reply that the prompt does not have and the strength does not allow: under
    "faithful" every new number; otherwise those that state a fact about the user's situation (a date, a
    year, an amount, a version, a time, a percentage, an id) and are neither the answer's shape and size,
    nor an illustration ("e.g. 5000 EUR") nor, under "creative", a marked assumption. Image prompts may
    add any visual number (a lens's 85mm, a ratio) unless faithful."""
    text = _LIST_MARKER.sub(" ", _BRACKETS.sub(" ", _FENCE.sub(" ", _FLUX_OR_SD_WEIGHT.sub(")", output))))
    known = set(_NUMBER.findall(original))
    # The same number written otherwise: "23u" as "23.00", "4500" as "4.500" or "4,500".
    known |= {f"{n}{sep}00" for n in list(known) for sep in ".:,"}
    thousands = {str(int(m) * 1000) for m in re.findall(r"(?<![\w.])(\d{1,4})\s?[kK]\b", original)}  # "14k"
    known |= thousands
    known |= {sep.join(thousands_groups(n)) for n in list(known) if n.isdigit() and len(n) >= 4 for sep in ".,"}
    new = [m for m in _NUMBER.finditer(text) if m.group(0) not in known]
    if strength == "faithful":
        return [m.group(0) for m in new]
    if target == "image":
        return []
    situational = [m for m in new if _situational(text, m, target)]
    return [m.group(0) for m in situational if not _allowed_number(text, m, language, strength)]


_CURRENCY = re.compile(r"[$€£¥₽₹]|\b(?:usd|eur|gbp|chf|jpy|rub|pln|try|brl|dollars?|euros?|pounds?|yen)\b", re.I)
_MONTH = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?|\b(?:januar|februar|märz|mai|juni|juli|"
    r"oktober|dezember|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre|enero|"
    r"febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)\b|月|日",
    re.I,
)
_VERSION_BEFORE = re.compile(r"(?:\bv|version|versión|versão|versione|версии|версия|[A-Za-z][\w+#.-]*)\s*$", re.I)


def _situational(text: str, match: re.Match[str], target: str) -> bool:
    """Does this number state a fact only the user could give (a date, amount, version, time, share, id)?"""
    number = match.group(0)
    before = text[max(0, match.start() - 12) : match.start()]
    after = text[match.end() : match.end() + 12]
    digits = number.replace(".", "").replace(",", "").replace(":", "")
    if re.fullmatch(r"(?:19|20)\d\d", number) or _MONTH.search(before[-6:] + after[:6]):
        return True  # a year or a date
    if _CURRENCY.search(before[-4:]) or _CURRENCY.search(after[:6]):
        return True
    if after[:1] == "%" or re.match(r"\s?(?:am|pm|uhr|h)\b", after, re.I) or ":" in number:
        return True
    if "." in number and _VERSION_BEFORE.search(before):
        return True  # a version: "Python 3.12", "v2.1"
    return len(digits) >= 4 and target != "code"


def _allowed_number(text: str, match: re.Match[str], language: str, strength: str) -> bool:
    before = text[max(0, match.start() - 40) : match.start()].lower()
    after = text[match.end() : match.end() + 40].lower()
    if re.match(r"\s*[-–/]\s*\d", after) or re.search(r"\d\s*[-–/]\s*$", before):
        return True  # a range or a pattern: "3-4 paragraphs", "5-7-5"
    if _shape_unit(after, language) or _SIZING_BEFORE.search(before):
        return True
    return _illustrated(text, match.start(), language, strength)


def _illustrated(text: str, position: int, language: str, strength: str) -> bool:
    """The sentence around `position` marks what it adds as an illustration ("e.g.", "such as") or, under
    "creative", as an assumption ("Assume Python 3.12"): not a fact claimed about the user."""
    sentence = _sentence_around(text, position).lower()
    if phrases("examples", language).found(sentence):
        return True
    return strength == "creative" and bool(phrases("assumption", language).found(sentence))


def _shape_unit(after: str, language: str) -> bool:
    words = re.findall(r"[^\W\d_]+|[^\s\w]", after)[:3]
    units = phrases("units", language)
    if units.opens(after.lstrip(" -–")):
        return True
    # "3 short bullet points", "3 key takeaways": one adjective may stand between.
    return len(words) >= 2 and units.opens(" ".join(words[1:]))


def _sentence_around(text: str, position: int) -> str:
    start = max(text.rfind(mark, 0, position) for mark in (". ", "\n", "; ", "? ", "! "))
    ends = [e for e in (text.find(mark, position) for mark in (". ", "\n", "; ")) if e >= 0]
    return text[start + 1 : min(ends) if ends else len(text)]


_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_HEADING_LINE = re.compile(r"^\s*(?:#{1,6} .*|[^\n:]{1,40}[:：]\s*|\*\*[^*]+\*\*:?)\s*$", re.M)
_AFTER_LABEL = re.compile(r"^([^\n:]{1,40}[:：])", re.M)
# Naming the language to answer in or the programming language to use adds no fact to the prompt.
_NAMES_NEVER_INVENTED = " ".join((*LANGUAGE_NAMES.values(), *lexicon.PROGRAMMING_LANGUAGES)).lower()
# Capitalised words prompts use that name no one's situation.
_COMMON_CAPITALISED = frozenset(
    "json markdown yaml csv html xml sql api apis ui ux url urls pdf faq seo kpi kpis okr okrs tl;dr "
    "tldr gdpr i i'm i've i'd ai llm llms css cli gui ide http https rest sdk id ids utc iso todo "
    "note tip example step output input task role context format goal constraint constraints".split()
)


# Two or more capitalised items in a comma list: section or column titles, not names.
_TITLE_LIST = re.compile(
    r"(?:\b[A-ZÀ-ÖØ-ÞА-Я][^\W\d_]*(?: [^\W\d_]+)?,\s+){2,}[A-ZÀ-ÖØ-ÞА-Я][^\W\d_]*"
    r"(?:\s+(?:and|or|e|et|ou|y|o|und|oder|i|и|или|ve|en|of)\s+[A-ZÀ-ÖØ-ÞА-Я][^\W\d_]*)?"
)
# Words before a person's name in languages that capitalise nouns ("Frau Müller", "Herr Dr. Schmidt").
_TITLES = frozenset({"herr", "frau", "dr", "prof", "familie"})


def capitalised_words(text: str, *, after_comma: bool) -> list[tuple[str, bool]]:
    """(word, starts a run) for each capitalised word inside a phrase: after a lower-case word (or, with
    `after_comma`, a comma), never at the start of a line or sentence. A word that directly follows
    another capitalised one continues its run ("Anna Schmidt")."""
    found: list[tuple[str, bool]] = []
    previous_end, previous_capitalised = -2, False
    for match in _WORD.finditer(text):
        word, start = match.group(0), match.start()
        gap = text[previous_end:start]
        capitalised = word[0].isupper()
        if capitalised and gap == " " and previous_capitalised and found:
            found.append((word, False))
        elif capitalised and len(word) >= 3 and _inner(text, start, after_comma):
            found.append((word, True))
        previous_end, previous_capitalised = match.end(), capitalised and (gap == " " or not found)
        if not capitalised:
            previous_capitalised = False
    return found


def _inner(text: str, start: int, after_comma: bool) -> bool:
    before = text[max(0, start - 2) : start]
    if len(before) < 2 or before[1] != " ":
        return False
    return (before[0].isalpha() and before[0].islower()) or (after_comma and before[0] in ",;")


def _runs(words: list[tuple[str, bool]]) -> list[str]:
    runs: list[list[str]] = []
    for word, starts in words:
        if starts or not runs:
            runs.append([word])
        else:
            runs[-1].append(word)
    return [" ".join(run) for run in runs]


def invented_names(known: str, output: str, *, language: str, target: str, strength: str) -> list[str]:
    """Capitalised words (names) in the reply that neither `known` (the prompt and the instructions the
    model was given), the scaffolding nor a language's name contains. Under "faithful" every such word;
    otherwise only what names someone or something: a run of two or more capitalised words ("Anna
    Schmidt"), or one after a title ("Mr Peters"), since a single capitalised word is as often a tool, a
    term or, in an image prompt, a setting ("a Caribbean beach"); in languages that capitalise nouns only
    a run after a title ("Frau Müller"); code prompts name types and libraries freely, so only faithful
    checks them."""
    loose = strength != "faithful"
    if loose and target == "code":
        return []
    vocabulary = f"{plain_text(known)}\n{_plain_fixed_vocabulary()}"
    text = _AFTER_LABEL.sub(" ", _HEADING_LINE.sub(" ", _BRACKETS.sub(" ", _FENCE.sub(" ", output))))
    if loose:
        text = _TITLE_LIST.sub(" ", text)  # "sections: Goal, Skills, Experience and Courses" name sections
    runs = _runs(capitalised_words(text, after_comma=not loose))
    if any_of(language, CAPITALISES_NOUNS):
        runs = [run for run in runs if " " in run and (not loose or run.split()[0].lower() in _TITLES)]
    elif loose:
        # A single capitalised word is as often a product, a tool or a term ("Flexbox", "Excel") as a
        # name; a run of them ("Anna Schmidt", "Acme Corp") or a word after a title ("Mr Peters") names.
        runs = [run for run in runs if " " in run or _after_title(text, run)]
    found = []
    for name in runs:
        words = name.split()
        if all(plain_text(w) in vocabulary or w.lower() in _COMMON_CAPITALISED for w in words):
            continue
        head = name.split("-")[0]
        if loose and head.isupper() and len(head) <= 5:
            continue  # an acronym such as "STAR", "REST" or "IT-специалисты" is a term, not a person or place
        position = text.find(name)
        if loose and position >= 0 and _illustrated(text, position, language, strength):
            continue
        found.append(name)
    return found


_PERSON_CUES = frozenset(
    "mr mrs ms miss dr prof named called herr frau mme mlle monsieur madame sr sra señor señora sig signor signora "
    "senhor senhora dhr mevr pan pani господин госпожа".split()
)


@cache
def _plain_fixed_vocabulary() -> str:
    """The scaffolding's words and the names of languages, without accents (computed once)."""
    return plain_text(f"{scaffolding_text()}\n{_NAMES_NEVER_INVENTED}")


def _after_title(text: str, name: str) -> bool:
    position = text.find(name)
    before = re.findall(r"[^\W\d_]+", text[max(0, position - 20) : position].lower())
    return bool(before) and before[-1] in _PERSON_CUES
