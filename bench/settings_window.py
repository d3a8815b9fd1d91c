"""Opening the settings window: from the tray's "Settings..." to the first paint, median of 10 (on its own
Xvfb; the goal is under 300 ms). Figures, not verdicts.

Run: python bench/settings_window.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile

from _timing import REPO

sys.path.insert(0, str(REPO))

RUNS = 10

_CHILD = r"""
import statistics, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
from rephraser.composition import build_core
from rephraser.desktop.settings.launch import make_context
from rephraser.desktop.settings.window import SettingsWindow

class Painted(QObject):
    def __init__(self):
        super().__init__()
        self.at = None
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and self.at is None:
            self.at = time.perf_counter()
        return False

samples = []
for _ in range(int(sys.argv[1]) + 1):
    started = time.perf_counter()  # the tray's "Settings..." action runs DesktopApp.open_settings: this
    window = SettingsWindow(make_context(build_core(), lambda combo: "", lambda: ""))
    painted = Painted()
    window.installEventFilter(painted)
    window.present()
    while painted.at is None:
        app.processEvents()
    samples.append(painted.at - started)
    window.close()
    window.deleteLater()
    app.processEvents()
print(round(statistics.median(samples[1:]) * 1000, 1), round(samples[0] * 1000, 1))
"""


def main() -> None:
    from tests.e2e.xserver import start_x_server

    server = start_x_server()
    try:
        env = {**server.env, "REPHRASER_CONFIG_DIR": tempfile.mkdtemp(prefix="rephraser-bench-")}
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(RUNS)], env=env, capture_output=True, text=True, check=False, timeout=300
        )
        if done.returncode:
            raise SystemExit(f"the measuring process failed:\n{done.stderr[-2000:]}")
        out = done.stdout.split()
    finally:
        server.stop()
    median, first = float(out[0]), float(out[1])
    print(f"settings window, tray click to first paint, median of {RUNS}: {median:.1f} ms (goal < 300 ms)")
    print(f"  the very first opening in a process (imports included): {first:.1f} ms")


if __name__ == "__main__":
    main()
