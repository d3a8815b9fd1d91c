"""History: the tray app's rewrites, searchable; copy either text; clear them all (asked inline first)."""

from __future__ import annotations

import time

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from rephraser.core.history import HistoryEntry, HistoryError, one_line
from rephraser.desktop.settings.confirm import ConfirmBar
from rephraser.desktop.settings.context import SettingsContext
from rephraser.desktop.settings.widgets import FieldMessage, Page

__all__ = ["HistoryPage"]

SHOWN = 200  # rewrites listed at most (search reaches the rest)
_PREVIEW_CHARS = 60


class HistoryPage(Page):
    def __init__(self, context: SettingsContext) -> None:
        super().__init__(context)
        layout = QVBoxLayout(self)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search originals and rewrites")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self.reload())
        layout.addWidget(self.search)
        splitter = QSplitter()
        self.list = QListWidget()
        self.list.currentItemChanged.connect(lambda _now, _before: self._show_current())
        splitter.addWidget(self.list)
        splitter.addWidget(self._detail())
        layout.addWidget(splitter, 1)
        self.confirm = ConfirmBar("Con&firm: delete the history", "Kee&p it")
        layout.addWidget(self.confirm)
        self.message = FieldMessage()
        layout.addWidget(self.message)
        self.entries: list[HistoryEntry] = []
        self.reload()

    def _detail(self) -> QWidget:
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 0, 0, 0)
        self.when = QLabel()
        column.addWidget(self.when)
        self.original = _read_only("The original")
        self.rewrite = _read_only("The rewrite")
        column.addWidget(self.original, 1)
        column.addWidget(self.rewrite, 1)
        row = QHBoxLayout()
        self.copy_original = QPushButton("Copy origi&nal")
        self.copy_original.clicked.connect(lambda: self._copy(self.original.toPlainText()))
        self.copy_rewrite = QPushButton("Copy re&write")
        self.copy_rewrite.clicked.connect(lambda: self._copy(self.rewrite.toPlainText()))
        self.clear_button = QPushButton("C&lear history...")
        self.clear_button.clicked.connect(self._ask_to_clear)
        for button in (self.copy_original, self.copy_rewrite):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.clear_button)
        column.addLayout(row)
        return panel

    def reload(self) -> None:
        """List the newest rewrites that match the search (reads the file each time: the app may have added)."""
        history = self.context.history
        self.list.clear()
        self.entries = []
        if history is None:
            self.message.show_problem("The history is off: turn it on on the General page.")
        else:
            try:
                self.entries = history.recent(SHOWN, self.search.text().strip())
            except HistoryError as error:
                self.message.show_problem(str(error))
            else:
                self.message.show_problem(None if self.entries or self.search.text() else "No rewrites yet.")
        for entry in self.entries:
            self.list.addItem(QListWidgetItem(_line(entry)))
        if self.entries:
            self.list.setCurrentRow(0)
        self._show_current()

    def _show_current(self) -> None:
        row = self.list.currentRow()
        entry = self.entries[row] if 0 <= row < len(self.entries) else None
        self.when.setText(_described(entry) if entry else "")
        self.original.setPlainText(entry.original if entry else "")
        self.rewrite.setPlainText(entry.rewrite if entry else "")
        for button in (self.copy_original, self.copy_rewrite):
            button.setEnabled(entry is not None)
        self.clear_button.setEnabled(self.context.history is not None)

    def _copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)

    def _ask_to_clear(self) -> None:
        self.confirm.ask("Delete every rewrite in the history? This cannot be undone.", self.clear)

    def clear(self) -> None:
        history = self.context.history
        if history is None:
            return
        try:
            history.clear()
        except HistoryError as error:
            self.message.show_problem(str(error))
            return
        self.reload()


def _read_only(placeholder: str) -> QPlainTextEdit:
    view = QPlainTextEdit()
    view.setReadOnly(True)
    view.setPlaceholderText(placeholder)
    return view


def _line(entry: HistoryEntry) -> str:
    short = one_line(entry.original, _PREVIEW_CHARS)
    return f"{time.strftime('%d %b %H:%M', time.localtime(entry.time))}  {entry.target}  {short}"


def _described(entry: HistoryEntry) -> str:
    where = f" in {entry.app_class}" if entry.app_class else ""
    when = time.strftime("%Y-%m-%d %H:%M", time.localtime(entry.time))
    return f"#{entry.id}, {when}{where}: {entry.target}, template {entry.template}, {entry.mode}"
