"""`rephraser shortcut install | remove` on GNOME, through the real gsettings and GNOME's own schema
(gnome-settings-daemon-common), on a keyfile backend in a temporary folder; the user's own custom
shortcuts stay."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from rephraser.core.desktop.keys import parse_combo
from rephraser.platform.shortcuts import install, remove, shortcuts

pytestmark = pytest.mark.wayland

USERS = "/org/gnome/settings-daemon/plugins/media-keys/custom-keybindings/custom0/"
LIST = ("org.gnome.settings-daemon.plugins.media-keys", "custom-keybindings")
BINDING = "org.gnome.settings-daemon.plugins.media-keys.custom-keybinding:"


@pytest.fixture
def gsettings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GSETTINGS_BACKEND", "keyfile")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    _run("set", *LIST, f"['{USERS}']")
    _run("set", BINDING + USERS, "command", "gnome-terminal")
    return tmp_path


def _run(*command: str) -> str:
    return subprocess.run(
        ["gsettings", *command], capture_output=True, text=True, check=True, timeout=30
    ).stdout.strip()


def test_gnome_gets_custom_keybindings_and_keeps_the_users(gsettings: Path) -> None:
    wanted = shortcuts({"main": parse_combo("Ctrl+Alt+R"), "image": parse_combo("Super+I")}, python="/usr/bin/python3")
    lines = install("gnome", wanted, gsettings)
    main = "/org/gnome/settings-daemon/plugins/media-keys/custom-keybindings/rephraser-main/"
    image = "/org/gnome/settings-daemon/plugins/media-keys/custom-keybindings/rephraser-image/"
    assert f"['{USERS}', '{main}', '{image}']" == _run("get", *LIST)
    assert ("'Rephraser: main'", "'/usr/bin/python3 -m rephraser hotkey main'", "'<Control><Alt>r'") == tuple(
        _run("get", BINDING + main, key) for key in ("name", "command", "binding")
    )
    assert "'<Super>i'" == _run("get", BINDING + image, "binding")
    assert "GNOME: Ctrl+Alt+R runs /usr/bin/python3 -m rephraser hotkey main" == lines[0]
    install("gnome", wanted, gsettings)  # again: replaced, not doubled
    assert f"['{USERS}', '{main}', '{image}']" == _run("get", *LIST)
    assert ["GNOME: removed 2 shortcut(s)"] == remove("gnome", gsettings)
    assert (f"['{USERS}']", "''", "'gnome-terminal'") == (
        _run("get", *LIST),
        _run("get", BINDING + main, "command"),
        _run("get", BINDING + USERS, "command"),
    )
