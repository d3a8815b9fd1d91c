"""Keeping secrets out of text: the API key and base_url's credentials are masked in whatever an endpoint
sends back (so they never reach a message, a log line or a paste), and URLs are shown without them."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from urllib.parse import quote, unquote, urlsplit, urlunsplit

__all__ = ["MASK", "Redactor", "SecretSafeDeltas", "safe_url"]

MASK = "***"

# Shorter values are words, not secrets: masking every "abc" would mangle answers and messages.
_MIN_SECRET_CHARS = 4

# Query parameters that carry credentials (Gemini's `key=`, `api_key`, `access_token`, signatures, ...).
_SECRET_PARAM = re.compile(r"key|token|secret|password|passwd|auth|sig", re.IGNORECASE)


class Redactor:
    """Masks the API key and the credentials in base_url (userinfo, key query parameters) in any text.

    Each secret is also masked as it looks percent-encoded, JSON-escaped and, for userinfo, as the Basic
    auth header value a server might echo.
    """

    def __init__(self, key: str | None, base_url: str) -> None:
        secrets = [key or "", *_url_secrets(base_url)]
        forms = {form for secret in secrets if len(secret) >= _MIN_SECRET_CHARS for form in _forms(secret)}
        # Longest first, so "user:password" goes before "password" leaves "user:" behind.
        self._forms = sorted(forms, key=len, reverse=True)
        self.masked = 0  # how many secrets were masked so far: an answer that had one is never pasted

    def __call__(self, text: str) -> str:
        for form in self._forms:
            if form in text:
                self.masked += text.count(form)
                text = text.replace(form, MASK)
        return text


class SecretSafeDeltas:
    """Passes streamed answer text on (to a preview), never a secret: the client masks a key within one
    SSE line, but one split over several deltas arrives in pieces. Text that ends in the start of a
    secret is held back until it goes on otherwise; once a whole secret appears nothing more is passed
    (the judge stops that answer)."""

    def __init__(self, secrets: tuple[str, ...], on_delta: Callable[[str], None]) -> None:
        self._secrets = [secret for secret in secrets if len(secret) >= _MIN_SECRET_CHARS]
        self._on_delta = on_delta
        self._text = ""
        self._sent = 0
        self._stopped = False

    def __call__(self, chunk: str) -> None:
        if self._stopped:
            return
        self._text += chunk
        if any(secret in self._text for secret in self._secrets):
            self._stopped = True
            return
        safe = len(self._text) - max((_secret_start_at_end(self._text, s) for s in self._secrets), default=0)
        if safe > self._sent:
            self._on_delta(self._text[self._sent : safe])
            self._sent = safe


def _secret_start_at_end(text: str, secret: str) -> int:
    """How many of `secret`'s first characters `text` ends with (0: none)."""
    for size in range(min(len(secret) - 1, len(text)), 0, -1):
        if text.endswith(secret[:size]):
            return size
    return 0


def safe_url(url: str) -> str:
    """The URL without userinfo, with the values of credential query parameters masked."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return MASK
    netloc = parts.netloc.rpartition("@")[2]
    query = "&".join(_masked_param(param) for param in parts.query.split("&")) if parts.query else ""
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def _masked_param(param: str) -> str:
    name, equals, value = param.partition("=")
    return f"{name}={MASK}" if equals and value and _SECRET_PARAM.search(name) else param


def _url_secrets(url: str) -> list[str]:
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    found = []
    userinfo, at, _ = parts.netloc.rpartition("@")
    if at:
        user, colon, password = (unquote(piece) for piece in userinfo.partition(":"))
        if colon and password:
            found += [password, f"{user}:{password}", base64.b64encode(f"{user}:{password}".encode()).decode()]
    for param in parts.query.split("&"):
        name, _, value = param.partition("=")
        if _SECRET_PARAM.search(name):
            found += [value, unquote(value)]
    return found


def _forms(secret: str) -> set[str]:
    return {secret, quote(secret, safe=""), json.dumps(secret)[1:-1], secret.replace("/", "\\/")}
