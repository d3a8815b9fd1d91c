"""One X11 connection shared by the X11 back-ends (libX11 through ctypes, see xlib.py)."""

from __future__ import annotations

import os
from collections.abc import Callable

from rephraser.core.desktop.keys import KeyCombo
from rephraser.platform.x11.xlib import Display, KeyEvent

__all__ = ["X11Connection"]

_SHIFT, _LOCK, _CONTROL, _MOD1, _MOD2, _MOD4 = 1, 2, 4, 8, 16, 64
_MODIFIER_MASKS = {"shift": _SHIFT, "ctrl": _CONTROL, "alt": _MOD1, "super": _MOD4}
LOCK_MASK = _LOCK


class X11Connection:
    """The display, and `pump()` to hand queued events to the registered handlers.

    Raises:
        XUnavailableError: from the constructor, when libX11, libXtst or the display cannot be opened.
    """

    def __init__(self, name: str | None = None) -> None:
        self.display = Display(name or os.environ.get("DISPLAY"))
        self._handlers: list[Callable[[KeyEvent], None]] = []
        self.num_lock_mask = self.display.modifier_of(self.display.keycode("Num_Lock")) or _MOD2

    def fileno(self) -> int:
        return self.display.fileno()

    def add_handler(self, handler: Callable[[KeyEvent], None]) -> None:
        self._handlers.append(handler)

    def pump(self) -> None:
        """Handle every event Xlib has read or can read without blocking."""
        for event in self.display.events():
            for handler in self._handlers:
                handler(event)

    def modifier_mask(self, combo: KeyCombo) -> int:
        mask = 0
        for name in combo.modifiers:
            mask |= _MODIFIER_MASKS[name]
        return mask

    def close(self) -> None:
        self.display.close()
