"""The desktop loop's Qt-free decisions: hotkey parsing and the per-app paste plan."""

from __future__ import annotations

import pytest

from rephraser.core.desktop.apps import CTRL_SHIFT_V, CTRL_U, CTRL_V, SHIFT_INSERT, PastePlan, paste_plan
from rephraser.core.desktop.keys import KeyCombo, parse_combo
from rephraser.core.desktop.ports import AppInfo
from rephraser.core.errors import ConfigError


@pytest.mark.parametrize(
    ("text", "combo"),
    [
        ("Ctrl+Alt+R", KeyCombo(("ctrl", "alt"), "r")),
        ("alt+ctrl+r", KeyCombo(("ctrl", "alt"), "r")),
        ("Super+Shift+F5", KeyCombo(("shift", "super"), "F5")),
        ("Control+Meta+Space", KeyCombo(("ctrl", "super"), "Space")),
    ],
)
def test_hotkeys_parse_in_canonical_order(text: str, combo: KeyCombo) -> None:
    assert combo == parse_combo(text)


def test_hotkeys_print_as_users_write_them() -> None:
    assert "Ctrl+Alt+R" == str(parse_combo("alt+ctrl+r"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("R", None),
        ("Hyper+R", 'hotkey = "Hyper+R": "Hyper" is not a modifier; use Ctrl, Alt, Shift or Super.'),
        ("Ctrl++", 'hotkey = "Ctrl++": write modifiers and a key joined by "+", e.g. "Ctrl+Alt+R".'),
    ],
)
def test_bad_hotkeys_name_the_setting(text: str, message: str | None) -> None:
    if message is None:
        assert KeyCombo((), "r") == parse_combo(text)
        return
    with pytest.raises(ConfigError) as caught:
        parse_combo(text)
    assert message == str(caught.value)


@pytest.mark.parametrize(
    ("app", "plan"),
    [
        (AppInfo("Mousepad", "mousepad"), PastePlan(False, False, CTRL_V, False, None, 1)),
        (AppInfo("Chromium", "chromium"), PastePlan(False, False, CTRL_V, False, None, 2)),
        (AppInfo("Google-chrome", "google-chrome"), PastePlan(False, False, CTRL_V, False, None, 2)),
        (AppInfo("Gedit", "gedit"), PastePlan(False, False, CTRL_V, False, None, 0)),
        (AppInfo("XTerm", "xterm"), PastePlan(True, True, SHIFT_INSERT, True, CTRL_U, 1)),
        (AppInfo("URxvt", "urxvt"), PastePlan(True, True, SHIFT_INSERT, True, CTRL_U, 1)),
        (AppInfo("Gnome-terminal", "gnome-terminal-server"), PastePlan(True, True, CTRL_SHIFT_V, False, CTRL_U)),
        (AppInfo("kitty", "kitty"), PastePlan(True, True, CTRL_SHIFT_V, False, CTRL_U)),
        (AppInfo("", ""), PastePlan(False, False, CTRL_V, False, None)),
    ],
)
def test_paste_plan_per_app(app: AppInfo, plan: PastePlan) -> None:
    assert plan == paste_plan(app)


def test_capture_setting_and_terminal_replace() -> None:
    assert paste_plan(AppInfo("Mousepad", "mousepad"), capture="primary").capture_primary
    assert not paste_plan(AppInfo("XTerm", "xterm"), capture="copy").capture_primary
    assert paste_plan(AppInfo("XTerm", "xterm"), terminal_replace=False).clear_line_first is None
