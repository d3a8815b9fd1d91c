"""The focused application on Windows: the foreground window, its process's executable and its class."""

from __future__ import annotations

import ntpath

from rephraser.core.desktop.ports import AppInfo
from rephraser.platform.windows.win32 import Win32

__all__ = ["WindowsFocus"]


class WindowsFocus:
    """Implements rephraser.core.desktop.ports.FocusPort: app_class is the executable's name without
    ".exe" (WindowsTerminal, chrome, notepad), instance the window's class, as the apps table names them."""

    def __init__(self, api: Win32) -> None:
        self._api = api

    def focused_app(self) -> AppInfo:
        window = self._api.foreground_window()
        if not window:
            return AppInfo()
        image = ntpath.basename(self._api.window_process_image(window))
        stem = image[:-4] if image.lower().endswith(".exe") else image
        return AppInfo(stem, self._api.window_class(window), self._api.window_title(window), window)
