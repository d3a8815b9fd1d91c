"""The seat's CLIPBOARD and PRIMARY selections through wlr-data-control (zwlr_data_control_manager_v1), which
wlroots compositors (sway, Hyprland, river...) and KWin offer to clients without a focused window: Qt's own
clipboard reads "" and is refused there while a tray app is unfocused.

Reading asks the selection's owner for one MIME type through a pipe; serving answers the compositor's
`send` events, each one a read by another program. Ownership is ours from the `selection` event that
follows our set_selection (a round trip) until our source is `cancelled`.
"""

from __future__ import annotations

import os
import select
import time
from collections.abc import Callable, Mapping
from typing import NamedTuple

from rephraser.platform.wayland.wire import Connection, Message, WaylandError, string, u32

__all__ = ["TEXT_TYPES", "DataControl", "WaylandError", "read_all", "write_all"]

MANAGER = "zwlr_data_control_manager_v1"
# What a text selection is offered as: GTK and Qt ask for the first, X11 programs (via XWayland) the others.
TEXT_TYPES = ("text/plain;charset=utf-8", "text/plain", "UTF8_STRING", "STRING", "TEXT")
_READ_DEADLINE_S = 5.0  # one format from another program (an image from a slow app)
_WRITE_DEADLINE_S = 5.0  # one format to a reader that stopped reading


class _Source(NamedTuple):
    formats: Mapping[str, bytes]
    on_send: Callable[[str], None]
    primary: bool


