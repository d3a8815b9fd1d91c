"""Did the model rewrite the prompt, or do something else? Checks that need no second model.

A rewrite keeps the prompt's content words and every must-keep fact, invents no numbers or names, and
does not open with a refusal. When any check fails, model mode pastes the offline rewrite instead (and says so):
an answer, a refusal or an obeyed injection must never replace the user's text.
"""

from __future__ import annotations

import re

from rephraser.core import lexicon
from rephraser.core.analysis import Analysis
from rephraser.core.language import LANGUAGE_NAMES
from rephraser.core.scaffolding import scaffolding_text
from rephraser.core.word_matching import NormalisedText

__all__ = ["invented_names", "judge_rewrite"]

_REFUSAL = re.compile(
    r"\A\W*(i'?m sorry|i am sorry|sorry,|i can(?:no|')t|i cannot|i'?m not able|i am unable|as an ai\b|i won'?t)",
    re.I,
)
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,:]\d+)*")
_LIST_MARKER = re.compile(r"^\s*\d+[.)]\s", re.M)
_BRACKETS = re.compile(r"\[[^\]\n]*\]")
_FENCE = re.compile(r"```.*?```", re.S)
_STOPWORDS = frozenset(
    "this that with from have what when where which your about into then than them they will would could should "
    "please make write just also some more very the and for are was were been being".split()
)
# A rewrite keeps at least this share of the prompt's content words (it restructures, it does not replace).
MIN_COVERAGE = 0.5


def judge_rewrite(original: str, analysis: Analysis, output: str, shown: str = "") -> tuple[str, ...]:
    """The problems found: "refused", "answered", "dropped-facts", "invented-numbers", "invented-names"
    (empty: a rewrite). `shown` is what the model was told besides the prompt (its instructions): words from
    there are not inventions."""
    problems = []
    if _REFUSAL.search(output):
        problems.append("refused")
    if _coverage(analysis.prose or original, output) < MIN_COVERAGE or _question_answered(analysis, output):
        problems.append("answered")
    if any(fact not in output for fact in analysis.must_keep):
        problems.append("dropped-facts")
    if _invented_numbers(original, output):
        problems.append("invented-numbers")
    if invented_names(f"{original}\n{shown}", output):
        problems.append("invented-names")
    return tuple(problems)


# A rewritten question is still a request: it asks ("?"), instructs, or carries prompt structure.
_REQUEST = re.compile(
    r"[?？¿]|^\s*[\w ]{1,30}:|<\w+>|\b(explain|describe|tell|list|give|provide|write|identify|answer|state|"
    r"name|summari[sz]e|compare|find|determine|erkläre|beschreibe|nenne|explica|describe|explique|décris|"
    r"spiega|descrivi|объясни|опиши|назови)\b",
    re.I | re.M,
)


# Phrases that announce an answer rather than a prompt, in the scaffolded languages.
_ANSWER_MARKER = re.compile(
    r"\b(the answer is|answer:|die antwort (ist|lautet)|la respuesta es|la réponse est|a resposta é|la risposta è"
    r"|het antwoord is)|ответ:|答案是|答えは",
    re.I,
)
# A capitalised word inside a sentence: a name (as analysis reads names).
_INNER_NAME = re.compile(r"(?<=[^\W\d_,;] )[^\W\d_a-z][^\W\d_]{2,}")


def _question_answered(analysis: Analysis, output: str) -> bool:
    """A question came in and a plain statement, an announced answer, or names it did not mention went out."""
    if not analysis.is_question:
        return False
    if _ANSWER_MARKER.search(output) or not _REQUEST.search(output):
        return True
    known = " ".join((analysis.prose, *analysis.must_keep)).lower()
    return any(name.lower() not in known for name in _INNER_NAME.findall(_BRACKETS.sub(" ", output)))


def _coverage(source: str, output: str) -> float:
    words = _content_words(source)
    if len(words) < 3:
        return 1.0  # too short to judge by words
    kept = _content_words(output)
    return len(words & kept) / len(words)


def _content_words(text: str) -> frozenset[str]:
    tokens = NormalisedText.of(text).tokens
    words = {t for t in tokens if len(t) >= 4 and t.isalpha() and t not in _STOPWORDS}
    cjk = {ch for ch in text if "\u3040" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af"}
    return frozenset(words | cjk)


def _invented_numbers(original: str, output: str) -> list[str]:
    text = _LIST_MARKER.sub(" ", _BRACKETS.sub(" ", _FENCE.sub(" ", output)))
    known = set(_NUMBER.findall(original))
    return [n for n in _NUMBER.findall(text) if n not in known]


# A capitalised word inside a phrase (after a letter or a comma, not at a line's or sentence's start).
_PHRASE_WORD = re.compile(r"(?<=[^\W\d_,;] )[^\W\d_]{3,}|(?<=[,;] )[^\W\d_]{3,}")


# Naming the language to answer in or the programming language to use adds no fact to the prompt.
_NAMES_NEVER_INVENTED = " ".join((*LANGUAGE_NAMES.values(), *lexicon.PROGRAMMING_LANGUAGES)).lower()


def invented_names(known: str, output: str) -> list[str]:
    """Capitalised words in the output (outside [placeholders]) that neither `known`, the scaffolding nor a
    language's name contains: "a cat on a beach" must not come back as "a cat on a Caribbean beach"."""
    vocabulary = "\n".join((known.lower(), scaffolding_text(), _NAMES_NEVER_INVENTED))
    words = _PHRASE_WORD.findall(_BRACKETS.sub(" ", output))
    return [w for w in words if w[0].isupper() and w.lower() not in vocabulary]
