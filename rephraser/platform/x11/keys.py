"""Synthetic key presses through XTest, and whether any key is down through XQueryKeymap."""

from __future__ import annotations

from rephraser.core.desktop.keys import KeyCombo
from rephraser.platform.x11.connection import X11Connection

__all__ = ["X11Keys"]

_PRESS_ORDER = {"ctrl": "Control_L", "shift": "Shift_L", "alt": "Alt_L", "super": "Super_L"}


class X11Keys:
    """Implements rephraser.core.desktop.ports.KeyPort."""

    def __init__(self, connection: X11Connection) -> None:
        self._x = connection.display

    def keys_held(self) -> bool:
        return self._x.any_key_down()

    def press(self, combo: KeyCombo) -> None:
        modifiers = [self._x.keycode(_PRESS_ORDER[name]) for name in combo.modifiers]
        key = self._x.keycode(combo.key)

        def type_combo() -> None:
            for code in modifiers:
                self._x.fake_key(code, press=True)
            self._x.fake_key(key, press=True)
            self._x.fake_key(key, press=False)
            for code in reversed(modifiers):
                self._x.fake_key(code, press=False)

        self._x.checked(type_combo)  # a keyboard without the key gives BadValue: nothing typed, nothing fatal
