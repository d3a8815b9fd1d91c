"""What a rewrite is asked for and what it gives back: light types, so that the desktop app can hold
them before the rewriter itself (analysis, detection, templates) is loaded."""

from __future__ import annotations

from typing import Any, NamedTuple

from rephraser.core.targets import Target

__all__ = ["MetaPrompt", "Picture", "PreparedRewrite", "RewriteRequest", "RewriteResult", "TemplateDraft"]


class RewriteRequest(NamedTuple):
    """What to rewrite and the hints around it.

    Attributes:
        text: the selected text (or stdin).
        target: "auto" or a target name; "" means the configured default_target.
        template: a template name, or "" to pick one from the target and app rules.
        app_class: the focused app's class (WM_CLASS on X11), "" when unknown.
        app_name: the focused app's human name, "" when unknown.
        family: a model family (see targets.FAMILIES), or "" for the app rule's or the setting's.
        strength: model mode's rewrite strength (faithful, balanced, creative), or "" for the app rule's or
            the setting's.
    """

    text: str
    target: str = ""
    template: str = ""
    app_class: str = ""
    app_name: str = ""
    family: str = ""
    strength: str = ""


class PreparedRewrite(NamedTuple):
    """Everything decided before rendering: target, template, language, variables."""

    target: Target
    template: str
    language: str
    reason: str
    variables: dict[str, Any]
    target_uncertain: bool = False  # detected from the text alone, and not surely: model mode asks the model


class TemplateDraft(NamedTuple):
    """A template being edited (not yet saved): its source, and the name errors should point at."""

    source: str
    label: str


class Picture(NamedTuple):
    """An image sent along with the user's message: its MIME type and its bytes in base64."""

    mime_type: str
    data: str


class MetaPrompt(NamedTuple):
    """The messages sent to a model in model mode (`picture`: an image shown with the user's message)."""

    system: str
    user: str
    picture: Picture | None = None


class RewriteResult(NamedTuple):
    """A finished rewrite and how it was made."""

    text: str
    target: Target
    template: str
    mode: str
    language: str
    reason: str
    notice: str = ""
    cleanup: tuple[str, ...] = ()  # model mode: the clean-up steps that changed the answer
    checks: tuple[str, ...] = ()  # model mode: the judge's checks that fired (see core.judge)
    why: str = ""  # model mode: one line saying why the model's text was not used ("" when it was)
    strength: str = ""  # model mode: the rewrite strength the model and the judge followed
    rejected: str = ""  # model mode: the model's cleaned text the judge stopped (never one with the key)

    def as_dict(self) -> dict[str, object]:
        """The result for `--json` and logs (the caller decides whether text may be logged)."""
        return {
            "target": self.target.value,
            "template": self.template,
            "mode": self.mode,
            "language": self.language,
            "text": self.text,
            "reason": self.reason,
            "notice": self.notice,
            "cleanup": list(self.cleanup),
            "checks": list(self.checks),
            "why": self.why,
            "strength": self.strength,
        }
