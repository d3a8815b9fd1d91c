"""API keys in the OS keyring through the `keyring` library (Secret Service, macOS Keychain, Windows
Credential Locker). A plaintext backend is used only when the user names it in `keyring_backend`."""

from __future__ import annotations

from typing import Any

from rephraser.core.errors import SecretStoreError

__all__ = ["SERVICE", "KeyringSecretStore"]

SERVICE = "rephraser"

NO_KEYRING = (
    "No usable keyring was found for API keys. On Linux, install and unlock a Secret Service provider "
    "(for example `sudo apt-get install gnome-keyring` and log in to a desktop session, or KeePassXC with "
    "Secret Service enabled), or set the provider's API key environment variable instead."
)


class KeyringSecretStore:
    """Implements rephraser.core.keys.SecretStore on the `keyring` library.

    Args:
        backend: a keyring backend's import path (the `keyring_backend` setting), or "" for the OS default.
    """

    def __init__(self, backend: str = "") -> None:
        self._backend_name = backend
        self._backend: Any = None

    def get(self, provider: str) -> str | None:
        value = self._call("read the key from", lambda ring: ring.get_password(SERVICE, provider))
        return value if isinstance(value, str) else None

    def set(self, provider: str, key: str) -> None:
        self._call("store the key in", lambda ring: ring.set_password(SERVICE, provider, key))

    def delete(self, provider: str) -> bool:
        import keyring.errors

        def remove(ring: Any) -> bool:
            try:
                ring.delete_password(SERVICE, provider)
            except keyring.errors.PasswordDeleteError:
                return False
            return True

        return bool(self._call("delete the key from", remove))

    def describe(self) -> str:
        ring = self._ring()
        return f"{type(ring).__module__}.{type(ring).__name__}"

    def _call(self, doing: str, action: Any) -> Any:
        ring = self._ring()
        try:
            return action(ring)
        except Exception as error:  # keyring backends raise their own types (D-Bus, locked, ...)
            name = type(error).__name__
            # `from None` for secrecy: a backend's error may quote the call's arguments (the key being
            # stored), and a chained cause would carry it into tracebacks and the log file.
            raise SecretStoreError(
                f"Could not {doing} the keyring ({name}). Unlock your keyring (log in to the desktop, or open "
                "your password manager) and try again."
            ) from None

    def _ring(self) -> Any:
        if self._backend is None:
            self._backend = self._load()
        return self._backend

    def _load(self) -> Any:
        import keyring
        import keyring.backends.fail

        if self._backend_name:
            try:
                return keyring.core.load_keyring(self._backend_name)
            except Exception as error:  # import or init failure of a user-named backend
                raise SecretStoreError(
                    f'Cannot use keyring_backend "{self._backend_name}" ({type(error).__name__}). '
                    'Install its package or clear the setting (`rephraser config set keyring_backend ""`).'
                ) from error
        ring = keyring.get_keyring()
        if isinstance(ring, keyring.backends.fail.Keyring) or not _has_backends(ring):
            raise SecretStoreError(NO_KEYRING)
        if _is_plaintext(ring):
            raise SecretStoreError(
                f"The only keyring available ({type(ring).__name__}) keeps keys in a plain file; Rephraser will "
                "not use it unless you ask: set keyring_backend to its name, or set up a Secret Service provider."
            )
        return ring


def _has_backends(ring: Any) -> bool:
    backends = getattr(ring, "backends", None)
    return backends is None or len(backends) > 0


def _is_plaintext(ring: Any) -> bool:
    rings = getattr(ring, "backends", None) or [ring]
    return all(type(r).__module__.startswith("keyrings.alt") or "Plaintext" in type(r).__name__ for r in rings)
