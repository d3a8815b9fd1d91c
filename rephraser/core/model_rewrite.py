"""Model mode: the meta-prompt goes to the endpoint, the answer comes back, is cleaned and judged; when the
judge stops it, or the endpoint is away or broken and `fallback_to_offline` is on, the offline rewrite stands
in, with a notice. The hotkey, the CLI and the settings window's "Try with model" all go through here."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from rephraser.core.cleanup import clean_model_output
from rephraser.core.config.schema import Settings
from rephraser.core.errors import FALLBACK_ERRORS, MalformedResponseError, ProviderError
from rephraser.core.judge import Judged, judge
from rephraser.core.rewrite import MetaPrompt, PreparedRewrite, Rewriter, RewriteRequest, RewriteResult, TemplateDraft
from rephraser.core.targets import Target

if TYPE_CHECKING:
    from rephraser.core.providers.base import Completion
    from rephraser.core.providers.cancel import CancelToken

__all__ = ["CompletionClient", "ModelRewriter", "split_target_line"]


class CompletionClient(Protocol):
    """What ModelRewriter needs of a model client (rephraser.core.providers.client.ModelClient)."""

    def complete(
        self,
        meta: MetaPrompt,
        on_delta: Callable[[str], None] | None = None,
        cancel: CancelToken | None = None,
        stream: bool = True,
    ) -> Completion: ...

    def known_secrets(self) -> tuple[str, ...]:
        """Values that must never be pasted (the API key the client sends)."""
        ...

    def close(self) -> None: ...


class ModelRewriter:
    """Rewrites through a model, falling back to the offline rewrite where that is the better outcome."""

    def __init__(self, rewriter: Rewriter, settings: Settings, make_client: Callable[[], CompletionClient]) -> None:
        self._rewriter = rewriter
        self._settings = settings
        self._make_client = make_client
        self._client: CompletionClient | None = None

    def __enter__(self) -> ModelRewriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the endpoint connection (it is reused between rewrites until then)."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def _get_client(self) -> CompletionClient:
        if self._client is None:
            self._client = self._make_client()
        return self._client

    def rewrite(
        self,
        request: RewriteRequest,
        on_delta: Callable[[str], None] | None = None,
        cancel: CancelToken | None = None,
        stream: bool = True,
        draft: TemplateDraft | None = None,
    ) -> RewriteResult:
        """The model's rewrite, or the offline one plus a notice when the judge stopped the model's text, or
        the endpoint failed and fallback is on. `draft` renders an edited template instead of the saved one
        (the settings window's "Try with model").

        Raises:
            InputError, TemplateError, ProviderError (not a fallback case, or fallback off), SecretStoreError
        """
        prepared = self._rewriter.prepare(request)
        meta = self._rewriter.meta_prompt(prepared, draft)
        client = self._get_client()
        if on_delta is not None and client.known_secrets():
            from rephraser.core.providers.redact import SecretSafeDeltas

            on_delta = SecretSafeDeltas(client.known_secrets(), on_delta)
        try:
            completion = client.complete(meta, on_delta=on_delta, cancel=cancel, stream=stream)
        except FALLBACK_ERRORS as error:
            if not self._settings.fallback_to_offline:
                raise
            result = self._rewriter.offline_from(prepared, notice=_fallback_notice(error), draft=draft)
            return result._replace(why=f"The model could not be reached: {error}", strength=_strength(prepared))
        answer = completion.text
        if prepared.target_uncertain:
            prepared, answer = self._with_models_target(request, prepared, answer)
        cleaned = clean_model_output(answer)
        if not cleaned.text:
            raise MalformedResponseError("The model's answer was empty once its wrapping was removed; try again.")
        context = _judged(prepared, meta, client.known_secrets())._replace(secret_echoed=completion.secret_echoed)
        verdict = judge(context, cleaned.text, raw=answer)
        if verdict.problems:
            # Never paste an answer, a refusal or an obeyed injection in place of the user's text.
            notice = f"{verdict.why} Used the offline rewrite instead."
            result = self._rewriter.offline_from(prepared, notice=notice, draft=draft)
            shown = "" if "key-echo" in verdict.checks or completion.secret_echoed else cleaned.text
            return result._replace(
                cleanup=(*cleaned.fired, "fallback"),
                checks=verdict.checks,
                why=verdict.why,
                strength=_strength(prepared),
                rejected=shown,
            )
        return RewriteResult(
            cleaned.text,
            prepared.target,
            prepared.template,
            "model",
            prepared.language,
            prepared.reason,
            cleanup=cleaned.fired,
            strength=_strength(prepared),
        )

    def _with_models_target(
        self, request: RewriteRequest, prepared: PreparedRewrite, answer: str
    ) -> tuple[PreparedRewrite, str]:
        """The answer without its TARGET line, and the rewrite prepared for the model's target when it named
        another one (the judge and an offline fallback then follow the model)."""
        named, rest = split_target_line(answer)
        if named is None:
            return prepared, answer
        if named is prepared.target:
            return prepared._replace(reason=f"{prepared.reason}; the model agrees"), rest
        reason = f"the model: {named.value} (the text alone was unsure: {prepared.reason})"
        return self._rewriter.prepare(request._replace(target=named.value))._replace(reason=reason), rest


# "TARGET: image", also as models dress it up ("**Target:** image."), on the answer's first line.
_TARGET_LINE = re.compile(
    r"\A\s*[*_`]*target[*_`]*\s*[:=][*_`\s]*(chat|code|image|multimodal)\b[*_`.]*[ \t]*(?:\n|\Z)", re.I
)


def split_target_line(answer: str) -> tuple[Target | None, str]:
    """The target a leading "TARGET: image" line names, and the answer after it (None and the answer as it
    was when it has no such line)."""
    match = _TARGET_LINE.match(answer)
    if match is None:
        return None, answer
    return Target(match[1].lower()), answer[match.end() :].lstrip("\n")


def _strength(prepared: PreparedRewrite) -> str:
    return str(prepared.variables["strength"])


def _judged(prepared: PreparedRewrite, meta: MetaPrompt, secrets: tuple[str, ...]) -> Judged:
    variables = prepared.variables
    return Judged(
        original=variables["text"],
        analysis=variables["a"],
        target=prepared.target.value,
        family=variables["family"],
        language=prepared.language,
        strength=variables["strength"],
        in_english=bool(variables["in_english"]),
        shown=f"{meta.system}\n{meta.user}",
        secrets=secrets,
    )


def _fallback_notice(error: ProviderError) -> str:
    return f"{error} Used the offline rewrite instead (fallback_to_offline)."
