"""The clipboard on Windows: every format snapshotted and put back byte for byte, the copy detected by
the clipboard sequence number (WM_CLIPBOARDUPDATE), and the rewrite served by delayed rendering, so the
job knows when the target app read it (WM_RENDERFORMAT) instead of waiting a fixed time.

Windows has no PRIMARY selection: the primary side is empty and never written. What is on the clipboard
when Rephraser exits stays there (Windows keeps it), once any delayed format is rendered.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from rephraser.core.desktop.ports import ClipboardHandover, ClipboardSnapshot
from rephraser.core.errors import RephraserError
from rephraser.platform.windows.messages import MessageWindow
from rephraser.platform.windows.win32 import (
    CF_UNICODETEXT,
    WM_CLIPBOARDUPDATE,
    WM_RENDERALLFORMATS,
    WM_RENDERFORMAT,
    Win32,
)

__all__ = ["ClipboardBusyError", "WindowsClipboard", "format_key"]

log = logging.getLogger("rephraser.desktop")

# Standard formats by their SDK names; the snapshot's keys (registered formats go by their own names).
_STANDARD = {1: "CF_TEXT", 7: "CF_OEMTEXT", 8: "CF_DIB", 13: "CF_UNICODETEXT", 15: "CF_HDROP", 16: "CF_LOCALE"}
_STANDARD |= {17: "CF_DIBV5"}
# Handles that are not memory (bitmaps, metafiles, palettes, owner display): Windows makes CF_BITMAP from
# CF_DIB again, and the others no app we paste into needs.
_NOT_MEMORY = frozenset({2, 3, 9, 14, 0x80, 0x82, 0x83, 0x8E})
_ALIASES = {"PNG": "image/png"}  # so image to prompt finds a copied PNG by its MIME type
_OPEN_TRIES = 20
_OPEN_RETRY_S = 0.005  # another program holds the clipboard open for a moment at most


class ClipboardBusyError(RephraserError):
    """Another program kept the clipboard open."""


def format_key(api: Win32, clipboard_format: int) -> str:
    """A format's key in a snapshot: its SDK name, its registered name (PNG as image/png), or CF_#<id>."""
    if clipboard_format in _STANDARD:
        return _STANDARD[clipboard_format]
    name = api.format_name(clipboard_format)
    return _ALIASES.get(name, name) if name else f"CF_#{clipboard_format}"


def _format_id(api: Win32, key: str) -> int:
    for number, name in _STANDARD.items():
        if name == key:
            return number
    if key.startswith("CF_#") and key[4:].isdigit():
        return int(key[4:])
    original = next((name for name, alias in _ALIASES.items() if alias == key), key)
    return api.register_format(original)


class WindowsClipboard:
    """Implements rephraser.core.desktop.ports.ClipboardPort over Win32."""

    def __init__(self, api: Win32, messages: MessageWindow) -> None:
        self._api, self._window = api, messages.window
        self._on_change: Callable[[], None] | None = None
        self._own_change = -1  # the sequence number our last write gave the clipboard
        self._serving: tuple[str, Callable[[], None]] | None = None  # announced, not rendered yet
        messages.on(WM_CLIPBOARDUPDATE, self._changed)
        messages.on(WM_RENDERFORMAT, self._render)
        messages.on(WM_RENDERALLFORMATS, self._render_all)
        self._listening = api.add_clipboard_listener(self._window)

    def snapshot(self, primary: bool = False) -> ClipboardSnapshot:
        if primary:
            return ClipboardSnapshot({})
        formats: dict[str, bytes] = {}
        with self._opened():
            for clipboard_format in self._api.clipboard_formats():
                if clipboard_format in _NOT_MEMORY:
                    continue
                data = self._api.get_data(clipboard_format)
                if data is not None:
                    formats[format_key(self._api, clipboard_format)] = data
        return ClipboardSnapshot(formats)

    def text(self, primary: bool = False) -> str:
        if primary:
            return ""
        with self._opened():
            data = self._api.get_data(CF_UNICODETEXT)
        return _unicode_text(data) if data else ""

    def serve(self, text: str, primary: bool, on_read: Callable[[], None]) -> None:
        """Announce text for delayed rendering: the app's read of it comes to us as WM_RENDERFORMAT."""
        if primary:
            return
        with self._opened():
            self._api.empty_clipboard()
            self._api.set_data(CF_UNICODETEXT, None)
        self._own_change = self._api.sequence_number()
        self._serving = (text, on_read)

    def restore(self, snapshot: ClipboardSnapshot, primary: bool = False) -> None:
        """Every format back as it was (an empty snapshot: an empty clipboard)."""
        if primary:
            return
        self._serving = None
        with self._opened():
            self._api.empty_clipboard()
            for key, data in snapshot.formats.items():
                if not self._api.set_data(_format_id(self._api, key), data):
                    log.warning("the clipboard format %s could not be put back", key)
        self._own_change = self._api.sequence_number()

    def on_change(self, callback: Callable[[], None] | None) -> None:
        self._on_change = callback

    def keep_after_exit(self) -> ClipboardHandover:
        """Windows keeps the clipboard after we exit; only a format still waiting to be rendered needs us."""
        if self._serving is not None:
            self._render_all(0, 0)
        return ClipboardHandover("system", note="Windows keeps the clipboard's contents")

    def let_go(self) -> None:
        if self._listening:
            self._api.remove_clipboard_listener(self._window)
            self._listening = False

    # -- messages --------------------------------------------------------------------------------------

    def _changed(self, _wparam: int, _lparam: int) -> None:
        if self._on_change is not None and self._api.sequence_number() != self._own_change:
            self._on_change()

    def _render(self, wparam: int, _lparam: int) -> None:
        """A program reads the announced text: hand it over (the reader holds the clipboard open)."""
        if wparam != CF_UNICODETEXT or self._serving is None:
            return
        text, on_read = self._serving
        self._serving = None
        self._api.set_data(CF_UNICODETEXT, _unicode_bytes(text))
        on_read()

    def _render_all(self, _wparam: int, _lparam: int) -> None:
        """We exit while text waits to be rendered: render it, so that the clipboard keeps it."""
        if self._serving is None:
            return
        text, _on_read = self._serving
        self._serving = None
        with self._opened():
            self._api.set_data(CF_UNICODETEXT, _unicode_bytes(text))

    def _opened(self) -> _OpenClipboard:
        return _OpenClipboard(self._api, self._window)


class _OpenClipboard:
    """OpenClipboard for a `with` block, retried for a moment while another program has it open."""

    def __init__(self, api: Win32, window: int) -> None:
        self._api, self._window = api, window

    def __enter__(self) -> None:
        for attempt in range(_OPEN_TRIES):
            if self._api.open_clipboard(self._window):
                return
            if attempt + 1 < _OPEN_TRIES:
                time.sleep(_OPEN_RETRY_S)
        raise ClipboardBusyError(
            "Another program keeps the clipboard open; your text and clipboard are unchanged. Try again."
        )

    def __exit__(self, *exc: object) -> None:
        self._api.close_clipboard()


def _unicode_bytes(text: str) -> bytes:
    return text.encode("utf-16-le") + b"\x00\x00"


def _unicode_text(data: bytes) -> str:
    text = data.decode("utf-16-le", "replace")
    return text.split("\x00", 1)[0]
