"""Take the README's screenshot of the settings window's Templates page from the real window, on a private
Xvfb. Run: python docs/screenshot.py   (writes docs/settings-templates.png)"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "docs" / "settings-templates.png"

_CHILD = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
from rephraser.composition import build_core
from rephraser.desktop.settings.context import SettingsContext
from rephraser.desktop.settings.window import SettingsWindow
sys.path.insert(0, sys.argv[2])
from tests.helpers.fakes import MemorySecretStore

window = SettingsWindow(SettingsContext(build_core(), MemorySecretStore()))
window.resize(1100, 720)
window.tabs.setCurrentWidget(window.templates)
window.templates.open("image-midjourney")
window.templates.sample.setPlainText("cat astronaut on the moon, watercolor, 16:9, no text")
window.templates.refresh_preview()
window.present()
QTimer.singleShot(600, lambda: (window.grab().save(sys.argv[1]), app.quit()))
app.exec()
"""


def main() -> None:
    sys.path.insert(0, str(REPO))
    from tests.e2e.xserver import start_x_server

    server = start_x_server()
    try:
        env = {**server.env, "REPHRASER_CONFIG_DIR": tempfile.mkdtemp(prefix="rephraser-shot-")}
        subprocess.run([sys.executable, "-c", _CHILD, str(OUTPUT), str(REPO)], env=env, check=True, timeout=120)
    finally:
        server.stop()
    print(OUTPUT)


if __name__ == "__main__":
    main()
