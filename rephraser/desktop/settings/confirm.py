"""An inline confirmation bar: asks inside the window, so no dialog takes the focus from other apps."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

__all__ = ["ConfirmBar"]


class ConfirmBar(QWidget):
    """A question with a confirm and a keep button; hidden until `ask()`. The keep button has the focus,
    so an Enter pressed by habit changes nothing."""

    def __init__(self, confirm_label: str, keep_label: str) -> None:
        super().__init__()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.question = QLabel()
        self.question.setWordWrap(True)
        column.addWidget(self.question)
        self.confirm_button = QPushButton(confirm_label)
        self.keep_button = QPushButton(keep_label)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.confirm_button)
        row.addWidget(self.keep_button)
        column.addLayout(row)
        self.confirm_button.clicked.connect(self._confirm)
        self.keep_button.clicked.connect(self.hide)
        self._action: Callable[[], None] | None = None
        self.hide()

    def ask(self, question: str, action: Callable[[], None]) -> None:
        self.question.setText(question)
        self._action = action
        self.show()
        self.keep_button.setFocus()

    def dismiss(self) -> None:
        self._action = None
        self.hide()

    def _confirm(self) -> None:
        action, self._action = self._action, None
        self.hide()
        if action is not None:
            action()
