"""The Windows back-ends' logic against a simulated Windows (tests/helpers/win32_fake.py): the Win32 calls
they make, in order, and what they make of the answers."""

from __future__ import annotations

import pytest

from rephraser.core.desktop.apps import CTRL_INSERT, CTRL_U, ESCAPE, SHIFT_INSERT, paste_plan
from rephraser.core.desktop.keys import KeyCombo, parse_combo
from rephraser.core.desktop.ports import AppInfo, ClipboardSnapshot, GrabFailure
from rephraser.platform.windows.autostart import RunKeyAutostart
from rephraser.platform.windows.backends import windows_backends
from rephraser.platform.windows.clipboard import ClipboardBusyError, WindowsClipboard
from rephraser.platform.windows.focus import WindowsFocus
from rephraser.platform.windows.hotkeys import WindowsHotkeys
from rephraser.platform.windows.keys import WindowsKeys, virtual_key
from rephraser.platform.windows.messages import MessageWindow
from rephraser.platform.windows.win32 import CF_UNICODETEXT
from tests.helpers.win32_fake import FakeWin32

CTRL, ALT, SHIFT, NO_REPEAT = 0x0002, 0x0001, 0x0004, 0x4000
HTML, PNG = 0xC001, 0xC002
USER = {CF_UNICODETEXT: "mine ✓".encode("utf-16-le") + b"\0\0", HTML: b"<b>mine</b>", PNG: b"\x89PNG", 2: b"bitmap"}


def rig() -> tuple[FakeWin32, MessageWindow]:
    api = FakeWin32()
    return api, MessageWindow(api)


def test_hotkeys_register_with_no_repeat_and_a_press_names_its_hotkey() -> None:
    api, messages = rig()
    hotkeys = WindowsHotkeys(api, messages)
    pressed: list[str] = []
    failures = hotkeys.grab({"main": parse_combo("Ctrl+Alt+R"), "code": parse_combo("Ctrl+Alt+F5")}, pressed.append)
    assert [] == failures
    assert [
        ("RegisterHotKey", 1, CTRL | ALT | NO_REPEAT, 0x52),
        ("RegisterHotKey", 2, CTRL | ALT | NO_REPEAT, 0x74),
    ] == [call for call in api.calls if call[0] == "RegisterHotKey"]
    api.press_hotkey(CTRL | ALT, 0x74)
    api.deliver()
    assert ["code"] == pressed


def test_a_hotkey_another_program_holds_is_a_failure_and_release_frees_ours() -> None:
    api, messages = rig()
    api.taken.add((CTRL | ALT, 0x52))
    hotkeys = WindowsHotkeys(api, messages)
    combo = parse_combo("Ctrl+Alt+R")
    assert [GrabFailure("main", combo, "another program already uses it")] == hotkeys.grab({"main": combo}, print)
    assert None is hotkeys.grab_one("cancel", KeyCombo((), "Escape"))
    hotkeys.release("cancel")
    assert ({}, ("UnregisterHotKey", 2)) == (api.hotkeys, api.calls[-1])


def test_a_key_windows_has_no_code_for_is_a_failure_not_a_crash() -> None:
    api, messages = rig()
    combo = KeyCombo(("ctrl",), "XF86AudioPlay")
    failure = WindowsHotkeys(api, messages).grab_one("main", combo)
    assert failure is not None and failure.reason.startswith('The key "XF86AudioPlay" has no Windows key code')


def test_keys_press_modifiers_around_the_key_in_one_send_input() -> None:
    api = FakeWin32()
    WindowsKeys(api).press(KeyCombo(("ctrl", "shift"), "v"))
    assert [[(0x11, False), (0x10, False), (0x56, False), (0x56, True), (0x10, True), (0x11, True)]] == api.sent
    assert (0x2D, 0x1B, 0x70, 0x87) == (
        virtual_key("Insert"),
        virtual_key("Escape"),
        virtual_key("F1"),
        virtual_key("F24"),
    )


def test_held_keys_are_any_keyboard_key_but_not_the_mouse_buttons() -> None:
    api = FakeWin32()
    keys = WindowsKeys(api)
    api.down = {0x01}  # the left mouse button
    assert not keys.keys_held()
    api.down = {0x12}
    assert keys.keys_held()


def test_the_focused_app_is_the_executable_and_the_window_class() -> None:
    api = FakeWin32()
    api.foreground = (0x300, "CASCADIA_HOSTING_WINDOW_CLASS", "PowerShell", r"C:\Program Files\WT\WindowsTerminal.exe")
    app = WindowsFocus(api).focused_app()
    assert AppInfo("WindowsTerminal", "CASCADIA_HOSTING_WINDOW_CLASS", "PowerShell", 0x300) == app
    api.foreground = (0, "", "", "")
    assert AppInfo() == WindowsFocus(api).focused_app()


