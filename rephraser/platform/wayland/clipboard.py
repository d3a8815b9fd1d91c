"""The clipboard port on Wayland, over wlr-data-control (data_control.py): Qt's clipboard cannot be used by
an unfocused tray app there (it reads "" and its writes are refused).

A restore right after a paste first changes what the serving source answers, in place, and takes the
selection anew with every format a moment later (`flush_due`, from the event pump): GTK drops a paste
it is still reading when the selection changes under it, and it reads after it was asked to (the
source's `send` only says that it began).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from rephraser.core.desktop.ports import ClipboardHandover, ClipboardKeeperPort, ClipboardSnapshot
from rephraser.platform.wayland.data_control import TEXT_TYPES, DataControl

__all__ = ["ANNOUNCE_AFTER_S", "WaylandClipboard"]

ANNOUNCE_AFTER_S = 1.0  # well past the end of a paste, as for X11 (desktop/clipboard.py)


class WaylandClipboard:
    """Implements rephraser.core.desktop.ports.ClipboardPort; `keeper` keeps what we own after quit."""

    def __init__(self, control: DataControl, keeper: ClipboardKeeperPort | None = None) -> None:
        self._control = control
        self._keeper = keeper
        self._callback: Callable[[], None] | None = None
        self._pending: dict[bool, tuple[ClipboardSnapshot, float]] = {}  # primary -> (restore, when due)
        control.on_change = self._changed

    def snapshot(self, primary: bool = False) -> ClipboardSnapshot:
        self._finish(primary)  # a restore still in place would be taken for the user's clipboard
        return ClipboardSnapshot(self._control.snapshot(primary))

    def text(self, primary: bool = False) -> str:
        offered = self._control.formats(primary)
        for mime in TEXT_TYPES:
            if mime in offered:
                return self._control.read(mime, primary).decode("utf-8", "replace")
        return ""

    def serve(self, text: str, primary: bool, on_read: Callable[[], None]) -> None:
        self._pending.pop(primary, None)
        data = text.encode("utf-8")
        self._control.offer(dict.fromkeys(TEXT_TYPES, data), primary, on_send=lambda _mime: on_read())

    def restore(self, snapshot: ClipboardSnapshot, primary: bool = False) -> None:
        if self._control.replace_in_place(snapshot.formats, primary):
            self._pending[primary] = (snapshot, time.monotonic() + ANNOUNCE_AFTER_S)
            return
        self._control.offer(snapshot.formats, primary)

    def flush_due(self) -> None:
        """Take the selection anew for each in-place restore whose moment has come."""
        for primary, (_snapshot, due) in list(self._pending.items()):
            if time.monotonic() >= due:
                self._finish(primary)

    def _finish(self, primary: bool) -> None:
        pending = self._pending.pop(primary, None)
        if pending is not None and self._control.owns(primary):  # else the user copied since: theirs stays
            self._control.offer(pending[0].formats, primary)

    def on_change(self, callback: Callable[[], None] | None) -> None:
        self._callback = callback

    def keep_after_exit(self) -> ClipboardHandover:
        self._finish(False)
        if self._keeper is None or not self._control.owns():
            return ClipboardHandover()  # another program holds it: it outlives us anyway
        snapshot = self.snapshot()
        return ClipboardHandover() if snapshot.empty else self._keeper.keep(snapshot.formats)

    def let_go(self) -> None:
        """At exit: our sources go with the connection (the keeper, started before, holds the clipboard)."""
        self._control.close()

    def _changed(self, primary: bool) -> None:
        if not primary and self._callback is not None:
            self._callback()
