"""Open the settings window: inside the running tray app, or on its own for `rephraser settings`."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtWidgets import QApplication

from rephraser.composition import Core, build_core, build_secret_store
from rephraser.desktop.logfile import LOG_NAME
from rephraser.desktop.settings.context import SettingsContext
from rephraser.desktop.settings.window import SettingsWindow

__all__ = ["make_context", "run_standalone"]


def make_context(core: Core, probe_hotkey: Callable[[str], str], last_app: Callable[[], str]) -> SettingsContext:
    """A context over the real keyring, autostart entry, doctor report and log file."""
    from rephraser.cli.autostart import autostart_path, disable, enable
    from rephraser.cli.doctor import doctor_report
    from rephraser.core.config.paths import cache_dir

    def set_autostart(on: bool) -> None:
        enable() if on else disable()

    def doctor() -> str:
        lines, _ok = doctor_report(build_core())
        return "\n".join(lines)

    return SettingsContext(
        core,
        build_secret_store(core.config.settings),
        probe_hotkey=probe_hotkey,
        last_app=last_app,
        autostart=(lambda: autostart_path().exists(), set_autostart),
        doctor=doctor,
        log_file=cache_dir() / LOG_NAME,
    )


def run_standalone() -> int:
    """The window alone (no tray app running): saved settings apply when the app next starts."""
    qt = QApplication.instance() or QApplication(sys.argv[:1])
    window = SettingsWindow(make_context(build_core(), _probe, lambda: ""))
    window.present()
    return int(qt.exec())


def _probe(combo: str) -> str:
    from rephraser.platform import probe_hotkey

    return probe_hotkey(combo)
