"""The single-instance server: a QLocalServer on a user-private socket (rephraser.cli.ipc is the
Qt-free client and describes the protocol)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from rephraser.core.config.paths import ipc_socket_path

__all__ = ["IpcServer"]

Handler = Callable[[dict[str, Any]], dict[str, Any]]


class IpcServer(QObject):
    """Answers one JSON command per line with one JSON reply."""

    def __init__(self, handle: Handler) -> None:
        super().__init__()
        self._handle = handle
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        path = str(ipc_socket_path())
        QLocalServer.removeServer(path)  # a stale socket from a crashed run (the caller checked none answers)
        return self._server.listen(path)

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            connection = self._server.nextPendingConnection()
            connection.readyRead.connect(lambda c=connection: self._read(c))
            connection.disconnected.connect(connection.deleteLater)

    def _read(self, connection: QLocalSocket) -> None:
        if not connection.canReadLine():
            return
        line = bytes(connection.readLine().data())
        try:
            request = json.loads(line)
            reply = self._handle(request if isinstance(request, dict) else {})
        except ValueError:
            reply = {"ok": False, "error": "not a JSON command"}
        connection.write(json.dumps(reply).encode() + b"\n")
        connection.flush()
        connection.disconnectFromServer()
