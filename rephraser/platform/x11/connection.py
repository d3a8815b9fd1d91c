"""One python-xlib connection shared by the X11 back-ends, and the keysym look-ups they need."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from Xlib import XK, X, display, error

from rephraser.core.desktop.keys import KeyCombo

__all__ = ["X11Connection"]

_MODIFIER_MASKS = {"shift": X.ShiftMask, "ctrl": X.ControlMask, "alt": X.Mod1Mask, "super": X.Mod4Mask}


class X11Connection:
    """Wraps `Xlib.display.Display`; `pump()` dispatches queued events to the registered handler."""

    def __init__(self, name: str | None = None) -> None:
        self.display = display.Display(name or os.environ.get("DISPLAY"))
        self.root = self.display.screen().root
        self._handlers: list[Callable[[Any], None]] = []
        self.num_lock_mask = self._num_lock_mask()

    def fileno(self) -> int:
        return int(self.display.fileno())

    def add_handler(self, handler: Callable[[Any], None]) -> None:
        self._handlers.append(handler)

    def pump(self) -> None:
        """Handle every event python-xlib has read or can read without blocking."""
        while self.display.pending_events():
            event = self.display.next_event()
            for handler in self._handlers:
                handler(event)

    def keycode(self, key: str) -> int:
        """The keycode of a key name ("r", "Escape", "Insert", "F5"), 0 if the keyboard has none."""
        keysym = XK.string_to_keysym(key)
        if not keysym and len(key) == 1:
            keysym = ord(key)
        return int(self.display.keysym_to_keycode(keysym)) if keysym else 0

    def modifier_mask(self, combo: KeyCombo) -> int:
        mask = 0
        for name in combo.modifiers:
            mask |= _MODIFIER_MASKS[name]
        return mask

    def sync_errors(self, action: Callable[[error.CatchError], None]) -> list[Any]:
        """Run X requests with an error catcher and wait for the server's verdict (XGrabKey reports BadAccess
        only asynchronously)."""
        caught: list[Any] = []
        catcher = error.CatchError()
        action(catcher)
        self.display.sync()
        if catcher.get_error():
            caught.append(catcher.get_error())
        return caught

    def _num_lock_mask(self) -> int:
        num_lock = self.keycode("Num_Lock")
        for index, codes in enumerate(self.display.get_modifier_mapping()):
            if num_lock and num_lock in codes:
                return 1 << index
        return int(X.Mod2Mask)

    def close(self) -> None:
        self.display.close()
