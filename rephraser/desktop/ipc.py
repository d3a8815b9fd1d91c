"""The single-instance server: a Unix socket in the user-private runtime folder, served from Qt's event loop
by socket notifiers (rephraser.core.ipc is the Qt-free client and describes the protocol, with its size and
depth limits). The standard library's socket rather than QtNetwork: QtNetwork costs the tray app ~3 MB."""

from __future__ import annotations

import contextlib
import json
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

from rephraser.core.config.paths import ipc_socket_path
from rephraser.core.errors import RephraserError
from rephraser.core.ipc import MAX_MESSAGE_BYTES, ProtocolError, decode_request

__all__ = ["IpcServer"]

Handler = Callable[[dict[str, Any]], dict[str, Any]]

# A client that sent too much is read on (and the bytes dropped) up to this, so it can still read the
# answer; past it, or after this long without a byte, the connection is cut.
_DRAIN_LIMIT_BYTES = 4 * 1024 * 1024
_IDLE_TIMEOUT_MS = 5000
_CHUNK_BYTES = 64 * 1024


class IpcServer(QObject):
    """Answers one JSON command per connection with one JSON reply.

    Attributes:
        problem: why `listen` failed, when it did.
    """

    def __init__(self, handle: Handler) -> None:
        super().__init__()
        self._handle = handle
        self.problem = ""
        self._listener: socket.socket | None = None
        self._bound: tuple[Path, int] | None = None  # the socket file and its inode, to remove only ours
        self._notifier: QSocketNotifier | None = None
        self._connections: set[_Connection] = set()

    def listen(self) -> bool:
        """Open the socket; False (with `problem` set) when it cannot be."""
        try:
            path = ipc_socket_path()
        except RephraserError as error:
            self.problem = str(error)
            return False
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()  # a stale socket from a crashed run (the caller checked none answers)
            listener.bind(str(path))
            os.chmod(path, 0o600)  # the folder is private already; the socket is too
            listener.listen(16)
            inode = path.stat().st_ino
        except OSError as error:
            listener.close()
            self.problem = f"{path}: {error.strerror or error}"
            return False
        listener.setblocking(False)
        self._listener, self._bound = listener, (path, inode)
        self._notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._accept)
        return True

    def close(self) -> None:
        for connection in list(self._connections):
            connection.close()
        if self._listener is None:
            return
        assert self._notifier is not None
        self._notifier.setEnabled(False)
        with contextlib.suppress(OSError):
            if self._bound is not None and self._bound[0].stat().st_ino == self._bound[1]:
                self._bound[0].unlink()  # ours still: a newer instance may have replaced it
        self._listener.close()
        self._listener = None

    def _accept(self) -> None:
        assert self._listener is not None
        while True:
            try:
                client, _address = self._listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # out of descriptors, say: the next readiness tries again
                return
            self._connections.add(_Connection(client, self._handle, self._connections.discard))


class _Connection:
    """One client: at most MAX_MESSAGE_BYTES (plus one read) are ever held, however much it sends."""

    def __init__(self, client: socket.socket, handle: Handler, forget: Callable[[_Connection], None]) -> None:
        client.setblocking(False)
        self._socket, self._handle, self._forget = client, handle, forget
        self._received = bytearray()
        self._unsent = b""
        self._answered, self._drained, self._closed = False, 0, False
        self._reader = QSocketNotifier(client.fileno(), QSocketNotifier.Type.Read)
        self._reader.activated.connect(self._read)
        self._writer = QSocketNotifier(client.fileno(), QSocketNotifier.Type.Write)
        self._writer.setEnabled(False)
        self._writer.activated.connect(self._write)
        self._idle = QTimer()
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self.close)
        self._idle.start(_IDLE_TIMEOUT_MS)

    def _read(self) -> None:
        self._idle.start(_IDLE_TIMEOUT_MS)
        try:
            chunk = self._socket.recv(_CHUNK_BYTES)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if not chunk:  # the client hung up
            self.close()
        elif self._answered:
            self._drained += len(chunk)
            if self._drained > _DRAIN_LIMIT_BYTES:
                self.close()
        else:
            self._received += chunk
            self._answer_when_complete()

    def _answer_when_complete(self) -> None:
        end = self._received.find(b"\n")
        if 0 <= end <= MAX_MESSAGE_BYTES:
            try:
                reply = self._handle(decode_request(bytes(self._received[: end + 1])))
            except ProtocolError as error:
                reply = {"ok": False, "error": str(error)}
            self._reply(reply)
        elif len(self._received) > MAX_MESSAGE_BYTES:
            # Read on and drop what follows: hanging up on unread bytes would reset the connection before
            # the client reads the answer.
            self._reply({"ok": False, "error": f"message longer than {MAX_MESSAGE_BYTES:,} bytes"})

    def _reply(self, reply: dict[str, Any]) -> None:
        self._answered, self._received = True, bytearray()
        self._unsent = json.dumps(reply).encode() + b"\n"
        self._write()

    def _write(self) -> None:
        try:
            sent = self._socket.send(self._unsent)
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError:
            self.close()
            return
        self._unsent = self._unsent[sent:]
        self._writer.setEnabled(bool(self._unsent))
        if not self._unsent:
            with contextlib.suppress(OSError):
                self._socket.shutdown(socket.SHUT_WR)  # the client reads the reply, then its end of file

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._idle.stop()
        for notifier in (self._reader, self._writer):
            notifier.setEnabled(False)
            notifier.deleteLater()
        self._socket.close()
        self._forget(self)
