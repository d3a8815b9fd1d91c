"""The clipboard port on GNOME, through the Clipboard portal attached to the RemoteDesktop session
(remote_desktop.py): mutter has no data-control protocol, and Qt's clipboard is blind for a tray app.

The portal speaks of CLIPBOARD only (no PRIMARY). It tells the session of each new owner and its MIME types
(SelectionOwnerChanged; not of the owner there was before the session started: see _LIKELY_TYPES); a
read gets a pipe (SelectionRead).
Owning is announcing MIME types (SetSelection); each paste elsewhere then arrives as SelectionTransfer,
answered with SelectionWrite's pipe and SelectionWriteDone. A reader has its data once WriteDone is sent,
so a restore right after a paste cannot cut it short (unlike data-control, clipboard.py). GNOME's own
clipboard manager copies one format of each new selection, asked for as the selection changes, so
before any paste: the first transfer of that format is its, not the target's paste.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Mapping
from typing import Any

from rephraser.core.desktop.ports import ClipboardHandover, ClipboardSnapshot
from rephraser.platform.wayland.data_control import TEXT_TYPES, read_all, write_all
from rephraser.platform.wayland.portal_bus import PortalError, Variant
from rephraser.platform.wayland.remote_desktop import CLIPBOARD, RemoteDesktopSession

__all__ = ["PortalClipboard"]

_READ_S = 5.0  # one format from another program (an image from a slow app)
_SNAPSHOT_DEADLINE_S = 5.0  # every format together: the job waits on the GUI thread
_MANAGER_WAIT_S = 1.0  # at quit, for the clipboard manager's copy of a selection just taken
_SETTLE_S = 0.03  # a copy's burst of owner changes is over within this (see flush_due)
_STORE_S = 0.3  # at quit, for GNOME to store a copy it was just handed
# X11 selection targets that XWayland may list beside the data formats; no program pastes them.
_NOT_DATA = frozenset({"TARGETS", "MULTIPLE", "SAVE_TARGETS", "TIMESTAMP", "DELETE", "INCR"})
# The portal does not pass on the owner GNOME reports as the clipboard is enabled (xdg-desktop-portal
# forwards owner changes only once Start has answered; measured on GNOME 48): a selection made before the
# session is read by these types, each one that its owner does not offer refused at once.
_LIKELY_TYPES = (
    *TEXT_TYPES,
    "text/html",
    "text/rtf",
    "text/uri-list",
    "x-special/gnome-copied-files",
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/bmp",
    "image/webp",
    "image/svg+xml",
)
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
        # The MIME types of another program's selection, known from the first owner change the session
        # sees; until then (a clipboard set before the app started) the likely ones are tried.
        self._offered: tuple[str, ...] = _LIKELY_TYPES
        self._ours: dict[str, bytes] | None = None  # what we serve while the selection is ours
        self._on_read: Callable[[], None] | None = None
        self._callback: Callable[[], None] | None = None
        self._managers_copy = ""  # the format mutter's clipboard manager will read of our new selection
        self._change_due = 0.0  # when another program's new selection counts as settled (0: none pending)
        self._managers_copy_sent = 0.0  # when the manager's copy was last handed over
        session.on_end = self.session_ended
        self._bus.on_signal(CLIPBOARD, "SelectionOwnerChanged", self._owner_changed)
        self._bus.on_signal(CLIPBOARD, "SelectionTransfer", self._transfer)

    def snapshot(self, primary: bool = False) -> ClipboardSnapshot:
        if primary or not self._session.ready:
            return ClipboardSnapshot({})
        if self._ours is not None:
            return ClipboardSnapshot(dict(self._ours))
        formats: dict[str, bytes] = {}
        deadline = time.monotonic() + _SNAPSHOT_DEADLINE_S
        for mime in self._offered:
            if mime in _NOT_DATA or time.monotonic() >= deadline:
                continue
            data = self._read(mime, deadline)
            if data is not None:
                formats[mime] = data
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
                data = self._ours[mime] if self._ours is not None else self._read(mime, time.monotonic() + _READ_S)
                return (data or b"").decode("utf-8", "replace")
        return ""

    def serve(self, text: str, primary: bool, on_read: Callable[[], None]) -> None:
        if primary:
            return  # no PRIMARY through the portal; the paste plan uses it only for known X11 terminals
        self._own(dict.fromkeys(TEXT_TYPES, text.encode("utf-8")), on_read)

    def restore(self, snapshot: ClipboardSnapshot, primary: bool = False) -> None:
        """Raises:
        PortalError: the selection could not be taken (the session ended, or the portal refused).
        """
        if primary or (snapshot.empty and self._ours is None):
            return  # nothing of ours to take back
        self._own(dict(snapshot.formats), None)

    def on_change(self, callback: Callable[[], None] | None) -> None:
        self._callback = callback

    def keep_after_exit(self) -> ClipboardHandover:
        """GNOME keeps its manager's copy: one still to be asked for (a restore just before quit) is
        waited for, briefly, before the session ends."""
        if not self._ours:
            return ClipboardHandover()
        deadline = time.monotonic() + _MANAGER_WAIT_S
        with contextlib.suppress(PortalError):  # a bus gone already: nothing more will come
            while self._managers_copy and time.monotonic() < deadline:
                self._bus.dispatch(timeout_s=0.05)
            # GNOME stores the copy once it has read the pipe to its end, after WriteDone: a session
            # closed before then leaves the clipboard empty
            while time.monotonic() < self._managers_copy_sent + _STORE_S:
                self._bus.dispatch(timeout_s=0.05)
        return _KEPT_BY_GNOME

    def let_go(self) -> None:
        """At exit: the session's end takes our selection with it (GNOME Shell keeps one format)."""
        self._session.close()

    # -- owning ---------------------------------------------------------------------------------------

    def _own(self, formats: dict[str, bytes], on_read: Callable[[], None] | None) -> None:
        """Announce `formats` (none: give the selection up). The portal's own owner-changed signal for it
        is ours and must not read as another program's copy.

        Raises:
            PortalError: no session, or the portal refused.
        """
        if not self._session.ready:
            raise PortalError("GNOME's remote-interaction session has ended, and the clipboard with it.")
        options = {"mime_types": ("as", list(formats))} if formats else {}
        self._bus.portal_call(CLIPBOARD, "SetSelection", "oa{sv}", (self._session.handle, options))
        self._ours, self._on_read = (formats or None), on_read
        self._managers_copy = _managers_format(formats)

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
        if done and mime == self._managers_copy:
            self._managers_copy = ""  # mutter's clipboard manager, asking as the selection changed: no paste
            self._managers_copy_sent = time.monotonic()
        elif done and self._on_read is not None:
            self._on_read()

    def session_ended(self) -> None:
        """The session's selection went with it: nothing is ours, and other programs' formats are unknown."""
        self._ours, self._on_read, self._offered, self._managers_copy = None, None, _LIKELY_TYPES, ""

    def _owner_changed(self, body: tuple[Any, ...]) -> None:
        session, options = str(body[0]), dict(body[1])
        if session != self._session.handle:
            return
        if options.get("session_is_owner", ("b", False))[1]:
            return
        self._ours, self._on_read = None, None
        self._offered = tuple(dict.fromkeys(_mime_types(options.get("mime_types", ("as", [])))))
        if self._offered:  # none: the owner went, and another follows (the app's new copy, or GNOME's)
            self._change_due = time.monotonic() + _SETTLE_S

    def flush_due(self) -> None:
        """Report a copy once the owner changes have settled (from the event pump). A copy on GNOME 48 is
        a burst: the old owner goes, the app's new selection comes, the clipboard manager puts its saved
        copy of the old one back and the app takes it again, within a few ms (measured): the last is the
        copy."""
        if self._change_due and time.monotonic() >= self._change_due:
            self._change_due = 0.0
            if self._callback is not None:
                self._callback()

    def _read(self, mime: str, deadline: float) -> bytes | None:
        """One format of another program's selection; None when it does not answer by `deadline`."""
        try:
            (descriptor,) = self._bus.portal_call(CLIPBOARD, "SelectionRead", "os", (self._session.handle, mime))
        except PortalError:
            return None
        reader = descriptor.to_raw_fd()
        try:
            return read_all(reader, deadline)
        finally:
            os.close(reader)


def _mime_types(variant: Variant) -> list[str]:
    """The documented `as`, or the `(as)` GNOME 48 sends (mutter's own variant, passed on as it is:
    measured on a headless mutter 48 with xdg-desktop-portal 1.20)."""
    signature, value = variant
    if signature == "(as)":
        (value,) = value
    return [str(mime) for mime in value]


def _managers_format(formats: Mapping[str, bytes]) -> str:
    """The one format mutter's clipboard manager copies of a new selection (meta-clipboard-manager.c):
    an image, else UTF-8 text, else plain text; "" when it copies none."""
    ranked = [mime for mime in formats if mime.startswith("image/")]
    ranked += [mime for mime in ("text/plain;charset=utf-8", "text/plain") if mime in formats]
    return ranked[0] if ranked else ""
