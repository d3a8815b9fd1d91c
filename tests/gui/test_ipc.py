"""The single-instance socket server against real clients on a real socket: the CLI's `send` and raw
sockets that break the protocol (huge lines, deep JSON, a line with no end, unknown targets)."""

from __future__ import annotations

import contextlib
import os
import socket
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from rephraser.core.config.paths import ipc_socket_path
from rephraser.core.ipc import MAX_MESSAGE_BYTES, send
from rephraser.desktop.ipc import IpcServer

OTHER_UID = 12345


class Handler:
    """Answers like the controller's `ping`; keeps every request it was handed."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []

    def __call__(self, request: dict[str, Any]) -> dict[str, Any]:
        self.requests.append(request)
        return {"ok": True, "busy": False}


@pytest.fixture
def server(config_dir: Path) -> Iterator[tuple[IpcServer, Handler]]:
    handler = Handler()
    ipc = IpcServer(handler)
    assert ipc.listen(), ipc.problem
    yield ipc, handler
    ipc.close()


def _in_thread(qtbot: QtBot, work: Callable[[], Any]) -> Any:
    """Run a blocking client in a thread while the Qt event loop serves it; return what it returned."""
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(work()), daemon=True)
    thread.start()
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=30_000)
    return result[0]


def _listen_and_answer_a_ping(qtbot: QtBot) -> None:
    """A fresh server opens its socket and answers the CLI's ping; then it closes."""
    ipc = IpcServer(Handler())
    try:
        assert ipc.listen(), ipc.problem
        assert {"ok": True, "busy": False} == _in_thread(qtbot, lambda: send({"command": "ping"}))
    finally:
        ipc.close()


def _raw(data: bytes) -> bytes:
    """Send raw bytes (as far as the server reads them) and return its answer, up to the newline."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(20)
        client.connect(str(ipc_socket_path()))
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            client.sendall(data)  # the server may stop reading and hang up: its answer is still queued
        reply = b""
        while not reply.endswith(b"\n") and (chunk := client.recv(4096)):
            reply += chunk
        return reply


def test_the_cli_client_gets_the_handlers_reply(qtbot: QtBot, server: tuple[IpcServer, Handler]) -> None:
    assert {"ok": True, "busy": False} == _in_thread(qtbot, lambda: send({"command": "ping"}))
    assert [{"command": "ping"}] == server[1].requests


def test_an_unknown_target_gets_a_clear_reply(qtbot: QtBot, server: tuple[IpcServer, Handler]) -> None:
    reply = _in_thread(qtbot, lambda: send({"command": "trigger", "target": "imagee"}))
    assert {
        "ok": False,
        "error": 'Unknown target "imagee": use one of auto, chat, code, image, multimodal. Did you mean "image"?',
    } == reply
    assert [] == server[1].requests


def test_a_trigger_without_a_target_or_with_an_empty_one_reaches_the_handler(
    qtbot: QtBot, server: tuple[IpcServer, Handler]
) -> None:
    """`rephraser trigger` with no --target (what a desktop shortcut runs) was refused as target ""."""
    for request in ({"command": "trigger"}, {"command": "trigger", "target": ""}):
        assert {"ok": True, "busy": False} == _in_thread(qtbot, lambda request=request: send(request))
    assert [{"command": "trigger"}, {"command": "trigger", "target": ""}] == server[1].requests


def test_a_100k_deep_array_gets_a_reply_not_a_traceback(qtbot: QtBot, server: tuple[IpcServer, Handler]) -> None:
    line = b"[" * 100_000 + b"]" * 100_000 + b"\n"
    assert b'{"ok": false, "error": "message longer than 65,536 bytes"}\n' == _in_thread(qtbot, lambda: _raw(line))


def test_deep_json_within_the_size_limit_is_refused(qtbot: QtBot, server: tuple[IpcServer, Handler]) -> None:
    line = b'{"command": ' + b"[" * 1000 + b"]" * 1000 + b"}\n"
    assert b'{"ok": false, "error": "JSON nested deeper than 8 levels"}\n' == _in_thread(qtbot, lambda: _raw(line))
    assert [] == server[1].requests


def test_a_line_without_end_is_cut_off_at_the_limit(qtbot: QtBot, server: tuple[IpcServer, Handler]) -> None:
    """The server stops reading past the limit, answers and hangs up (it held 200 MB before)."""
    endless = b"x" * (20 * MAX_MESSAGE_BYTES)
    assert b'{"ok": false, "error": "message longer than 65,536 bytes"}\n' == _in_thread(qtbot, lambda: _raw(endless))


def test_not_an_object_is_refused(qtbot: QtBot, server: tuple[IpcServer, Handler]) -> None:
    assert b'{"ok": false, "error": "not a JSON object"}\n' == _in_thread(qtbot, lambda: _raw(b"[1, 2]\n"))


def test_a_socket_folder_made_by_another_user_is_not_used(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without XDG_RUNTIME_DIR the folder is <tmp>/rephraser-<uid>; another user made it first, open to all."""
    monkeypatch.delenv("REPHRASER_CONFIG_DIR", raising=False)
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    monkeypatch.setattr(tempfile, "tempdir", None)  # gettempdir() reads TMPDIR again
    squatted = tmp_path / "tmp" / f"rephraser-{os.getuid()}"
    squatted.mkdir(parents=True)
    os.chown(squatted, OTHER_UID, OTHER_UID)
    squatted.chmod(0o777)
    _listen_and_answer_a_ping(qtbot)
    assert (tmp_path / "cache" / "rephraser" / "run" / "rephraser.sock", []) == (
        ipc_socket_path(),
        list(squatted.iterdir()),
    )
    assert (OTHER_UID, 0o777) == (squatted.stat().st_uid, squatted.stat().st_mode & 0o777)


def test_a_socket_path_too_long_is_reported_and_the_app_runs_on(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPHRASER_CONFIG_DIR", str(tmp_path / ("d" * 100)))
    ipc = IpcServer(Handler())
    assert not ipc.listen()
    assert ipc.problem.endswith("to a shorter folder.")
    assert ipc.problem.startswith("The single-instance socket's path ")


def test_the_socket_is_0600_and_gone_after_close(qapp: object, config_dir: Path) -> None:
    ipc = IpcServer(Handler())
    assert ipc.listen(), ipc.problem
    path = ipc_socket_path()
    assert 0o600 == path.stat().st_mode & 0o777
    ipc.close()
    assert not path.exists()


def test_a_stale_socket_from_a_crashed_run_is_replaced(qtbot: QtBot, config_dir: Path) -> None:
    path = ipc_socket_path()
    crashed = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    crashed.bind(str(path))
    crashed.close()  # the file stays, nothing listens: what a killed app leaves
    _listen_and_answer_a_ping(qtbot)


def test_a_client_that_hangs_up_unanswered_leaves_the_server_serving(
    qtbot: QtBot, server: tuple[IpcServer, Handler]
) -> None:
    for _ in range(3):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(str(ipc_socket_path()))
            client.sendall(b'{"command": "pi')
    assert {"ok": True, "busy": False} == _in_thread(qtbot, lambda: send({"command": "ping"}))
    assert [{"command": "ping"}] == server[1].requests


def test_a_command_sent_a_byte_at_a_time_is_answered(qtbot: QtBot, server: tuple[IpcServer, Handler]) -> None:
    def slow_client() -> bytes:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.settimeout(20)
            client.connect(str(ipc_socket_path()))
            for byte in b'{"command": "ping"}\n':
                client.sendall(bytes([byte]))
            return client.recv(4096)

    assert b'{"ok": true, "busy": false}\n' == _in_thread(qtbot, slow_client)
