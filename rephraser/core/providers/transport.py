"""The plumbing under ModelClient: a worker thread under a deadline, sockets handed to the CancelToken so
cancel and deadlines end blocked reads at once, and body reads bounded in size and time."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import httpx

from rephraser.core.errors import MalformedResponseError, RequestCancelledError
from rephraser.core.providers.cancel import CancelToken, shutdown_socket
from rephraser.core.providers.sse import size_text

__all__ = ["DeadlinePassed", "chunks", "read_limited", "read_within", "run_in_worker", "tracer", "track_response"]

T = TypeVar("T")

# httpcore's trace events that hand over a new connection's stream (plain TCP, then TLS on top).
_NEW_STREAM_EVENTS = frozenset({"connection.connect_tcp.complete", "connection.start_tls.complete"})


class DeadlinePassed(Exception):
    """The whole request took longer than its deadline (the caller turns this into a message)."""


def run_in_worker(work: Callable[[CancelToken], T], token: CancelToken, deadline_s: float) -> T:
    """Run `work(request)` in a worker thread, `request` being a child of `token`, and return its result.

    Raises:
        RequestCancelledError: `token` was cancelled (this wins, even over an answer in the same instant).
        DeadlinePassed: `deadline_s` passed first; the request is cancelled (its sockets shut down, so the
            worker ends on its own) and whatever it still produces is dropped.
        BaseException: whatever `work` raised.
    """
    request = token.child()
    outcome: list[tuple[bool, Any]] = []
    done = threading.Event()

    def worker() -> None:
        try:
            outcome.append((True, work(request)))
        except BaseException as error:  # handed to the caller below
            outcome.append((False, error))
        finally:
            done.set()

    request.wake_on_cancel(done)
    threading.Thread(target=worker, name="rephraser-model-request", daemon=True).start()
    finished = done.wait(deadline_s)
    if token.cancelled:
        raise RequestCancelledError("Cancelled.")
    if not finished:
        request.cancel()
        raise DeadlinePassed(f"{deadline_s:g} s")
    ok, value = outcome[0]
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]


def tracer(token: CancelToken) -> Callable[[str, dict[str, Any]], None]:
    """httpcore reports each new connection; hand its socket to the token so cancel can shut it down."""

    def trace(event: str, info: dict[str, Any]) -> None:
        if event in _NEW_STREAM_EVENTS:
            sock = _socket(info.get("return_value"))
            if sock is not None:
                token.track(sock)

    return trace


def track_response(response: httpx.Response, token: CancelToken) -> None:
    """Also track the socket a response arrived on: a kept-alive connection opened by an earlier request."""
    sock = _socket(response.extensions.get("network_stream"))
    if sock is not None:
        token.track(sock)


def chunks(response: httpx.Response, token: CancelToken) -> Iterator[bytes]:
    """The body's chunks; stops once the request is cancelled (a dripping server never lets a read block)."""
    for chunk in response.iter_bytes():
        if token.cancelled:
            raise RequestCancelledError("Cancelled.")
        yield chunk


def read_limited(response: httpx.Response, limit_bytes: int, title: str) -> str:
    """The whole body as text.

    Raises:
        MalformedResponseError: it is longer than `limit_bytes`.
        httpx.HTTPError
    """
    parts: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit_bytes:
            raise MalformedResponseError(f"{title} sent more than {size_text(limit_bytes)}; stopped reading.")
        parts.append(chunk)
    return b"".join(parts).decode("utf-8", errors="replace")


def read_within(response: httpx.Response, limit_bytes: int, wait_s: float, title: str) -> str | None:
    """The body if it is at most `limit_bytes` and arrives within `wait_s`; otherwise None.

    For error bodies, where the status already says what happened: a body that stalls must not turn a
    503 into a read timeout. Past `wait_s` the connection's socket is shut down, which ends the read.
    """
    sock = _socket(response.extensions.get("network_stream"))
    guard = threading.Timer(wait_s, shutdown_socket, (sock,)) if sock is not None else None
    if guard is not None:
        guard.daemon = True
        guard.start()
    try:
        return read_limited(response, limit_bytes, title)
    # ValueError: a TLS socket shut down between two of its own reads says "closed SSL socket".
    except (MalformedResponseError, httpx.HTTPError, ValueError):
        return None
    finally:
        if guard is not None:
            guard.cancel()


def _socket(stream: Any) -> socket.socket | None:
    sock = stream.get_extra_info("socket") if stream is not None else None
    return sock if isinstance(sock, socket.socket) else None
