"""The command line's side of the socket when the tray app goes away mid-request (it was quitting)."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from rephraser.core.config.paths import ipc_socket_path
from rephraser.core.ipc import NotRunningError, send


def test_an_app_that_resets_the_connection_counts_as_not_running(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPHRASER_CONFIG_DIR", str(tmp_path))
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(ipc_socket_path()))
    server.listen(1)

    def reset_the_first_client() -> None:
        """Closed unread, as a quitting app's socket is: the client's send or read then fails."""
        client, _address = server.accept()
        client.close()

    thread = threading.Thread(target=reset_the_first_client)
    thread.start()
    try:
        with pytest.raises(NotRunningError) as raised:
            send({"command": "activate"}, timeout_s=10)
    finally:
        thread.join(timeout=10)
        server.close()
    assert "Rephraser is quitting or not running: start it with `rephraser run`." == str(raised.value)
