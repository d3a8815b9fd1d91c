"""What every provider implements, and the value types the model path passes around."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:
    from rephraser.core.providers.sse import SseEvent
    from rephraser.core.rewrite import MetaPrompt

__all__ = ["Completion", "Delta", "ModelParams", "Provider", "RequestSpec", "StreamDecoder"]


class ModelParams(NamedTuple):
    """The request parameters taken from the settings."""

    model: str
    temperature: float = 0.2
    max_output_tokens: int = 1024
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 60.0
    request_deadline_s: float = 120.0  # the whole request, retries and streaming included


class RequestSpec(NamedTuple):
    """An HTTP request to make. `headers` may carry the API key: never log or show them."""

    method: str
    url: str
    headers: dict[str, str]
    body: dict[str, Any] | None = None

    def __repr__(self) -> str:
        return f"RequestSpec({self.method} {self.url}, headers=<{len(self.headers)} hidden>)"


class Delta(NamedTuple):
    """A piece of the answer and/or of the model's reasoning."""

    text: str = ""
    reasoning: str = ""


class Completion(NamedTuple):
    """A finished answer, its reasoning (never pasted) and the model that produced it. `secret_echoed`:
    the endpoint's reply contained the API key or a credential (masked in `text`; never pasted)."""

    text: str
    reasoning: str
    model: str
    secret_echoed: bool = False


class StreamDecoder(Protocol):
    """Turns one provider's stream events into deltas and knows when the stream properly ended."""

    @property
    def complete(self) -> bool:
        """True once the stream's end marker (or a final finish reason) arrived."""
        ...

    def feed(self, event: SseEvent) -> list[Delta]:
        """Deltas in one event.

        Raises:
            MalformedResponseError: the event is not the API's format.
            ProviderError: the event reports an error (e.g. Anthropic's `error` event).
        """
        ...


class Provider(Protocol):
    """One model API: how to address it, build requests and read answers."""

    name: str
    title: str
    key_env: str
    key_required: bool
    default_base_url: str

    def base_url(self, configured: str) -> str:
        """The normalised base URL for a configured one ("" means the public API)."""
        ...

    def chat_request(
        self, base_url: str, meta: MetaPrompt, params: ModelParams, key: str | None, stream: bool
    ) -> RequestSpec:
        """The request that asks the model for a rewrite."""
        ...

    def models_request(self, base_url: str, key: str | None) -> RequestSpec:
        """The request that lists the endpoint's models."""
        ...

    def parse_models(self, data: Any) -> list[str]:
        """Model ids from the models response.

        Raises:
            MalformedResponseError
        """
        ...

    def parse_completion(self, data: Any) -> Delta:
        """The whole answer from a non-streamed response.

        Raises:
            MalformedResponseError
        """
        ...

    def stream_decoder(self) -> StreamDecoder:
        """A fresh decoder for one streamed response."""
        ...

    def error_detail(self, data: Any) -> str:
        """The provider's own error message in an error body, or ""."""
        ...
