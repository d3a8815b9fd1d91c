"""The rewrite service: detect the target, pick the template, render the offline rewrite or the meta-prompt."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from rephraser.core.analysis import analyze
from rephraser.core.config.schema import REWRITE_STRENGTHS, Settings
from rephraser.core.detection import AppHint, TargetDetector
from rephraser.core.language import LANGUAGE_NAMES, detect_language
from rephraser.core.requests import MetaPrompt, PreparedRewrite, RewriteRequest, RewriteResult, TemplateDraft
from rephraser.core.scaffolding import labels_for, looks_scaffolded
from rephraser.core.targets import FAMILIES, Target, parse_target
from rephraser.core.templates import TemplateStore
from rephraser.core.text_input import validate_text
from rephraser.core.titles import TitleRule, family_from_title, load_title_rules

__all__ = [
    "ASK_TARGET",
    "UNCERTAIN_BELOW",
    "MetaPrompt",
    "PreparedRewrite",
    "RewriteRequest",
    "RewriteResult",
    "Rewriter",
    "TemplateDraft",
]

# Below this confidence a target detected from the text is unsure (about 1 prompt in 100 of the tuning
# sets, where most of detection's misses are): model mode then asks the model too, in the same request.
UNCERTAIN_BELOW = 0.9
ASK_TARGET = (
    "The text alone does not make clear what the prompt is for. Begin your answer with one line naming it: "
    "TARGET: chat (a question or task for a chat assistant), TARGET: code (for a coding assistant), "
    "TARGET: image (a picture for an image generator to make) or TARGET: multimodal (a question about an "
    "attached image, screenshot or document). Then write the rewritten prompt for that target."
)


class Rewriter:
    """Turns a RewriteRequest into an offline rewrite or a meta-prompt for a model."""

    def __init__(
        self,
        settings: Settings,
        templates: TemplateStore,
        detector: TargetDetector,
        today: Callable[[], str] = lambda: time.strftime("%Y-%m-%d"),
        user_title_rules: Path | None = None,
    ) -> None:
        self._settings = settings
        self._templates = templates
        self._detector = detector
        self._today = today
        self._user_title_rules = user_title_rules

    def prepare(self, request: RewriteRequest) -> PreparedRewrite:
        """Validate the text, decide target and template, and build the template variables.

        Raises:
            InputError, UnknownTargetError, TemplateNotFoundError
        """
        text = validate_text(request.text)
        app_rule = self._detector.app_rule(request.app_class)
        target, reason, template, uncertain = self._choose(request, text, app_rule)
        family, template, why_family = self._family(request, target, template, app_rule)
        reason = f"{reason}; {why_family}" if why_family else reason
        strength = self._strength(request, app_rule)
        language = detect_language(text)
        variables = {
            "text": text,
            "target": target.value,
            "language": language,
            "language_name": LANGUAGE_NAMES.get(language, language),
            "app_name": request.app_name,
            "app_class": request.app_class,
            "date": self._today(),
            "family": family,
            "strength": strength,
            "in_english": self._settings.image_in_english and target is Target.IMAGE,
            "a": analyze(text),
            "L": labels_for(language),
        }
        return PreparedRewrite(target, template, language, reason, variables, uncertain)

    def offline(self, request: RewriteRequest) -> RewriteResult:
        """The template-only rewrite.

        Raises:
            InputError, UnknownTargetError, TemplateError
        """
        prepared = self.prepare(request)
        return self.offline_from(prepared)

    def offline_from(
        self, prepared: PreparedRewrite, notice: str = "", draft: TemplateDraft | None = None
    ) -> RewriteResult:
        """Render the offline part of an already prepared rewrite; a text that already is one stays as it is
        (rewriting a rewrite must not nest its structure)."""
        original = prepared.variables["text"]
        if looks_scaffolded(original):
            return RewriteResult(
                original.strip(),
                prepared.target,
                prepared.template,
                "offline",
                prepared.language,
                f"{prepared.reason}; already structured, kept as it is",
                notice,
            )
        text = self._render(prepared, "offline", draft)
        return RewriteResult(
            text, prepared.target, prepared.template, "offline", prepared.language, prepared.reason, notice
        )

    def meta_prompt(self, prepared: PreparedRewrite, draft: TemplateDraft | None = None) -> MetaPrompt:
        """The system and user messages for model mode (from `draft` when one is being edited)."""
        system = self._render(prepared, "system", draft)
        if prepared.target_uncertain:
            system = f"{system}\n\n{ASK_TARGET}"
        return MetaPrompt(system=system, user=self._render(prepared, "user", draft))

    def _render(self, prepared: PreparedRewrite, part: str, draft: TemplateDraft | None) -> str:
        if draft is None:
            return self._templates.render(prepared.template, part, prepared.variables)
        return self._templates.render_source(draft.source, draft.label, part, prepared.variables)

    def _strength(self, request: RewriteRequest, app_rule: AppHint | None) -> str:
        """How much a model rewrite may add: the request's, else the app rule's, else the setting's.

        Raises:
            ConfigError: a strength that is not one of REWRITE_STRENGTHS.
        """
        from_app = app_rule.rewrite_strength if app_rule else ""
        strength = request.strength or from_app or self._settings.rewrite_strength
        if strength not in REWRITE_STRENGTHS:
            from rephraser.core.errors import ConfigError

            raise ConfigError(f'Unknown rewrite strength "{strength}"; use one of {", ".join(REWRITE_STRENGTHS)}.')
        return strength

    def _family(
        self, request: RewriteRequest, target: Target, template: str, app_rule: AppHint | None
    ) -> tuple[str, str, str]:
        """The family, the template for it ("<target>-<family>" unless a template was named), and why the
        window title chose it ("" when it did not).

        Raises:
            TemplateNotFoundError: a family this target has no template for.
        """
        setting = {
            "chat": self._settings.family_chat,
            "code": self._settings.family_code,
            "image": self._settings.family_image,
        }.get(target.value, "")
        family = request.family or (app_rule.family if app_rule else "")
        titled = None
        if not family and request.app_name:  # no title, no rules to read (the CLI's usual case)
            titled = family_from_title(request.app_name, target.value, self._title_rules())
        why = f'{titled.family} profile from the window title ("{titled.name}")' if titled else ""
        family = family or (titled.family if titled else "") or setting
        if not family or template != target.value:
            return family, template, why
        if family not in FAMILIES[target.value]:
            from rephraser.core.errors import TemplateNotFoundError

            known = ", ".join(FAMILIES[target.value]) or "none"
            raise TemplateNotFoundError(f'No "{family}" profile for {target.value} prompts (profiles: {known}).')
        return family, f"{target.value}-{family}", why

    def _title_rules(self) -> tuple[TitleRule, ...]:
        return load_title_rules(self._user_title_rules)

    def _choose(self, request: RewriteRequest, text: str, app_rule: AppHint | None) -> tuple[Target, str, str, bool]:
        """Return (target, reason, template name, whether the text alone left the target open)."""
        explicit = parse_target(request.target or self._settings.default_target)
        template = request.template or (app_rule.template if app_rule else "")
        if template:
            info = self._templates.info(template)
            if explicit is None and info.target in tuple(t.value for t in Target):
                return Target(info.target), f'template "{template}"', template, False
        if explicit is not None:
            source = "--target" if request.target else "default_target setting"
            return explicit, f"{source}: {explicit.value}", template or explicit.value, False
        detection = self._detector.detect(text, request.app_class)
        uncertain = not template and detection.confidence < UNCERTAIN_BELOW
        return detection.target, detection.reason, template or detection.target.value, uncertain
