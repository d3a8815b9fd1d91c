"""`rephraser shortcut install | remove` for KDE, sway and Hyprland (files in a temporary home; GNOME's
gsettings run for real in tests/wayland/test_shortcuts_gnome.py), and which desktop a session is."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from rephraser.core.desktop.keys import parse_combo
from rephraser.platform.shortcuts import Shortcut, detect_desktop, install, remove, shortcuts
from tests.conftest import run_cli

WANTED = shortcuts(
    {"main": parse_combo("Ctrl+Alt+R"), "code": parse_combo("Super+Shift+F5")}, python="/usr/bin/python3"
)


def test_each_hotkey_runs_rephraser_hotkey_name() -> None:
    assert [
        Shortcut("main", parse_combo("Ctrl+Alt+R"), "/usr/bin/python3 -m rephraser hotkey main"),
        Shortcut("code", parse_combo("Super+Shift+F5"), "/usr/bin/python3 -m rephraser hotkey code"),
    ] == WANTED


def test_the_desktop_comes_from_the_session() -> None:
    assert ["hyprland", "sway", "kde", "gnome", "gnome", "other"] == [
        detect_desktop({"HYPRLAND_INSTANCE_SIGNATURE": "x", "XDG_CURRENT_DESKTOP": "Hyprland"}),
        detect_desktop({"SWAYSOCK": "/run/sway.sock"}),
        detect_desktop({"XDG_CURRENT_DESKTOP": "KDE"}),
        detect_desktop({"XDG_CURRENT_DESKTOP": "ubuntu:GNOME"}),
        detect_desktop({"XDG_CURRENT_DESKTOP": "Unity"}),
        detect_desktop({"XDG_CURRENT_DESKTOP": "XFCE"}),
    ]


def test_kde_gets_the_entry_that_lets_kwin_take_our_keys_and_loses_the_old_launchers(tmp_path: Path) -> None:
    """KWin grants fake input by the client's executable: the entry's command is the real interpreter."""
    rc = tmp_path / ".config" / "kglobalshortcutsrc"
    rc.parent.mkdir(parents=True)
    rc.write_text(
        "[kwin]\nWindow Close=Alt+F4,Alt+F4,Close Window\n\n[services][rephraser-main.desktop]\n_launch=Ctrl+Alt+R\n",
        encoding="utf-8",
    )
    applications = tmp_path / ".local" / "share" / "applications"
    applications.mkdir(parents=True)
    (applications / "rephraser-main.desktop").write_text("[Desktop Entry]\n", encoding="utf-8")
    lines = install("kde", WANTED, tmp_path)
    entry = applications / "io.github.rephraser.Rephraser.desktop"
    interpreter = os.path.realpath(sys.executable)
    assert (
        "[Desktop Entry]\nType=Application\nName=Rephraser\nComment=Rewrite the selected text as a good prompt\n"
        f"Exec={interpreter} -m rephraser run\nIcon=rephraser\nNoDisplay=true\n"
        "X-KDE-Wayland-Interfaces=org_kde_kwin_fake_input\n"
    ) == entry.read_text(encoding="utf-8")
    assert ["io.github.rephraser.Rephraser.desktop"] == sorted(p.name for p in applications.iterdir())
    assert "[kwin]\nWindow Close=Alt+F4,Alt+F4,Close Window\n" == rc.read_text(encoding="utf-8")
    assert (
        "KDE: the running Rephraser registers its hotkeys with Plasma: Ctrl+Alt+R (main), Shift+Meta+F5 (code); "
        "change them in System Settings > Shortcuts."
    ) == lines[1]
    assert ["KDE: removed io.github.rephraser.Rephraser.desktop"] == remove("kde", tmp_path)
    assert not entry.exists()


def test_sway_gets_a_config_d_file_and_the_include_it_needs(tmp_path: Path) -> None:
    config = tmp_path / ".config" / "sway" / "config"
    config.parent.mkdir(parents=True)
    config.write_text("set $mod Mod4\n", encoding="utf-8")
    written = tmp_path / ".config" / "sway" / "config.d" / "rephraser"
    assert [
        f"sway: wrote {written}",
        f"Add this line to {config}: include {written.parent}/*",
        "Then reload sway (Mod+Shift+C, or `swaymsg reload`).",
    ] == install("sway", WANTED, tmp_path)
    assert [
        "bindsym Ctrl+Mod1+r exec /usr/bin/python3 -m rephraser hotkey main",
        "bindsym Shift+Mod4+F5 exec /usr/bin/python3 -m rephraser hotkey code",
    ] == written.read_text(encoding="utf-8").splitlines()[1:]
    assert ([f"removed {written}"], False) == (remove("sway", tmp_path), written.exists())


def test_hyprland_gets_a_sourced_file_and_the_source_line_once(tmp_path: Path) -> None:
    config = tmp_path / ".config" / "hypr" / "hyprland.conf"
    config.parent.mkdir(parents=True)
    config.write_text("monitor=,preferred,auto,1", encoding="utf-8")
    install("hyprland", WANTED, tmp_path)
    install("hyprland", WANTED, tmp_path)
    ours = tmp_path / ".config" / "hypr" / "rephraser.conf"
    assert f"monitor=,preferred,auto,1\nsource = {ours}\n" == config.read_text(encoding="utf-8")
    assert [
        "bind = CTRL ALT, r, exec, /usr/bin/python3 -m rephraser hotkey main",
        "bind = SHIFT SUPER, F5, exec, /usr/bin/python3 -m rephraser hotkey code",
    ] == ours.read_text(encoding="utf-8").splitlines()[1:]


def test_elsewhere_the_steps_are_printed(tmp_path: Path) -> None:
    assert [
        "This desktop's shortcut settings cannot be written from here. In its keyboard settings, add:",
        "  a custom shortcut Ctrl+Alt+R that runs: /usr/bin/python3 -m rephraser hotkey main",
        "  a custom shortcut Shift+Super+F5 that runs: /usr/bin/python3 -m rephraser hotkey code",
    ] == install("other", WANTED, tmp_path)


def test_the_command_installs_the_configured_hotkeys(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text('hotkey_revert = "Ctrl+Alt+Z"\n', encoding="utf-8")
    env = {"REPHRASER_CONFIG_DIR": str(config), "HOME": str(tmp_path)}
    done = run_cli("shortcut", "install", "--desktop", "sway", env=env)
    assert (0, "") == (done.returncode, done.stderr)
    written = (tmp_path / ".config" / "sway" / "config.d" / "rephraser").read_text(encoding="utf-8")
    assert ["bindsym Ctrl+Mod1+r exec", "bindsym Ctrl+Mod1+z exec"] == [
        " ".join(line.split()[:3]) for line in written.splitlines()[1:]
    ]
    assert written.splitlines()[2].endswith("-m rephraser hotkey revert")
