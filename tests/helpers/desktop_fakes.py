"""Fakes of the desktop ports, plus a fake target app that reacts to keys the way real apps do."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping

from rephraser.core.desktop.apps import CTRL_C, CTRL_SHIFT_V, CTRL_U, CTRL_V, SHIFT_INSERT
from rephraser.core.desktop.keys import KeyCombo
from rephraser.core.desktop.ports import AppInfo, ClipboardHandover, ClipboardSnapshot, GrabFailure
from rephraser.core.requests import RewriteRequest, RewriteResult
from rephraser.core.targets import Target

__all__ = ["FakeClipboard", "FakeFocus", "FakeHotkeys", "FakeKeys", "FakeTargetApp", "SlowModel"]


class FakeClipboard:
    """CLIPBOARD and PRIMARY as dicts of format -> bytes; served text reports reads like Qt's does."""

    def __init__(self, formats: Mapping[str, bytes] | None = None) -> None:
        self.formats: dict[bool, dict[str, bytes]] = {False: dict(formats or {}), True: {}}
        self.served: dict[bool, tuple[str, Callable[[], None]] | None] = {False: None, True: None}
        self._on_change: Callable[[], None] | None = None
        self.restores = 0
        self.kept: list[dict[str, bytes]] = []
        self.serve_error: Exception | None = None  # raised by the next serve(), as a crash inside the job

    def snapshot(self, primary: bool = False) -> ClipboardSnapshot:
        return ClipboardSnapshot(dict(self.formats[primary]))

    def text(self, primary: bool = False) -> str:
        return self.formats[primary].get("text/plain", b"").decode()

    def serve(self, text: str, primary: bool, on_read: Callable[[], None]) -> None:
        if self.serve_error is not None:
            error, self.serve_error = self.serve_error, None
            raise error
        self.formats[primary] = {"text/plain": text.encode()}
        self.served[primary] = (text, on_read)

    def restore(self, snapshot: ClipboardSnapshot, primary: bool = False) -> None:
        self.formats[primary] = dict(snapshot.formats)
        self.served[primary] = None
        self.restores += 1

    def on_change(self, callback: Callable[[], None] | None) -> None:
        self._on_change = callback

    def keep_after_exit(self) -> ClipboardHandover:
        """What the app would hand on at quit: the clipboard as it is now."""
        self.kept.append(dict(self.formats[False]))
        return ClipboardHandover("helper", 1)

    def let_go(self) -> None:
        """Nothing pending in a fake."""

    def set_by_app(self, text: str, primary: bool = False) -> None:
        """Another program takes the selection (as after its Ctrl+C)."""
        self.formats[primary] = {"text/plain": text.encode()}
        self.served[primary] = None
        if not primary and self._on_change is not None:
            self._on_change()

    def read_by_app(self, primary: bool = False) -> str:
        served = self.served[primary]
        if served is not None:
            served[1]()
            return served[0]
        return self.text(primary)


class FakeKeys:
    """Keys held for the first `held_polls` polls; every press goes to the target app."""

    def __init__(self, held_polls: int = 0) -> None:
        self.held_polls = held_polls
        self.pressed: list[KeyCombo] = []
        self.pressed_while_held: list[KeyCombo] = []
        self.on_press: Callable[[KeyCombo], None] = lambda _combo: None
        self.press_error: tuple[KeyCombo, Exception] | None = None  # the next press of that combo raises

    def keys_held(self) -> bool:
        if self.held_polls > 0:
            self.held_polls -= 1
            return True
        return False

    def press(self, combo: KeyCombo) -> None:
        if self.press_error is not None and self.press_error[0] == combo:
            error, self.press_error = self.press_error[1], None
            raise error
        if self.held_polls > 0:
            self.pressed_while_held.append(combo)
        self.pressed.append(combo)
        self.on_press(combo)


class FakeFocus:
    def __init__(self, app: AppInfo) -> None:
        self.app = app
        self.error: Exception | None = None

    def focused_app(self) -> AppInfo:
        if self.error is not None:
            raise self.error
        return self.app


