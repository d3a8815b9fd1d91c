"""The real job and controller on the macOS back-ends over a simulated macOS (tests/helpers/macos_fake.py):
the exact calls a rewrite makes, a held modifier, a cancel, a copy after the paste that the restore keeps."""

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
from rephraser.platform.macos.backends import macos_backends
from tests.helpers.desktop_fakes import SlowModel
from tests.helpers.macos_fake import TEXT, FakeMacOS

COMMAND, FLAG = 55, 0x100000
USER = [{TEXT: "mine ✓".encode(), "public.html": b"<b>mine</b>"}, {"public.png": b"\x89PNG"}]
FAST = Timing(keys_poll=1, copy_deadline=300, restore_quiet=20, restore_deadline=1000)


class MacApp:
    """A target app: copies its selected text on Command+C, reads the pasteboard a moment after Command+V."""

    def __init__(self, api: FakeMacOS, text: str) -> None:
        self.api, self.text = api, text
        self.after_paste = lambda: None
        api.on_keys = self._keys

    def _keys(self, strokes: list[tuple[int, bool, int]]) -> None:
        key, _up, flags = strokes[1]
        if flags & FLAG and key == 8:  # c
            self.api.copy_by_other_app([{TEXT: self.text.encode()}])
        elif flags & FLAG and key == 9:  # v
            QTimer.singleShot(5, self._paste)

    def _paste(self) -> None:
        self.text = self.api.read_text_by_other_app()
        self.after_paste()


class Rig:
    def __init__(self, core: Core, text: str, model: object = None) -> None:
        self.api = FakeMacOS()
        self.api.copy_by_other_app(USER)
        self.app = MacApp(self.api, text)
        backends = macos_backends(self.api)
        assert backends.clipboard is not None
        self.pump = QTimer()
        self.pump.timeout.connect(backends.pump)  # as the app's pump timer does
        self.pump.start(10)
        settings = core.config.settings._replace(mode="model" if model else "offline")
        self.core = core
        self.controller = Controller(
            settings,
            Ports(backends.hotkeys, backends.keys, backends.focus, backends.clipboard, backends.command_key),
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
        self.api.press_hotkey(0x1000 | 0x0800, 15)  # Ctrl+Option+R

    def offline(self, text: str) -> str:
        return self.core.rewriter.offline(RewriteRequest(text, app_class="com.apple.TextEdit")).text


@pytest.fixture
def core(config_dir: Path) -> Core:
    return build_core(config_dir)


def test_a_rewrite_in_textedit_makes_exactly_these_calls(qtbot: QtBot, core: Core) -> None:
    rig = Rig(core, "tips for sleep")
    rig.press_hotkey()
    qtbot.waitUntil(lambda: rig.outcomes != [], timeout=10_000)
    assert (["pasted"], rig.offline("tips for sleep"), USER, []) == (
        rig.outcomes,
        rig.app.text,
        rig.api.items,
        rig.notices,
    )
    command_c = [(COMMAND, False, FLAG), (8, False, FLAG), (8, True, FLAG), (COMMAND, True, 0)]
    command_v = [(COMMAND, False, FLAG), (9, False, FLAG), (9, True, FLAG), (COMMAND, True, 0)]
    assert [
        ("RegisterEventHotKey", 2, 0, 53),  # Esc, for the job's length
        ("CGEventPost", tuple(command_c)),
        ("writeObjects", "lazy text"),
        ("CGEventPost", tuple(command_v)),
        ("writeObjects", USER),  # after TextEdit's read: every item and type of the user's back
        ("UnregisterEventHotKey", 2),
    ] == rig.api.calls


def test_a_held_modifier_delays_every_key_until_it_is_up(qtbot: QtBot, core: Core) -> None:
    rig = Rig(core, "tips for sleep")
    rig.api.down = {59}  # Control still held after the hotkey
    sent_before_release: list[int] = []

    def release() -> None:
        sent_before_release.append(len(rig.api.posted))
        rig.api.down.clear()

    QTimer.singleShot(150, release)
    rig.press_hotkey()
    qtbot.waitUntil(lambda: rig.outcomes != [], timeout=10_000)
    assert (["pasted"], [0], 2) == (rig.outcomes, sent_before_release, len(rig.api.posted))


def test_the_hotkey_again_cancels_and_puts_every_item_back(qtbot: QtBot, core: Core) -> None:
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
        rig.api.items,
        len(rig.api.posted),
    )


def test_a_copy_right_after_the_paste_is_kept_and_the_user_told(qtbot: QtBot, core: Core) -> None:
    rig = Rig(core, "tips for sleep")
    rig.app.after_paste = lambda: rig.api.copy_by_other_app([{TEXT: b"copied meanwhile"}])
    rig.press_hotkey()
    qtbot.waitUntil(lambda: rig.outcomes != [], timeout=10_000)
    assert (["pasted"], [{TEXT: b"copied meanwhile"}]) == (rig.outcomes, rig.api.items)
    assert [
        "Could not put your clipboard back (PasteboardError: another program copied something after the paste, so "
        "it stays on the clipboard)."
    ] == rig.notices
