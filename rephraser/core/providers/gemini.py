"""Google Gemini `generateContent` / `streamGenerateContent` (key in the `x-goog-api-key` header)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rephraser.core.errors import MalformedResponseError
from rephraser.core.providers._json import dig, load_json
from rephraser.core.providers.base import Delta, ModelParams, RequestSpec

if TYPE_CHECKING:
    from rephraser.core.providers.sse import SseEvent
    from rephraser.core.rewrite import MetaPrompt

__all__ = ["GeminiProvider"]

_API = "/v1beta"


class GeminiProvider:
    """Gemini models through the Generative Language API."""

    name = "gemini"
    title = "Google Gemini"
    key_env = "GEMINI_API_KEY"
    key_required = True
    default_base_url = "https://generativelanguage.googleapis.com"

    def base_url(self, configured: str) -> str:
        url = (configured or self.default_base_url).strip().rstrip("/")
        for suffix in ("/models", _API, "/v1"):
            url = url.removesuffix(suffix)
        return url

    def chat_request(
        self, base_url: str, meta: MetaPrompt, params: ModelParams, key: str | None, stream: bool
    ) -> RequestSpec:
        model = params.model.removeprefix("models/")
        action = "streamGenerateContent?alt=sse" if stream else "generateContent"
        body: dict[str, Any] = {
            "systemInstruction": {"parts": [{"text": meta.system}]},
            "contents": [{"role": "user", "parts": _user_parts(meta)}],
            "generationConfig": {"temperature": params.temperature, "maxOutputTokens": params.max_output_tokens},
        }
        return RequestSpec("POST", f"{base_url}{_API}/models/{model}:{action}", _headers(key), body)

    def models_request(self, base_url: str, key: str | None) -> RequestSpec:
        return RequestSpec("GET", f"{base_url}{_API}/models?pageSize=1000", _headers(key))

    def parse_models(self, data: Any) -> list[str]:
        items = dig(data, "models")
        if not isinstance(items, list):
            raise MalformedResponseError("the model list has no `models` array")
        return sorted(
            str(item["name"]).removeprefix("models/")
            for item in items
            if isinstance(item, dict)
            and "name" in item
            and "generateContent" in (item.get("supportedGenerationMethods") or ["generateContent"])
        )

    def parse_completion(self, data: Any) -> Delta:
        return _parts(data, strict=True)

    def stream_decoder(self) -> _ResponseDecoder:
        return _ResponseDecoder()

    def error_detail(self, data: Any) -> str:
        if isinstance(data, list) and data:
            data = data[0]
        detail = dig(data, "error", "message")
        return detail if isinstance(detail, str) else ""


class _ResponseDecoder:
    """Each event is a whole GenerateContentResponse; there is no end marker, a finishReason ends it."""

    def __init__(self) -> None:
        self._finished = False

    @property
    def complete(self) -> bool:
        return self._finished

    def feed(self, event: SseEvent) -> list[Delta]:
        data = load_json(event.data, "a streamed response")
        if dig(data, "error") is not None:
            from rephraser.core.errors import ServerError

            raise ServerError(f"Gemini reported an error mid-stream: {dig(data, 'error', 'message') or 'no details'}")
        if dig(data, "candidates", 0, "finishReason"):
            self._finished = True
        piece = _parts(data, strict=False)
        return [piece] if piece.text or piece.reasoning else []


def _parts(data: Any, strict: bool) -> Delta:
    parts = dig(data, "candidates", 0, "content", "parts")
    if not isinstance(parts, list):
        if strict or (dig(data, "candidates") is None and dig(data, "usageMetadata") is None):
            reason = dig(data, "promptFeedback", "blockReason")
            raise MalformedResponseError(
                f"Gemini blocked the prompt ({reason})" if reason else "the answer has no `candidates[0].content.parts`"
            )
        return Delta()
    text = "".join(str(p.get("text", "")) for p in parts if isinstance(p, dict) and not p.get("thought"))
    thought = "".join(str(p.get("text", "")) for p in parts if isinstance(p, dict) and p.get("thought"))
    return Delta(text, thought)


def _headers(key: str | None) -> dict[str, str]:
    headers = {"Content-Type": "application/json"}
    if key:
        headers["x-goog-api-key"] = key
    return headers


def _user_parts(meta: MetaPrompt) -> list[dict[str, Any]]:
    """The text, after the picture as inline data when there is one."""
    text = {"text": meta.user}
    if meta.picture is None:
        return [text]
    return [{"inline_data": {"mime_type": meta.picture.mime_type, "data": meta.picture.data}}, text]
