"""libX11 and libXtst through ctypes: only the calls the running app makes.

python-xlib (still used by the clipboard keeper, a separate process) costs the tray app ~40 ms of
start-up and ~5 MB: it is pure Python and loads a module for every extension the server has. The C
libraries are loaded anyway by any desktop (Qt's xcb platform needs libX11; at-spi needs libXtst).

Xlib reports request errors to one process-wide handler, and its default handler exits the process.
Qt replaces it with one that ignores errors when it opens its own display. `Display.checked()` puts
ours in place for the requests it runs, waits for the server's verdict, and puts the previous one back.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Iterator
from ctypes import POINTER, byref, c_char_p, c_int, c_long, c_ubyte, c_uint, c_ulong, c_void_p
from typing import Any, NamedTuple

__all__ = ["KEY_PRESS", "Display", "KeyEvent", "XError", "XUnavailableError"]

KEY_PRESS = 2
_GRAB_MODE_ASYNC = 1
_ANY_PROPERTY_TYPE = 0
_XA_WM_NAME = 39
_SUCCESS = 0


class XUnavailableError(OSError):
    """A library or the display cannot be opened; the message says which and what to install."""


class XError(NamedTuple):
    """A request the server refused: X11 error code (10 is BadAccess) and the request's major opcode."""

    code: int
    request: int


class KeyEvent(NamedTuple):
    """A key event from the queue (other event types come with keycode and state 0)."""

    type: int
    keycode: int
    state: int


class _XErrorEvent(ctypes.Structure):
    _fields_ = (
        ("type", c_int),
        ("display", c_void_p),
        ("resourceid", c_ulong),
        ("serial", c_ulong),
        ("error_code", c_ubyte),
        ("request_code", c_ubyte),
        ("minor_code", c_ubyte),
    )


class _XKeyEvent(ctypes.Structure):
    _fields_ = (
        ("type", c_int),
        ("serial", c_ulong),
        ("send_event", c_int),
        ("display", c_void_p),
        ("window", c_ulong),
        ("root", c_ulong),
        ("subwindow", c_ulong),
        ("time", c_ulong),
        ("x", c_int),
        ("y", c_int),
        ("x_root", c_int),
        ("y_root", c_int),
        ("state", c_uint),
        ("keycode", c_uint),
        ("same_screen", c_int),
    )


class _XEvent(ctypes.Union):
    _fields_ = (("type", c_int), ("xkey", _XKeyEvent), ("pad", c_long * 24))  # XEvent is 24 longs


class _XModifierKeymap(ctypes.Structure):
    _fields_ = (("max_keypermod", c_int), ("modifiermap", POINTER(c_ubyte)))


class _XClassHint(ctypes.Structure):
    _fields_ = (("res_name", c_void_p), ("res_class", c_void_p))  # void*: each is freed with XFree


_ERROR_HANDLER = ctypes.CFUNCTYPE(c_int, c_void_p, POINTER(_XErrorEvent))
_caught: dict[int, list[XError]] = {}  # display address -> errors since its `checked()` began


def _record_error(display: int | None, event: Any) -> int:
    bucket = _caught.get(display or 0)
    if bucket is not None:
        bucket.append(XError(event.contents.error_code, event.contents.request_code))
    return 0  # errors on another display (Qt's) are ignored, as Qt's own handler does


_on_error = _ERROR_HANDLER(_record_error)  # kept alive here: Xlib holds only the C pointer


