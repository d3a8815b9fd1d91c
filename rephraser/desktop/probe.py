"""Facts about the desktop that only Qt can tell (for `rephraser doctor`)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QSystemTrayIcon

__all__ = ["tray_available"]


def tray_available() -> bool:
    """Whether a system tray host is running (without one, notices use an overlay)."""
    _app = QApplication.instance() or QApplication([])
    return bool(QSystemTrayIcon.isSystemTrayAvailable())
