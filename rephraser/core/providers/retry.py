"""When to try a request again: only where it is safe, with backoff, honouring Retry-After."""

from __future__ import annotations

import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import TypeVar

from rephraser.core.errors import EndpointUnreachableError, RateLimitedError, RequestCancelledError, ServerError
from rephraser.core.providers.cancel import CancelToken

__all__ = ["RetryPolicy", "retry_after_s"]

T = TypeVar("T")

_RETRY_STATUSES = frozenset({502, 503, 504})


class RetryPolicy:
    """Connect failures, 429 and 502/503/504 are tried again, never once answer text has streamed.

    Args:
        attempts: tries in all.
        backoff_s: the first wait; doubles per retry.
        max_wait_s: a longer Retry-After is not waited for; the error goes to the user instead.
    """

    def __init__(self, attempts: int = 3, backoff_s: float = 0.25, max_wait_s: float = 10.0) -> None:
        self.attempts = attempts
        self.backoff_s = backoff_s
        self.max_wait_s = max_wait_s

    def run(self, attempt: Callable[[], T], token: CancelToken, started: Callable[[], bool]) -> T:
        """Call `attempt` until it succeeds or fails in a way that must not be retried."""
        for number in range(1, self.attempts + 1):
            try:
                return attempt()
            except (EndpointUnreachableError, RateLimitedError, ServerError) as error:
                wait = self._wait_s(error, number)
                if wait is None or number == self.attempts or started():
                    raise
            if token.wait(wait):
                raise RequestCancelledError("Cancelled.")
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _wait_s(self, error: Exception, number: int) -> float | None:
        if isinstance(error, ServerError) and error.status not in _RETRY_STATUSES:
            return None
        backoff = self.backoff_s * 2.0 ** (number - 1)
        if isinstance(error, RateLimitedError) and error.retry_after_s is not None:
            return error.retry_after_s if error.retry_after_s <= self.max_wait_s else None
        return backoff


def retry_after_s(header: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None if absent or unreadable."""
    if not header:
        return None
    try:
        return max(0.0, float(header))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(header).timestamp() - time.time())
    except (TypeError, ValueError):
        return None
