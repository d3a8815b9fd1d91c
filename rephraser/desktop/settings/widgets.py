"""Small building blocks of the settings pages: a form row with an inline message, the base page."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from rephraser.core.config.schema import describe
from rephraser.desktop.settings.context import SettingsContext

__all__ = ["FieldMessage", "Page", "add_row"]


class FieldMessage(QLabel):
    """The inline message under a field: what is wrong and what is allowed (empty when all is well)."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.Link))
        self.setPalette(palette)
        self.hide()

    def show_problem(self, problem: str | None) -> None:
        self.setText(problem or "")
        self.setVisible(bool(problem))


class Page(QWidget):
    """Signals:
    changed(): a field changed (the window re-checks whether Save is allowed).
    """

    changed = Signal()

    def __init__(self, context: SettingsContext) -> None:
        super().__init__()
        self.context = context
        self.draft = context.draft
        self.messages: dict[str, FieldMessage] = {}

    def report(self, name: str, problem: str | None) -> None:
        if name in self.messages:
            self.messages[name].show_problem(problem)
        self.changed.emit()


def add_row(page: Page, form: QFormLayout, label: str, name: str, field: QWidget) -> None:
    """A labelled field with the schema's description as its tooltip and an inline message below it."""
    info = describe(name)
    if info is not None:
        field.setToolTip(info.description)
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(field)
    message = FieldMessage()
    column.addWidget(message)
    page.messages[name] = message
    form.addRow(label, holder)
    label_widget = form.labelForField(holder)
    if isinstance(label_widget, QLabel):
        label_widget.setBuddy(field)  # the label's &mnemonic focuses the field