class DataControl:
    """Reads and sets the selections; `on_change(primary)` runs when another program sets one."""

    def __init__(self, connection: Connection, on_change: Callable[[bool], None] | None = None) -> None:
        self._c = connection
        seat = connection.bind("wl_seat", 1)
        self._manager = connection.bind(MANAGER, 2)
        self.has_primary = connection.version(MANAGER) >= 2
        self._device = connection.create(self._device_event)
        connection.send(self._manager, 1, u32(self._device, seat))
        self._offers: dict[int, list[str]] = {}
        self._current = {False: 0, True: 0}  # the selections' offers (0: empty)
        self._ours: dict[bool, int] = {False: 0, True: 0}  # our source that holds each selection (0: none)
        self._pending_own = {False: 0, True: 0}  # selection events still to come for our own set_selection
        self._sources: dict[int, _Source] = {}
        self.on_change = on_change
        connection.roundtrip()

    def owns(self, primary: bool = False) -> bool:
        return bool(self._ours[primary])

    def formats(self, primary: bool = False) -> list[str]:
        if self._ours[primary]:
            return list(self._sources[self._ours[primary]].formats)
        return list(self._offers.get(self._current[primary], []))

    def read(self, mime: str, primary: bool = False) -> bytes:
        """One format of a selection, b"" when it has none or its owner does not answer in time."""
        if self._ours[primary]:
            return bytes(self._sources[self._ours[primary]].formats.get(mime, b""))
        offer = self._current[primary]
        if not offer or mime not in self._offers.get(offer, []):
            return b""
        reader, writer = os.pipe2(os.O_CLOEXEC)
        try:
            self._c.send(offer, 0, string(mime), fds=[writer])
        finally:
            os.close(writer)
        try:
            return self._drain(reader)
        finally:
            os.close(reader)

    def snapshot(self, primary: bool = False) -> dict[str, bytes]:
        return {mime: self.read(mime, primary) for mime in self.formats(primary)}

    def offer(
        self, formats: Mapping[str, bytes], primary: bool = False, on_send: Callable[[str], None] | None = None
    ) -> None:
        """Own the selection with `formats` (none: clear it); `on_send(mime)` runs after each read. Returns
        once the compositor has made it the selection."""
        if not formats:
            self._set(0, primary)
            return
        source = self._c.create()
        self._c.listen(source, lambda op, m: self._source_event(source, op, m))
        self._c.send(self._manager, 0, u32(source))
        for mime in formats:
            self._c.send(source, 0, string(mime))
        self._sources[source] = _Source(dict(formats), on_send or (lambda _mime: None), primary)
        self._set(source, primary)

    def replace_in_place(self, formats: Mapping[str, bytes], primary: bool = False) -> bool:
        """Serve `formats` from the source that holds the selection now, for the types it offers (no new
        source, so no selection change reaches the apps); False when no source of ours holds it."""
        source = self._ours[primary]
        served = self._sources.get(source)
        if served is None:
            return False
        kept = {mime: formats.get(mime, b"") for mime in served.formats}
        self._sources[source] = served._replace(formats=kept, on_send=lambda _mime: None)
        return True

    def close(self) -> None:
        for source in list(self._sources):
            self._drop(source)

    def _set(self, source: int, primary: bool) -> None:
        if primary and not self.has_primary:
            return
        self._pending_own[primary] += 1
        self._c.send(self._device, 2 if primary else 0, u32(source))
        old = self._ours[primary]
        self._ours[primary] = source
        if old and old != source:
            self._drop(old)
        self._c.roundtrip()

    def _drain(self, reader: int) -> bytes:
        # the owner may be one of our own sources, asked to send: our connection is served meanwhile
        deadline = time.monotonic() + _READ_DEADLINE_S
        return read_all(reader, deadline, (self._c.fileno(), self._c.dispatch)) or b""

    def _device_event(self, opcode: int, message: Message) -> None:
        if opcode == 0:  # data_offer(new id): its offer events follow
            offer = message.u32()
            self._offers[offer] = []
            self._c.listen(offer, self._offer_listener(offer))
        elif opcode in (1, 3):  # selection(offer), primary_selection(offer)
            self._selection(opcode == 3, message.u32())
        elif opcode == 2:  # finished: the seat went away
            self._current = {False: 0, True: 0}

    def _offer_listener(self, offer: int) -> Callable[[int, Message], None]:
        def offered(opcode: int, message: Message) -> None:
            if opcode == 0:  # offer(mime)
                self._offers[offer].append(message.string())

        return offered

    def _selection(self, primary: bool, offer: int) -> None:
        previous = self._current[primary]
        if previous and previous != offer:
            self._c.send(previous, 1)  # destroy
            self._c.forget(previous)
            self._offers.pop(previous, None)
        self._current[primary] = offer
        if self._pending_own[primary]:
            self._pending_own[primary] -= 1  # the compositor confirming our own set_selection
            return
        if self._ours[primary]:
            self._drop(self._ours[primary])
            self._ours[primary] = 0
        if self.on_change is not None:
            self.on_change(primary)

    def _source_event(self, source: int, opcode: int, message: Message) -> None:
        served = self._sources.get(source)
        if opcode == 0:  # send(mime, fd): another program reads
            mime, fd = message.string(), message.fd()
            if served is None:
                os.close(fd)
                return
            write_all(fd, served.formats.get(mime, b""))
            served.on_send(mime)
        elif opcode == 1:  # cancelled: another source holds the selection now
            if served is not None and self._ours[served.primary] == source:
                self._ours[served.primary] = 0
            self._drop(source)

    def _drop(self, source: int) -> None:
        if source in self._sources:
            del self._sources[source]
            self._c.send(source, 1)  # destroy
            self._c.forget(source)


def read_all(reader: int, deadline: float, serve: tuple[int, Callable[[], None]] | None = None) -> bytes | None:
    """What another program writes to a pipe until it closes it; None when it has not by `deadline` (no
    format rather than a cut one). `serve`: a descriptor and its handler, run whenever it is readable
    meanwhile."""
    chunks: list[bytes] = []
    watched = [reader] if serve is None else [reader, serve[0]]
    while (left := deadline - time.monotonic()) > 0:
        ready = select.select(watched, [], [], left)[0]
        if serve is not None and serve[0] in ready:
            serve[1]()
        if reader in ready:
            chunk = os.read(reader, 1 << 16)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    return None


def write_all(fd: int, data: bytes, deadline_s: float = _WRITE_DEADLINE_S) -> bool:
    """Write `data` to a pipe another program reads; False when it stopped reading before the end."""
    os.set_blocking(fd, False)
    view, deadline = memoryview(data), time.monotonic() + deadline_s
    try:
        while view:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([], [fd], [], left)[1]:
                return False
            view = view[os.write(fd, view) :]
        return True
    except OSError:  # the reader closed its end
        return False
    finally:
        os.close(fd)
