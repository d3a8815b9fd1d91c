"""The back-ends' one message-only window: each back-end handles the messages it asked for."""

from __future__ import annotations

import logging
from collections.abc import Callable

from rephraser.platform.windows.win32 import Win32

__all__ = ["MessageWindow"]

log = logging.getLogger("rephraser.desktop")


class MessageWindow:
    """A message-only window (Qt's event loop dispatches its messages) shared by the back-ends."""

    def __init__(self, api: Win32) -> None:
        self._api = api
        self._handlers: dict[int, Callable[[int, int], None]] = {}
        self.window = api.create_message_window(self._handle)

    def on(self, message: int, handler: Callable[[int, int], None]) -> None:
        """Call `handler(wparam, lparam)` for each `message`."""
        self._handlers[message] = handler

    def _handle(self, message: int, wparam: int, lparam: int) -> bool:
        handler = self._handlers.get(message)
        if handler is None:
            return False
        try:
            handler(wparam, lparam)
        except Exception as error:  # the OS calls us: log it here, nothing may escape into it
            log.error("handling window message 0x%04x failed", message, exc_info=error)
        return True

    def close(self) -> None:
        self._api.destroy_window(self.window)
