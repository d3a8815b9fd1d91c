"""Reading whole replies from local sockets (sway's IPC, the D-Bus session bus)."""

from __future__ import annotations

import socket

__all__ = ["recv_exactly"]


def recv_exactly(connection: socket.socket, size: int, peer: str) -> bytes:
    """`size` bytes, however the peer splits them.

    Raises:
        ConnectionError: the peer hung up first (`peer` names it in the message).
    """
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            raise ConnectionError(f"{peer} hung up mid-reply")
        data += chunk
    return data
