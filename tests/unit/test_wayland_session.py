"""Which Wayland desktop runs, and the pieces of the KDE and GNOME back-ends that need no compositor: the
portal's trigger syntax, which shortcuts count as held, whether GNOME holds our shortcuts (KWin itself:
tests/wayland/test_kwin_loop.py; GNOME's portals: tests/wayland/test_gnome_portals.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rephraser.core.desktop.keys import parse_combo
from rephraser.platform import DesktopUnavailableError, select_desktop_backends, wayland_desktop
from rephraser.platform.shortcuts import ShortcutError, gnome_shortcuts_installed
from rephraser.platform.wayland.global_shortcuts import HeldShortcuts, xdg_trigger

WAYLAND = {"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}


def test_the_desktop_is_read_from_the_session_variables() -> None:
    assert ["sway", "kde", "gnome", "hyprland", "other", "", ""] == [
        wayland_desktop({**WAYLAND, "SWAYSOCK": "/run/sway.sock", "XDG_CURRENT_DESKTOP": "sway"}),
        wayland_desktop({**WAYLAND, "XDG_CURRENT_DESKTOP": "KDE"}),
        wayland_desktop({**WAYLAND, "XDG_CURRENT_DESKTOP": "ubuntu:GNOME"}),
        wayland_desktop({**WAYLAND, "HYPRLAND_INSTANCE_SIGNATURE": "abc", "XDG_CURRENT_DESKTOP": "Hyprland"}),
        wayland_desktop({**WAYLAND, "XDG_CURRENT_DESKTOP": "COSMIC"}),
        wayland_desktop({"XDG_SESSION_TYPE": "x11", "DISPLAY": ":0", "XDG_CURRENT_DESKTOP": "KDE"}),
        wayland_desktop({"XDG_SESSION_TYPE": "wayland", "XDG_CURRENT_DESKTOP": "KDE"}),  # no display to reach
    ]


def test_kde_without_a_compositor_to_reach_is_one_clear_error(tmp_path: Path) -> None:
    environ = {**WAYLAND, "XDG_CURRENT_DESKTOP": "KDE", "XDG_RUNTIME_DIR": str(tmp_path)}
    with pytest.raises(DesktopUnavailableError) as raised:
        select_desktop_backends(environ)
    assert str(raised.value).startswith(f"No Wayland compositor answers on {tmp_path}/wayland-0 (")
    assert str(raised.value).endswith("Rephraser needs KWin's data-control protocol (Plasma 5.27+).")


def test_gnome_without_a_session_bus_is_one_clear_error() -> None:
    with pytest.raises(DesktopUnavailableError) as raised:
        select_desktop_backends({**WAYLAND, "XDG_CURRENT_DESKTOP": "GNOME"})
    assert (
        "No session D-Bus (DBUS_SESSION_BUS_ADDRESS is not set). On GNOME, Rephraser works through the desktop portal."
        == str(raised.value)
    )


def test_gnome_holds_our_shortcuts_when_its_custom_list_names_one() -> None:
    lists = {
        "ours": "['/org/gnome/settings-daemon/plugins/media-keys/custom-keybindings/rephraser-main/']",
        "theirs": "['/org/gnome/settings-daemon/plugins/media-keys/custom-keybindings/custom0/']",
        "empty": "@as []",
    }

    def broken(_command: list[str]) -> str:
        raise ShortcutError("gsettings is missing")

    found = {name: gnome_shortcuts_installed(lambda _command, listed=listed: listed) for name, listed in lists.items()}
    assert {"ours": True, "theirs": False, "empty": False} == found
    assert gnome_shortcuts_installed(broken) is False


def test_combinations_are_written_in_the_portals_trigger_syntax() -> None:
    assert ["CTRL+ALT+r", "SHIFT+LOGO+F5", "CTRL+space"] == [
        xdg_trigger(parse_combo("ctrl+alt+r")),
        xdg_trigger(parse_combo("super+shift+F5")),
        xdg_trigger(parse_combo("ctrl+space")),
    ]


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_shortcut_is_held_from_activated_to_deactivated_and_its_repeats_are_not_presses() -> None:
    clock = Clock()
    held = HeldShortcuts(clock)
    assert (False, True) == (held.held(), held.pressed("main"))
    clock.now += 0.7
    assert (False, True) == (held.pressed("main"), held.held())  # the key's repeat
    held.released("main")
    assert (False, True) == (held.held(), held.pressed("main"))


def test_a_shortcut_whose_deactivated_got_lost_counts_as_released_once_its_repeats_stop() -> None:
    clock = Clock()
    held = HeldShortcuts(clock)
    held.pressed("chat")
    clock.now += 1.4
    assert (True, False) == (held.held("chat"), held.held("main"))
    clock.now += 0.2
    assert (False, True) == (held.held(), held.pressed("chat"))
