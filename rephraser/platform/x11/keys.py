"""Synthetic key presses through XTest, and whether any key is down through XQueryKeymap."""

from __future__ import annotations

from Xlib import X
from Xlib.ext import xtest

from rephraser.core.desktop.keys import KeyCombo
from rephraser.platform.x11.connection import X11Connection

__all__ = ["X11Keys"]

_PRESS_ORDER = {"ctrl": "Control_L", "shift": "Shift_L", "alt": "Alt_L", "super": "Super_L"}


class X11Keys:
    """Implements rephraser.core.desktop.ports.KeyPort."""

    def __init__(self, connection: X11Connection) -> None:
        self._x = connection

    def keys_held(self) -> bool:
        return any(self._x.display.query_keymap())

    def press(self, combo: KeyCombo) -> None:
        modifiers = [self._x.keycode(_PRESS_ORDER[name]) for name in combo.modifiers]
        key = self._x.keycode(combo.key)
        display = self._x.display
        for code in modifiers:
            xtest.fake_input(display, X.KeyPress, code)
        xtest.fake_input(display, X.KeyPress, key)
        xtest.fake_input(display, X.KeyRelease, key)
        for code in reversed(modifiers):
            xtest.fake_input(display, X.KeyRelease, code)
        display.sync()