class _Libraries:
    """libX11 and libXtst with every function's C signature declared (64-bit pointers need it)."""

    def __init__(self) -> None:
        self.x11 = _load("libX11.so.6", "libx11-6 (Debian, Ubuntu) or libX11 (Fedora, Arch)")
        self.xtst = _load("libXtst.so.6", "libxtst6 (Debian, Ubuntu) or libXtst (Fedora, Arch)")
        display, window, atom, status = c_void_p, c_ulong, c_ulong, c_int
        self._declare(self.x11, "XOpenDisplay", display, c_char_p)
        self._declare(self.x11, "XCloseDisplay", c_int, display)
        self._declare(self.x11, "XConnectionNumber", c_int, display)
        self._declare(self.x11, "XDefaultRootWindow", window, display)
        self._declare(self.x11, "XSetErrorHandler", c_void_p, c_void_p)
        self._declare(self.x11, "XSync", c_int, display, c_int)
        self._declare(self.x11, "XPending", c_int, display)
        self._declare(self.x11, "XNextEvent", c_int, display, POINTER(_XEvent))
        self._declare(self.x11, "XStringToKeysym", c_ulong, c_char_p)
        self._declare(self.x11, "XKeysymToKeycode", c_ubyte, display, c_ulong)
        self._declare(self.x11, "XGetModifierMapping", POINTER(_XModifierKeymap), display)
        self._declare(self.x11, "XFreeModifiermap", c_int, POINTER(_XModifierKeymap))
        self._declare(self.x11, "XGrabKey", c_int, display, c_int, c_uint, window, c_int, c_int, c_int)
        self._declare(self.x11, "XUngrabKey", c_int, display, c_int, c_uint, window)
        self._declare(self.x11, "XQueryKeymap", c_int, display, c_ubyte * 32)
        self._declare(self.x11, "XInternAtom", atom, display, c_char_p, c_int)
        self._declare(self.x11, "XFree", c_int, c_void_p)
        self._declare(
            self.x11,
            "XGetWindowProperty",
            status,
            *(display, window, atom, c_long, c_long, c_int, atom),
            *(POINTER(atom), POINTER(c_int), POINTER(c_ulong), POINTER(c_ulong), POINTER(c_void_p)),
        )
        self._declare(self.x11, "XGetInputFocus", c_int, display, POINTER(window), POINTER(c_int))
        self._declare(
            self.x11,
            "XQueryTree",
            status,
            *(display, window, POINTER(window), POINTER(window), POINTER(c_void_p), POINTER(c_uint)),
        )
        self._declare(self.x11, "XGetClassHint", status, display, window, POINTER(_XClassHint))
        self._declare(self.xtst, "XTestQueryExtension", c_int, display, *(POINTER(c_int),) * 4)
        self._declare(self.xtst, "XTestFakeKeyEvent", c_int, display, c_uint, c_int, c_ulong)

    @staticmethod
    def _declare(library: ctypes.CDLL, name: str, restype: Any, *argtypes: Any) -> None:
        function = getattr(library, name)
        function.restype, function.argtypes = restype, argtypes


_libraries: _Libraries | None = None


def _load(soname: str, package: str) -> ctypes.CDLL:
    try:
        return ctypes.CDLL(soname)
    except OSError as exc:
        raise XUnavailableError(f"The X11 library {soname} is missing: install {package}.") from exc


def _libs() -> _Libraries:
    global _libraries
    if _libraries is None:
        _libraries = _Libraries()
    return _libraries


