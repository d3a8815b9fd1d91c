"""What the settings pages work on, handed in by whoever opens the window (the tray app or a test)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rephraser.composition import Core
from rephraser.core.config.draft import SettingsDraft
from rephraser.core.history import History
from rephraser.core.keys import SecretStore
from rephraser.core.template_files import TemplateLibrary

__all__ = ["SettingsContext"]


class SettingsContext:
    """The core, a draft of its settings, and the few outside capabilities the pages need.

    Args:
        probe_hotkey: "" when a combination can be grabbed, else why not (another program holds it).
        last_app: the class of the last app a rewrite ran in ("" if none).
        autostart: (is it on?, turn it on/off).
        doctor: the `rephraser doctor` report as text.
        history: the history file (None when the settings keep none).
    """

    def __init__(
        self,
        core: Core,
        secrets: SecretStore,
        probe_hotkey: Callable[[str], str] = lambda _combo: "",
        last_app: Callable[[], str] = lambda: "",
        autostart: tuple[Callable[[], bool], Callable[[bool], None]] = (lambda: False, lambda _on: None),
        doctor: Callable[[], str] = lambda: "",
        log_file: Path | None = None,
        history: History | None = None,
    ) -> None:
        self.core = core
        self.draft = SettingsDraft(core.config.settings)
        self.library = TemplateLibrary(core.templates)
        self.secrets = secrets
        self.probe_hotkey = probe_hotkey
        self.last_app = last_app
        self.autostart_enabled, self.set_autostart = autostart
        self.doctor = doctor
        self.log_file = log_file
        self.history = history
