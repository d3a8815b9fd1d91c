"""The Windows back-ends, wired: one message window for hotkeys, clipboard updates and delayed rendering."""

from __future__ import annotations

from rephraser.platform import DesktopBackends
from rephraser.platform.windows.clipboard import WindowsClipboard
from rephraser.platform.windows.focus import WindowsFocus
from rephraser.platform.windows.hotkeys import WindowsHotkeys
from rephraser.platform.windows.keys import WindowsKeys
from rephraser.platform.windows.messages import MessageWindow
from rephraser.platform.windows.win32 import Win32

__all__ = ["windows_backends"]


def windows_backends(api: Win32 | None = None) -> DesktopBackends:
    """The back-ends over `api` (the real Win32 when None). Qt's event loop dispatches the message
    window's messages, so there is nothing to pump."""
    if api is None:
        from rephraser.platform.windows.win32 import User32

        api = User32()
    messages = MessageWindow(api)
    clipboard = WindowsClipboard(api, messages)
    return DesktopBackends(
        hotkeys=WindowsHotkeys(api, messages),
        keys=WindowsKeys(api),
        focus=WindowsFocus(api),
        clipboard_keeper=None,
        event_fd=None,
        pump=lambda: None,
        close=messages.close,
        description="windows: RegisterHotKey hotkeys, SendInput keys, foreground-window focus, Win32 clipboard "
        "(every format, delayed rendering)",
        clipboard=clipboard,
        preview_window=False,
    )
