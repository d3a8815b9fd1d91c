"""The focused application on macOS: NSWorkspace's frontmost application, by bundle identifier."""

from __future__ import annotations

from rephraser.core.desktop.ports import AppInfo
from rephraser.platform.macos.cocoa import MacOS

__all__ = ["MacFocus"]


class MacFocus:
    """Implements rephraser.core.desktop.ports.FocusPort: app_class is the bundle identifier
    (com.apple.Terminal), instance the app's name; no title (reading it needs Screen Recording), and the
    process id stands for the window (a change of app is what can be told)."""

    def __init__(self, api: MacOS) -> None:
        self._api = api

    def focused_app(self) -> AppInfo:
        bundle, name, pid = self._api.frontmost_app()
        return AppInfo(bundle, name, "", pid) if bundle or name else AppInfo()
