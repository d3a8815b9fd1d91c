"""The two Win32 structures the back-ends need laid out by hand: a message-only window with a Python
window procedure (hotkeys, clipboard updates and delayed rendering arrive there), and SendInput's INPUT
array. Windows only, used by win32.User32."""

from __future__ import annotations

import ctypes
from ctypes import Structure, Union, c_int, c_long, c_size_t, c_ssize_t, c_uint, c_ulong, c_ushort, c_void_p, c_wchar_p
from typing import Any

from rephraser.platform.windows.win32 import MessageHandler, last_error

__all__ = ["create_message_window", "keyboard_inputs"]

_HWND_MESSAGE = -3
_KEYEVENTF_EXTENDEDKEY = 0x0001
_KEYEVENTF_KEYUP = 0x0002
_INPUT_KEYBOARD = 1
# Keys on the extended part of the keyboard: SendInput must say so, or Insert arrives as numpad 0.
_EXTENDED = frozenset({0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x2D, 0x2E, 0x5B, 0x5C})
_CLASS_NAME = "RephraserMessageWindow"


class _KeyboardInput(Structure):
    _fields_ = (
        ("wVk", c_ushort),
        ("wScan", c_ushort),
        ("dwFlags", c_ulong),
        ("time", c_ulong),
        ("dwExtraInfo", c_size_t),
    )


class _MouseInput(Structure):  # the union's largest member: it sets INPUT's size
    _fields_ = (
        ("dx", c_long),
        ("dy", c_long),
        ("mouseData", c_ulong),
        ("dwFlags", c_ulong),
        ("time", c_ulong),
        ("dwExtraInfo", c_size_t),
    )


class _InputUnion(Union):
    _fields_ = (("ki", _KeyboardInput), ("mi", _MouseInput))


class _Input(Structure):
    _fields_ = (("type", c_ulong), ("u", _InputUnion))


def keyboard_inputs(strokes: list[tuple[int, bool]]) -> tuple[Any, int]:
    """An INPUT array for SendInput, and the size of one INPUT."""
    inputs = (_Input * len(strokes))()
    for slot, (virtual_key, up) in zip(inputs, strokes, strict=True):
        flags = (_KEYEVENTF_KEYUP if up else 0) | (_KEYEVENTF_EXTENDEDKEY if virtual_key in _EXTENDED else 0)
        slot.type = _INPUT_KEYBOARD
        slot.u.ki = _KeyboardInput(virtual_key, 0, flags, 0, 0)
    return inputs, ctypes.sizeof(_Input)


_WNDPROC = getattr(ctypes, "WINFUNCTYPE", ctypes.CFUNCTYPE)(c_ssize_t, c_void_p, c_uint, c_size_t, c_ssize_t)


class _WindowClass(Structure):
    _fields_ = (
        ("cbSize", c_uint),
        ("style", c_uint),
        ("lpfnWndProc", _WNDPROC),
        ("cbClsExtra", c_int),
        ("cbWndExtra", c_int),
        ("hInstance", c_void_p),
        ("hIcon", c_void_p),
        ("hCursor", c_void_p),
        ("hbrBackground", c_void_p),
        ("lpszMenuName", c_wchar_p),
        ("lpszClassName", c_wchar_p),
        ("hIconSm", c_void_p),
    )


def create_message_window(user32: Any, handler: MessageHandler) -> tuple[int, Any]:
    """A message-only window (HWND_MESSAGE) whose procedure calls `handler`, else DefWindowProcW; the
    window and the procedure (the caller keeps it alive as long as the window)."""
    kernel32 = getattr(ctypes, "WinDLL")("kernel32", use_last_error=True)  # noqa: B009 - Windows only
    kernel32.GetModuleHandleW.restype = c_void_p
    kernel32.GetModuleHandleW.argtypes = (c_wchar_p,)
    instance = kernel32.GetModuleHandleW(None)
    user32.DefWindowProcW.restype = c_ssize_t
    user32.DefWindowProcW.argtypes = (c_void_p, c_uint, c_size_t, c_ssize_t)

    def procedure(window: int, message: int, wparam: int, lparam: int) -> int:
        try:
            if handler(message, wparam, lparam):
                return 0
        except Exception:  # an exception must not cross into the OS; the handler logs its own
            return 0
        return int(user32.DefWindowProcW(window, message, wparam, lparam))

    callback = _WNDPROC(procedure)
    window_class = _WindowClass()
    window_class.cbSize = ctypes.sizeof(_WindowClass)
    window_class.lpfnWndProc = callback
    window_class.hInstance = instance
    window_class.lpszClassName = f"{_CLASS_NAME}{id(callback)}"
    user32.RegisterClassExW.restype = ctypes.c_ushort
    user32.RegisterClassExW.argtypes = (ctypes.POINTER(_WindowClass),)
    if not user32.RegisterClassExW(ctypes.byref(window_class)):
        raise OSError(last_error(), "RegisterClassExW failed")
    user32.CreateWindowExW.restype = c_void_p
    user32.CreateWindowExW.argtypes = (
        c_ulong, c_wchar_p, c_wchar_p, c_ulong, c_int, c_int, c_int, c_int, c_void_p, c_void_p, c_void_p, c_void_p
    )  # fmt: skip
    window = user32.CreateWindowExW(
        0, window_class.lpszClassName, "Rephraser", 0, 0, 0, 0, 0, _HWND_MESSAGE, None, instance, None
    )
    if not window:
        raise OSError(last_error(), "CreateWindowExW failed")
    return int(window), (callback, window_class)
