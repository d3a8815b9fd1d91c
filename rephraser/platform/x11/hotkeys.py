"""Global hotkeys with XGrabKey on the root window: the focused app never sees them.

Each combination is grabbed with every NumLock/CapsLock variant, or it silently stops working while
NumLock is on. A key another client already grabbed fails with BadAccess, reported as a GrabFailure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rephraser.core.desktop.keys import KeyCombo
from rephraser.core.desktop.ports import GrabFailure
from rephraser.platform.x11.connection import LOCK_MASK, X11Connection
from rephraser.platform.x11.xlib import KEY_PRESS, KeyEvent

__all__ = ["X11Hotkeys"]


class X11Hotkeys:
    """Implements rephraser.core.desktop.ports.HotkeyPort."""

    def __init__(self, connection: X11Connection) -> None:
        self._x = connection
        self._grabbed: dict[tuple[int, int], str] = {}  # (keycode, modifier mask) -> hotkey name
        self._on_press: Callable[[str], None] = lambda _name: None
        connection.add_handler(self._handle)

    def grab(self, hotkeys: Mapping[str, KeyCombo], on_press: Callable[[str], None]) -> list[GrabFailure]:
        self.release_all()
        self._on_press = on_press
        failures = []
        for name, combo in hotkeys.items():
            reason = self._grab_one(name, combo)
            if reason:
                failures.append(GrabFailure(name, combo, reason))
        return failures

    def grab_one(self, name: str, combo: KeyCombo) -> GrabFailure | None:
        reason = self._grab_one(name, combo)
        return GrabFailure(name, combo, reason) if reason else None

    def release(self, name: str) -> None:
        for key in [key for key, held_by in self._grabbed.items() if held_by == name]:
            self._ungrab(*key)

    def release_all(self) -> None:
        for keycode, mask in list(self._grabbed):
            self._ungrab(keycode, mask)

    def _ungrab(self, keycode: int, mask: int) -> None:
        display = self._x.display

        def ungrab_all() -> None:
            for variant in self._variants(mask):
                display.ungrab_key(keycode, variant)

        display.checked(ungrab_all)
        self._grabbed.pop((keycode, mask), None)

    def _grab_one(self, name: str, combo: KeyCombo) -> str:
        display = self._x.display
        keycode = display.keycode(combo.key)
        if not keycode:
            return f'the keyboard has no "{combo.key}" key'
        mask = self._x.modifier_mask(combo)

        def grab_all() -> None:
            for variant in self._variants(mask):
                display.grab_key(keycode, variant)

        if display.checked(grab_all):
            self._ungrab(keycode, mask)  # the variants that did go through
            return "another program already uses it"  # X11 does not say whose grab is in the way
        self._grabbed[(keycode, mask)] = name
        return ""

    def _variants(self, mask: int) -> list[int]:
        lock, num = LOCK_MASK, self._x.num_lock_mask
        return [mask, mask | lock, mask | num, mask | lock | num]

    def _handle(self, event: KeyEvent) -> None:
        if event.type != KEY_PRESS:
            return
        mask = event.state & ~(LOCK_MASK | self._x.num_lock_mask)
        name = self._grabbed.get((event.keycode, mask))
        if name is not None:
            self._on_press(name)
