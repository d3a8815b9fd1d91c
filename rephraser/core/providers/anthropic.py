"""Anthropic's Messages API (`/v1/messages`): system prompt as its own field, key in `x-api-key`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rephraser.core.errors import MalformedResponseError, ProviderError, RateLimitedError, ServerError
from rephraser.core.providers._json import data_ids, dig, load_json
from rephraser.core.providers.base import Delta, ModelParams, RequestSpec

if TYPE_CHECKING:
    from rephraser.core.providers.sse import SseEvent
    from rephraser.core.rewrite import MetaPrompt

__all__ = ["ANTHROPIC_VERSION", "AnthropicProvider"]

ANTHROPIC_VERSION = "2023-06-01"


class AnthropicProvider:
    """Claude models through the Messages API."""

    name = "anthropic"
    title = "Anthropic"
    key_env = "ANTHROPIC_API_KEY"
    key_required = True
    default_base_url = "https://api.anthropic.com"

    def base_url(self, configured: str) -> str:
        url = (configured or self.default_base_url).strip().rstrip("/")
        for suffix in ("/messages", "/models", "/v1"):
            url = url.removesuffix(suffix)
        return url

    def chat_request(
        self, base_url: str, meta: MetaPrompt, params: ModelParams, key: str | None, stream: bool
    ) -> RequestSpec:
        body: dict[str, Any] = {
            "model": params.model,
            "system": meta.system,
            "messages": [{"role": "user", "content": _user_content(meta)}],
            "max_tokens": params.max_output_tokens,
            "temperature": min(params.temperature, 1.0),  # the API's range is 0..1
            "stream": stream,
        }
        return RequestSpec("POST", f"{base_url}/v1/messages", _headers(key), body)

    def models_request(self, base_url: str, key: str | None) -> RequestSpec:
        return RequestSpec("GET", f"{base_url}/v1/models?limit=1000", _headers(key))

    def parse_models(self, data: Any) -> list[str]:
        return data_ids(data)

    def parse_completion(self, data: Any) -> Delta:
        blocks = dig(data, "content")
        if not isinstance(blocks, list):
            raise MalformedResponseError("the answer has no `content` array")
        text = "".join(b.get("text", "") for b in blocks if isinstance(b, dict) and b.get("type") == "text")
        thinking = "".join(b.get("thinking", "") for b in blocks if isinstance(b, dict) and b.get("type") == "thinking")
        return Delta(text, thinking)

    def stream_decoder(self) -> _EventDecoder:
        return _EventDecoder()

    def error_detail(self, data: Any) -> str:
        detail = dig(data, "error", "message")
        return detail if isinstance(detail, str) else ""


class _EventDecoder:
    """Named events; text in `content_block_delta`/`text_delta`, the end in `message_stop`."""

    def __init__(self) -> None:
        self._stopped = False

    @property
    def complete(self) -> bool:
        return self._stopped

    def feed(self, event: SseEvent) -> list[Delta]:
        data = load_json(event.data, f"a streamed `{event.event}` event")
        kind = dig(data, "type") or event.event
        if kind == "message_stop":
            self._stopped = True
        elif kind == "error":
            raise _stream_error(data)
        elif kind == "content_block_delta":
            delta = dig(data, "delta")
            if not isinstance(delta, dict):
                raise MalformedResponseError("a `content_block_delta` event has no `delta`")
            if delta.get("type") == "text_delta":
                return [Delta(text=str(delta.get("text", "")))]
            if delta.get("type") == "thinking_delta":
                return [Delta(reasoning=str(delta.get("thinking", "")))]
        return []


def _stream_error(data: Any) -> ProviderError:
    kind = dig(data, "error", "type") or "error"
    message = f"Anthropic reported {kind} mid-stream: {dig(data, 'error', 'message') or 'no details'}"
    if kind == "rate_limit_error":
        return RateLimitedError(message)
    return ServerError(message)


def _headers(key: str | None) -> dict[str, str]:
    headers = {"Content-Type": "application/json", "anthropic-version": ANTHROPIC_VERSION}
    if key:
        headers["x-api-key"] = key
    return headers


def _user_content(meta: MetaPrompt) -> Any:
    """The text alone, or an image block (base64 source) before the text, as the API advises."""
    if meta.picture is None:
        return meta.user
    source = {"type": "base64", "media_type": meta.picture.mime_type, "data": meta.picture.data}
    return [{"type": "image", "source": source}, {"type": "text", "text": meta.user}]
