"""Hotkeys: a key-sequence recorder per hotkey, conflicts shown before saving, reset to default."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QKeySequenceEdit, QPushButton, QWidget

from rephraser.core.config.schema import Settings
from rephraser.core.desktop.keys import parse_combo
from rephraser.core.errors import ConfigError
from rephraser.desktop.settings.context import SettingsContext
from rephraser.desktop.settings.widgets import Page, add_row

__all__ = ["HOTKEY_SETTINGS", "HotkeysPage", "from_qt"]

HOTKEY_SETTINGS = (
    "hotkey",
    "hotkey_chat",
    "hotkey_code",
    "hotkey_image",
    "hotkey_multimodal",
    "hotkey_revert",
    "hotkey_describe",
)
_LABELS = (
    "&Rewrite selection:",
    "As c&hat:",
    "As cod&e:",
    "As &image:",
    "As &multimodal:",
    "Re&vert last rewrite:",
    "Image to &prompt:",
)


def from_qt(sequence: QKeySequence) -> str:
    """Qt's portable text ("Ctrl+Alt+R", "Meta+F5") in Rephraser's spelling ("Super" for Meta)."""
    return sequence.toString(QKeySequence.SequenceFormat.PortableText).replace("Meta+", "Super+")


class HotkeysPage(Page):
    def __init__(self, context: SettingsContext) -> None:
        super().__init__(context)
        form = QFormLayout(self)
        self.editors: dict[str, QKeySequenceEdit] = {}
        for name, label in zip(HOTKEY_SETTINGS, _LABELS, strict=True):
            editor = QKeySequenceEdit(QKeySequence(self.draft.value(name).replace("Super+", "Meta+")))
            editor.setMaximumSequenceLength(1)
            editor.setClearButtonEnabled(name != "hotkey")
            editor.keySequenceChanged.connect(lambda _seq, n=name: self.check_all(changed=n))
            self.editors[name] = editor
            add_row(self, form, label, name, editor)
        reset = QPushButton("Reset to &default")
        reset.clicked.connect(self.reset)
        row = QWidget()
        buttons = QHBoxLayout(row)
        buttons.addStretch(1)
        buttons.addWidget(reset)
        form.addRow(row)

    def reset(self) -> None:
        defaults = Settings()
        for name, editor in self.editors.items():
            editor.setKeySequence(QKeySequence(getattr(defaults, name)))
        self.check_all()

    def check_all(self, changed: str = "") -> None:
        """Validate every hotkey: syntax, duplicates inside Rephraser, then whether another program holds it."""
        combos: dict[str, str] = {}
        for name, editor in self.editors.items():
            text = from_qt(editor.keySequence())
            problem = self.draft.set(name, text)
            if problem is None and text:
                try:
                    combos[name] = str(parse_combo(text, name))
                except ConfigError as error:
                    problem = str(error)
                    self.draft.flag(name, problem)
            self.messages[name].show_problem(problem)
        for name, combo in combos.items():
            twins = [other for other, c in combos.items() if c == combo and other != name]
            problem = f"{combo} is also set for {', '.join(twins)}; give each action its own hotkey." if twins else None
            if problem is None and (name == changed or not changed):
                taken = self.context.probe_hotkey(combo)
                problem = f"{combo} is taken by another program ({taken}); choose another." if taken else None
            if problem or name == changed or not changed:
                self.draft.flag(name, problem)
                self.messages[name].show_problem(problem)
        self.changed.emit()
