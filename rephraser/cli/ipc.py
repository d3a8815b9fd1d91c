"""Talk to the running tray app over its user-private socket (Qt-free, so `rephraser trigger` is quick).

Protocol: one JSON object per line each way: {"command": "trigger", "target": "code"} -> {"ok": true}.
"""

from __future__ import annotations

import json
import socket
from typing import Any

from rephraser.core.config.paths import ipc_socket_path
from rephraser.core.errors import RephraserError

__all__ = ["NotRunningError", "send"]


class NotRunningError(RephraserError):
    """No tray app answers on the socket."""


def send(command: dict[str, Any], timeout_s: float = 5.0) -> dict[str, Any]:
    """Send one command and return the reply.

    Raises:
        NotRunningError: nothing listens (start it with `rephraser run`).
    """
    path = ipc_socket_path()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(timeout_s)
        try:
            client.connect(str(path))
        except (FileNotFoundError, ConnectionRefusedError):
            raise NotRunningError("Rephraser is not running: start it with `rephraser run`.") from None
        client.sendall(json.dumps(command).encode() + b"\n")
        reply = b""
        while not reply.endswith(b"\n"):
            chunk = client.recv(4096)
            if not chunk:
                break
            reply += chunk
    try:
        answer = json.loads(reply or b"{}")
    except ValueError:
        raise RephraserError("The running Rephraser sent an unreadable reply.") from None
    return dict(answer) if isinstance(answer, dict) else {}
