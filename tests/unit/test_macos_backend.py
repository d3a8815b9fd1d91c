"""The macOS back-ends' logic against a simulated macOS (tests/helpers/macos_fake.py)."""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest

from rephraser.core.desktop.apps import CMD_C, CMD_V, CTRL_U, paste_plan
from rephraser.core.desktop.keys import KeyCombo, parse_combo
from rephraser.core.desktop.ports import AppInfo, ClipboardSnapshot, GrabFailure
from rephraser.platform.macos.autostart import LaunchAgentAutostart
from rephraser.platform.macos.backends import macos_backends
from rephraser.platform.macos.clipboard import MacClipboard, PasteboardError
from rephraser.platform.macos.focus import MacFocus
from rephraser.platform.macos.hotkeys import MacHotkeys
from rephraser.platform.macos.keys import ACCESSIBILITY_NOTICE, MacKeys, key_code
from tests.helpers.macos_fake import TEXT, FakeMacOS

CMD, SHIFT, OPTION, CONTROL = 0x0100, 0x0200, 0x0800, 0x1000
USER = [{TEXT: "mine ✓".encode(), "public.html": b"<b>mine</b>"}, {"public.png": b"\x89PNG"}]


def test_hotkeys_register_carbon_modifiers_and_a_press_names_its_hotkey() -> None:
    api = FakeMacOS()
    hotkeys = MacHotkeys(api)
    pressed: list[str] = []
    assert [] == hotkeys.grab(
        {"main": parse_combo("Ctrl+Alt+R"), "code": parse_combo("Super+Shift+F5")}, pressed.append
    )
    assert [("RegisterEventHotKey", 1, CONTROL | OPTION, 15), ("RegisterEventHotKey", 2, CMD | SHIFT, 96)] == api.calls
    api.press_hotkey(CMD | SHIFT, 96)
    assert ["code"] == pressed


def test_a_hotkey_another_program_holds_is_a_failure() -> None:
    api = FakeMacOS()
    api.taken.add((CONTROL | OPTION, 15))
    combo = parse_combo("Ctrl+Alt+R")
    assert [GrabFailure("main", combo, "another program already uses it")] == MacHotkeys(api).grab(
        {"main": combo}, print
    )


def test_keys_post_modifier_keys_and_flags_around_the_key() -> None:
    api = FakeMacOS()
    MacKeys(api).press(CMD_V)
    assert [[(55, False, 0x100000), (9, False, 0x100000), (9, True, 0x100000), (55, True, 0)]] == api.posted
    assert [0, 8, 9, 15, 53, 122] == [key_code(name) for name in ("a", "c", "v", "r", "Escape", "F1")]
    api.down = {56}
    assert MacKeys(api).keys_held()


def test_the_focused_app_is_its_bundle_identifier() -> None:
    api = FakeMacOS()
    assert AppInfo("com.apple.TextEdit", "TextEdit", "", 501) == MacFocus(api).focused_app()
    api.frontmost = ("", "", 0)
    assert AppInfo() == MacFocus(api).focused_app()


def test_mac_apps_copy_and_paste_with_command_and_terminals_clear_with_ctrl_u() -> None:
    editor = paste_plan(AppInfo("com.apple.TextEdit", "TextEdit"), command_key=True)
    terminal = paste_plan(AppInfo("com.apple.Terminal", "Terminal"), command_key=True)
    assert (False, CMD_C, CMD_V, None) == (editor.terminal, editor.copy_key, editor.paste_key, editor.clear_line_first)
    assert (True, False, CMD_C, CMD_V, CTRL_U) == (
        terminal.terminal,
        terminal.capture_primary,
        terminal.copy_key,
        terminal.paste_key,
        terminal.clear_line_first,
    )


def test_every_item_and_type_is_snapshotted_and_put_back() -> None:
    api = FakeMacOS()
    api.copy_by_other_app(USER)
    clipboard = MacClipboard(api)
    snapshot = clipboard.snapshot()
    assert {TEXT: USER[0][TEXT], "public.html": b"<b>mine</b>", "item 1: public.png": b"\x89PNG"} == dict(
        snapshot.formats
    )
    api.copy_by_other_app([{TEXT: b"selected"}])
    clipboard.restore(snapshot)
    assert USER == api.items
    assert (ClipboardSnapshot({}), "") == (clipboard.snapshot(primary=True), clipboard.text(primary=True))


def test_served_text_reports_the_apps_read_and_another_copy_after_the_paste_is_not_overwritten() -> None:
    api = FakeMacOS()
    clipboard = MacClipboard(api)
    snapshot = ClipboardSnapshot({TEXT: b"mine"})
    reads: list[str] = []
    clipboard.serve("the rewrite", False, lambda: reads.append("read"))
    assert ("the rewrite", ["read"]) == (api.read_text_by_other_app(), reads)
    clipboard.restore(snapshot)
    assert [{TEXT: b"mine"}] == api.items
    clipboard.serve("again", False, lambda: None)
    api.copy_by_other_app([{TEXT: b"the user copied this meanwhile"}])
    with pytest.raises(PasteboardError, match="another program copied something after the paste"):
        clipboard.restore(snapshot)
    assert [{TEXT: b"the user copied this meanwhile"}] == api.items


def test_changes_are_seen_on_the_pump_and_ours_are_not_reported() -> None:
    api = FakeMacOS()
    clipboard = MacClipboard(api)
    changes: list[str] = []
    clipboard.on_change(lambda: changes.append("changed"))
    clipboard.serve("ours", False, lambda: None)
    clipboard.pump()
    assert [] == changes
    api.copy_by_other_app([{TEXT: b"theirs"}])
    clipboard.pump()
    clipboard.pump()
    assert ["changed"] == changes


def test_a_refused_restore_is_a_clear_error() -> None:
    api = FakeMacOS()
    api.refuse_writes = True
    with pytest.raises(PasteboardError, match="refused the saved contents"):
        MacClipboard(api).restore(ClipboardSnapshot({TEXT: b"mine"}))


def test_without_accessibility_the_backends_say_what_to_do() -> None:
    api = FakeMacOS()
    api.trusted = False
    backends = macos_backends(api)
    assert ((ACCESSIBILITY_NOTICE,), True, False) == (backends.problems, backends.command_key, backends.preview_window)
    assert "System Settings > Privacy & Security > Accessibility" in ACCESSIBILITY_NOTICE
    assert () == macos_backends(FakeMacOS()).problems


def test_autostart_is_a_launch_agent_that_runs_at_login(tmp_path: Path) -> None:
    autostart = LaunchAgentAutostart(home=tmp_path, python="/usr/local/bin/python3")
    path = tmp_path / "Library" / "LaunchAgents" / "org.rephraser.Rephraser.plist"
    assert (False, str(path)) == (autostart.enabled(), autostart.enable())
    agent = plistlib.loads(path.read_bytes())
    assert (["/usr/local/bin/python3", "-m", "rephraser", "run"], True) == (
        agent["ProgramArguments"],
        agent["RunAtLoad"],
    )
    assert (True, str(path), None) == (autostart.enabled(), autostart.disable(), autostart.disable())


def test_a_key_macos_has_no_code_for_is_a_failure() -> None:
    failure = MacHotkeys(FakeMacOS()).grab_one("main", KeyCombo(("super",), "F24"))
    assert failure is not None and failure.reason.startswith('The key "F24" has no macOS key code')
