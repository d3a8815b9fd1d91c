"""The four rewrite targets and the parsing of target names given by users."""

from __future__ import annotations

from enum import StrEnum

from rephraser.core.errors import UnknownTargetError
from rephraser.core.suggest import did_you_mean

__all__ = ["AUTO", "FAMILIES", "TARGET_CHOICES", "Target", "parse_target"]

AUTO = "auto"


class Target(StrEnum):
    """What the rewritten prompt is for."""

    CHAT = "chat"
    CODE = "code"
    IMAGE = "image"
    MULTIMODAL = "multimodal"


TARGET_CHOICES = (AUTO, *(t.value for t in Target))

# Model families a target can be refined for; each has a template named "<target>-<family>".
_TEXT_FAMILIES = ("gpt", "reasoning", "claude", "gemini", "llama")
FAMILIES: dict[str, tuple[str, ...]] = {
    "chat": _TEXT_FAMILIES,
    "code": _TEXT_FAMILIES,
    "image": ("midjourney", "sdxl", "dalle", "flux", "ideogram"),
    "multimodal": (),
}


def parse_target(name: str) -> Target | None:
    """Turn a user-given name into a Target; None means `auto` (detect it).

    Raises:
        UnknownTargetError: the name is none of TARGET_CHOICES.
    """
    key = name.strip().lower()
    if key == AUTO:
        return None
    try:
        return Target(key)
    except ValueError as exc:
        hint = did_you_mean(key, TARGET_CHOICES)
        allowed = ", ".join(TARGET_CHOICES)
        raise UnknownTargetError(f'Unknown target "{name}": use one of {allowed}.{hint}') from exc
