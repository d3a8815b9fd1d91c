"""Apps: per-app rules (app class pattern -> target, template, family, detection strength, rewrite strength,
preview), with the last app seen."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from rephraser.core.config.schema import APP_RULE_STRENGTHS, PREVIEW_MODES, REWRITE_STRENGTHS
from rephraser.core.targets import TARGET_CHOICES
from rephraser.desktop.settings.context import SettingsContext
from rephraser.desktop.settings.widgets import FieldMessage, Page

__all__ = ["AppsPage"]

_COLUMNS = ("match", "target", "template", "family", "strength", "rewrite_strength", "preview")
_CHOICES = {
    "target": ("", *TARGET_CHOICES),
    "strength": APP_RULE_STRENGTHS,
    "rewrite_strength": ("", *REWRITE_STRENGTHS),  # "": the rewrite_strength setting
    "preview": ("", *PREVIEW_MODES),  # "": the preview settings
}


class AppsPage(Page):
    def __init__(self, context: SettingsContext) -> None:
        super().__init__(context)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Rules are checked in order; the first whose pattern matches the app's class applies."))
        self.table = QTableWidget(0, len(_COLUMNS))
        self.table.setHorizontalHeaderLabels(
            ["App class (regex)", "Target", "Template", "Family", "Strength", "Rewrite strength", "Preview"]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.itemChanged.connect(lambda _item: self.collect())
        layout.addWidget(self.table)
        self.message = FieldMessage()
        self.messages["app_rules"] = self.message
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        add = QPushButton("A&dd rule")
        add.clicked.connect(lambda: self.add_rule(""))
        remove = QPushButton("&Remove rule")
        remove.clicked.connect(self.remove_selected)
        self.suggestion = QPushButton()
        self.suggestion.clicked.connect(lambda: self.add_rule(f"^{context.last_app()}$"))
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        buttons.addWidget(self.suggestion)
        layout.addLayout(buttons)
        for rule in self.draft.value("app_rules"):
            self._append(rule._asdict())
        self.refresh_suggestion()

    def refresh_suggestion(self) -> None:
        last = self.context.last_app()
        self.suggestion.setText(f"Add a rule for the last app seen: {last}" if last else "")
        self.suggestion.setVisible(bool(last))

    def add_rule(self, match: str) -> None:
        self._append({"match": match, "strength": "strong"})
        self.collect()

    def remove_selected(self) -> None:
        for row in sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)
        self.collect()

    def collect(self) -> None:
        rules = [
            {name: self._cell(row, column) for column, name in enumerate(_COLUMNS)}
            for row in range(self.table.rowCount())
        ]
        self.report("app_rules", self.draft.set_rules(rules))

    def _append(self, rule: dict[str, str]) -> None:
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        for column, name in enumerate(_COLUMNS):
            if name in _CHOICES:
                combo = QComboBox()
                combo.addItems(list(_CHOICES[name]))
                combo.setCurrentText(rule.get(name, ""))
                combo.currentTextChanged.connect(lambda _text: self.collect())
                self.table.setCellWidget(row, column, combo)
            else:
                self.table.setItem(row, column, QTableWidgetItem(rule.get(name, "")))
        self.table.blockSignals(False)

    def _cell(self, row: int, column: int) -> str:
        widget = self.table.cellWidget(row, column)
        if isinstance(widget, QComboBox):
            return widget.currentText()
        item = self.table.item(row, column)
        return item.text().strip() if item else ""
