"""Open the settings window: inside the running tray app, or on its own for `rephraser settings`."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtWidgets import QApplication

from rephraser.composition import Core, build_core, build_history, build_secret_store, doctor_text
from rephraser.desktop.collector import IdleCollector
from rephraser.desktop.logfile import LOG_NAME
from rephraser.desktop.settings.context import SettingsContext
from rephraser.desktop.settings.window import SettingsWindow
from rephraser.lifetime import keep_running

__all__ = ["make_context", "run_standalone"]


def make_context(core: Core, probe_hotkey: Callable[[str], str], last_app: Callable[[], str]) -> SettingsContext:
    """A context over the real keyring, autostart entry, doctor report and log file."""
    from rephraser.core.config.paths import cache_dir
    from rephraser.platform import select_autostart

    autostart = select_autostart()

    def set_autostart(on: bool) -> None:
        autostart.enable() if on else autostart.disable()

    return SettingsContext(
        core,
        build_secret_store(core.config.settings),
        probe_hotkey=probe_hotkey,
        last_app=last_app,
        autostart=(autostart.enabled, set_autostart),
        doctor=lambda: doctor_text(build_core()),
        log_file=cache_dir() / LOG_NAME,
        history=build_history(core.config.settings) if core.config.settings.history else None,
    )


def run_standalone() -> int:
    """The window alone (no tray app running): saved settings apply when the app next starts."""
    qt = QApplication.instance() or QApplication(sys.argv[:1])
    window = SettingsWindow(make_context(build_core(), _probe, lambda: ""))
    window.present()
    keep_running()
    collector = IdleCollector()
    try:
        return int(qt.exec())
    finally:
        collector.stop()


def _probe(combo: str) -> str:
    from rephraser.platform import probe_hotkey

    return probe_hotkey(combo)
