"""The Win32 calls the Windows back-ends make, as one small interface (`Win32`) and its ctypes
implementation (`User32`, loaded only on Windows), so that tests can hand the back-ends a fake of the OS.

Every method is one or a few documented Win32 calls; the back-ends hold the logic (which calls, in which
order, what a failure means), and tests check that logic against the fake's record of calls.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from ctypes import c_int, c_long, c_size_t, c_uint, c_ulong, c_void_p, c_wchar_p
from typing import Any, Protocol

__all__ = [
    "CF_UNICODETEXT",
    "ERROR_HOTKEY_ALREADY_REGISTERED",
    "WM_CLIPBOARDUPDATE",
    "WM_HOTKEY",
    "WM_RENDERALLFORMATS",
    "WM_RENDERFORMAT",
    "MessageHandler",
    "User32",
    "Win32",
]

WM_HOTKEY = 0x0312
WM_RENDERFORMAT = 0x0305
WM_RENDERALLFORMATS = 0x0306
WM_DESTROYCLIPBOARD = 0x0307
WM_CLIPBOARDUPDATE = 0x031D
CF_UNICODETEXT = 13
ERROR_HOTKEY_ALREADY_REGISTERED = 1409


def last_error() -> int:
    """ctypes.get_last_error (which exists on Windows only)."""
    return int(getattr(ctypes, "get_last_error")())  # noqa: B009


MessageHandler = Callable[[int, int, int], bool]
"""handler(message, wparam, lparam): True when it handled the message."""


class Win32(Protocol):
    """What the Windows back-ends ask of the OS (one implementation: User32; tests: a fake)."""

    def create_message_window(self, handler: MessageHandler) -> int:
        """A message-only window whose messages go to `handler` (Qt's event loop dispatches them)."""
        ...

    def destroy_window(self, window: int) -> None: ...

    def register_hotkey(self, window: int, hotkey_id: int, modifiers: int, virtual_key: int) -> int:
        """RegisterHotKey: 0 when it worked, else GetLastError (1409: another program holds it)."""
        ...

    def unregister_hotkey(self, window: int, hotkey_id: int) -> None: ...

    def key_down(self, virtual_key: int) -> bool:
        """GetAsyncKeyState: the key is down now."""
        ...

    def send_keys(self, strokes: list[tuple[int, bool]]) -> int:
        """SendInput of (virtual key, key up) strokes, in order; how many were inserted."""
        ...

    def foreground_window(self) -> int: ...

    def window_class(self, window: int) -> str: ...

    def window_title(self, window: int) -> str: ...

    def window_process_image(self, window: int) -> str:
        """The full path of the executable of the process that owns `window` ("" when it cannot be read)."""
        ...

    def open_clipboard(self, window: int) -> bool: ...

    def close_clipboard(self) -> None: ...

    def empty_clipboard(self) -> bool: ...

    def clipboard_formats(self) -> list[int]:
        """EnumClipboardFormats, in the clipboard's order (the clipboard must be open)."""
        ...

    def format_name(self, clipboard_format: int) -> str:
        """GetClipboardFormatNameW: a registered format's name, "" for a standard one."""
        ...

    def register_format(self, name: str) -> int: ...

    def get_data(self, clipboard_format: int) -> bytes | None:
        """GetClipboardData's memory, whole (None: no data, or a handle that is not memory)."""
        ...

    def set_data(self, clipboard_format: int, data: bytes | None) -> bool:
        """SetClipboardData with a copy of `data` in movable global memory; None announces the format for
        delayed rendering (the owner then gets WM_RENDERFORMAT when a program reads it)."""
        ...

    def sequence_number(self) -> int:
        """GetClipboardSequenceNumber: changes with every change of the clipboard."""
        ...

    def add_clipboard_listener(self, window: int) -> bool:
        """AddClipboardFormatListener: WM_CLIPBOARDUPDATE to `window` on every change."""
        ...

    def remove_clipboard_listener(self, window: int) -> None: ...


class User32:
    """Win32 through ctypes (Windows only: the DLLs exist nowhere else)."""

    def __init__(self) -> None:
        load = getattr(ctypes, "WinDLL")  # noqa: B009 - absent off Windows, where this class is never built
        self._user32 = load("user32", use_last_error=True)
        self._kernel32 = load("kernel32", use_last_error=True)
        self._declare()
        self._procedures: dict[int, Any] = {}  # window -> its WNDPROC, kept alive while the window lives

    def _declare(self) -> None:
        handle, wide = c_void_p, c_wchar_p
        for library, name, restype, *argtypes in (
            (self._user32, "RegisterHotKey", c_int, handle, c_int, c_uint, c_uint),
            (self._user32, "UnregisterHotKey", c_int, handle, c_int),
            (self._user32, "GetAsyncKeyState", ctypes.c_short, c_int),
            (self._user32, "SendInput", c_uint, c_uint, c_void_p, c_int),
            (self._user32, "GetForegroundWindow", handle),
            (self._user32, "GetClassNameW", c_int, handle, wide, c_int),
            (self._user32, "GetWindowTextW", c_int, handle, wide, c_int),
            (self._user32, "GetWindowThreadProcessId", c_ulong, handle, ctypes.POINTER(c_ulong)),
            (self._user32, "OpenClipboard", c_int, handle),
            (self._user32, "CloseClipboard", c_int),
            (self._user32, "EmptyClipboard", c_int),
            (self._user32, "EnumClipboardFormats", c_uint, c_uint),
            (self._user32, "GetClipboardFormatNameW", c_int, c_uint, wide, c_int),
            (self._user32, "RegisterClipboardFormatW", c_uint, wide),
            (self._user32, "GetClipboardData", handle, c_uint),
            (self._user32, "SetClipboardData", handle, c_uint, handle),
            (self._user32, "GetClipboardSequenceNumber", c_ulong),
            (self._user32, "AddClipboardFormatListener", c_int, handle),
            (self._user32, "RemoveClipboardFormatListener", c_int, handle),
            (self._user32, "DestroyWindow", c_int, handle),
            (self._user32, "DefWindowProcW", c_long, handle, c_uint, c_size_t, c_size_t),
            (self._kernel32, "GlobalAlloc", handle, c_uint, c_size_t),
            (self._kernel32, "GlobalFree", handle, handle),
            (self._kernel32, "GlobalLock", c_void_p, handle),
            (self._kernel32, "GlobalUnlock", c_int, handle),
            (self._kernel32, "GlobalSize", c_size_t, handle),
            (self._kernel32, "OpenProcess", handle, c_ulong, c_int, c_ulong),
            (self._kernel32, "CloseHandle", c_int, handle),
            (self._kernel32, "QueryFullProcessImageNameW", c_int, handle, c_ulong, wide, ctypes.POINTER(c_ulong)),
        ):
            function = getattr(library, name)
            function.restype, function.argtypes = restype, argtypes

    # -- windows and hotkeys ---------------------------------------------------------------------------

    def create_message_window(self, handler: MessageHandler) -> int:
        from rephraser.platform.windows.window_class import create_message_window

        window, procedure = create_message_window(self._user32, handler)
        self._procedures[window] = procedure
        return window

    def destroy_window(self, window: int) -> None:
        self._user32.DestroyWindow(window)
        self._procedures.pop(window, None)

    def register_hotkey(self, window: int, hotkey_id: int, modifiers: int, virtual_key: int) -> int:
        if self._user32.RegisterHotKey(window, hotkey_id, modifiers, virtual_key):
            return 0
        return last_error() or ERROR_HOTKEY_ALREADY_REGISTERED

    def unregister_hotkey(self, window: int, hotkey_id: int) -> None:
        self._user32.UnregisterHotKey(window, hotkey_id)

    def key_down(self, virtual_key: int) -> bool:
        return bool(self._user32.GetAsyncKeyState(virtual_key) & 0x8000)

    def send_keys(self, strokes: list[tuple[int, bool]]) -> int:
        from rephraser.platform.windows.window_class import keyboard_inputs

        inputs, size = keyboard_inputs(strokes)
        return int(self._user32.SendInput(len(strokes), inputs, size))

    # -- the focused window ----------------------------------------------------------------------------

    def foreground_window(self) -> int:
        return int(self._user32.GetForegroundWindow() or 0)

    def window_class(self, window: int) -> str:
        buffer = ctypes.create_unicode_buffer(256)
        self._user32.GetClassNameW(window, buffer, len(buffer))
        return buffer.value

    def window_title(self, window: int) -> str:
        buffer = ctypes.create_unicode_buffer(1024)
        self._user32.GetWindowTextW(window, buffer, len(buffer))
        return buffer.value

    def window_process_image(self, window: int) -> str:
        pid = c_ulong()
        self._user32.GetWindowThreadProcessId(window, ctypes.byref(pid))
        process = self._kernel32.OpenProcess(0x1000, 0, pid.value)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not process:
            return ""
        try:
            buffer, size = ctypes.create_unicode_buffer(1024), c_ulong(1024)
            ok = self._kernel32.QueryFullProcessImageNameW(process, 0, buffer, ctypes.byref(size))
            return buffer.value if ok else ""
        finally:
            self._kernel32.CloseHandle(process)

    # -- the clipboard ---------------------------------------------------------------------------------

    def open_clipboard(self, window: int) -> bool:
        return bool(self._user32.OpenClipboard(window))

    def close_clipboard(self) -> None:
        self._user32.CloseClipboard()

    def empty_clipboard(self) -> bool:
        return bool(self._user32.EmptyClipboard())

    def clipboard_formats(self) -> list[int]:
        formats, current = [], 0
        while current := int(self._user32.EnumClipboardFormats(current)):
            formats.append(current)
        return formats

    def format_name(self, clipboard_format: int) -> str:
        buffer = ctypes.create_unicode_buffer(256)
        length = self._user32.GetClipboardFormatNameW(clipboard_format, buffer, len(buffer))
        return buffer.value if length else ""

    def register_format(self, name: str) -> int:
        return int(self._user32.RegisterClipboardFormatW(name))

    def get_data(self, clipboard_format: int) -> bytes | None:
        memory = self._user32.GetClipboardData(clipboard_format)
        if not memory:
            return None
        pointer = self._kernel32.GlobalLock(memory)
        if not pointer:
            return None  # a GDI handle (a bitmap, a metafile), not memory
        try:
            return ctypes.string_at(pointer, self._kernel32.GlobalSize(memory))
        finally:
            self._kernel32.GlobalUnlock(memory)

    def set_data(self, clipboard_format: int, data: bytes | None) -> bool:
        if data is None:
            return bool(self._user32.SetClipboardData(clipboard_format, None))
        memory = self._kernel32.GlobalAlloc(0x0002, max(1, len(data)))  # GMEM_MOVEABLE
        if not memory:
            return False
        pointer = self._kernel32.GlobalLock(memory)
        ctypes.memmove(pointer, data, len(data))
        self._kernel32.GlobalUnlock(memory)
        if self._user32.SetClipboardData(clipboard_format, memory):
            return True  # the system owns the memory now
        self._kernel32.GlobalFree(memory)
        return False

    def sequence_number(self) -> int:
        return int(self._user32.GetClipboardSequenceNumber())

    def add_clipboard_listener(self, window: int) -> bool:
        return bool(self._user32.AddClipboardFormatListener(window))

    def remove_clipboard_listener(self, window: int) -> None:
        self._user32.RemoveClipboardFormatListener(window)
