"""General: mode, default target, capture method, preview (by target too), fallback, start at login, pause
hotkeys, keep history."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLabel, QWidget

from rephraser.core.config.schema import PREVIEW_MODES, describe
from rephraser.core.targets import TARGET_CHOICES
from rephraser.desktop.settings.context import SettingsContext
from rephraser.desktop.settings.widgets import Page, add_row

__all__ = ["GeneralPage"]


class GeneralPage(Page):
    def __init__(self, context: SettingsContext) -> None:
        super().__init__(context)
        form = QFormLayout(self)
        self.mode = self._choices("mode", ("offline", "model"))
        add_row(self, form, "&Mode:", "mode", self.mode)
        self.default_target = self._choices("default_target", TARGET_CHOICES)
        add_row(self, form, "&Default target:", "default_target", self.default_target)
        self.capture = self._choices("capture", ("auto", "primary", "copy"))
        add_row(self, form, "Capt&ure:", "capture", self.capture)
        self.preview = self._choices("preview", PREVIEW_MODES)
        add_row(self, form, "Pre&view before paste:", "preview", self.preview)
        self.preview_by_target = {target: self._preview_for(target) for target in TARGET_CHOICES[1:]}
        form.addRow("Preview by target:", self._side_by_side(self.preview_by_target))
        self.fill = self._check("fill_placeholders", "F&ill the [placeholders] in the preview's editor")
        form.addRow(self.fill)
        self.fallback = self._check("fallback_to_offline", "&Fall back to the offline rewrite when the endpoint fails")
        form.addRow(self.fallback)
        self.paused = self._check("hotkeys_paused", "&Pause hotkeys")
        form.addRow(self.paused)
        self.history = self._check("history", "Keep a &history of rewrites (turning it off deletes it)")
        form.addRow(self.history)
        self.autostart = QCheckBox("Start at &login")
        self.autostart.setChecked(context.autostart_enabled())
        self.autostart.toggled.connect(lambda _on: self.changed.emit())
        form.addRow(self.autostart)

    def _choices(self, name: str, values: tuple[str, ...]) -> QComboBox:
        combo = QComboBox()
        combo.addItems(list(values))
        combo.setCurrentText(self.draft.value(name))
        combo.currentTextChanged.connect(lambda text: self.report(name, self.draft.set(name, text)))
        return combo

    def _preview_for(self, target: str) -> QComboBox:
        """One target's preview: "as above" (the preview setting), or a mode of its own."""
        name = f"preview_{target}"
        combo = QComboBox()
        combo.addItem("as above", "")
        for mode in PREVIEW_MODES:
            combo.addItem(mode, mode)
        combo.setCurrentIndex(max(0, combo.findData(self.draft.value(name))))
        info = describe(name)
        combo.setToolTip(info.description if info else "")
        combo.currentIndexChanged.connect(lambda _i: self.report(name, self.draft.set(name, combo.currentData())))
        return combo

    @staticmethod
    def _side_by_side(combos: dict[str, QComboBox]) -> QWidget:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        for target, combo in combos.items():
            label = QLabel(target)
            label.setBuddy(combo)
            row.addWidget(label)
            row.addWidget(combo)
        row.addStretch(1)
        return holder

    def _check(self, name: str, text: str) -> QCheckBox:
        box = QCheckBox(text)
        info = describe(name)
        box.setToolTip(info.description if info else "")
        box.setChecked(bool(self.draft.value(name)))
        box.toggled.connect(lambda on: self.report(name, self.draft.set(name, on)))
        return box
