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
    r"(?:here(?:'s| is| are) [^\n]{0,80}?:|(?:rewritten|improved|revised|refined|new|better) prompt\s*:)\s*",
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
        ("preamble", lambda t: _PREAMBLE.sub("", t, count=1)),
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
