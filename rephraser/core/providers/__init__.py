"""The model path: one `Provider` per API (OpenAI-compatible, Anthropic, Gemini) and a `ModelClient`
that speaks to it over httpx with timeouts, retries, streaming and cancellation.

Nothing here is imported until the first model request: the offline CLI and the tray's start-up do not
pay for httpx. Use `get_provider(name)` to reach an implementation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rephraser.core.providers.base import Provider

__all__ = ["PROVIDER_NAMES", "get_provider"]

PROVIDER_NAMES = ("openai", "anthropic", "gemini")


def get_provider(name: str) -> Provider:
    """The provider for a config `provider` value (validated by the schema)."""
    if name == "anthropic":
        from rephraser.core.providers.anthropic import AnthropicProvider

        return AnthropicProvider()
    if name == "gemini":
        from rephraser.core.providers.gemini import GeminiProvider

        return GeminiProvider()
    from rephraser.core.providers.openai import OpenAIProvider

    return OpenAIProvider()
