"""Keys on macOS: CGEventPost for the synthetic presses (Accessibility must allow it), the session's key
state for held keys; and the virtual key codes (kVK_*) of the key names KeyCombo uses."""

from __future__ import annotations

from rephraser.core.desktop.keys import KeyCombo
from rephraser.core.errors import ConfigError
from rephraser.platform.macos.cocoa import MacOS

__all__ = ["ACCESSIBILITY_NOTICE", "MacKeys", "key_code"]

ACCESSIBILITY_NOTICE = (
    "Rephraser cannot copy or paste for you yet: allow it in System Settings > Privacy & Security > "
    "Accessibility (the app that runs Rephraser: Terminal, or Python), then start Rephraser again."
)
# The ANSI layout's key codes (Carbon's kVK_ANSI_*): not in alphabetical order.
_LETTERS = dict(zip("asdfhgzxcv", range(10), strict=True)) | {
    "b": 11, "q": 12, "w": 13, "e": 14, "r": 15, "y": 16, "t": 17, "o": 31, "u": 32, "i": 34, "p": 35,
    "l": 37, "j": 38, "k": 40, "n": 45, "m": 46,
}  # fmt: skip
_DIGITS = {"1": 18, "2": 19, "3": 20, "4": 21, "6": 22, "5": 23, "9": 25, "7": 26, "8": 28, "0": 29}
_NAMED = {
    "Return": 36, "Tab": 48, "space": 49, "BackSpace": 51, "Escape": 53, "Delete": 117, "Home": 115,
    "End": 119, "Prior": 116, "Next": 121, "Left": 123, "Right": 124, "Down": 125, "Up": 126, "minus": 27,
    "equal": 24, "bracketleft": 33, "bracketright": 30, "semicolon": 41, "apostrophe": 39, "comma": 43,
    "period": 47, "slash": 44, "backslash": 42, "grave": 50,
}  # fmt: skip
_FUNCTION = (122, 120, 99, 118, 96, 97, 98, 100, 101, 109, 103, 111, 105, 107, 113, 106, 64, 79, 80, 90)
MODIFIER_KEYS = {"ctrl": 59, "alt": 58, "shift": 56, "super": 55}  # Control, Option, Shift, Command
_FLAGS = {"ctrl": 0x40000, "alt": 0x80000, "shift": 0x20000, "super": 0x100000}  # kCGEventFlagMask*
_KEYBOARD = range(128)


def key_code(key: str) -> int:
    """The virtual key code of a KeyCombo key ("r", "F5", "Escape").

    Raises:
        ConfigError: a key macOS has no code for here.
    """
    code = _LETTERS.get(key) if len(key) == 1 else None
    code = _DIGITS.get(key, code)
    if code is None and key[:1] == "F" and key[1:].isdigit() and 1 <= int(key[1:]) <= len(_FUNCTION):
        code = _FUNCTION[int(key[1:]) - 1]
    code = _NAMED.get(key, code)
    if code is None:
        raise ConfigError(f'The key "{key}" has no macOS key code here; choose a letter, a digit or F1-F20.')
    return code


def event_flags(modifiers: tuple[str, ...]) -> int:
    return sum(_FLAGS[name] for name in modifiers)


class MacKeys:
    """Implements rephraser.core.desktop.ports.KeyPort ("super" is Command)."""

    def __init__(self, api: MacOS) -> None:
        self._api = api

    def keys_held(self) -> bool:
        return any(self._api.key_down(code) for code in _KEYBOARD)

    def press(self, combo: KeyCombo) -> None:
        """Modifier keys down (each event carrying the flags so far), the key down and up with every flag,
        the modifiers up: apps that read the flags and apps that read the modifier keys both see it."""
        key, strokes, flags = key_code(combo.key), [], 0
        for name in combo.modifiers:
            flags |= _FLAGS[name]
            strokes.append((MODIFIER_KEYS[name], False, flags))
        strokes += [(key, False, flags), (key, True, flags)]
        for name in reversed(combo.modifiers):
            flags &= ~_FLAGS[name]
            strokes.append((MODIFIER_KEYS[name], True, flags))
        self._api.post_keys(strokes)