def test_windows_terminals_copy_with_ctrl_insert_and_paste_with_shift_insert() -> None:
    terminal = paste_plan(AppInfo("WindowsTerminal", "CASCADIA_HOSTING_WINDOW_CLASS"))
    assert (True, False, CTRL_INSERT, SHIFT_INSERT, ESCAPE) == (
        terminal.terminal,
        terminal.capture_primary,
        terminal.copy_key,
        terminal.paste_key,
        terminal.clear_line_first,
    )
    assert CTRL_U == paste_plan(AppInfo("mintty", "mintty")).clear_line_first
    assert None is paste_plan(AppInfo("conhost", "ConsoleWindowClass"), terminal_replace=False).clear_line_first


def test_the_snapshot_keeps_every_memory_format_by_name_and_restores_it_byte_for_byte() -> None:
    api, messages = rig()
    api.copy_by_other_program(USER)
    clipboard = WindowsClipboard(api, messages)
    snapshot = clipboard.snapshot()
    assert {"CF_UNICODETEXT": USER[CF_UNICODETEXT], "HTML Format": USER[HTML], "image/png": USER[PNG]} == dict(
        snapshot.formats
    )  # CF_BITMAP (2) is a GDI handle: Windows makes it again from CF_DIB
    assert "mine ✓" == clipboard.text()
    api.copy_by_other_program(api.text_formats("selected"))
    clipboard.restore(snapshot)
    assert {CF_UNICODETEXT: USER[CF_UNICODETEXT], HTML: USER[HTML], PNG: USER[PNG]} == api.formats
    assert (ClipboardSnapshot({}), "") == (clipboard.snapshot(primary=True), clipboard.text(primary=True))


def test_served_text_is_rendered_when_the_app_reads_it_and_the_read_is_reported() -> None:
    api, messages = rig()
    clipboard = WindowsClipboard(api, messages)
    reads: list[str] = []
    clipboard.serve("the rewrite", False, lambda: reads.append("read"))
    assert {CF_UNICODETEXT: None} == api.formats  # announced only: delayed rendering
    assert [("SetClipboardData", CF_UNICODETEXT, None)] == [c for c in api.calls if c[0] == "SetClipboardData"]
    assert "the rewrite".encode("utf-16-le") + b"\0\0" == api.read_by_other_program()
    assert ["read"] == reads
    api.read_by_other_program()  # Windows keeps the rendered data: a second read asks no one
    assert ["read"] == reads


def test_only_another_programs_change_is_reported() -> None:
    api, messages = rig()
    clipboard = WindowsClipboard(api, messages)
    changes: list[str] = []
    clipboard.on_change(lambda: changes.append("changed"))
    clipboard.serve("ours", False, lambda: None)
    clipboard.restore(ClipboardSnapshot({"CF_UNICODETEXT": b"x\0"}))
    api.deliver()
    assert [] == changes
    api.copy_by_other_program(api.text_formats("theirs"))
    api.deliver()
    assert ["changed"] == changes


def test_a_clipboard_held_open_is_retried_then_a_clear_error() -> None:
    api, messages = rig()
    clipboard = WindowsClipboard(api, messages)
    api.busy_opens = 3
    assert ClipboardSnapshot({}) == clipboard.snapshot()  # the fourth try opened it
    api.busy_opens = 100
    with pytest.raises(ClipboardBusyError, match="Another program keeps the clipboard open"):
        clipboard.restore(ClipboardSnapshot({}))


def test_at_exit_a_text_still_waiting_to_be_rendered_is_rendered_and_windows_keeps_it() -> None:
    api, messages = rig()
    clipboard = WindowsClipboard(api, messages)
    clipboard.serve("pending", False, lambda: None)
    handover = clipboard.keep_after_exit()
    clipboard.let_go()
    assert ("system", {CF_UNICODETEXT: "pending".encode("utf-16-le") + b"\0\0"}, set()) == (
        handover.how,
        api.formats,
        api.listeners,
    )


def test_the_backends_share_one_message_window_and_close_it() -> None:
    api = FakeWin32()
    backends = windows_backends(api)
    assert (None, False, False) == (backends.event_fd, backends.preview_window, backends.clipboard is None)
    backends.close()
    assert [("CreateWindowEx", 0x200), ("DestroyWindow", 0x200)] == [c for c in api.calls if "Window" in c[0]]


class DictRegistry:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def read(self, name: str) -> str | None:
        return self.values.get(name)

    def write(self, name: str, value: str) -> None:
        self.values[name] = value

    def delete(self, name: str) -> bool:
        return self.values.pop(name, None) is not None


def test_autostart_is_a_run_key_value_that_starts_pythonw() -> None:
    registry = DictRegistry()
    autostart = RunKeyAutostart(registry, python=r"C:\Program Files\Python312\python.exe")
    where = r"HKEY_CURRENT_USER\Software\Microsoft\Windows\CurrentVersion\Run\Rephraser"
    assert (False, where) == (autostart.enabled(), autostart.enable())
    assert {"Rephraser": r'"C:\Program Files\Python312\pythonw.exe" -m rephraser run'} == registry.values
    assert (True, where, None, False) == (
        autostart.enabled(),
        autostart.disable(),
        autostart.disable(),
        autostart.enabled(),
    )
