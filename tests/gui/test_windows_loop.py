"""The real job and controller on the Windows back-ends over a simulated Windows (tests/helpers/win32_fake.py):
the exact calls a rewrite makes, a held modifier, a cancel, a restore that fails, a terminal."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from rephraser.composition import Core, build_core
from rephraser.core.requests import RewriteRequest
from rephraser.desktop.controller import Controller, Ports
from rephraser.desktop.eventlog import EventLog
from rephraser.desktop.job import Timing
from rephraser.platform.windows.backends import windows_backends
from rephraser.platform.windows.win32 import CF_UNICODETEXT
from tests.helpers.desktop_fakes import SlowModel
from tests.helpers.win32_fake import FakeWin32

CTRL, ALT = 0x11, 0x12
HTML, PNG = 0xC001, 0xC002
USER = {CF_UNICODETEXT: "mine ✓".encode("utf-16-le") + b"\0\0", HTML: b"<b>mine</b>", PNG: b"\x89PNG\r\n"}
FAST = Timing(keys_poll=1, copy_deadline=200, restore_quiet=20, restore_deadline=1000)
NOTEPAD = (0x100, "Notepad", "notes.txt - Notepad", r"C:\Windows\System32\notepad.exe")
TERMINAL = (0x300, "CASCADIA_HOSTING_WINDOW_CLASS", "PowerShell", r"C:\Program Files\WT\WindowsTerminal.exe")


class WindowsApp:
    """A target app on the simulated Windows: its selected text, copied on its copy key, replaced by what it
    reads from the clipboard on its paste key (a moment later, as a real app's message loop does)."""

    def __init__(self, api: FakeWin32, text: str, copy: tuple[int, ...], paste: tuple[int, ...]) -> None:
        self.api, self.text, self._copy, self._paste = api, text, copy, paste
        self.cleared = 0
        api.on_keys = self._keys

    def _keys(self, strokes: list[tuple[int, bool]]) -> None:
        pressed = tuple(key for key, up in strokes if not up)
        if pressed == self._copy and self.text:
            self.api.copy_by_other_program(self.api.text_formats(self.text))
        elif pressed == self._paste:
            QTimer.singleShot(5, self._read_paste)
        elif pressed == (0x1B,):
            self.cleared += 1

    def _read_paste(self) -> None:
        data = self.api.read_by_other_program()
        self.text = data.decode("utf-16-le").rstrip("\0") if data else self.text


class Rig:
    def __init__(
        self, core: Core, text: str, window: tuple[int, str, str, str] = NOTEPAD, model: object = None
    ) -> None:
        self.api = FakeWin32(schedule=lambda deliver: QTimer.singleShot(0, deliver))
        self.api.foreground = window
        self.api.copy_by_other_program(USER)
        terminal = window is TERMINAL
        copy, paste = ((CTRL, 0x2D), (0x10, 0x2D)) if terminal else ((CTRL, 0x43), (CTRL, 0x56))
        self.app = WindowsApp(self.api, text, copy, paste)
        backends = windows_backends(self.api)
        assert backends.clipboard is not None
        settings = core.config.settings._replace(mode="model" if model else "offline")
        self.core = core
        self.controller = Controller(
            settings,
            Ports(backends.hotkeys, backends.keys, backends.focus, backends.clipboard),
            core.rewriter.offline,
            lambda: model,  # type: ignore[arg-type, return-value]
            EventLog(json_lines=True, stream=io.StringIO()),
            FAST,
        )
        self.notices: list[str] = []
        self.outcomes: list[str] = []
        self.controller.notice.connect(self.notices.append)
        self.controller.job_finished.connect(self.outcomes.append)
        assert [] == self.controller.grab_hotkeys()
        self.api.calls.clear()

    def press_hotkey(self) -> None:
        self.api.press_hotkey(0x0002 | 0x0001, 0x52)  # Ctrl+Alt+R

    def offline(self, text: str) -> str:
        return self.core.rewriter.offline(RewriteRequest(text, app_class=self.api.foreground[3][-11:-4])).text

    def clipboard_calls(self) -> list[str]:
        names = {"OpenClipboard", "EmptyClipboard", "SetClipboardData", "CloseClipboard"}
        return [
            call[0] if call[0] != "SetClipboardData" else f"Set {call[1]:#x}"
            for call in self.api.calls
            if call[0] in names
        ]


@pytest.fixture
def core(config_dir: Path) -> Core:
    return build_core(config_dir)


def test_a_rewrite_in_notepad_makes_exactly_these_calls(qtbot: QtBot, core: Core) -> None:
    rig = Rig(core, "tips for sleep")
    rig.press_hotkey()
    qtbot.waitUntil(lambda: rig.outcomes != [], timeout=10_000)
    assert ["pasted"] == rig.outcomes
    assert (rig.offline("tips for sleep"), USER) == (rig.app.text, rig.api.formats)
    ctrl_c = [(CTRL, False), (0x43, False), (0x43, True), (CTRL, True)]
    ctrl_v = [(CTRL, False), (0x56, False), (0x56, True), (CTRL, True)]
    assert [ctrl_c, ctrl_v] == rig.api.sent
    assert [
        "OpenClipboard",  # the snapshot of the user's clipboard
        "CloseClipboard",
        "OpenClipboard",  # the copied selection, read after WM_CLIPBOARDUPDATE
        "CloseClipboard",
        "OpenClipboard",  # the rewrite announced for delayed rendering
        "EmptyClipboard",
        "Set 0xd",
        "CloseClipboard",
        "Set 0xd",  # rendered on WM_RENDERFORMAT while notepad reads it
        "OpenClipboard",  # after notepad's read: every format of the user's back
        "EmptyClipboard",
        "Set 0xd",
        f"Set {HTML:#x}",
        f"Set {PNG:#x}",
        "CloseClipboard",
    ] == rig.clipboard_calls()
    assert [] == rig.notices


def test_a_held_modifier_delays_every_key_until_it_is_up(qtbot: QtBot, core: Core) -> None:
    rig = Rig(core, "tips for sleep")
    rig.api.down = {CTRL}  # the user still holds Ctrl after the hotkey
    sent_before_release: list[int] = []

    def release() -> None:
        sent_before_release.append(len(rig.api.sent))
        rig.api.down.clear()

    QTimer.singleShot(150, release)
    rig.press_hotkey()
    qtbot.waitUntil(lambda: rig.outcomes != [], timeout=10_000)
    assert (["pasted"], [0], 2) == (rig.outcomes, sent_before_release, len(rig.api.sent))
    assert rig.offline("tips for sleep") == rig.app.text


def test_the_hotkey_again_cancels_and_puts_every_format_back(qtbot: QtBot, core: Core) -> None:
    model = SlowModel()
    rig = Rig(core, "tips for sleep", model=model)
    rig.press_hotkey()
    qtbot.waitUntil(lambda: model.calls == 1, timeout=10_000)
    rig.press_hotkey()
    qtbot.waitUntil(lambda: rig.outcomes != [], timeout=10_000)
    model.release.set()
    assert (["cancelled"], "tips for sleep", USER, 1) == (
        rig.outcomes,
        rig.app.text,
        rig.api.formats,
        len(rig.api.sent),
    )


def test_a_restore_that_fails_says_so_once(qtbot: QtBot, core: Core) -> None:
    rig = Rig(core, "tips for sleep")
    original_read = rig.app._read_paste

    def read_then_hold_the_clipboard() -> None:
        original_read()
        rig.api.busy_opens = 1000  # another program keeps the clipboard open from now on

    rig.app._read_paste = read_then_hold_the_clipboard  # type: ignore[method-assign]
    rig.press_hotkey()
    qtbot.waitUntil(lambda: rig.outcomes != [], timeout=10_000)
    assert ["pasted"] == rig.outcomes
    assert rig.offline("tips for sleep") == rig.app.text
    assert [
        "Could not put your clipboard back (ClipboardBusyError: Another program keeps the clipboard open; your "
        "text and clipboard are unchanged. Try again.)."
    ] == rig.notices


def test_windows_terminal_copies_with_ctrl_insert_clears_with_esc_and_pastes_with_shift_insert(
    qtbot: QtBot, core: Core
) -> None:
    rig = Rig(core, "git undo last commit keep changes", window=TERMINAL)
    rig.press_hotkey()
    qtbot.waitUntil(lambda: rig.outcomes != [], timeout=10_000)
    assert ["pasted"] == rig.outcomes
    assert [
        [(CTRL, False), (0x2D, False), (0x2D, True), (CTRL, True)],
        [(0x1B, False), (0x1B, True)],
        [(0x10, False), (0x2D, False), (0x2D, True), (0x10, True)],
    ] == rig.api.sent
    assert (1, USER) == (rig.app.cleared, rig.api.formats)