class FakeHotkeys:
    """Combinations in `taken` are held by another program (`holder`, when it is known); `grabs` counts
    every call that (re)grabs the whole set."""

    def __init__(self, taken: frozenset[str] = frozenset(), holder: str = "") -> None:
        self.taken, self.holder = taken, holder
        self.grabbed: dict[str, KeyCombo] = {}
        self.grabs = 0
        self.on_press: Callable[[str], None] = lambda _name: None

    def grab(self, hotkeys: Mapping[str, KeyCombo], on_press: Callable[[str], None]) -> list[GrabFailure]:
        self.grabs += 1
        self.grabbed = {}
        self.on_press = on_press
        return [f for n, c in hotkeys.items() if (f := self.grab_one(n, c)) is not None]

    def grab_one(self, name: str, combo: KeyCombo) -> GrabFailure | None:
        if str(combo) in self.taken:
            return GrabFailure(name, combo, "another program already uses it", self.holder)
        self.grabbed[name] = combo
        return None

    def release(self, name: str) -> None:
        self.grabbed.pop(name, None)

    def release_all(self) -> None:
        self.grabbed = {}

    def press(self, name: str) -> None:
        self.on_press(name)


class FakeTargetApp:
    """A text field with a selection: Ctrl+C copies it, the paste keys replace it, Ctrl+U clears it."""

    def __init__(
        self,
        clipboard: FakeClipboard,
        keys: FakeKeys,
        text: str,
        selected: bool = True,
        reads_paste: bool = True,
        reads: int = 1,
        drops_keys: int = 0,
        read_delays_ms: tuple[int, ...] = (),
        later: Callable[[int, Callable[[], None]], None] | None = None,
    ) -> None:
        self.clipboard, self.text, self.selected = clipboard, text, selected
        self.reads_paste, self.reads = reads_paste, reads
        self.drops_keys = drops_keys  # the first presses are lost, as in an app still settling its focus
        self.read_delays_ms = read_delays_ms  # a slow app (busy machine): how long before each read, in turn
        self.later = later  # runs a callable after some ms (QTimer.singleShot): needed with read_delays_ms
        keys.on_press = self.key

    def key(self, combo: KeyCombo) -> None:
        if self.drops_keys > 0:
            self.drops_keys -= 1
            return
        if combo == CTRL_C and self.selected:
            self.clipboard.set_by_app(self.text)
        elif combo == CTRL_U:
            self.text, self.selected = "", False
        elif combo in (CTRL_V, CTRL_SHIFT_V, SHIFT_INSERT) and self.reads_paste:
            self._read_paste(combo == SHIFT_INSERT, self.reads)

    def _read_paste(self, primary: bool, reads_left: int) -> None:
        """Read the clipboard `reads_left` times (each after its `read_delays_ms`, when set); insert the last."""
        if self.read_delays_ms and self.later is not None:
            delay = self.read_delays_ms[(self.reads - reads_left) % len(self.read_delays_ms)]
            self.later(delay, lambda: self._read_and_go_on(primary, reads_left))
            return
        for _ in range(reads_left - 1):
            self.clipboard.read_by_app(primary=primary)
        self._insert(self.clipboard.read_by_app(primary=primary))

    def _read_and_go_on(self, primary: bool, reads_left: int) -> None:
        pasted = self.clipboard.read_by_app(primary=primary)
        if reads_left > 1:
            self._read_paste(primary, reads_left - 1)
        else:
            self._insert(pasted)

    def _insert(self, pasted: str) -> None:
        self.text = pasted if self.selected or not self.text else self.text + pasted
        self.selected = False


class SlowModel:
    """A model rewrite that waits until released (or cancelled)."""

    def __init__(self, error: Exception | None = None) -> None:
        self.release = threading.Event()
        self.error = error
        self.calls = 0

    def __call__(self, request: RewriteRequest, on_delta: object, token: object) -> RewriteResult:
        self.calls += 1
        self.release.wait(5)
        if self.error is not None:
            raise self.error
        return RewriteResult("MODEL REWRITE", Target.CHAT, "chat", "model", "en", "test")
