"""The tray app's core: the config at once, the rewriter built once on first use, from any thread."""

from __future__ import annotations

import threading
from pathlib import Path

from rephraser.composition import Core, load_config
from rephraser.core.requests import RewriteRequest
from rephraser.desktop.app import CoreOnDemand


def test_the_rewriter_is_built_once_whichever_threads_ask_first(config_dir: Path) -> None:
    (config_dir / "config.toml").write_text('hotkey = "Ctrl+Alt+P"\n', encoding="utf-8")
    core = CoreOnDemand(load_config(config_dir))
    assert "Ctrl+Alt+P" == core.config.settings.hotkey
    got: list[Core] = []
    start = threading.Barrier(8)

    def ask() -> None:
        start.wait()
        got.append(core.get())

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert 8 == len(got)
    assert 1 == len({id(built) for built in got})
    request = RewriteRequest("hello there")
    assert got[0].rewriter.offline(request).text == core.offline(request).text
