"""API keys: where they come from (environment override, then the secret store) and the store's port."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple, Protocol

from rephraser.core.errors import SecretStoreError
from rephraser.core.secret import Secret

if TYPE_CHECKING:
    from rephraser.core.providers.base import Provider

__all__ = ["ResolvedKey", "SecretStore", "resolve_key"]


class SecretStore(Protocol):
    """Where API keys live: the OS keyring (rephraser.platform.keyring_secrets) or a test fake."""

    def get(self, provider: str) -> str | None:
        """The stored key, or None. Raises SecretStoreError when the store cannot be used."""
        ...

    def set(self, provider: str, key: str) -> None:
        """Store a key. Raises SecretStoreError."""
        ...

    def delete(self, provider: str) -> bool:
        """Remove a key; False when there was none. Raises SecretStoreError."""
        ...

    def describe(self) -> str:
        """Which backend is in use, for `doctor` and `key status`. Raises SecretStoreError."""
        ...


class ResolvedKey(NamedTuple):
    """A key (or None) and where it came from, e.g. "environment variable OPENAI_API_KEY"."""

    key: Secret | None
    source: str


def resolve_key(provider: Provider, store: SecretStore, environ: Mapping[str, str] = os.environ) -> ResolvedKey:
    """The environment variable wins; else the secret store.

    Raises:
        SecretStoreError: the store is unusable and this provider needs a key.
    """
    from_env = environ.get(provider.key_env, "").strip()
    if from_env:
        return ResolvedKey(Secret(from_env), f"environment variable {provider.key_env}")
    try:
        stored = store.get(provider.name)
    except SecretStoreError:
        if provider.key_required:
            raise
        return ResolvedKey(None, "none (the keyring is unavailable)")
    if stored:
        return ResolvedKey(Secret(stored), "keyring")
    return ResolvedKey(None, "none")
