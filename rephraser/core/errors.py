"""Rephraser's exception tree.

Every error a user may see derives from `RephraserError`; its `str()` is a message written for users:
what went wrong and what to do. Library errors are translated with `raise ... from exc`.

    RephraserError
     ├── InputError                  the text to rewrite cannot be used
     │    ├── EmptyInputError
     │    ├── InputTooLargeError
     │    └── NotTextError           binary data or text that is not UTF-8
     ├── UnknownTargetError          a target name that is not auto/chat/code/image/multimodal
     ├── ConfigError                 a setting has a bad name or value
     ├── TemplateError               a template cannot be used
     │    ├── TemplateNotFoundError
     │    └── TemplateProblemError   syntax or render error, with file and line
     ├── SecretStoreError            the keyring cannot be used
     └── ProviderError               the model endpoint could not produce a rewrite
          ├── EndpointUnreachableError   connection refused, unknown host (fallback applies)
          ├── EndpointTimeoutError       no connection, no bytes or no whole answer in time (fallback applies)
          ├── ServerError                HTTP 5xx (fallback applies)
          ├── AuthenticationError        HTTP 401/403, or no key at all
          ├── ModelNotFoundError         HTTP 404: unknown model or wrong path
          ├── RateLimitedError           HTTP 429
          ├── RedirectError              HTTP 3xx: sent elsewhere (never followed)
          ├── MalformedResponseError     not the API's format, cut short, or too large
          └── RequestCancelledError      the user cancelled
"""

from __future__ import annotations

__all__ = [
    "FALLBACK_ERRORS",
    "AuthenticationError",
    "ConfigError",
    "EmptyInputError",
    "EndpointTimeoutError",
    "EndpointUnreachableError",
    "InputError",
    "InputTooLargeError",
    "MalformedResponseError",
    "ModelNotFoundError",
    "NotTextError",
    "ProviderError",
    "RateLimitedError",
    "RedirectError",
    "RephraserError",
    "RequestCancelledError",
    "SecretStoreError",
    "ServerError",
    "TemplateError",
    "TemplateNotFoundError",
    "TemplateProblemError",
    "UnknownTargetError",
]


class RephraserError(Exception):
    """Base of every error meant for a user; the message says what happened and what to do."""


class InputError(RephraserError):
    """The text to rewrite cannot be used."""


class EmptyInputError(InputError):
    """Nothing (or only white space) was given."""


class InputTooLargeError(InputError):
    """The text is over the documented size limit."""


class NotTextError(InputError):
    """The input is binary data or not valid UTF-8."""


class UnknownTargetError(RephraserError):
    """A target name that Rephraser does not know."""


class ConfigError(RephraserError):
    """A setting has an unknown name or a value that is not allowed."""


class TemplateError(RephraserError):
    """A template cannot be found or used."""


class TemplateNotFoundError(TemplateError):
    """No template of that name exists in the user or built-in folders."""


class TemplateProblemError(TemplateError):
    """A template has a syntax error or fails while rendering.

    Attributes:
        path: the template's file (or its name when it has no file).
        line: the 1-based line of the problem, or None when Jinja2 did not say.
    """

    def __init__(self, message: str, path: str, line: int | None) -> None:
        self.path = path
        self.line = line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


class ProviderError(RephraserError):
    """The model endpoint could not produce a rewrite."""


class SecretStoreError(RephraserError):
    """The OS keyring is missing, locked, or would store keys in plain text without being asked to."""


class EndpointUnreachableError(ProviderError):
    """The endpoint refused the connection or its host is unknown."""


class EndpointTimeoutError(ProviderError):
    """The endpoint did not connect or answer within the configured timeout."""


class ServerError(ProviderError):
    """The endpoint failed: an HTTP 5xx status, an error mid-stream, or a dropped connection.

    Attributes:
        status: the HTTP status, or None when the failure came another way.
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class AuthenticationError(ProviderError):
    """The endpoint rejected the API key (HTTP 401/403), or no key is set where one is needed."""


class ModelNotFoundError(ProviderError):
    """HTTP 404: the model is unknown or the base URL's path is wrong."""


class RateLimitedError(ProviderError):
    """HTTP 429: too many requests.

    Attributes:
        retry_after_s: how long the endpoint asked to wait, when it said.
    """

    def __init__(self, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class RedirectError(ProviderError):
    """HTTP 3xx: the endpoint sent the request to another address. Never followed, so the key and the
    text go only where base_url says."""


class MalformedResponseError(ProviderError):
    """The endpoint's answer is not in the API's format, ended early, or is too large."""


class RequestCancelledError(ProviderError):
    """The user cancelled the request."""


# Failures where the offline rewrite is a fair stand-in (the `fallback_to_offline` setting): the endpoint
# is away or broken, not misconfigured by the user.
FALLBACK_ERRORS: tuple[type[ProviderError], ...] = (EndpointUnreachableError, EndpointTimeoutError, ServerError)
