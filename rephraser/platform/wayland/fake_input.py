"""Synthetic key presses on KWin through its fake-input protocol (org_kde_kwin_fake_input, version 4 and
later: keys by their Linux codes, in KWin's own keymap).

KWin offers the protocol only to programs whose desktop entry asks for it (X-KDE-Wayland-Interfaces):
`rephraser shortcut install --desktop` writes that entry.

KWin mixes these keys into the seat's state. A modifier the user still holds after the hotkey (Ctrl and
Alt of Ctrl+Alt+R, often released last) would turn Ctrl+V into Ctrl+Alt+V: every modifier is released
through this device before a combination (a release of a key that is up changes nothing), and the user
presses their modifiers afresh for the next shortcut anyway.
"""

from __future__ import annotations

from rephraser.core.desktop.keys import MODIFIERS, KeyCombo
from rephraser.platform.wayland.global_shortcuts import HeldShortcuts
from rephraser.platform.wayland.virtual_keyboard import KEY_CODES, MODIFIER_CODES
from rephraser.platform.wayland.wire import Connection, WaylandError, string, u32

__all__ = ["FAKE_INPUT", "FakeInputKeys"]

FAKE_INPUT = "org_kde_kwin_fake_input"
_AUTHENTICATE, _KEYBOARD_KEY = 0, 10
_PRESSED, _RELEASED = 1, 0


class FakeInputKeys:
    """Implements rephraser.core.desktop.ports.KeyPort on KWin.

    Raises:
        WaylandError: from the constructor, when KWin does not offer fake input (or no keys in it).
    """

    def __init__(self, connection: Connection, held: HeldShortcuts) -> None:
        if connection.version(FAKE_INPUT) < 4:
            raise WaylandError("KWin does not let Rephraser type keys (fake input).")
        self._c = connection
        self._held = held
        self._device = connection.bind(FAKE_INPUT, 4)
        reason = "Rephraser presses copy and paste in the app whose selected text you rewrite."
        connection.send(self._device, _AUTHENTICATE, string("Rephraser") + string(reason))
        connection.roundtrip()

    def keys_held(self) -> bool:
        """A hotkey's key is down (the portal's word; other keys are not told to a Wayland client)."""
        return self._held.held()

    def press(self, combo: KeyCombo) -> None:
        """Press and release `combo` in the focused window, with no other modifier down.

        Raises:
            WaylandError: a key with no code here.
        """
        code = KEY_CODES.get(combo.key) or KEY_CODES.get(combo.key.lower())
        if code is None:
            raise WaylandError(f'Rephraser cannot type the "{combo.key}" key on KWin.')
        for name in MODIFIERS:
            for modifier in MODIFIER_CODES[name]:
                self._key(modifier, _RELEASED)
        mine = [MODIFIER_CODES[name][0] for name in combo.modifiers]
        for key in (*mine, code):
            self._key(key, _PRESSED)
        for key in (code, *reversed(mine)):
            self._key(key, _RELEASED)
        self._c.roundtrip()

    def _key(self, code: int, state: int) -> None:
        self._c.send(self._device, _KEYBOARD_KEY, u32(code, state))
