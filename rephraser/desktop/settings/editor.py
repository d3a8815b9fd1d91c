"""A template editor: line numbers, Jinja2 highlighting in the palette's colours, a marked error line."""

from __future__ import annotations

import re

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPainter,
    QPalette,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

__all__ = ["JinjaHighlighter", "TemplateEditor"]

_IN_COMMENT = 1
_RULES = (
    (re.compile(r"\{#.*?#\}"), "comment"),
    (re.compile(r"\{%-?.*?-?%\}"), "statement"),
    (re.compile(r"\{\{-?.*?-?\}\}"), "expression"),
)


class JinjaHighlighter(QSyntaxHighlighter):
    """Colours {{ expressions }}, {% statements %} and {# comments #} from the palette (light or dark)."""

    def __init__(self, editor: QPlainTextEdit) -> None:
        super().__init__(editor.document())
        self._editor = editor

    def highlightBlock(self, text: str) -> None:
        palette = self._editor.palette()
        formats = {
            "comment": _format(palette.color(QPalette.ColorRole.PlaceholderText), italic=True),
            "statement": _format(palette.color(QPalette.ColorRole.Link), bold=True),
            "expression": _format(palette.color(QPalette.ColorRole.LinkVisited)),
        }
        start = 0
        self.setCurrentBlockState(0)
        if self.previousBlockState() == _IN_COMMENT:  # a {# comment #} that spans lines
            end = text.find("#}")
            if end < 0:
                self.setFormat(0, len(text), formats["comment"])
                self.setCurrentBlockState(_IN_COMMENT)
                return
            self.setFormat(0, end + 2, formats["comment"])
            start = end + 2
        for pattern, kind in _RULES:
            for match in pattern.finditer(text, start):
                self.setFormat(match.start(), match.end() - match.start(), formats[kind])
        opening = text.rfind("{#", start)
        if opening >= 0 and text.find("#}", opening) < 0:
            self.setFormat(opening, len(text) - opening, formats["comment"])
            self.setCurrentBlockState(_IN_COMMENT)


def _format(color: QColor, bold: bool = False, italic: bool = False) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setForeground(color)
    if bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    fmt.setFontItalic(italic)
    return fmt


class _LineNumbers(QWidget):
    def __init__(self, editor: TemplateEditor) -> None:
        super().__init__(editor)
        self._editor = editor

    def sizeHint(self) -> QSize:
        return QSize(self._editor.number_width(), 0)

    def paintEvent(self, event: object) -> None:
        self._editor.paint_numbers(self, event)


class TemplateEditor(QPlainTextEdit):
    """QPlainTextEdit with a line-number margin, Jinja2 colours and `mark_line()` for errors."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setTabChangesFocus(True)  # keyboard users can leave the editor with Tab
        self._numbers = _LineNumbers(self)
        self.highlighter = JinjaHighlighter(self)
        self.blockCountChanged.connect(lambda _count: self._update_margin())
        self.updateRequest.connect(self._scroll_numbers)
        self._update_margin()
        self.marked_line: int | None = None

    def number_width(self) -> int:
        digits = len(str(max(1, self.blockCount())))
        return 10 + self.fontMetrics().horizontalAdvance("9") * digits

    def mark_line(self, line: int | None) -> None:
        """Highlight a 1-based line (an error's), or clear the mark."""
        self.marked_line = line
        selections = []
        if line is not None and 1 <= line <= self.blockCount():
            selection = QTextEdit.ExtraSelection()
            color = self.palette().color(QPalette.ColorRole.Highlight)
            color.setAlpha(60)
            selection.format.setBackground(color)
            selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            cursor = self.textCursor()
            cursor.setPosition(self.document().findBlockByNumber(line - 1).position())
            selection.cursor = cursor
            selections.append(selection)
        self.setExtraSelections(selections)

    def paint_numbers(self, widget: QWidget, event: object) -> None:
        painter = QPainter(widget)
        painter.fillRect(event.rect(), self.palette().color(QPalette.ColorRole.AlternateBase))  # type: ignore[attr-defined]
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        while block.isValid() and top <= event.rect().bottom():  # type: ignore[attr-defined]
            height = round(self.blockBoundingRect(block).height())
            painter.drawText(
                0, top, widget.width() - 4, height, Qt.AlignmentFlag.AlignRight, str(block.blockNumber() + 1)
            )
            block = block.next()
            top += height
        painter.end()

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        rect = self.contentsRect()
        self._numbers.setGeometry(QRect(rect.left(), rect.top(), self.number_width(), rect.height()))

    def _update_margin(self) -> None:
        self.setViewportMargins(self.number_width(), 0, 0, 0)

    def _scroll_numbers(self, rect: QRect, dy: int) -> None:
        if dy:
            self._numbers.scroll(0, dy)
        else:
            self._numbers.update(0, rect.y(), self._numbers.width(), rect.height())
