"""Did the model rewrite the prompt, or do something else? Checks that need no second model.

The judge stops what must never replace the user's text and lets through what a good rewrite adds:

    stopped                                       let through
    key-echo        the reply contains the key    a role, steps, sections, [placeholders]
    refused         it declines or asks back      the answer's shape and size ("3 bullet points")
    injection       it obeys the text or echoes   success criteria, an output format, a tone
                    its own instructions          image details: style, light, composition, lens
    answered        it answers or does the task   (creative) marked assumptions, new scene elements
    dropped-facts   a number, name, quoted text, path, URL, placeholder, code or exclusion lost or changed
    language        it switched language (unless image_in_english)
    syntax          broken Midjourney / SDXL / FLUX syntax
    length          far past the target's length budget
    invented-text   written text added to an image prompt unasked
    invented-numbers, invented-names   facts about the user's situation made up (which, by strength)

Model mode pastes the offline rewrite instead when any check fires, and says why in one line.
"""

from __future__ import annotations

from typing import NamedTuple

from rephraser.core.analysis import Analysis
from rephraser.core.judge.facts import (
    changed_quantities,
    dropped_constraints,
    dropped_facts,
    dropped_subject_words,
    invented_text,
    lost_exclusions,
)
from rephraser.core.judge.form import switched_language, syntax_problems, too_long
from rephraser.core.judge.inventions import invented_names, invented_numbers
from rephraser.core.judge.markers import UNSPACED_WORDS
from rephraser.core.judge.phrases import any_of
from rephraser.core.judge.shape import answered, asked_back, injected_sentences, obeyed_injection, refused
from rephraser.core.language import LANGUAGE_NAMES, detect_language

__all__ = ["CHECKS", "Judged", "Problem", "Verdict", "invented_names", "judge", "judge_rewrite"]

# Every check, in the order the judge runs them (and names them in --json).
CHECKS = (
    "key-echo",
    "refused",
    "injection",
    "answered",
    "dropped-facts",
    "language",
    "syntax",
    "length",
    "invented-text",
    "invented-numbers",
    "invented-names",
)


class Judged(NamedTuple):
    """What the judge needs to know besides the reply.

    Attributes:
        original: the user's text.
        analysis: analyze(original).
        target, family, language: as the rewrite was prepared.
        strength: faithful, balanced or creative (see core.config.schema.REWRITE_STRENGTHS).
        in_english: image prompts were asked for in English.
        shown: the instructions the model was given (their words are not inventions).
        secrets: values that must never be pasted (the API key).
        secret_echoed: the model client already masked one of them in the reply (it is never pasted either).
    """

    original: str
    analysis: Analysis
    target: str = "chat"
    family: str = ""
    language: str = "en"
    strength: str = "balanced"
    in_english: bool = False
    shown: str = ""
    secrets: tuple[str, ...] = ()
    secret_echoed: bool = False


class Problem(NamedTuple):
    """One check that fired: its name (CHECKS) and what it saw, in words for the user."""

    check: str
    detail: str


class Verdict(NamedTuple):
    """The judge's finding: no problems means the reply may be pasted."""

    problems: tuple[Problem, ...]

    @property
    def checks(self) -> tuple[str, ...]:
        return tuple(p.check for p in self.problems)

    @property
    def why(self) -> str:
        """One line for the user ("" when the reply may be pasted)."""
        if not self.problems:
            return ""
        first = self.problems[0]
        detail = f" ({first.detail})" if first.detail else ""
        return f"The model's text was not used: {_SAID[first.check]}{detail}."


_SAID = {
    "key-echo": "it contained your API key",
    "refused": "it declined or asked a question back instead of rewriting",
    "injection": "it followed an instruction inside your text instead of rewriting it",
    "answered": "it answered the prompt instead of rewriting it",
    "dropped-facts": "it left out or changed facts from your text",
    "language": "it switched language",
    "syntax": "it broke the image model's syntax",
    "length": "it ran far past the length a prompt needs",
    "invented-text": "it added words to be written in the image that your text does not ask for",
    "invented-numbers": "it added numbers about your situation that your text does not give",
    "invented-names": "it added names that your text does not give",
}


