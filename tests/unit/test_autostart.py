from __future__ import annotations

import sys
from pathlib import Path

from tests.conftest import run_cli


def test_autostart_on_and_off(config_dir: Path, tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    entry = tmp_path / "xdg" / "autostart" / "rephraser.desktop"
    out = run_cli("autostart", "on", env=env)
    assert (0, f"Rephraser will start at login ({entry}).\n") == (out.returncode, out.stdout)
    lines = entry.read_text(encoding="utf-8").splitlines()
    assert "[Desktop Entry]" == lines[0]
    assert f"Exec={sys.executable} -m rephraser run" in lines
    assert "X-GNOME-Autostart-enabled=true" in lines
    assert f"Rephraser will not start at login (removed {entry}).\n" == run_cli("autostart", "off", env=env).stdout
    assert not entry.exists()
    assert "Autostart was already off.\n" == run_cli("autostart", "off", env=env).stdout
