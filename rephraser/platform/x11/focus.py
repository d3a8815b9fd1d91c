"""The focused application: the window manager's _NET_ACTIVE_WINDOW, else the input focus, then its
WM_CLASS and title."""

from __future__ import annotations

from rephraser.core.desktop.ports import AppInfo
from rephraser.platform.x11.connection import X11Connection

__all__ = ["X11Focus"]


class X11Focus:
    """Implements rephraser.core.desktop.ports.FocusPort."""

    def __init__(self, connection: X11Connection) -> None:
        self._x = connection.display

    def focused_app(self) -> AppInfo:
        found: list[AppInfo] = []
        # A window that goes away while we look gives BadWindow: no hint, detection uses the text alone.
        self._x.checked(lambda: found.append(self._look_up()))
        return found[0] if found else AppInfo()

    def _look_up(self) -> AppInfo:
        window = self._x.active_window()
        for _ in range(8):  # the focus may sit on a child: walk up to the window that has WM_CLASS
            if not window:
                break
            wm_class = self._x.wm_class(window)
            if wm_class:
                return AppInfo(wm_class[1], wm_class[0], self._x.title(window), window)
            window = self._x.parent(window)
        return AppInfo()
