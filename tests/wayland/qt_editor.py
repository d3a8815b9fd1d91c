"""A native Wayland Qt target app for the tests: one text box holding the second argument, all selected;
every change is written to the file named first (the tests read the box from there), and `ready` is
printed once the box has the focus. A file `<first>.set` appearing replaces the text, all selected (the
tests' way to type a new line)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QPlainTextEdit


def main() -> int:
    app = QApplication(sys.argv[:1])
    out = Path(sys.argv[1])
    editor = QPlainTextEdit()
    editor.setWindowTitle("rephraser wayland test editor")
    editor.setPlainText(sys.argv[2] if len(sys.argv) > 2 else "")
    editor.selectAll()
    editor.textChanged.connect(lambda: out.write_text(editor.toPlainText(), encoding="utf-8"))
    out.write_text(editor.toPlainText(), encoding="utf-8")
    editor.show()

    def report_focus() -> None:
        if editor.hasFocus() and editor.isActiveWindow():
            print("ready", flush=True)
        else:
            QTimer.singleShot(50, report_focus)

    QTimer.singleShot(0, report_focus)
    replacement = out.with_name(out.name + ".set")

    def take_replacement() -> None:
        if replacement.exists():
            editor.setPlainText(replacement.read_text(encoding="utf-8"))
            editor.selectAll()
            replacement.unlink()

    poll = QTimer()
    poll.timeout.connect(take_replacement)
    poll.start(20)
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
