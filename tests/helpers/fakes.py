"""Hand-written fakes that implement the core's ports (STYLE.md section 7)."""

from __future__ import annotations

from rephraser.core.errors import SecretStoreError

__all__ = ["BrokenSecretStore", "MemorySecretStore"]


class MemorySecretStore:
    """A SecretStore in a dict."""

    def __init__(self, keys: dict[str, str] | None = None) -> None:
        self.keys = dict(keys or {})

    def get(self, provider: str) -> str | None:
        return self.keys.get(provider)

    def set(self, provider: str, key: str) -> None:
        self.keys[provider] = key

    def delete(self, provider: str) -> bool:
        return self.keys.pop(provider, None) is not None

    def describe(self) -> str:
        return "memory"


class BrokenSecretStore:
    """A SecretStore whose keyring is locked."""

    def get(self, provider: str) -> str | None:
        raise SecretStoreError("the keyring is locked")

    def set(self, provider: str, key: str) -> None:
        raise SecretStoreError("the keyring is locked")

    def delete(self, provider: str) -> bool:
        raise SecretStoreError("the keyring is locked")

    def describe(self) -> str:
        raise SecretStoreError("the keyring is locked")
