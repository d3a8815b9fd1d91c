"""The clipboard port on GNOME, through the Clipboard portal attached to the RemoteDesktop session
(remote_desktop.py): mutter has no data-control protocol, and Qt's clipboard is blind for a tray app.

The portal speaks of CLIPBOARD only (no PRIMARY). It tells the session of each new owner and its MIME types
(SelectionOwnerChanged, also once when the clipboard is enabled); a read gets a pipe (SelectionRead).
Owning is announcing MIME types (SetSelection); each paste elsewhere then arrives as SelectionTransfer,
answered with SelectionWrite's pipe and SelectionWriteDone. A reader has its data once WriteDone is sent,
so a restore right after a paste cannot cut it short (unlike data-control, clipboard.py). GNOME's own
clipboard manager reads each new selection once, at once: that read is not the target's paste.
"""

from __future__ import annotations

import os
import select
import time
from collections.abc import Callable, Mapping
from typing import Any

from rephraser.core.desktop.ports import ClipboardHandover, ClipboardSnapshot
from rephraser.platform.wayland.data_control import TEXT_TYPES, write_all
from rephraser.platform.wayland.portal_bus import PortalError
from rephraser.platform.wayland.remote_desktop import CLIPBOARD, RemoteDesktopSession

__all__ = ["PortalClipboard"]

_READ_DEADLINE_S = 5.0
# Mutter's clipboard manager copies one format of every new selection (an image, else the text) and serves
# it once the owner is gone: that much of a restored clipboard outlives the app, with no helper. No client
# can keep more on GNOME (no data-control protocol, and a portal session ends with its process).
_KEPT_BY_GNOME = ClipboardHandover(
    "manager", note="GNOME Shell keeps one format of the clipboard (an image, else its text) after Rephraser quits"
)


class PortalClipboard:
    """Implements rephraser.core.desktop.ports.ClipboardPort on GNOME."""

    def __init__(self, session: RemoteDesktopSession) -> None:
        self._session = session
        self._bus = session.bus
        self._offered: tuple[str, ...] = ()  # the MIME types of another program's selection
        self._ours: dict[str, bytes] | None = None  # what we serve while the selection is ours
        self._on_read: Callable[[], None] | None = None
        self._callback: Callable[[], None] | None = None
        self._bus.on_signal(CLIPBOARD, "SelectionOwnerChanged", self._owner_changed)
        self._bus.on_signal(CLIPBOARD, "SelectionTransfer", self._transfer)

    def snapshot(self, primary: bool = False) -> ClipboardSnapshot:
        if primary or not self._session.ready:
            return ClipboardSnapshot({})
        if self._ours is not None:
            return ClipboardSnapshot(dict(self._ours))
        formats = {mime: data for mime in self._offered if (data := self._read(mime)) is not None}
        return ClipboardSnapshot(formats)

    def text(self, primary: bool = False) -> str:
        if primary or not self._session.ready:
            return ""
        if self._ours is not None:
            offered: Mapping[str, bytes] | tuple[str, ...] = self._ours
        else:
            offered = self._offered
        for mime in TEXT_TYPES:
            if mime in offered:
                data = self._ours[mime] if self._ours is not None else self._read(mime)
                return (data or b"").decode("utf-8", "replace")
        return ""

    def serve(self, text: str, primary: bool, on_read: Callable[[], None]) -> None:
        if primary:
            return  # no PRIMARY through the portal; the paste plan uses it only for known X11 terminals
        self._own(dict.fromkeys(TEXT_TYPES, text.encode("utf-8")), None)
        # Mutter's clipboard manager asks for a copy as the selection changes, before SetSelection's reply:
        # answered here, before the paste key, it is not counted as the paste's read.
        self._bus.dispatch()
        self._on_read = on_read

    def restore(self, snapshot: ClipboardSnapshot, primary: bool = False) -> None:
        if not primary:
            self._own(dict(snapshot.formats), None)

    def on_change(self, callback: Callable[[], None] | None) -> None:
        self._callback = callback

    def keep_after_exit(self) -> ClipboardHandover:
        return _KEPT_BY_GNOME if self._ours else ClipboardHandover()

    def let_go(self) -> None:
        """At exit: the session's end takes our selection with it (GNOME Shell keeps its text)."""
        self._session.close()

    # -- owning ---------------------------------------------------------------------------------------

    def _own(self, formats: dict[str, bytes], on_read: Callable[[], None] | None) -> None:
        """Announce `formats` (none: give the selection up). The portal's own owner-changed signal for it
        is ours and must not read as another program's copy."""
        if not self._session.ready:
            return
        options = {"mime_types": ("as", list(formats))} if formats else {}
        try:
            self._bus.portal_call(CLIPBOARD, "SetSelection", "oa{sv}", (self._session.handle, options))
        except PortalError:
            return
        self._ours, self._on_read = (formats or None), on_read

    def _transfer(self, body: tuple[Any, ...]) -> None:
        session, mime, serial = str(body[0]), str(body[1]), int(body[2])
        if session != self._session.handle:
            return
        data = (self._ours or {}).get(mime)
        done = False
        if data is not None:
            try:
                (descriptor,) = self._bus.portal_call(CLIPBOARD, "SelectionWrite", "ou", (session, serial))
                done = write_all(descriptor.to_raw_fd(), data)
            except PortalError:
                done = False
        try:
            self._bus.portal_call(CLIPBOARD, "SelectionWriteDone", "oub", (session, serial, done))
        except PortalError:
            return
        if done and self._on_read is not None:
            self._on_read()

    def _owner_changed(self, body: tuple[Any, ...]) -> None:
        session, options = str(body[0]), dict(body[1])
        if session != self._session.handle:
            return
        if options.get("session_is_owner", ("b", False))[1]:
            return
        self._ours, self._on_read = None, None
        self._offered = tuple(str(mime) for mime in options.get("mime_types", ("as", []))[1])
        if self._callback is not None:
            self._callback()

    def _read(self, mime: str) -> bytes | None:
        """One format of another program's selection; None when it does not answer in time."""
        try:
            (descriptor,) = self._bus.portal_call(CLIPBOARD, "SelectionRead", "os", (self._session.handle, mime))
        except PortalError:
            return None
        reader = descriptor.to_raw_fd()
        try:
            return _drain(reader)
        finally:
            os.close(reader)


def _drain(reader: int) -> bytes | None:
    chunks: list[bytes] = []
    deadline = time.monotonic() + _READ_DEADLINE_S
    while (left := deadline - time.monotonic()) > 0:
        if select.select([reader], [], [], left)[0]:
            chunk = os.read(reader, 1 << 16)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    return None  # an owner that never finishes: no format rather than a cut one
