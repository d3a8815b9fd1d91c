"""A small Wayland client: the wire protocol on the compositor's socket, file descriptors included.

Only what the back-ends need (the registry, binding globals, requests, events, round trips), in pure Python
over the standard library's socket: no libwayland binding to install. A message is the object id, then the
size (high 16 bits, header included) and the opcode, then 32-bit aligned arguments; file descriptors travel
beside the bytes (SCM_RIGHTS), in the order the messages name them.
"""

from __future__ import annotations

import array
import os
import select
import socket
import struct
import time
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path

__all__ = ["Connection", "Message", "WaylandError", "string", "u32"]

_DISPLAY = 1  # wl_display, always object 1
_HEADER = struct.Struct("<II")
_MAX_FDS = 28  # libwayland's limit per message batch


class WaylandError(OSError):
    """The compositor cannot be reached, or it ended the connection (a protocol error names why)."""


def u32(*values: int) -> bytes:
    return struct.pack(f"<{len(values)}I", *values)


def string(text: str | None) -> bytes:
    if text is None:
        return u32(0)
    data = text.encode() + b"\0"
    return u32(len(data)) + data + b"\0" * (-len(data) % 4)


class Message:
    """One event's arguments, read in order (`fd()` takes the next descriptor that came with it)."""

    def __init__(self, payload: bytes, fds: deque[int]) -> None:
        self._payload, self._offset, self._fds = payload, 0, fds

    def u32(self) -> int:
        (value,) = struct.unpack_from("<I", self._payload, self._offset)
        self._offset += 4
        return int(value)

    def string(self) -> str:
        length = self.u32()
        data = self._payload[self._offset : self._offset + max(0, length - 1)]
        self._offset += length + (-length % 4)
        return data.decode("utf-8", "replace")

    def fd(self) -> int:
        if not self._fds:
            raise WaylandError("the compositor sent an event without its file descriptor")
        return self._fds.popleft()


Handler = Callable[[int, Message], None]  # (opcode, arguments)


class Connection:
    """The connection, its objects' event handlers, and the globals the compositor offers.

    Raises:
        WaylandError: from the constructor when no compositor answers on the socket.
    """

    def __init__(self, display: str | None = None, runtime_dir: str | None = None) -> None:
        name = display or os.environ.get("WAYLAND_DISPLAY") or "wayland-0"
        folder = runtime_dir or os.environ.get("XDG_RUNTIME_DIR", "")
        path = name if name.startswith("/") else str(Path(folder) / name)
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_CLOEXEC)
        try:
            self._socket.connect(path)
        except OSError as exc:
            self._socket.close()
            raise WaylandError(f"No Wayland compositor answers on {path} ({exc.strerror or exc}).") from exc
        self._next_id = 2
        self._handlers: dict[int, Handler] = {_DISPLAY: self._display_event}
        self._received = bytearray()
        self._fds: deque[int] = deque()
        self.globals: dict[str, tuple[int, int]] = {}  # interface -> (global name, version)
        self._registry = self.create(self._registry_event)
        self.send(_DISPLAY, 1, u32(self._registry))
        self.roundtrip()

    def fileno(self) -> int:
        return self._socket.fileno()

    def create(self, handler: Handler | None = None) -> int:
        """A new object id (its events go to `handler`)."""
        new = self._next_id
        self._next_id += 1
        if handler is not None:
            self._handlers[new] = handler
        return new

    def listen(self, object_id: int, handler: Handler) -> None:
        """Send an object's events to `handler` (an object the compositor made: a data offer)."""
        self._handlers[object_id] = handler

    def forget(self, object_id: int) -> None:
        """Drop an object's handler (after its destructor request, or an event that ends it)."""
        self._handlers.pop(object_id, None)

    def bind(self, interface: str, version: int, handler: Handler | None = None) -> int:
        """Bind a global at the highest version both sides know.

        Raises:
            WaylandError: the compositor does not offer `interface`.
        """
        if interface not in self.globals:
            raise WaylandError(f"The compositor does not offer {interface}.")
        name, offered = self.globals[interface]
        new = self.create(handler)
        self.send(self._registry, 0, u32(name) + string(interface) + u32(min(version, offered), new))
        return new

    def version(self, interface: str) -> int:
        return self.globals.get(interface, (0, 0))[1]

    def send(self, object_id: int, opcode: int, payload: bytes = b"", fds: Iterable[int] = ()) -> None:
        message = _HEADER.pack(object_id, ((8 + len(payload)) << 16) | opcode) + payload
        passed = list(fds)
        ancillary = [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", passed).tobytes())] if passed else []
        try:
            self._socket.sendmsg([message], ancillary)
        except OSError as exc:
            raise WaylandError(f"The Wayland connection is gone ({exc.strerror or exc}).") from exc

    def roundtrip(self, timeout_s: float = 10.0) -> None:
        """Wait until the compositor has handled every request sent so far (and their events are in).

        Raises:
            WaylandError: the compositor did not answer in time, or ended the connection.
        """
        done: list[bool] = []
        callback = self.create(lambda _opcode, _message: done.append(True))
        self.send(_DISPLAY, 0, u32(callback))
        deadline = time.monotonic() + timeout_s
        while not done:
            left = deadline - time.monotonic()
            if left <= 0:
                raise WaylandError("The Wayland compositor did not answer in time.")
            self.dispatch(left)
        self.forget(callback)

    def dispatch(self, timeout_s: float = 0.0) -> None:
        """Read what has arrived (waiting up to `timeout_s` for something) and run the handlers."""
        if timeout_s > 0 and not select.select([self._socket], [], [], timeout_s)[0]:
            return
        self._read()
        self._run_handlers()

    def close(self) -> None:
        self._socket.close()
        while self._fds:
            os.close(self._fds.popleft())

    def _read(self) -> None:
        while True:
            try:
                data, ancillary, _flags, _address = self._socket.recvmsg(
                    65536, socket.CMSG_SPACE(_MAX_FDS * 4), socket.MSG_DONTWAIT
                )
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                raise WaylandError(f"The Wayland connection is gone ({exc.strerror or exc}).") from exc
            if not data:
                raise WaylandError("The Wayland compositor closed the connection.")
            self._received += data
            for level, kind, fd_bytes in ancillary:
                if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                    received = array.array("i")
                    received.frombytes(fd_bytes[: len(fd_bytes) - len(fd_bytes) % 4])
                    self._fds.extend(received)

    def _run_handlers(self) -> None:
        while len(self._received) >= 8:
            object_id, word = _HEADER.unpack_from(self._received)
            size, opcode = word >> 16, word & 0xFFFF
            if size < 8 or len(self._received) < size:
                return
            payload = bytes(self._received[8:size])
            del self._received[:size]
            handler = self._handlers.get(object_id)
            if handler is not None:
                handler(opcode, Message(payload, self._fds))

    def _display_event(self, opcode: int, message: Message) -> None:
        if opcode == 0:  # error: the compositor ends the connection
            object_id, code, text = message.u32(), message.u32(), message.string()
            raise WaylandError(f"Wayland protocol error {code} on object {object_id}: {text}")
        # 1, delete_id: ids are never reused here, nothing to free

    def _registry_event(self, opcode: int, message: Message) -> None:
        if opcode == 0:  # global(name, interface, version)
            name, interface, version = message.u32(), message.string(), message.u32()
            self.globals[interface] = (name, version)
        elif opcode == 1:  # global_remove(name)
            name = message.u32()
            self.globals = {key: value for key, value in self.globals.items() if value[0] != name}
