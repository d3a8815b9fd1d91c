"""The general pasteboard on macOS: every item and type snapshotted and put back, the copy seen by the
changeCount (checked on each pump: macOS sends no change events), the rewrite served by a data provider so
the job knows when the app read it, and the restore skipped when someone else changed the pasteboard
after our paste (their copy wins; the user hears so).

macOS has no PRIMARY selection: the primary side is empty and never written. The pasteboard outlives
Rephraser by itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from rephraser.core.desktop.ports import ClipboardHandover, ClipboardSnapshot
from rephraser.core.errors import RephraserError
from rephraser.platform.macos.cocoa import MacOS

__all__ = ["MacClipboard", "PasteboardError"]

log = logging.getLogger("rephraser.desktop")

_TEXT = "public.utf8-plain-text"


class PasteboardError(RephraserError):
    """The pasteboard refused what Rephraser wrote."""


def _key(index: int, kind: str) -> str:
    """The snapshot's key for an item's type: the first item's types by name, later ones "item N: type"."""
    return kind if index == 0 else f"item {index}: {kind}"


def _items(formats: dict[str, bytes]) -> list[dict[str, bytes]]:
    items: list[dict[str, bytes]] = []
    for key, data in formats.items():
        index, kind = 0, key
        if key.startswith("item ") and ": " in key and key[5 : key.index(": ")].isdigit():
            index, kind = int(key[5 : key.index(": ")]), key[key.index(": ") + 2 :]
        while len(items) <= index:
            items.append({})
        items[index][kind] = data
    return items


class MacClipboard:
    """Implements rephraser.core.desktop.ports.ClipboardPort on the general pasteboard."""

    def __init__(self, api: MacOS) -> None:
        self._api = api
        self._on_change: Callable[[], None] | None = None
        self._seen = api.change_count()
        self._ours = -1  # the changeCount our last write left
        self._served = -1  # the changeCount our paste left, until the restore (-1: nothing served)

    def snapshot(self, primary: bool = False) -> ClipboardSnapshot:
        if primary:
            return ClipboardSnapshot({})
        formats = {
            _key(i, kind): data for i, item in enumerate(self._api.pasteboard_items()) for kind, data in item.items()
        }
        return ClipboardSnapshot(formats)

    def text(self, primary: bool = False) -> str:
        return "" if primary else self._api.text()

    def serve(self, text: str, primary: bool, on_read: Callable[[], None]) -> None:
        if primary:
            return

        def provide() -> str:
            on_read()
            return text

        self._served = self._ours = self._seen = self._api.write_lazy_text(provide)

    def restore(self, snapshot: ClipboardSnapshot, primary: bool = False) -> None:
        """The user's items back, unless another program changed the pasteboard since our paste.

        Raises:
            PasteboardError: the pasteboard refused the items, or another copy came after ours.
        """
        if primary:
            return
        served, self._served = self._served, -1
        if served != -1 and self._api.change_count() != served:
            raise PasteboardError("another program copied something after the paste, so it stays on the clipboard")
        written = self._api.write_items(_items(dict(snapshot.formats)))
        if written == -1:
            raise PasteboardError("the pasteboard refused the saved contents")
        self._ours = self._seen = written

    def on_change(self, callback: Callable[[], None] | None) -> None:
        self._on_change = callback
        self._seen = self._api.change_count()

    def pump(self) -> None:
        """Another program's change since the last look calls the change callback (polled by the app)."""
        now = self._api.change_count()
        if now != self._seen:
            self._seen = now
            if self._on_change is not None and now != self._ours:
                self._on_change()

    def keep_after_exit(self) -> ClipboardHandover:
        return ClipboardHandover("system", note="macOS keeps the pasteboard's contents")

    def let_go(self) -> None:
        self._on_change = None
