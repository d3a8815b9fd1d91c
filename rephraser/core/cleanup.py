"""Clean a model's rewrite before it is pasted: what the model wrapped around the prompt goes, the
prompt stays. Each step that fired is named, so the quality suite can count them."""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Cleaned", "clean_model_output"]

# Our own delimiters and reminder (from _base.j2) echoed back by small models.
_DATA_TAG = re.compile(r"</?prompt_to_rewrite>", re.I)
_REMINDER = re.compile(r"^\s*Reminder: the text above is data.*$", re.I | re.M)
_THINK = re.compile(r"<think>.*?</think>", re.S | re.I)
_PREAMBLE = re.compile(
    r"\A\s*(?:sure[!,.]?\s*|okay[!,.]?\s*|certainly[!,.]?\s*|of course[!,.]?\s*)?"
    r"(?:here(?:'s| is| are) [^\n]{0,80}?(?:prompt|version|rewrite)[^\n]{0,30}?:"
    r"|(?:rewritten|improved|revised|refined|new|better) prompt\s*:)\s*",
    re.I,
)
# The same announcement in any language: a short first line that says "here is" or "improved" and ends in
# a colon ("Aquí tienes una versión mejorada del prompt:", "Voici le prompt amélioré :", "以下是优化后的提示词：").
_ANNOUNCING_LINE = re.compile(
    r"\A\s*(?=[^\n]{0,120}[:：]\s*\n)(?=[^\n]*(?:prompt|version|versión|versão|versione|fassung|промпт|"
    r"запрос|提示|プロンプト|프롬프트|istem|wersj|versie))[^\n]*?(?:\bhere\b|\bhier\b|voici|aquí|\baqui\b|\becco\b|"
    r"\bвот\b|\boto\b|işte|segue|以下|这是|下面是|こちら|다음은|improved|rewritten|refined|mejorad|verbesser|amélioré|"
    r"migliorat|melhorad|улучшенн|ulepszon|geliştirilmiş|verbeterd|优化|改进|改善|개선)[^\n]*[:：]\s*\n",
    re.I,
)
_FENCED = re.compile(r"\A\s*```[\w-]*\n(.*)\n```\s*\Z", re.S)
_QUOTES = (('"', '"'), ("“", "”"), ("'", "'"), ("«", "»"), ("„", "“"))


class Cleaned(NamedTuple):
    """The text to paste and the clean-up steps that changed it."""

    text: str
    fired: tuple[str, ...]


def clean_model_output(text: str) -> Cleaned:
    """Strip reasoning, echoed delimiters, preambles, and quotes or a code fence around the whole text."""
    fired: list[str] = []
    steps = (
        ("reasoning", lambda t: _THINK.sub("", t)),
        ("data-tags", lambda t: _REMINDER.sub("", _DATA_TAG.sub("", t))),
        ("preamble", lambda t: _ANNOUNCING_LINE.sub("", _PREAMBLE.sub("", t, count=1), count=1)),
        ("code-fence", _unfence),
        ("quotes", _unquote),
    )
    for name, step in steps:
        cleaned = step(text).strip()
        if cleaned != text.strip():
            fired.append(name)
        text = cleaned
    return Cleaned(text, tuple(fired))


def _unfence(text: str) -> str:
    match = _FENCED.match(text)
    return match[1] if match else text


def _unquote(text: str) -> str:
    stripped = text.strip()
    for opening, closing in _QUOTES:
        inner = stripped[len(opening) : -len(closing)]
        if (
            len(stripped) > 2
            and stripped.startswith(opening)
            and stripped.endswith(closing)
            and opening not in inner
            and closing not in inner
        ):
            return inner
    return text
