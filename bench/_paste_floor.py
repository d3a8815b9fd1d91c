"""The app-free floor for one copy/paste round trip, for `bench/desktop.py`: XTest Ctrl+C, wait for the
clipboard's new owner, serve the same text, XTest paste key, wait until the app reads it.

    python bench/_paste_floor.py RUNS primary|copy   (on a display, with the target app focused)

Prints the median round trip in ms.
"""

from __future__ import annotations

import statistics
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtGui import QClipboard, QGuiApplication

from rephraser.core.desktop.apps import CTRL_C, CTRL_V, SHIFT_INSERT
from rephraser.core.desktop.keys import KeyCombo
from rephraser.desktop.clipboard import ServedText
from rephraser.platform import select_desktop_backends

SELECT_ALL = KeyCombo(("ctrl",), "a")


class Floor:
    def __init__(self, app: QGuiApplication, runs: int, primary: bool) -> None:
        self.app, self.runs, self.primary = app, runs, primary
        self.keys = select_desktop_backends().keys
        self.clipboard = app.clipboard()
        self.mode = QClipboard.Mode.Selection if primary else QClipboard.Mode.Clipboard
        self.samples: list[float] = []
        self.started = 0.0
        self.awaiting_copy = False
        self.awaiting_read = False
        self.served: ServedText | None = None
        self.clipboard.dataChanged.connect(self.changed)

    def prepare(self) -> None:
        if len(self.samples) == self.runs:
            print(round(statistics.median(self.samples) * 1000, 1), flush=True)
            self.app.quit()
            return
        if not self.primary:
            self.keys.press(SELECT_ALL)  # the previous paste replaced the selection: select again (untimed)
        QTimer.singleShot(150, self.start)

    def start(self) -> None:
        self.started = time.perf_counter()
        if self.primary:
            self.paste()  # terminals: the selection already sits in PRIMARY
        else:
            self.awaiting_copy = True
            self.keys.press(CTRL_C)

    def changed(self) -> None:
        if self.awaiting_copy and not self.clipboard.ownsClipboard():
            self.awaiting_copy = False
            self.paste()

    def paste(self) -> None:
        self.served = ServedText(self.clipboard.text(self.mode) or "x", self.read)
        self.awaiting_read = True
        self.clipboard.setMimeData(self.served, self.mode)
        self.keys.press(SHIFT_INSERT if self.primary else CTRL_V)

    def read(self) -> None:
        if self.awaiting_read:
            self.awaiting_read = False
            self.samples.append(time.perf_counter() - self.started)
            QTimer.singleShot(100, self.prepare)


if __name__ == "__main__":
    qt = QGuiApplication(sys.argv[:1])
    floor = Floor(qt, int(sys.argv[1]), sys.argv[2] == "primary")
    QTimer.singleShot(300, floor.prepare)
    sys.exit(qt.exec())
