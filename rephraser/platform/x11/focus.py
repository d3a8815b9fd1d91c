"""The focused application: the window manager's _NET_ACTIVE_WINDOW, else the input focus, then its
WM_CLASS and title."""

from __future__ import annotations

from typing import Any

from Xlib import X, error

from rephraser.core.desktop.ports import AppInfo
from rephraser.platform.x11.connection import X11Connection

__all__ = ["X11Focus"]


class X11Focus:
    """Implements rephraser.core.desktop.ports.FocusPort."""

    def __init__(self, connection: X11Connection) -> None:
        self._x = connection
        display = connection.display
        self._active = display.intern_atom("_NET_ACTIVE_WINDOW")
        self._name = display.intern_atom("_NET_WM_NAME")
        self._utf8 = display.intern_atom("UTF8_STRING")

    def focused_app(self) -> AppInfo:
        try:
            window = self._active_window()
            for _ in range(8):  # the focus may sit on a child: walk up to the window that has WM_CLASS
                if window is None:
                    break
                wm_class = window.get_wm_class()
                if wm_class:
                    return AppInfo(wm_class[1], wm_class[0], self._title(window))
                window = window.query_tree().parent
        except error.XError:
            pass  # the window went away while we looked: no hint, detection uses the text alone
        return AppInfo()

    def _active_window(self) -> Any:
        prop = self._x.root.get_full_property(self._active, X.AnyPropertyType)
        if prop and prop.value and prop.value[0]:
            return self._x.display.create_resource_object("window", prop.value[0])
        focus = self._x.display.get_input_focus().focus
        return None if isinstance(focus, int) else focus

    def _title(self, window: Any) -> str:
        prop = window.get_full_property(self._name, self._utf8)
        if prop and prop.value:
            value = prop.value
            return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        name = window.get_wm_name()
        return name if isinstance(name, str) else ""
