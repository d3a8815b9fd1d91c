"""Another X11 client for the tests: owns the CLIPBOARD with several formats, or reads it back.

python clipboard_tool.py own   < JSON {format: base64}   (prints "ready", serves until stdin closes)
python clipboard_tool.py read FORMAT...                  (prints JSON {format: base64})
"""

from __future__ import annotations

import base64
import json
import os
import sys

os.environ["QT_QPA_PLATFORM"] = "xcb"

from PySide6.QtCore import QByteArray, QMimeData, QSocketNotifier, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication


def own() -> int:
    formats = {name: base64.b64decode(data) for name, data in json.loads(sys.stdin.readline()).items()}
    app = QGuiApplication(sys.argv[:1])
    data = QMimeData()
    for name, payload in formats.items():
        data.setData(name, QByteArray(payload))
    app.clipboard().setMimeData(data, QClipboard.Mode.Clipboard)
    print("ready", flush=True)
    watcher = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    watcher.activated.connect(app.quit)  # stdin closed: the test is done with us
    return int(app.exec())


def read(names: list[str]) -> int:
    app = QGuiApplication(sys.argv[:1])
    result: dict[str, str] = {}

    def fetch() -> None:
        data = app.clipboard().mimeData(QClipboard.Mode.Clipboard)
        for name in names:
            if data is not None and data.hasFormat(name):
                result[name] = base64.b64encode(bytes(data.data(name).data())).decode()
        print(json.dumps(result), flush=True)
        app.quit()

    QTimer.singleShot(0, fetch)
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(own() if sys.argv[1] == "own" else read(sys.argv[2:]))
