"""OpenAI-compatible Chat Completions: OpenAI, Ollama, LM Studio, vLLM, llama.cpp, OpenRouter, Groq, ..."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from rephraser.core.errors import MalformedResponseError
from rephraser.core.providers._json import data_ids, dig, load_json
from rephraser.core.providers.base import Delta, ModelParams, RequestSpec

if TYPE_CHECKING:
    from rephraser.core.providers.sse import SseEvent
    from rephraser.core.rewrite import MetaPrompt

__all__ = ["OpenAIProvider"]

# A path that already names an API version ("/v1", "/v1beta", "/api/v2") or an OpenAI-compatible
# sub-API ("/openai") is kept; anything else gets "/v1".
_VERSIONED = re.compile(r"/(v\d+\w*|openai)$")


class OpenAIProvider:
    """The Chat Completions API (`/v1/chat/completions`), keys optional for local servers."""

    name = "openai"
    title = "OpenAI-compatible endpoint"
    key_env = "OPENAI_API_KEY"
    key_required = False
    default_base_url = "https://api.openai.com/v1"

    def base_url(self, configured: str) -> str:
        url = (configured or self.default_base_url).strip().rstrip("/")
        for suffix in ("/chat/completions", "/completions", "/models"):
            url = url.removesuffix(suffix)
        return url if _VERSIONED.search(url) else f"{url}/v1"

    def chat_request(
        self, base_url: str, meta: MetaPrompt, params: ModelParams, key: str | None, stream: bool
    ) -> RequestSpec:
        body: dict[str, Any] = {
            "model": params.model,
            "messages": [{"role": "system", "content": meta.system}, {"role": "user", "content": _user_content(meta)}],
            "temperature": params.temperature,
            "max_tokens": params.max_output_tokens,
            "stream": stream,
        }
        return RequestSpec("POST", f"{base_url}/chat/completions", _headers(key), body)

    def models_request(self, base_url: str, key: str | None) -> RequestSpec:
        return RequestSpec("GET", f"{base_url}/models", _headers(key))

    def parse_models(self, data: Any) -> list[str]:
        return data_ids(data)

    def parse_completion(self, data: Any) -> Delta:
        message = dig(data, "choices", 0, "message")
        if not isinstance(message, dict):
            raise MalformedResponseError("the answer has no `choices[0].message`")
        return Delta(_text(message.get("content")), _text(message.get("reasoning_content") or message.get("reasoning")))

    def stream_decoder(self) -> _ChunkDecoder:
        return _ChunkDecoder()

    def error_detail(self, data: Any) -> str:
        detail = dig(data, "error", "message") or dig(data, "error") or dig(data, "detail") or dig(data, "message")
        return detail if isinstance(detail, str) else ""


class _ChunkDecoder:
    """`data: {chunk}` events, ended by `data: [DONE]` (or a finish_reason when a server omits it)."""

    def __init__(self) -> None:
        self._done = False
        self._finished = False

    @property
    def complete(self) -> bool:
        return self._done or self._finished

    def feed(self, event: SseEvent) -> list[Delta]:
        if event.data.strip() == "[DONE]":
            self._done = True
            return []
        chunk = load_json(event.data, "a streamed chunk")
        if isinstance(chunk, dict) and "error" in chunk:
            from rephraser.core.errors import ServerError

            raise ServerError(
                f"The endpoint reported an error mid-stream: {dig(chunk, 'error', 'message') or chunk['error']}"
            )
        choice = dig(chunk, "choices", 0)
        if choice is None:
            return []  # usage-only or keep-alive chunks
        if not isinstance(choice, dict):
            raise MalformedResponseError("a streamed chunk has no `choices[0]` object")
        if choice.get("finish_reason"):
            self._finished = True
        delta = choice.get("delta") or {}
        if not isinstance(delta, dict):
            raise MalformedResponseError("a streamed chunk has no `delta` object")
        piece = Delta(_text(delta.get("content")), _text(delta.get("reasoning_content") or delta.get("reasoning")))
        return [piece] if piece.text or piece.reasoning else []


def _headers(key: str | None) -> dict[str, str]:
    headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    return headers


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _user_content(meta: MetaPrompt) -> Any:
    """The text alone, or the text and the picture as content parts (the picture as a data URL)."""
    if meta.picture is None:
        return meta.user
    url = f"data:{meta.picture.mime_type};base64,{meta.picture.data}"
    return [{"type": "text", "text": meta.user}, {"type": "image_url", "image_url": {"url": url}}]
