"""Cancelling a model request from another thread, at once."""

from __future__ import annotations

import contextlib
import socket
import threading

__all__ = ["CancelToken", "shutdown_socket"]


class CancelToken:
    """Set by the user (Esc, a second hotkey press, Ctrl+C); checked and obeyed by the model client.

    `cancel()` wakes whoever waits on the token and shuts down every socket the request opened, which
    ends a blocked read in the worker thread immediately and closes the connection to the endpoint.
    A `child()` is cancelled with its parent, or alone (a deadline ends one request, not the user's job).
    """

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._wakers: list[threading.Event] = []
        self._children: list[CancelToken] = []

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self) -> None:
        """Cancel the request (idempotent, thread-safe)."""
        self._event.set()
        with self._lock:
            sockets, self._sockets = self._sockets, []
            wakers = list(self._wakers)
            children, self._children = self._children, []
        for waker in wakers:
            waker.set()
        for sock in sockets:
            shutdown_socket(sock)
        for child in children:
            child.cancel()

    def child(self) -> CancelToken:
        """A token cancelled when this one is; cancelling it leaves this one alone."""
        token = CancelToken()
        with self._lock:
            if not self._event.is_set():
                self._children.append(token)
                return token
        token.cancel()
        return token

    def wake_on_cancel(self, event: threading.Event) -> None:
        """Also set `event` when cancelled, so one wait covers "done" and "cancelled"."""
        with self._lock:
            self._wakers.append(event)
        if self._event.is_set():
            event.set()

    def wait(self, timeout_s: float) -> bool:
        """Sleep up to `timeout_s`; True if cancelled meanwhile."""
        return self._event.wait(timeout_s)

    def track(self, sock: socket.socket) -> None:
        """Remember a socket of this request (shut down at once if already cancelled)."""
        with self._lock:
            if not self._event.is_set():
                self._sockets.append(sock)
                return
        shutdown_socket(sock)


def shutdown_socket(sock: socket.socket) -> None:
    """End every read and write on `sock` at once, from any thread (the owner still closes it)."""
    with contextlib.suppress(OSError):  # already closed by its owner: nothing left to stop
        sock.shutdown(socket.SHUT_RDWR)
