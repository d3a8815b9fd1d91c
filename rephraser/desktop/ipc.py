"""The single-instance server: a QLocalServer on a user-private socket (rephraser.core.ipc is the
Qt-free client and describes the protocol, with its size and depth limits)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from rephraser.core.config.paths import ipc_socket_path
from rephraser.core.errors import RephraserError
from rephraser.core.ipc import MAX_MESSAGE_BYTES, ProtocolError, decode_request

__all__ = ["IpcServer"]

Handler = Callable[[dict[str, Any]], dict[str, Any]]

# A client that sent too much is read on (and the bytes dropped) up to this, so it can still read the
# answer; past it, or after this long without a byte, the connection is cut.
_DRAIN_LIMIT_BYTES = 4 * 1024 * 1024
_IDLE_TIMEOUT_MS = 5000


class IpcServer(QObject):
    """Answers one JSON command per connection with one JSON reply.

    Attributes:
        problem: why `listen` failed, when it did.
    """

    def __init__(self, handle: Handler) -> None:
        super().__init__()
        self._handle = handle
        self.problem = ""
        self._connections: set[_Connection] = set()
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        """Open the socket; False (with `problem` set) when it cannot be."""
        try:
            path = str(ipc_socket_path())
        except RephraserError as error:
            self.problem = str(error)
            return False
        QLocalServer.removeServer(path)  # a stale socket from a crashed run (the caller checked none answers)
        if not self._server.listen(path):
            self.problem = f"{path}: {self._server.errorString()}"
            return False
        return True

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            connection = _Connection(self._server.nextPendingConnection(), self._handle)
            self._connections.add(connection)
            connection.socket.disconnected.connect(lambda c=connection: self._connections.discard(c))


class _Connection:
    """One client: at most MAX_MESSAGE_BYTES are ever held, however much it sends."""

    def __init__(self, socket: QLocalSocket, handle: Handler) -> None:
        self.socket, self._handle = socket, handle
        self._answered, self._drained = False, 0
        # Qt stops reading from the peer once this much waits unread: a line with no end cannot fill memory.
        socket.setReadBufferSize(MAX_MESSAGE_BYTES + 1)
        self._idle = QTimer(socket)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(lambda: socket.abort())
        self._idle.start(_IDLE_TIMEOUT_MS)
        socket.readyRead.connect(self._read)
        socket.disconnected.connect(lambda: socket.deleteLater())

    def _read(self) -> None:
        self._idle.start(_IDLE_TIMEOUT_MS)
        if self._answered:
            self._drain()
        elif self.socket.canReadLine():
            line = bytes(self.socket.readLine().data())
            try:
                reply = self._handle(decode_request(line))
            except ProtocolError as error:
                reply = {"ok": False, "error": str(error)}
            self._reply(reply)
            self.socket.disconnectFromServer()
        elif self.socket.bytesAvailable() > MAX_MESSAGE_BYTES:
            self._reply({"ok": False, "error": f"message longer than {MAX_MESSAGE_BYTES:,} bytes"})
            self._drain()  # hanging up on unread bytes would reset the connection before the client reads

    def _reply(self, reply: dict[str, Any]) -> None:
        self._answered = True
        self.socket.write(json.dumps(reply).encode() + b"\n")
        self.socket.flush()

    def _drain(self) -> None:
        self._drained += len(self.socket.readAll().data())
        if self._drained > _DRAIN_LIMIT_BYTES:
            self.socket.abort()
