"""The macOS back-ends, wired: Carbon hot keys, Quartz key events, NSWorkspace focus, the pasteboard."""

from __future__ import annotations

from rephraser.platform import DesktopBackends
from rephraser.platform.macos.clipboard import MacClipboard
from rephraser.platform.macos.cocoa import MacOS
from rephraser.platform.macos.focus import MacFocus
from rephraser.platform.macos.hotkeys import MacHotkeys
from rephraser.platform.macos.keys import ACCESSIBILITY_NOTICE, MacKeys

__all__ = ["macos_backends"]


def macos_backends(api: MacOS | None = None) -> DesktopBackends:
    """The back-ends over `api` (the real one when None). Hot keys come through Qt's Cocoa loop; the
    pasteboard, which sends no events, is looked at on each pump."""
    if api is None:
        from rephraser.platform.macos.cocoa import Cocoa

        api = Cocoa()
    clipboard = MacClipboard(api)
    trusted = api.accessibility_trusted()
    return DesktopBackends(
        hotkeys=MacHotkeys(api),
        keys=MacKeys(api),
        focus=MacFocus(api),
        clipboard_keeper=None,
        event_fd=None,
        pump=clipboard.pump,
        close=lambda: None,
        description="macos: Carbon hot keys, Quartz key events"
        + ("" if trusted else " (not allowed yet: Accessibility)")
        + ", NSWorkspace focus, the general pasteboard (every item and type)",
        clipboard=clipboard,
        preview_window=False,
        command_key=True,
        problems=() if trusted else (ACCESSIBILITY_NOTICE,),
    )
