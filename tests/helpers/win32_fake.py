"""A simulated Windows for the Windows back-ends (rephraser.platform.windows.win32.Win32): windows with
message handlers, hotkeys other programs may hold, key states, the foreground window, and a clipboard
with owners, sequence numbers, listeners and delayed rendering, as the Win32 documentation describes.

Posted messages (WM_HOTKEY, WM_CLIPBOARDUPDATE) wait in a queue until `deliver()` (tests call it, or hand
a scheduler that does: Qt's loop in the GUI tests); sent ones (WM_RENDERFORMAT while another program reads)
run at once, as SendMessage does. Every call the back-ends make is kept in `calls`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rephraser.platform.windows.win32 import (
    CF_UNICODETEXT,
    ERROR_HOTKEY_ALREADY_REGISTERED,
    WM_CLIPBOARDUPDATE,
    WM_HOTKEY,
    WM_RENDERFORMAT,
    MessageHandler,
)

OTHER_PROGRAM = 0x9000  # the window of another program that opens the clipboard


class FakeWin32:
    def __init__(self, schedule: Callable[[Callable[[], None]], None] | None = None) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self._schedule = schedule
        self._handlers: dict[int, MessageHandler] = {}
        self._queue: list[tuple[int, int, int, int]] = []
        self.taken: set[tuple[int, int]] = set()  # (modifiers without MOD_NOREPEAT, key) other programs hold
        self.hotkeys: dict[tuple[int, int], tuple[int, int]] = {}  # (modifiers, key) -> (window, id)
        self.down: set[int] = set()
        self.held_polls = 0  # keys_held() sees `down` this many more polls, then it is released
        self.sent: list[list[tuple[int, bool]]] = []
        self.on_keys: Callable[[list[tuple[int, bool]]], None] = lambda _strokes: None
        self.foreground = (0x100, "Notepad", "notes.txt - Notepad", r"C:\Windows\System32\notepad.exe")
        self.formats: dict[int, bytes | None] = {}  # None: announced for delayed rendering
        self.owner = 0
        self.opened_by = 0
        self.busy_opens = 0  # this many more OpenClipboard calls fail (another program has it open)
        self.refused_formats: set[int] = set()  # SetClipboardData fails for these
        self.sequence = 1
        self.listeners: set[int] = set()
        self.registered = {"HTML Format": 0xC001, "PNG": 0xC002}
        self._next_window = 0x200
        self._dirty = False  # changed since it was opened

    # -- the simulation's own controls ------------------------------------------------------------------

    def deliver(self) -> None:
        """Dispatch the posted messages, in order."""
        while self._queue:
            window, message, wparam, lparam = self._queue.pop(0)
            handler = self._handlers.get(window)
            if handler is not None:
                handler(message, wparam, lparam)

    def press_hotkey(self, modifiers: int, key: int) -> None:
        registered = self.hotkeys.get((modifiers & ~0x4000, key))
        if registered is not None:
            self._post(registered[0], WM_HOTKEY, registered[1], 0)

    def copy_by_other_program(self, formats: dict[int, bytes]) -> None:
        """Another program puts `formats` on the clipboard (as an app's Ctrl+C does)."""
        self.opened_by = OTHER_PROGRAM
        self._empty(OTHER_PROGRAM)
        for clipboard_format, data in formats.items():
            self._store(clipboard_format, data)
        self.close_clipboard(record=False)

    def read_by_other_program(self, clipboard_format: int = CF_UNICODETEXT) -> bytes | None:
        """Another program reads a format (as an app's paste does): a delayed one is rendered first."""
        self.opened_by = OTHER_PROGRAM
        try:
            if clipboard_format in self.formats and self.formats[clipboard_format] is None:
                handler = self._handlers.get(self.owner)
                if handler is not None:
                    handler(WM_RENDERFORMAT, clipboard_format, 0)  # SendMessage: the owner renders now
            return self.formats.get(clipboard_format)
        finally:
            self.opened_by = 0

    def text_formats(self, text: str) -> dict[int, bytes]:
        return {CF_UNICODETEXT: text.encode("utf-16-le") + b"\x00\x00"}

    # -- Win32 ---------------------------------------------------------------------------------------

    def create_message_window(self, handler: MessageHandler) -> int:
        window, self._next_window = self._next_window, self._next_window + 1
        self._handlers[window] = handler
        self.calls.append(("CreateWindowEx", window))
        return window

    def destroy_window(self, window: int) -> None:
        self.calls.append(("DestroyWindow", window))
        self._handlers.pop(window, None)

    def register_hotkey(self, window: int, hotkey_id: int, modifiers: int, virtual_key: int) -> int:
        self.calls.append(("RegisterHotKey", hotkey_id, modifiers, virtual_key))
        combo = (modifiers & ~0x4000, virtual_key)
        if combo in self.taken or combo in self.hotkeys:
            return ERROR_HOTKEY_ALREADY_REGISTERED
        self.hotkeys[combo] = (window, hotkey_id)
        return 0

    def unregister_hotkey(self, window: int, hotkey_id: int) -> None:
        self.calls.append(("UnregisterHotKey", hotkey_id))
        for combo, registered in list(self.hotkeys.items()):
            if registered == (window, hotkey_id):
                del self.hotkeys[combo]

    def key_down(self, virtual_key: int) -> bool:
        return virtual_key in self.down

    def poll_keys(self) -> None:
        """One poll of the keys has happened (WindowsKeys asks every key per poll)."""
        if self.down and self.held_polls > 0:
            self.held_polls -= 1
            if self.held_polls == 0:
                self.down.clear()

    def send_keys(self, strokes: list[tuple[int, bool]]) -> int:
        self.calls.append(("SendInput", tuple(strokes)))
        self.sent.append(strokes)
        self.on_keys(strokes)
        return len(strokes)

    def foreground_window(self) -> int:
        return self.foreground[0]

    def window_class(self, window: int) -> str:
        return self.foreground[1] if window == self.foreground[0] else ""

    def window_title(self, window: int) -> str:
        return self.foreground[2] if window == self.foreground[0] else ""

    def window_process_image(self, window: int) -> str:
        return self.foreground[3] if window == self.foreground[0] else ""

    def open_clipboard(self, window: int) -> bool:
        self.calls.append(("OpenClipboard",))
        if self.busy_opens > 0:
            self.busy_opens -= 1
            return False
        if self.opened_by:
            return False
        self.opened_by = window
        return True

    def close_clipboard(self, record: bool = True) -> None:
        """Listeners hear of the changes made while it was open, once, when it closes."""
        if record:
            self.calls.append(("CloseClipboard",))
        self.opened_by = 0
        if self._dirty:
            self._dirty = False
            for window in self.listeners:
                self._post(window, WM_CLIPBOARDUPDATE, 0, 0)

    def empty_clipboard(self) -> bool:
        self.calls.append(("EmptyClipboard",))
        if not self.opened_by:
            return False
        self._empty(self.opened_by)
        return True

    def clipboard_formats(self) -> list[int]:
        return list(self.formats)

    def format_name(self, clipboard_format: int) -> str:
        return next((name for name, number in self.registered.items() if number == clipboard_format), "")

    def register_format(self, name: str) -> int:
        return self.registered.setdefault(name, 0xC000 + 0x10 + len(self.registered))

    def get_data(self, clipboard_format: int) -> bytes | None:
        data = self.formats.get(clipboard_format)
        return data if data is None else bytes(data)

    def set_data(self, clipboard_format: int, data: bytes | None) -> bool:
        self.calls.append(("SetClipboardData", clipboard_format, None if data is None else bytes(data)))
        rendering = data is not None and self.formats.get(clipboard_format, b"") is None
        if clipboard_format in self.refused_formats or not (self.opened_by or rendering):
            return False
        if rendering:
            self.formats[clipboard_format] = bytes(data or b"")  # rendered: no change of sequence
            return True
        self._store(clipboard_format, data)
        return True

    def sequence_number(self) -> int:
        return self.sequence

    def add_clipboard_listener(self, window: int) -> bool:
        self.listeners.add(window)
        return True

    def remove_clipboard_listener(self, window: int) -> None:
        self.listeners.discard(window)

    # -- the machinery -----------------------------------------------------------------------------

    def _empty(self, new_owner: int) -> None:
        self.formats = {}
        self.owner = new_owner
        self._changed()

    def _store(self, clipboard_format: int, data: bytes | None) -> None:
        self.formats[clipboard_format] = data
        self._changed()

    def _changed(self) -> None:
        self.sequence += 1
        self._dirty = True

    def _post(self, window: int, message: int, wparam: int, lparam: int) -> None:
        self._queue.append((window, message, wparam, lparam))
        if self._schedule is not None:
            self._schedule(self.deliver)
