"""Keys on Windows: SendInput for the synthetic presses, GetAsyncKeyState for the held keys; and the
virtual-key codes of the key names KeyCombo uses (X11 keysym names)."""

from __future__ import annotations

from rephraser.core.desktop.keys import KeyCombo
from rephraser.core.errors import ConfigError
from rephraser.platform.windows.win32 import Win32

__all__ = ["MODIFIER_KEYS", "WindowsKeys", "virtual_key"]

MODIFIER_KEYS = {"ctrl": 0x11, "alt": 0x12, "shift": 0x10, "super": 0x5B}
_NAMED = {
    "Escape": 0x1B, "Return": 0x0D, "Tab": 0x09, "space": 0x20, "BackSpace": 0x08, "Insert": 0x2D,
    "Delete": 0x2E, "Home": 0x24, "End": 0x23, "Prior": 0x21, "Next": 0x22, "Left": 0x25, "Up": 0x26,
    "Right": 0x27, "Down": 0x28, "Pause": 0x13, "Print": 0x2C, "minus": 0xBD, "equal": 0xBB,
    "comma": 0xBC, "period": 0xBE, "slash": 0xBF, "semicolon": 0xBA, "apostrophe": 0xDE, "grave": 0xC0,
    "bracketleft": 0xDB, "bracketright": 0xDD, "backslash": 0xDC,
}  # fmt: skip
# Keys whose state counts as "held": the keyboard's, not the mouse buttons (0x01-0x06).
_KEYBOARD = range(0x08, 0xFF)


def virtual_key(key: str) -> int:
    """The virtual-key code of a KeyCombo key ("r", "F5", "Escape").

    Raises:
        ConfigError: a key Windows has no code for here.
    """
    if len(key) == 1 and key.isascii() and key.isalnum():
        return ord(key.upper())
    if key[:1] == "F" and key[1:].isdigit() and 1 <= int(key[1:]) <= 24:
        return 0x70 + int(key[1:]) - 1
    code = _NAMED.get(key)
    if code is None:
        raise ConfigError(f'The key "{key}" has no Windows key code here; choose a letter, a digit or F1-F24.')
    return code


class WindowsKeys:
    """Implements rephraser.core.desktop.ports.KeyPort."""

    def __init__(self, api: Win32) -> None:
        self._api = api

    def keys_held(self) -> bool:
        return any(self._api.key_down(code) for code in _KEYBOARD)

    def press(self, combo: KeyCombo) -> None:
        """Modifiers down, the key down and up, modifiers up (in reverse): one SendInput, so no real key
        can come between them."""
        modifiers = [MODIFIER_KEYS[name] for name in combo.modifiers]
        key = virtual_key(combo.key)
        strokes = [(code, False) for code in modifiers] + [(key, False), (key, True)]
        strokes += [(code, True) for code in reversed(modifiers)]
        self._api.send_keys(strokes)
