"""Messages for the user that never take the keyboard focus: a tray balloon when a tray exists, else a
small frameless overlay near the cursor, or where no window can float without the focus (Wayland) a
desktop notification; plus a progress overlay while a model rewrite runs (X11)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import QTimer
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QLabel, QSystemTrayIcon

if TYPE_CHECKING:
    from PySide6.QtCore import Qt

__all__ = ["Notifier"]

log = logging.getLogger(__name__)

_SHOW_MS = 5000


def _flags() -> Qt.WindowType:
    # Built on first use: importing the Qt namespace costs ~30 ms and its first flag operation ~13 ms,
    # which start-up need not pay.
    names = QtCore.Qt
    return (
        names.WindowType.ToolTip  # override-redirect on X11: the window manager never gives it focus
        | names.WindowType.FramelessWindowHint
        | names.WindowType.WindowStaysOnTopHint
        | names.WindowType.WindowDoesNotAcceptFocus
    )


class _Overlay(QLabel):
    def __init__(self) -> None:
        super().__init__(None, _flags())
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setWordWrap(True)
        self.setMaximumWidth(420)
        self.setMargin(10)
        self.setStyleSheet(
            "QLabel { background: palette(tooltip-base); color: palette(tooltip-text);"
            " border: 1px solid palette(mid); border-radius: 6px; }"
        )
        self._hide_timer = QTimer(self)
        self._hide_timer.setSingleShot(True)
        self._hide_timer.timeout.connect(self.hide)

    def show_text(self, text: str, duration_ms: int | None) -> None:
        self.setText(text)
        self.adjustSize()
        position = QCursor.pos()
        self.move(position.x() + 16, position.y() + 16)
        self.show()
        if duration_ms:
            self._hide_timer.start(duration_ms)
        else:
            self._hide_timer.stop()


class Notifier:
    """One place that shows messages; `last_message` lets tests and `--log-json` see what was shown.

    Args:
        tray: the tray icon when there is one (asked at each message: the tray may come later).
        floating: whether an overlay can float over the apps without the focus; if not, messages go to the
            desktop's notification server (in the background: a bus that hangs never holds up the app).
    """

    def __init__(self, tray: Callable[[], QSystemTrayIcon | None], floating: bool = True) -> None:
        self._tray = tray
        self._floating = floating
        self._overlay: _Overlay | None = None
        self._progress: _Overlay | None = None
        self._sending: Any = None  # the notification being sent (kept alive until it is done)
        self.last_message = ""

    def show(self, message: str) -> None:
        self.last_message = message
        tray = self._tray()
        if tray is not None and tray.isVisible() and QSystemTrayIcon.supportsMessages():
            tray.showMessage("Rephraser", message, QSystemTrayIcon.MessageIcon.Information, _SHOW_MS)
            return
        if not self._floating:
            self._notify_desktop(message)
            return
        if self._overlay is None:
            self._overlay = _Overlay()
        self._overlay.show_text(message, _SHOW_MS)

    def _notify_desktop(self, message: str) -> None:
        from rephraser.desktop.background import run_in_background
        from rephraser.platform.xdg.notifications import DesktopNotifications

        def shown(ok: object) -> None:
            if not ok:
                log.warning("no notification server took the notice (it is in the log): %s", message)

        self._sending = run_in_background(
            lambda _report: DesktopNotifications().show("Rephraser", message, _SHOW_MS),
            shown,
            lambda error: log.warning("the notification could not be sent (%s): %s", error, message),
            name="rephraser-notify",
        )

    def progress(self, text: str) -> None:
        if not self._floating:
            return  # no floating overlay here; a notification per streamed chunk would be noise
        if self._progress is None:
            self._progress = _Overlay()
        self._progress.show_text(text, None)

    def hide_progress(self) -> None:
        if self._progress is not None:
            self._progress.hide()