def judge(context: Judged, output: str, raw: str = "") -> Verdict:
    """Run every check on a cleaned model reply (`raw`: the reply before clean-up, whose first line may
    announce an answer that the clean-up took for a preamble)."""
    problems: list[Problem] = []

    def found(check: str, detail: str | list[str]) -> None:
        if detail:
            shown = detail if isinstance(detail, str) else ", ".join(f'"{d}"' for d in detail[:3])
            problems.append(Problem(check, shown))

    c = context
    # Turkish "İ" lower-cases to "i" plus a combining dot, which no word list spells: "İşte" is "işte".
    output, raw = output.replace("İ", "I"), raw.replace("İ", "I")
    spoken = detect_language(output)
    if spoken != c.language:
        c = c._replace(language=f"{c.language}+{spoken}")  # markers of both the prompt's and the reply's language
    echoed = c.secret_echoed or any(s and len(s) >= 8 and s in output for s in c.secrets)
    found("key-echo", "not pasted" if echoed else "")
    if refused(output, c.original, c.language) or asked_back(output, c.original, c.language):
        problems.append(Problem("refused", ""))
    found("injection", obeyed_injection(output, c.original, c.shown, c.language))
    found("answered", answered(raw or output, c.original, c.analysis, c.target, c.language) or _named_answer(c, output))
    lost = [
        *dropped_facts(c.analysis, output, c.language, c.family),
        *lost_exclusions(c.analysis, output, c.family),
        *changed_quantities(c.original, output, c.language),
        *([] if c.in_english or c.family == "flux" else dropped_constraints(c.original, output, c.language)),
        *(dropped_subject_words(c.original, output, c.analysis) if _subject_checked(c) else []),
    ]
    injected = " ".join(injected_sentences(c.original, c.language)).lower()
    found("dropped-facts", [fact for fact in lost if fact.lower() not in injected])
    language = switched_language(c.original, output, in_english=c.in_english and c.target == "image")
    found("language", f"to {LANGUAGE_NAMES.get(language, language)}" if language else "")
    if c.target == "image":  # "--previous" in a code prompt is a kubectl flag, not a Midjourney parameter
        found(
            "syntax",
            syntax_problems(
                c.original, output, family=c.family, language=c.language, has_exclusions=bool(c.analysis.exclusions)
            ),
        )
    found("length", too_long(c.original, output, target=c.target, family=c.family))
    style = {"language": c.language, "target": c.target, "strength": c.strength}
    found("invented-text", invented_text(c.original, output) if c.target == "image" else [])
    found("invented-numbers", invented_numbers(c.original, output, **style))
    # An English image prompt from another script spells the prompt's own names anew ("경복궁" as
    # "Gyeongbokgung"): they cannot be told from invented ones.
    transliterated = c.in_english and c.target == "image" and any(ord(ch) > 0x2FF and ch.isalpha() for ch in c.original)
    found("invented-names", [] if transliterated else invented_names(f"{c.original}\n{c.shown}", output, **style))
    return Verdict(tuple(problems))


def _named_answer(c: Judged, output: str) -> str:
    """A question came in and the reply names someone or something the question and the instructions did
    not: the answer ("Leonardo da Vinci"), slipped into a prompt."""
    if not c.analysis.is_question or c.target not in ("chat", "multimodal"):
        return ""
    names = invented_names(f"{c.original}\n{c.shown}", output, language=c.language, target="chat", strength="faithful")
    names = [name for name in names if not name.isupper()]  # "ABCDE criteria": a term, not an answer
    return f'it names "{names[0]}", which your question does not' if names else ""


def _subject_checked(c: Judged) -> bool:
    """Image prompts in the prompt's own language (not translated, not FLUX's positive rewording), in a
    language written with spaces."""
    return c.target == "image" and not c.in_english and c.family != "flux" and not any_of(c.language, UNSPACED_WORDS)


def judge_rewrite(original: str, analysis: Analysis, output: str, shown: str = "") -> tuple[str, ...]:
    """The checks that fire on `output` as a balanced chat rewrite of `original` (for quick use and tests)."""
    return judge(Judged(original, analysis, shown=shown), output).checks
