"""Take the README's screenshots from the real windows, on a private Xvfb: the settings window's Templates
and History pages, and the preview before paste at 1x and 2x scale.

Run: python docs/screenshot.py   (writes docs/settings-templates.png, docs/settings-history.png,
docs/preview.png and docs/preview@2x.png; tests/e2e/test_screenshots.py runs it into a temporary folder)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHOTS = ("settings-templates", "settings-history", "preview", "preview@2x")

_CHILD = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
shot, output = sys.argv[1], sys.argv[2]
sys.path.insert(0, sys.argv[3])
from rephraser.composition import build_core, build_history
from rephraser.core.history import HistoryEntry
from tests.helpers.fakes import MemorySecretStore

core = build_core()


def settings_window(page):
    from rephraser.desktop.settings.context import SettingsContext
    from rephraser.desktop.settings.window import SettingsWindow

    history = build_history(core.config.settings)
    for original, rewrite, target in (
        ("tips for sleep", "Give me 5 practical tips for better sleep for [audience], as a numbered list.", "chat"),
        ("fix my regex it matches too much", "Fix this regular expression: it matches too much. [regex]", "code"),
        ("cat astronaut moon cool", "A cat astronaut on the moon, cinematic lighting, wide shot --ar 16:9", "image"),
    ):
        history.add(HistoryEntry(original, rewrite, target, target, "model", "Mousepad"))
    window = SettingsWindow(SettingsContext(core, MemorySecretStore(), history=history))
    window.resize(1100, 720)
    if page == "templates":
        window.tabs.setCurrentWidget(window.templates)
        window.templates.open("image-midjourney")
        window.templates.sample.setPlainText("cat astronaut on the moon, watercolor, 16:9, no text")
        window.templates.refresh_preview()
    else:
        window.tabs.setCurrentWidget(window.history)
    window.present()
    return window


def preview_window():
    from rephraser.core.desktop.preview import preview_choices
    from rephraser.core.requests import RewriteRequest
    from rephraser.desktop.preview import PreviewWindow

    original = "tips for sleep, im a nurse on night shifts"
    offline = core.rewriter.offline(RewriteRequest(original, target="chat"))
    model = offline._replace(
        text="You are a sleep coach. Give me 5 practical tips for better sleep as a nurse on night shifts, "
        "as a numbered list, each under [word count] words.",
        mode="model",
        template="chat-claude",
    )
    window = PreviewWindow()
    window.offer(preview_choices(original, model, offline.text, True), lambda *_: None, lambda: None)
    return window


window = preview_window() if shot.startswith("preview") else settings_window(shot.split("-")[1])
QTimer.singleShot(800, lambda: (window.grab().save(output), app.quit()))
app.exec()
"""


def take(folder: Path, env: dict[str, str]) -> list[Path]:
    """Every screenshot into `folder`, each from a fresh process (the scale is fixed per process)."""
    written = []
    for shot in SHOTS:
        output = folder / f"{shot}.png"
        scale = {"QT_SCALE_FACTOR": "2"} if shot.endswith("@2x") else {}
        config = tempfile.mkdtemp(prefix="rephraser-shot-")
        child_env = {**env, **scale, "REPHRASER_CONFIG_DIR": config}
        subprocess.run(
            [sys.executable, "-c", _CHILD, shot, str(output), str(REPO)], env=child_env, check=True, timeout=120
        )
        written.append(output)
    return written


def main() -> None:
    sys.path.insert(0, str(REPO))
    from tests.e2e.xserver import start_x_server

    server = start_x_server()
    try:
        for path in take(REPO / "docs", server.env):
            print(path)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