class Display:
    """One connection to an X server, with the requests the back-ends make."""

    def __init__(self, name: str | None) -> None:
        libs = _libs()
        self._x, self._xtst = libs.x11, libs.xtst
        handle = self._x.XOpenDisplay(name.encode() if name else None)
        if not handle:
            raise XUnavailableError(f"Cannot open the X11 display {name or '(DISPLAY unset)'}.")
        self._handle = int(handle)
        self._x.XSetErrorHandler(ctypes.cast(_on_error, c_void_p))  # until Qt opens its display
        if not self._has_xtest():
            self.close()
            raise XUnavailableError(f"The X server of {name} has no XTEST extension to type Ctrl+C and Ctrl+V.")
        self.root = int(self._x.XDefaultRootWindow(self._handle))

    def fileno(self) -> int:
        return int(self._x.XConnectionNumber(self._handle))

    def checked(self, requests: Callable[[], object]) -> list[XError]:
        """Run `requests` and wait for the server's verdict on them (XGrabKey's BadAccess comes back only
        asynchronously); the errors they caused, none when all went through."""
        previous = self._x.XSetErrorHandler(ctypes.cast(_on_error, c_void_p))
        caught = _caught[self._handle] = []
        try:
            requests()
            self._x.XSync(self._handle, 0)
            return caught
        finally:
            del _caught[self._handle]
            self._x.XSetErrorHandler(previous)

    def events(self) -> Iterator[KeyEvent]:
        """Every event already read or readable without blocking."""
        event = _XEvent()
        while self._x.XPending(self._handle):
            self._x.XNextEvent(self._handle, byref(event))
            if event.type == KEY_PRESS:
                yield KeyEvent(KEY_PRESS, event.xkey.keycode, event.xkey.state)
            else:
                yield KeyEvent(event.type, 0, 0)

    def keycode(self, key: str) -> int:
        """The keycode of a key name ("r", "Escape", "F5"), 0 if the keyboard has none."""
        keysym = int(self._x.XStringToKeysym(key.encode()))
        if not keysym and len(key) == 1:
            keysym = ord(key)  # Latin-1 keysyms equal their code points
        return int(self._x.XKeysymToKeycode(self._handle, keysym)) if keysym else 0

    def modifier_of(self, keycode: int) -> int:
        """The modifier mask a key sets (NumLock is usually Mod2), 0 if it sets none."""
        mapping = self._x.XGetModifierMapping(self._handle)
        try:
            per_modifier = mapping.contents.max_keypermod
            codes = mapping.contents.modifiermap
            for index in range(8):
                if keycode and keycode in (codes[index * per_modifier + slot] for slot in range(per_modifier)):
                    return 1 << index
            return 0
        finally:
            self._x.XFreeModifiermap(mapping)

    def grab_key(self, keycode: int, modifiers: int) -> None:
        self._x.XGrabKey(self._handle, keycode, modifiers, self.root, 1, _GRAB_MODE_ASYNC, _GRAB_MODE_ASYNC)

    def ungrab_key(self, keycode: int, modifiers: int) -> None:
        self._x.XUngrabKey(self._handle, keycode, modifiers, self.root)

    def any_key_down(self) -> bool:
        keys = (c_ubyte * 32)()
        self._x.XQueryKeymap(self._handle, keys)
        return any(keys)

    def fake_key(self, keycode: int, press: bool) -> None:
        self._xtst.XTestFakeKeyEvent(self._handle, keycode, int(press), 0)

    def atom(self, name: str) -> int:
        return int(self._x.XInternAtom(self._handle, name.encode(), 0))

    def property_bytes(self, window: int, prop: int, type_atom: int = _ANY_PROPERTY_TYPE) -> tuple[int, bytes]:
        """A window property's format (8, 16 or 32; 0 when unset) and its data, as Xlib lays it out: a
        C long per item for format 32."""
        actual_type, actual_format = c_ulong(), c_int()
        items, after, data = c_ulong(), c_ulong(), c_void_p()
        status = self._x.XGetWindowProperty(
            self._handle, window, prop, 0, 4096, 0, type_atom, byref(actual_type), byref(actual_format),
            byref(items), byref(after), byref(data),
        )  # fmt: skip
        if status != _SUCCESS or not data.value:
            return 0, b""
        try:
            size = {8: 1, 16: ctypes.sizeof(ctypes.c_short), 32: ctypes.sizeof(c_long)}.get(actual_format.value, 0)
            return actual_format.value, ctypes.string_at(data.value, size * items.value)
        finally:
            self._x.XFree(data)

    def active_window(self) -> int:
        """The window manager's _NET_ACTIVE_WINDOW, else the input focus; 0 when neither names a window."""
        form, data = self.property_bytes(self.root, self.atom("_NET_ACTIVE_WINDOW"))
        if form == 32 and len(data) >= ctypes.sizeof(c_ulong):
            window = c_ulong.from_buffer_copy(data[: ctypes.sizeof(c_ulong)]).value
            if window:
                return window
        focus, revert = c_ulong(), c_int()
        self._x.XGetInputFocus(self._handle, byref(focus), byref(revert))
        return focus.value if focus.value > 1 else 0  # 0 is None, 1 is PointerRoot

    def parent(self, window: int) -> int:
        root, parent, children, count = c_ulong(), c_ulong(), c_void_p(), c_uint()
        if not self._x.XQueryTree(self._handle, window, byref(root), byref(parent), byref(children), byref(count)):
            return 0
        if children.value:
            self._x.XFree(children)
        return parent.value

    def wm_class(self, window: int) -> tuple[str, str] | None:
        """WM_CLASS as (instance, class), None when the window has none."""
        hint = _XClassHint()
        if not self._x.XGetClassHint(self._handle, window, byref(hint)):
            return None
        try:
            return _text(hint.res_name), _text(hint.res_class)
        finally:
            for pointer in (hint.res_name, hint.res_class):
                if pointer:
                    self._x.XFree(pointer)

    def title(self, window: int) -> str:
        """_NET_WM_NAME (UTF-8), else WM_NAME (Latin-1, ICCCM's STRING)."""
        form, data = self.property_bytes(window, self.atom("_NET_WM_NAME"), self.atom("UTF8_STRING"))
        if form == 8 and data:
            return data.decode("utf-8", "replace")
        form, data = self.property_bytes(window, _XA_WM_NAME)
        return data.decode("latin-1") if form == 8 else ""

    def close(self) -> None:
        if self._handle:
            self._x.XCloseDisplay(self._handle)
            self._handle = 0

    def _has_xtest(self) -> bool:
        numbers = [c_int() for _ in range(4)]
        return bool(self._xtst.XTestQueryExtension(self._handle, *(byref(number) for number in numbers)))


def _text(pointer: int | None) -> str:
    return ctypes.string_at(pointer).decode("utf-8", "replace") if pointer else ""
