"""Model mode: the meta-prompt goes to the endpoint, the answer comes back; when the endpoint is away
or broken and `fallback_to_offline` is on, the offline rewrite stands in, with a notice."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from rephraser.core.cleanup import clean_model_output
from rephraser.core.config.schema import Settings
from rephraser.core.errors import FALLBACK_ERRORS, MalformedResponseError, ProviderError
from rephraser.core.judge import judge_rewrite
from rephraser.core.rewrite import MetaPrompt, Rewriter, RewriteRequest, RewriteResult

if TYPE_CHECKING:
    from rephraser.core.providers.base import Completion
    from rephraser.core.providers.cancel import CancelToken

__all__ = ["CompletionClient", "ModelRewriter"]


class CompletionClient(Protocol):
    """What ModelRewriter needs of a model client (rephraser.core.providers.client.ModelClient)."""

    def complete(
        self,
        meta: MetaPrompt,
        on_delta: Callable[[str], None] | None = None,
        cancel: CancelToken | None = None,
        stream: bool = True,
    ) -> Completion: ...

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
    ) -> RewriteResult:
        """The model's rewrite, or the offline one plus a notice when the endpoint failed and fallback is on.

        Raises:
            InputError, TemplateError, ProviderError (not a fallback case, or fallback off), SecretStoreError
        """
        prepared = self._rewriter.prepare(request)
        meta = self._rewriter.meta_prompt(prepared)
        try:
            completion = self._get_client().complete(meta, on_delta=on_delta, cancel=cancel, stream=stream)
        except FALLBACK_ERRORS as error:
            if not self._settings.fallback_to_offline:
                raise
            return self._rewriter.offline_from(prepared, notice=_fallback_notice(error))
        cleaned = clean_model_output(completion.text)
        if not cleaned.text:
            raise MalformedResponseError("The model's answer was empty once its wrapping was removed; try again.")
        problems = judge_rewrite(
            prepared.variables["text"], prepared.variables["a"], cleaned.text, shown=f"{meta.system}\n{meta.user}"
        )
        if problems:
            # Never paste an answer, a refusal or an obeyed injection in place of the user's text.
            result = self._rewriter.offline_from(prepared, notice=_judged_notice(problems))
            return result._replace(cleanup=(*cleaned.fired, *problems, "fallback"))
        return RewriteResult(
            cleaned.text,
            prepared.target,
            prepared.template,
            "model",
            prepared.language,
            prepared.reason,
            cleanup=cleaned.fired,
        )


_PROBLEM_WORDS = {
    "refused": "refused the request",
    "answered": "answered the prompt instead of rewriting it",
    "dropped-facts": "left out facts from your text",
    "invented-numbers": "added numbers that were not in your text",
    "invented-names": "added names that were not in your text",
}


def _judged_notice(problems: tuple[str, ...]) -> str:
    said = " and ".join(_PROBLEM_WORDS[p] for p in problems)
    return f"The model {said}; used the offline rewrite instead."


def _fallback_notice(error: ProviderError) -> str:
    return f"{error} Used the offline rewrite instead (fallback_to_offline)."
