"""Talk to the running tray app over its user-private socket (Qt-free, so `rephraser trigger` is quick).

Protocol: one JSON object per line each way: {"command": "trigger", "target": "code"} -> {"ok": true}.
A line is at most MAX_MESSAGE_BYTES and nests at most MAX_JSON_DEPTH deep; a request that breaks the
protocol (or names an unknown target) gets {"ok": false, "error": "..."} saying why. `decode_request` is
the server's side of these rules, `send` the client's.
"""

from __future__ import annotations

import json
import re
import socket
from typing import Any

from rephraser.core.config.paths import ipc_socket_path
from rephraser.core.errors import RephraserError

__all__ = ["MAX_JSON_DEPTH", "MAX_MESSAGE_BYTES", "NotRunningError", "ProtocolError", "decode_request", "send"]

# Commands are a few dozen bytes: a line past these is a mistake or an attack, never a command.
MAX_MESSAGE_BYTES = 64 * 1024
MAX_JSON_DEPTH = 8
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')


class NotRunningError(RephraserError):
    """No tray app answers on the socket."""


class ProtocolError(ValueError):
    """A message that breaks the protocol; its text is the reason sent back."""


def decode_message(line: bytes) -> dict[str, Any]:
    """One protocol line as a JSON object.

    Raises:
        ProtocolError: too long, nested too deep, not JSON, or not an object.
    """
    if len(line) > MAX_MESSAGE_BYTES:
        raise ProtocolError(f"message longer than {MAX_MESSAGE_BYTES:,} bytes")
    if _depth(line) > MAX_JSON_DEPTH:
        raise ProtocolError(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        message = json.loads(line)
    except ValueError as exc:
        raise ProtocolError("not a JSON command") from exc
    if not isinstance(message, dict):
        raise ProtocolError("not a JSON object")
    return message


def decode_request(line: bytes) -> dict[str, Any]:
    """A request line, checked as far as the protocol goes (the handler knows the commands).

    Raises:
        ProtocolError: see `decode_message`; also a `trigger` whose target is not a target name.
    """
    from rephraser.core.errors import UnknownTargetError
    from rephraser.core.targets import parse_target

    request = decode_message(line)
    target = request.get("target")
    if request.get("command") == "trigger" and target not in (None, ""):  # "": the detected target
        if not isinstance(target, str):
            raise ProtocolError("the target must be a string")
        try:
            parse_target(target)
        except UnknownTargetError as exc:
            raise ProtocolError(str(exc)) from exc
    return request


def _depth(line: bytes) -> int:
    """How deep arrays and objects nest (counted without parsing, so a deep one cannot exhaust the stack)."""
    depth = deepest = 0
    for char in _JSON_STRING.sub(b'""', line):
        if char in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in b"]}":
            depth -= 1
    return deepest


def send(command: dict[str, Any], timeout_s: float = 5.0) -> dict[str, Any]:
    """Send one command and return the reply.

    Raises:
        NotRunningError: nothing listens (start it with `rephraser run`).
        RephraserError: the app did not answer in time, or its reply breaks the protocol.
    """
    path = ipc_socket_path()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
        client.settimeout(timeout_s)
        try:
            client.connect(str(path))
        except (FileNotFoundError, ConnectionRefusedError) as exc:
            raise NotRunningError("Rephraser is not running: start it with `rephraser run`.") from exc
        try:
            client.sendall(json.dumps(command).encode() + b"\n")
            reply = _read_line(client)
        except TimeoutError as exc:
            raise RephraserError(f"The running Rephraser did not answer within {timeout_s:g} s.") from exc
        except (ConnectionResetError, BrokenPipeError) as exc:  # it was quitting as we asked
            raise NotRunningError("Rephraser is quitting or not running: start it with `rephraser run`.") from exc
    try:
        return decode_message(reply or b"{}")
    except ProtocolError as exc:
        raise RephraserError(f"The running Rephraser sent an unreadable reply ({exc}).") from exc


def _read_line(client: socket.socket) -> bytes:
    """Up to a newline or MAX_MESSAGE_BYTES + 1 bytes (which decode_message then refuses)."""
    reply = b""
    while not reply.endswith(b"\n") and len(reply) <= MAX_MESSAGE_BYTES:
        chunk = client.recv(4096)
        if not chunk:
            break
        reply += chunk
    return reply
