"""The preview before paste: a small frameless window near the mouse that shows the rewrite as it streams
in, then a word diff against the original, the target and template used and the checks that fired.

Keys: Enter pastes, Esc cancels, Tab switches between the model's and the offline rewrite (when both
exist), E edits; in the editor Tab moves between the [placeholder] fields and the text, Ctrl+Enter
pastes the edit. The buttons do the same with the mouse.

It never takes the keyboard focus from the user's app (X11). The window is override-redirect (a
ToolTip: no window manager gives it the focus, a click does not activate it), and while it waits for a
decision it holds an active keyboard grab: every key comes to it while the app keeps the input focus,
and Qt, told of the grab by a FocusIn, treats the window as active, so its editor and fields take keys
and Tab. The paste then goes to the app, which never lost the focus. Where the grab cannot be had
(another program holds the keyboard) the mouse still works.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QColor, QCursor, QGuiApplication, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from rephraser.core.desktop.preview import PreviewChoices
from rephraser.core.placeholders import fill_placeholders, placeholders
from rephraser.core.word_diff import word_diff

__all__ = ["EDITED", "PreviewWindow"]

EDITED = -1  # the index `on_paste` gets for the editor's text
_GRAB_RETRY_MS = 50
_GRAB_TRIES = 20  # a second: another program's grab (a menu held open) is usually gone by then
_WIDTH_CHARS = 72
_VIEW_LINES = 14

OnPaste = Callable[[str, int], None]


class PreviewWindow(QFrame):
    """The preview's window, reused from job to job (see the module docstring)."""

    def __init__(self) -> None:
        names = QtCore.Qt
        super().__init__(
            None,
            names.WindowType.ToolTip | names.WindowType.FramelessWindowHint | names.WindowType.WindowStaysOnTopHint,
        )
        self.setObjectName("rephraser-preview")
        self.setWindowTitle("Rephraser preview")
        self.setAttribute(names.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(names.FocusPolicy.StrongFocus)
        self.setStyleSheet("#rephraser-preview { border: 1px solid palette(mid); border-radius: 6px; }")
        self.header = QLabel()
        self.checks = QLabel()
        self.checks.setWordWrap(True)
        self.view = QTextBrowser()
        self.view.setFocusPolicy(names.FocusPolicy.NoFocus)
        self.editor = QPlainTextEdit()
        self.editor.setTabChangesFocus(True)
        self.fields = QWidget()
        self._form = QFormLayout(self.fields)
        self._form.setContentsMargins(0, 0, 0, 0)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.buttons = {name: QPushButton(text) for name, text in _BUTTONS}
        self._layout(names)
        self._on_paste: OnPaste | None = None
        self._on_cancel: Callable[[], None] | None = None
        self._choices: PreviewChoices | None = None
        self._index = 0
        self._field_edits: dict[str, QLineEdit] = {}
        self._grab_tries = 0
        self.keyboard_taken = False
        self._grab_timer = QTimer(self)
        self._grab_timer.setSingleShot(True)
        self._grab_timer.timeout.connect(self._take_keyboard)
        self.editor.installEventFilter(self)

    def _layout(self, names: type[QtCore.Qt]) -> None:
        column = QVBoxLayout(self)
        column.setContentsMargins(10, 8, 10, 8)
        for widget in (self.header, self.checks, self.view, self.fields, self.editor, self.hint):
            column.addWidget(widget)
        row = QHBoxLayout()
        row.addStretch(1)
        for name, button in self.buttons.items():
            button.setFocusPolicy(names.FocusPolicy.NoFocus)
            button.clicked.connect(getattr(self, f"_{name}_clicked"))
            row.addWidget(button)
        column.addLayout(row)
        metrics = self.fontMetrics()
        self.view.setMinimumWidth(_WIDTH_CHARS * metrics.averageCharWidth())
        self.view.setMinimumHeight(_VIEW_LINES * metrics.lineSpacing() // 2)
        self.editor.setMinimumHeight(_VIEW_LINES * metrics.lineSpacing() // 2)

    # -- what the job calls --------------------------------------------------------------------------

    def show_status(self, text: str) -> None:
        """Before the rewrite has text: what is happening (reading the selection, asking the model)."""
        self._reset()
        self.header.setText(text)
        self.view.setPlainText("")
        self.hint.setText("Esc cancels.")
        self._show_near_mouse()

    def show_streaming(self, text: str) -> None:
        """The model's text so far, as it streams in."""
        self.header.setText("The model is writing...")
        self.view.setPlainText(text)
        bar = self.view.verticalScrollBar()
        bar.setValue(bar.maximum())
        if not self.isVisible():
            self._show_near_mouse()

    def offer(self, choices: PreviewChoices, on_paste: OnPaste, on_cancel: Callable[[], None]) -> None:
        """The finished rewrite(s): wait for Enter (paste), Esc (cancel), Tab (switch) or E (edit)."""
        self._reset()
        self._choices, self._on_paste, self._on_cancel = choices, on_paste, on_cancel
        self.buttons["switch"].setVisible(len(choices.options) > 1)
        for name in ("paste", "edit"):
            self.buttons[name].setVisible(True)
        self._show_option(0)
        self._show_near_mouse()
        self.setFocus()
        self._grab_tries = 0
        self._take_keyboard()

    def close_preview(self) -> None:
        """Hide the window and let the keyboard go (the job ended, whichever way)."""
        self._on_paste = self._on_cancel = None
        self._release_keyboard()
        self.hide()

    @property
    def editing(self) -> bool:
        return self.editor.isVisible()

    @property
    def option_index(self) -> int:
        return self._index

    @property
    def current_text(self) -> str:
        """The text Enter would paste now ("" before an offer)."""
        return self._choices.options[self._index].text if self._choices is not None else ""

    # -- keys -------------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        # Tab would move the focus before keyPressEvent sees it; in the view it switches the rewrite.
        if event.type() == QEvent.Type.KeyPress and not self.editing and isinstance(event, QKeyEvent):
            self.keyPressEvent(event)
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = QtCore.Qt.Key
        pressed = event.key()
        if pressed == key.Key_Escape:
            self._cancel_clicked()
        elif self._choices is None:
            return
        elif pressed in (key.Key_Return, key.Key_Enter):
            self._paste_clicked()
        elif pressed in (key.Key_Tab, key.Key_Backtab):
            self._switch_clicked()
        elif pressed == key.Key_E and not event.modifiers() & ~QtCore.Qt.KeyboardModifier.KeypadModifier:
            self._edit_clicked()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """In the editor and the fields: Ctrl+Enter pastes the edit, Esc cancels."""
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = QtCore.Qt.Key
        if event.key() == key.Key_Escape:
            self._cancel_clicked()
            return True
        control = event.modifiers() & QtCore.Qt.KeyboardModifier.ControlModifier
        if event.key() in (key.Key_Return, key.Key_Enter) and (control or isinstance(watched, QLineEdit)):
            self._paste_clicked()
            return True
        return False

    # -- the decisions ----------------------------------------------------------------------------

    def _paste_clicked(self) -> None:
        on_paste, choices = self._on_paste, self._choices
        if on_paste is None or choices is None:
            return
        if self.editing:
            values = {name: edit.text() for name, edit in self._field_edits.items()}
            text, index = fill_placeholders(self.editor.toPlainText(), values), EDITED
        else:
            text, index = choices.options[self._index].text, self._index
        self.close_preview()
        on_paste(text, index)

    def _cancel_clicked(self) -> None:
        on_cancel = self._on_cancel
        self.close_preview()
        if on_cancel is not None:
            on_cancel()

    def _switch_clicked(self) -> None:
        if self._choices is not None and len(self._choices.options) > 1 and not self.editing:
            self._show_option((self._index + 1) % len(self._choices.options))

    def _edit_clicked(self) -> None:
        choices = self._choices
        if choices is None or self.editing:
            return
        text = choices.options[self._index].text
        self.editor.setPlainText(text)
        self.view.hide()
        self.editor.show()
        self._make_fields(placeholders(text) if choices.fill_placeholders else [])
        self.buttons["edit"].hide()
        self.buttons["switch"].hide()
        fields = ", Tab moves between fields." if self._field_edits else "."
        self.hint.setText(f"Ctrl+Enter pastes, Esc cancels{fields}")
        first = next(iter(self._field_edits.values()), None)
        (first or self.editor).setFocus()
        self.adjustSize()

    # -- the machinery ------------------------------------------------------------------------------

    def _show_option(self, index: int) -> None:
        assert self._choices is not None
        self._index = index
        choices, option = self._choices, self._choices.options[index]
        self.header.setText(f"{option.label} · {choices.target} · {choices.template}")
        checks = f"Checks: {', '.join(choices.checks)}" if choices.checks else ""
        notes = [note for note in (option.note, checks) if note]
        self.checks.setText("\n".join(notes))
        self.checks.setVisible(bool(notes))
        self.view.setHtml(diff_html(choices.original, option.text, self.palette()))
        keys = ["Enter pastes", "Esc cancels"]
        if len(choices.options) > 1:
            keys.append(f"Tab: {choices.options[(index + 1) % len(choices.options)].label.lower()}")
        fills = choices.fill_placeholders and placeholders(option.text)
        keys.append("E edits and fills the [placeholders]" if fills else "E edits")
        self.hint.setText(" · ".join(keys))

    def _make_fields(self, names: list[str]) -> None:
        for name in names:
            edit = QLineEdit()
            edit.setPlaceholderText("leave empty to keep it as written")
            edit.installEventFilter(self)
            self._form.addRow(QLabel(f"[{name}]"), edit)
            self._field_edits[name] = edit
        self.fields.setVisible(bool(names))

    def _reset(self) -> None:
        self._choices = None
        self._index = 0
        while self._form.rowCount():
            self._form.removeRow(0)
        self._field_edits = {}
        self.fields.hide()
        self.editor.hide()
        self.view.show()
        self.checks.hide()
        for button in self.buttons.values():
            button.setVisible(button is self.buttons["cancel"])

    def _show_near_mouse(self) -> None:
        self.adjustSize()
        position = QCursor.pos()
        screen = QGuiApplication.screenAt(position) or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        size = self.sizeHint().boundedTo(area.size())
        self.resize(size)
        x = min(max(position.x() + 16, area.left()), area.right() - size.width())
        y = position.y() + 16
        if y + size.height() > area.bottom():
            y = max(area.top(), position.y() - 16 - size.height())
        self.move(x, y)
        self.show()  # a ToolTip that stays on top: above the app without raise()

    def _take_keyboard(self) -> None:
        handle = self.windowHandle()
        if handle is None or self._on_paste is None:
            return
        self.keyboard_taken = handle.setKeyboardGrabEnabled(True)
        if self.keyboard_taken:
            return
        self._grab_tries += 1
        if self._grab_tries < _GRAB_TRIES:
            self._grab_timer.start(_GRAB_RETRY_MS)
        else:
            self.hint.setText("Another program holds the keyboard: click Paste or Cancel.")

    def _release_keyboard(self) -> None:
        self._grab_timer.stop()
        handle = self.windowHandle()
        if self.keyboard_taken and handle is not None:
            handle.setKeyboardGrabEnabled(False)
        self.keyboard_taken = False


_BUTTONS = (("switch", "&Switch"), ("edit", "&Edit"), ("cancel", "Cancel"), ("paste", "&Paste"))


def diff_html(original: str, rewrite: str, palette: QPalette) -> str:
    """The rewrite as rich text: added words on a tint of the highlight colour, removed ones struck out."""
    base = palette.color(QPalette.ColorRole.Base)
    added = _blend(base, palette.color(QPalette.ColorRole.Highlight), 0.3).name()
    removed = palette.color(QPalette.ColorRole.PlaceholderText).name()
    parts = []
    segments = word_diff(original, rewrite)
    for number, segment in enumerate(segments):
        text = html.escape(segment.text)
        if segment.kind == "added":
            parts.append(f'<span style="background-color:{added}">{text}</span>')
        elif segment.kind == "removed":
            following = segments[number + 1].text if number + 1 < len(segments) else " "
            gap = "" if segment.text[-1:].isspace() or following[:1].isspace() else " "  # "~~im~~ as", not "~~im~~as"
            parts.append(f'<s style="color:{removed}">{text}</s>{gap}')
        else:
            parts.append(text)
    return f'<div style="white-space:pre-wrap">{"".join(parts)}</div>'


def _blend(under: QColor, over: QColor, amount: float) -> QColor:
    return QColor(
        round(under.red() + (over.red() - under.red()) * amount),
        round(under.green() + (over.green() - under.green()) * amount),
        round(under.blue() + (over.blue() - under.blue()) * amount),
    )
