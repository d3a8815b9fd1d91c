"""Desktop notifications (freedesktop.org Notifications over the session D-Bus), for desktops where no tray
shows balloons and no window can float without taking the focus (Wayland: mako, dunst, swaync, GNOME,
KDE all serve it).

A minimal D-Bus client on the standard library: the EXTERNAL login, Hello, one Notify call, its reply.
No D-Bus binding to install, and nothing of it is loaded until a message must be shown this way.
"""

from __future__ import annotations

import os
import socket
import struct
from collections.abc import Mapping

from rephraser.platform.sockets import recv_exactly

__all__ = ["DesktopNotifications"]

_TIMEOUT_S = 2.0
_METHOD_CALL, _METHOD_RETURN, _ERROR = 1, 2, 3


class _Body:
    """D-Bus marshalling (little-endian) of the few types a Notify call needs."""

    def __init__(self) -> None:
        self.data = bytearray()

    def pad(self, alignment: int) -> None:
        self.data += b"\0" * (-len(self.data) % alignment)

    def u32(self, value: int) -> None:
        self.pad(4)
        self.data += struct.pack("<I", value)

    def i32(self, value: int) -> None:
        self.pad(4)
        self.data += struct.pack("<i", value)

    def string(self, text: str) -> None:
        encoded = text.encode()
        self.u32(len(encoded))
        self.data += encoded + b"\0"

    def signature(self, text: str) -> None:
        self.data += bytes([len(text)]) + text.encode() + b"\0"

    def empty_array(self, element_alignment: int) -> None:
        self.u32(0)
        self.pad(element_alignment)  # the padding to the first element is there even when none follows


def _message(serial: int, fields: list[tuple[int, str, str]], signature: str, body: bytes) -> bytes:
    header = _Body()
    header.data += b"l" + bytes([_METHOD_CALL, 0, 1]) + struct.pack("<II", len(body), serial)
    fields_data = _Body()
    fields_data.data = bytearray(16)  # the fields start at byte 16: alignment counts from the message's start
    for code, kind, value in [*fields, *([(8, "g", signature)] if signature else [])]:
        fields_data.pad(8)
        fields_data.data += bytes([code])
        fields_data.signature(kind)
        if kind == "g":
            fields_data.signature(value)
        else:
            fields_data.string(value)
    fields_bytes = bytes(fields_data.data[16:])
    header.u32(len(fields_bytes))
    header.data += fields_bytes
    header.pad(8)
    return bytes(header.data) + body


class DesktopNotifications:
    """Shows a message through the session bus's notification server; `show` says whether it could."""

    def __init__(self, environ: Mapping[str, str] = os.environ) -> None:
        self._address = environ.get("DBUS_SESSION_BUS_ADDRESS", "")

    def show(self, summary: str, body: str, timeout_ms: int = 5000) -> bool:
        sock = self._connect()
        if sock is None:
            return False
        with sock:
            try:
                self._login(sock)
                self._call(sock, 1, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "Hello")
                notify = _Body()
                notify.string("Rephraser")
                notify.u32(0)  # replaces_id
                notify.string("")  # app_icon
                notify.string(summary)
                notify.string(body)
                notify.empty_array(4)  # actions: as
                notify.empty_array(8)  # hints: a{sv}
                notify.i32(timeout_ms)
                return self._call(
                    sock,
                    2,
                    "org.freedesktop.Notifications",
                    "/org/freedesktop/Notifications",
                    "org.freedesktop.Notifications",
                    "Notify",
                    "susssasa{sv}i",
                    bytes(notify.data),
                )
            except OSError:
                return False

    def _connect(self) -> socket.socket | None:
        for part in self._address.split(";"):
            transport, _, options = part.partition(":")
            values = dict(option.split("=", 1) for option in options.split(",") if "=" in option)
            if transport != "unix":
                continue
            path = values.get("path") or ("\0" + values["abstract"] if "abstract" in values else "")
            if not path:
                continue
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(_TIMEOUT_S)
            try:
                sock.connect(path)
                return sock
            except OSError:
                sock.close()
        return None

    def _login(self, sock: socket.socket) -> None:
        uid = str(os.getuid()).encode().hex()
        sock.sendall(b"\0AUTH EXTERNAL " + uid.encode() + b"\r\n")
        if not _line(sock).startswith(b"OK "):
            raise OSError("the session bus refused the login")
        sock.sendall(b"BEGIN\r\n")

    def _call(
        self,
        sock: socket.socket,
        serial: int,
        destination: str,
        path: str,
        interface: str,
        member: str,
        signature: str = "",
        body: bytes = b"",
    ) -> bool:
        """Send one method call and wait for its reply: True for a return, False for an error."""
        fields = [(1, "o", path), (2, "s", interface), (3, "s", member), (6, "s", destination)]
        sock.sendall(_message(serial, fields, signature, body))
        while True:
            kind, reply_to = _read_message(sock)
            if reply_to == serial and kind in (_METHOD_RETURN, _ERROR):
                return kind == _METHOD_RETURN


def _line(sock: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\r\n"):
        chunk = sock.recv(1)
        if not chunk:
            raise OSError("the session bus hung up")
        data += chunk
    return data


def _read_message(sock: socket.socket) -> tuple[int, int]:
    """The next message's type and the serial it replies to (0: not a reply)."""
    fixed = recv_exactly(sock, 16, "the session bus")
    kind = fixed[1]
    body_length, _serial, fields_length = struct.unpack_from("<III", fixed, 4)
    fields = recv_exactly(sock, fields_length + (-(16 + fields_length) % 8), "the session bus")
    recv_exactly(sock, body_length, "the session bus")
    reply_to, offset = 0, 0
    while offset + 4 <= fields_length:
        code, length = fields[offset], fields[offset + 1]
        kind_sig = fields[offset + 2 : offset + 2 + length]
        offset += 3 + length
        offset += -(16 + offset) % {b"u": 4, b"s": 4, b"o": 4, b"g": 1}.get(kind_sig, 1)
        if kind_sig == b"u":
            (value,) = struct.unpack_from("<I", fields, offset)
            offset += 4
            if code == 5:  # REPLY_SERIAL
                reply_to = int(value)
        elif kind_sig in (b"s", b"o"):
            (size,) = struct.unpack_from("<I", fields, offset)
            offset += 4 + size + 1
        elif kind_sig == b"g":
            offset += 1 + fields[offset] + 1
        offset += -(16 + offset) % 8
    return kind, reply_to
