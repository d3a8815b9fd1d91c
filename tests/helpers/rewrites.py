"""What the offline rewrite of a text is, from a core without any config: the text a desktop test expects
to see pasted."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rephraser.composition import Core, build_core
from rephraser.core.requests import RewriteRequest

__all__ = ["offline_rewrite"]


@cache
def _core() -> Core:
    return build_core(Path("/nonexistent-config"))


def offline_rewrite(text: str, app_class: str = "", target: str = "") -> str:
    return _core().rewriter.offline(RewriteRequest(text, app_class=app_class, target=target)).text
