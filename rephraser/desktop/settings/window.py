"""The settings window: six pages, Save (only while every field is valid) and Cancel, a remembered size."""

from __future__ import annotations

from PySide6.QtCore import QSettings, QSize, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from rephraser.core.config.schema import Settings
from rephraser.core.errors import RephraserError
from rephraser.desktop.settings.about import AboutPage
from rephraser.desktop.settings.apps import AppsPage
from rephraser.desktop.settings.context import SettingsContext
from rephraser.desktop.settings.general import GeneralPage
from rephraser.desktop.settings.history_page import HistoryPage
from rephraser.desktop.settings.hotkeys import HotkeysPage
from rephraser.desktop.settings.model_page import ModelPage
from rephraser.desktop.settings.templates_page import TemplatesPage
from rephraser.desktop.settings.widgets import FieldMessage

__all__ = ["SettingsWindow"]


class SettingsWindow(QWidget):
    """Signals:
    saved(Settings): the settings were written (the running app applies them at once).
    """

    saved = Signal(object)

    def __init__(self, context: SettingsContext) -> None:
        super().__init__()
        self.context = context
        self.setWindowTitle("Rephraser settings")
        layout = QVBoxLayout(self)
        self.tabs = QTabWidget()
        self.general = GeneralPage(context)
        self.hotkeys = HotkeysPage(context)
        self.model = ModelPage(context)
        self.templates = TemplatesPage(context)
        self.apps = AppsPage(context)
        self.history = HistoryPage(context)
        self.about = AboutPage(context)
        for page, title in (
            (self.general, "&General"),
            (self.hotkeys, "Hot&keys"),
            (self.model, "M&odel"),
            (self.templates, "&Templates"),
            (self.apps, "&Apps"),
            (self.history, "Histor&y"),
            (self.about, "A&bout"),
        ):
            self.tabs.addTab(page, title)
            page.changed.connect(self.update_state)
        self.tabs.currentChanged.connect(lambda _index: self._refresh_history())
        layout.addWidget(self.tabs)
        self.summary = FieldMessage()
        layout.addWidget(self.summary)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_button = QPushButton("&Save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.clicked.connect(self.close)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        self._geometry = QSettings(str(context.core.config_store.folder / "window.ini"), QSettings.Format.IniFormat)
        size = self._geometry.value("settings/size")
        self.resize(size if isinstance(size, QSize) else QSize(980, 680))
        self.update_state()

    def update_state(self) -> None:
        problems = self.context.draft.problems
        self.save_button.setEnabled(not problems)
        self.summary.show_problem(
            f"Fix {len(problems)} field(s) to save: " + "; ".join(f"{k}: {v}" for k, v in sorted(problems.items()))
            if problems
            else None
        )

    def save(self) -> bool:
        """Write the settings (and a typed API key to the keyring); False if something was not valid."""
        if not self.context.draft.valid:
            return False
        template_problem = self.templates.pending_problem()
        if template_problem:
            self.summary.show_problem(template_problem)
            self.tabs.setCurrentWidget(self.templates)
            return False
        settings: Settings = self.context.draft.settings()
        try:
            self.context.core.config_store.save(settings)
        except RephraserError as error:
            self.summary.show_problem(str(error))
            return False
        template_problem = self.templates.apply_pending()
        if template_problem:
            self.summary.show_problem(template_problem)
            return False
        key_problem = self.model.save_key()
        if key_problem:
            self.summary.show_problem(key_problem)
            return False
        if self.general.autostart.isChecked() != self.context.autostart_enabled():
            self.context.set_autostart(self.general.autostart.isChecked())
        self.saved.emit(settings)
        self.close()
        return True

    def _refresh_history(self) -> None:
        if self.tabs.currentWidget() is self.history:
            self.history.reload()  # the app may have rewritten since the page was filled

    def closeEvent(self, event: QCloseEvent) -> None:
        self._geometry.setValue("settings/size", self.size())
        self._geometry.sync()
        super().closeEvent(event)

    def present(self) -> None:
        """Show, or raise the already open window (a second "Settings..." never opens another)."""
        self.show()
        self.raise_()
        self.activateWindow()
