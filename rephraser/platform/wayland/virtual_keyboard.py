"""Synthetic key presses through the virtual-keyboard protocol (zwp_virtual_keyboard_manager_v1: wlroots
compositors). One long-lived keyboard with a full US keymap, uploaded once: a keyboard made per press, or
wtype's, loses Ctrl+C and Ctrl+V in GTK apps now and then (WAYLAND.md in the project's notes).

The modifiers travel in the `modifiers` request, which replaces the seat's modifier state while this
keyboard is the active one: a modifier the user still holds on the real keyboard does not leak into the
combination.
"""

from __future__ import annotations

import ctypes
import os
import time

from rephraser.core.desktop.keys import KeyCombo
from rephraser.platform.wayland.wire import Connection, WaylandError, u32

__all__ = ["KEY_CODES", "MODIFIER_CODES", "VirtualKeyboard", "us_keymap"]

MANAGER = "zwp_virtual_keyboard_manager_v1"
_XKB_V1 = 1  # wl_keyboard keymap format: xkb_v1
_PRESSED, _RELEASED = 1, 0
_MASKS = {"shift": 1, "ctrl": 4, "alt": 8, "super": 64}  # the US keymap's real modifiers
# Linux input event codes of the keys Rephraser types (linux/input-event-codes.h).
KEY_CODES = {
    **{letter: 16 + index for index, letter in enumerate("qwertyuiop")},
    **{letter: 30 + index for index, letter in enumerate("asdfghjkl")},
    **{letter: 44 + index for index, letter in enumerate("zxcvbnm")},
    "Escape": 1,
    "Return": 28,
    "Insert": 110,
    "Delete": 111,
}
# The modifiers' codes, left key first.
MODIFIER_CODES = {"ctrl": (29, 97), "alt": (56, 100), "shift": (42, 54), "super": (125, 126)}


def us_keymap() -> bytes:
    """The XKB keymap text of a pc105 US keyboard, from libxkbcommon (Qt's own dependency).

    Raises:
        WaylandError: libxkbcommon or its keyboard data is missing.
    """
    try:
        xkb = ctypes.CDLL("libxkbcommon.so.0")
    except OSError as exc:
        raise WaylandError("libxkbcommon.so.0 is missing: install libxkbcommon0.") from exc
    xkb.xkb_context_new.restype = ctypes.c_void_p
    xkb.xkb_context_new.argtypes = [ctypes.c_int]
    xkb.xkb_keymap_new_from_names.restype = ctypes.c_void_p
    xkb.xkb_keymap_new_from_names.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int]
    xkb.xkb_keymap_get_as_string.restype = ctypes.c_void_p
    xkb.xkb_keymap_get_as_string.argtypes = [ctypes.c_void_p, ctypes.c_int]
    for name in ("xkb_keymap_unref", "xkb_context_unref"):
        getattr(xkb, name).argtypes = [ctypes.c_void_p]
    libc = ctypes.CDLL(None)
    libc.free.argtypes = [ctypes.c_void_p]
    context = xkb.xkb_context_new(0)
    keymap = xkb.xkb_keymap_new_from_names(context, None, 0) if context else None  # None: the us default
    if not keymap:
        raise WaylandError("libxkbcommon found no keyboard layouts: install xkb-data.")
    text = xkb.xkb_keymap_get_as_string(keymap, _XKB_V1)
    try:
        return ctypes.string_at(text) + b"\0"
    finally:
        libc.free(text)
        xkb.xkb_keymap_unref(keymap)
        xkb.xkb_context_unref(context)


class VirtualKeyboard:
    """Implements rephraser.core.desktop.ports.KeyPort (press) on one virtual keyboard.

    Raises:
        WaylandError: from the constructor, when the compositor has no virtual-keyboard protocol.
    """

    def __init__(self, connection: Connection) -> None:
        self._c = connection
        seat = connection.bind("wl_seat", 1)
        manager = connection.bind(MANAGER, 1)
        self._keyboard = connection.create()
        connection.send(manager, 0, u32(seat, self._keyboard))
        keymap = us_keymap()
        fd = os.memfd_create("rephraser-keymap", os.MFD_CLOEXEC)
        try:
            os.write(fd, keymap)
            connection.send(self._keyboard, 0, u32(_XKB_V1, len(keymap)), fds=[fd])  # keymap(format, fd, size)
        finally:
            os.close(fd)
        connection.roundtrip()

    def keys_held(self) -> bool:
        """Wayland tells no client about keys pressed elsewhere; this keyboard's modifiers replace the
        user's while it types (see the module docstring), so there is nothing to wait for."""
        return False

    def press(self, combo: KeyCombo) -> None:
        """Press and release `combo` in the focused window.

        Raises:
            WaylandError: a key this keyboard has no code for.
        """
        code = KEY_CODES.get(combo.key) or KEY_CODES.get(combo.key.lower())
        if code is None:
            raise WaylandError(f'The virtual keyboard has no "{combo.key}" key.')
        mask = 0
        for name in combo.modifiers:
            mask |= _MASKS[name]
        stamp = int(time.monotonic() * 1000) & 0xFFFFFFFF
        self._modifiers(mask)
        self._c.send(self._keyboard, 1, u32(stamp, code, _PRESSED))
        self._c.send(self._keyboard, 1, u32(stamp + 1, code, _RELEASED))
        self._modifiers(0)
        self._c.roundtrip()

    def _modifiers(self, depressed: int) -> None:
        self._c.send(self._keyboard, 2, u32(depressed, 0, 0, 0))
