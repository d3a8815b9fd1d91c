"""About: version, folders (open in the file manager), the log file, and the `doctor` report."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFontDatabase
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from rephraser import __version__
from rephraser.desktop.background import BackgroundTask, failure_message
from rephraser.desktop.settings.context import SettingsContext
from rephraser.desktop.settings.widgets import Page

__all__ = ["AboutPage"]


class AboutPage(Page):
    def __init__(self, context: SettingsContext) -> None:
        super().__init__(context)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.addRow("Version:", QLabel(f"Rephraser {__version__}"))
        form.addRow("Config folder:", _folder_row(context.core.config_store.folder))
        form.addRow("Templates folder:", _folder_row(context.core.templates.user_dir))
        log = str(context.log_file) if context.log_file else "stderr of `rephraser run` (use --log-json)"
        form.addRow("Log file:", QLabel(log))
        layout.addLayout(form)
        self.run = QPushButton("&Run checks (rephraser doctor)")
        self.run.clicked.connect(self.run_doctor)
        layout.addWidget(self.run)
        self.report_view = QPlainTextEdit()
        self.report_view.setReadOnly(True)
        self.report_view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        layout.addWidget(self.report_view)
        self._task: BackgroundTask | None = None

    def run_doctor(self) -> None:
        self.run.setEnabled(False)
        self.report_view.setPlainText("Checking...")
        doctor = self.context.doctor
        self._task = BackgroundTask(lambda _report: doctor(), "rephraser-doctor")
        self._task.done.connect(self._show)
        self._task.failed.connect(lambda error: self._show(failure_message(error)))
        self._task.start()

    def _show(self, text: object) -> None:
        self.report_view.setPlainText(str(text))
        self.run.setEnabled(True)


def _folder_row(folder: Path) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    label = QLabel(str(folder))
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    layout.addWidget(label, 1)
    button = QPushButton("Open")
    button.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(_existing(folder)))))
    layout.addWidget(button)
    return row


def _existing(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder
