"""The preview before paste, Qt-free: whether a job shows one, and what it offers the user.

The preview itself (a window) is the desktop's; the job hands it a PreviewChoices and gets back the text
to paste, or a cancel.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from rephraser.core.config.schema import Settings
from rephraser.core.requests import RewriteResult

__all__ = ["PreviewChoices", "PreviewOption", "preview_choices", "preview_mode", "preview_possible", "preview_wanted"]


class PreviewOption(NamedTuple):
    """One rewrite the user can paste: what to call it, its text, how it was made ("model", "offline"),
    and a note (why the judge stopped it, "" when nothing did)."""

    label: str
    text: str
    mode: str
    note: str = ""


class PreviewChoices(NamedTuple):
    """What the preview shows once the rewrite is done: the original, the options (the one the pipeline
    chose first; Tab goes to the next), the target and template used, the checks that fired, and whether
    the editor offers one field per [placeholder]."""

    original: str
    options: tuple[PreviewOption, ...]
    target: str
    template: str
    checks: tuple[str, ...] = ()
    fill_placeholders: bool = True


def preview_mode(settings: Settings, target: str, app_class: str) -> str:
    """never, model or always: the first user app rule matching `app_class` that sets one, else the
    target's own setting (preview_<target>), else `preview`. `target` may be "" or "auto" (not known yet)."""
    for rule in settings.app_rules:
        if rule.preview and app_class and re.search(rule.match, app_class, re.I):
            return rule.preview
    own = getattr(settings, f"preview_{target}", "") if target in ("chat", "code", "image", "multimodal") else ""
    return str(own or settings.preview)


def preview_wanted(settings: Settings, target: str, app_class: str, uses_model: bool) -> bool:
    """Whether a job shows its rewrite before pasting it ("model": only when it asks the model)."""
    mode = preview_mode(settings, target, app_class)
    return mode == "always" or (mode == "model" and uses_model)


def preview_possible(settings: Settings) -> bool:
    """Whether any job could preview with these settings (the window is then built ahead)."""
    modes = {settings.preview, settings.preview_chat, settings.preview_code, settings.preview_image}
    modes |= {settings.preview_multimodal, *(rule.preview for rule in settings.app_rules)}
    return "always" in modes or ("model" in modes and settings.mode == "model")


def preview_choices(original: str, result: RewriteResult, offline_text: str, fill: bool) -> PreviewChoices:
    """The options for a finished rewrite, the pipeline's choice first: the model's text and the offline
    rewrite beside it (`offline_text`, "" when not made); or, when the judge stopped the model, the offline
    rewrite and the model's stopped text with why; or the offline rewrite alone."""
    if result.mode == "model":
        options = [PreviewOption("Model rewrite", result.text, "model")]
        if offline_text and offline_text != result.text:
            options.append(PreviewOption("Offline rewrite", offline_text, "offline"))
    else:
        options = [PreviewOption("Offline rewrite", result.text, "offline", result.why or result.notice)]
        if result.rejected:
            stopped = f"The judge stopped it: {result.why}" if result.why else "The judge stopped it."
            options.append(PreviewOption("Model rewrite (stopped)", result.rejected, "model", stopped))
    return PreviewChoices(original, tuple(options), result.target.value, result.template, result.checks, fill)
