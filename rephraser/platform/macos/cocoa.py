"""The macOS calls the back-ends make, as one small interface (`MacOS`) and its implementation (`Cocoa`:
pyobjc's AppKit and Quartz, Carbon's hot keys through ctypes; macOS only), so that tests can hand the
back-ends a fake of the OS. The back-ends hold the logic; tests check it against the fake's record."""

from __future__ import annotations

import ctypes
import logging
from collections.abc import Callable
from typing import Any, Protocol

__all__ = ["EVENT_HOT_KEY_EXISTS", "Cocoa", "MacOS"]

log = logging.getLogger("rephraser.desktop")

EVENT_HOT_KEY_EXISTS = -9878  # eventHotKeyExistsErr: another program registered the combination
_CARBON = "/System/Library/Frameworks/Carbon.framework/Carbon"
_APPLICATION_SERVICES = "/System/Library/Frameworks/ApplicationServices.framework/ApplicationServices"
_SIGNATURE = int.from_bytes(b"Rphr", "big")


class MacOS(Protocol):
    """What the macOS back-ends ask of the OS (one implementation: Cocoa; tests: a fake)."""

    def register_hotkey(self, hotkey_id: int, modifiers: int, key_code: int) -> int:
        """RegisterEventHotKey on the application target: 0 (noErr) or an OSStatus."""
        ...

    def unregister_hotkey(self, hotkey_id: int) -> None: ...

    def on_hotkey(self, handler: Callable[[int], None]) -> None:
        """`handler(hotkey_id)` on each kEventHotKeyPressed (Qt's Cocoa event loop dispatches it)."""
        ...

    def key_down(self, key_code: int) -> bool:
        """CGEventSourceKeyState for the combined session: the key is down now."""
        ...

    def post_keys(self, strokes: list[tuple[int, bool, int]]) -> None:
        """CGEventPost of (key code, key up, modifier flags) keyboard events, in order (needs Accessibility)."""
        ...

    def accessibility_trusted(self) -> bool:
        """AXIsProcessTrusted: may this process post key events to other apps?"""
        ...

    def frontmost_app(self) -> tuple[str, str, int]:
        """NSWorkspace's frontmost application: bundle identifier, localized name, process id."""
        ...

    def change_count(self) -> int:
        """The general pasteboard's changeCount: it moves with every change."""
        ...

    def pasteboard_items(self) -> list[dict[str, bytes]]:
        """Every item of the general pasteboard, each as type -> data."""
        ...

    def write_items(self, items: list[dict[str, bytes]]) -> int:
        """clearContents, then the items; the changeCount after (-1: the pasteboard refused them)."""
        ...

    def write_lazy_text(self, provide: Callable[[], str]) -> int:
        """clearContents, then one item whose plain text comes from `provide()` when an app reads it (an
        NSPasteboardItemDataProvider); the changeCount after."""
        ...

    def text(self) -> str: ...


class Cocoa:
    """MacOS on pyobjc and Carbon (macOS only: neither exists elsewhere)."""

    def __init__(self) -> None:
        import AppKit  # type: ignore[import-not-found, unused-ignore]
        import Quartz  # type: ignore[import-not-found, unused-ignore]

        self._appkit: Any = AppKit
        self._quartz: Any = Quartz
        self._pasteboard: Any = AppKit.NSPasteboard.generalPasteboard()
        self._carbon = _CarbonHotKeys()
        self._kept: list[Any] = []  # the lazy item and its provider, alive until the next write
        # A menu-bar app: no Dock icon, no app menu (what LSUIElement does for a bundled app).
        AppKit.NSApplication.sharedApplication().setActivationPolicy_(AppKit.NSApplicationActivationPolicyAccessory)

    def register_hotkey(self, hotkey_id: int, modifiers: int, key_code: int) -> int:
        return self._carbon.register(hotkey_id, modifiers, key_code)

    def unregister_hotkey(self, hotkey_id: int) -> None:
        self._carbon.unregister(hotkey_id)

    def on_hotkey(self, handler: Callable[[int], None]) -> None:
        self._carbon.handler = handler

    def key_down(self, key_code: int) -> bool:
        quartz = self._quartz
        return bool(quartz.CGEventSourceKeyState(quartz.kCGEventSourceStateCombinedSessionState, key_code))

    def post_keys(self, strokes: list[tuple[int, bool, int]]) -> None:
        quartz = self._quartz
        source = quartz.CGEventSourceCreate(quartz.kCGEventSourceStateHIDSystemState)
        for key_code, up, flags in strokes:
            event = quartz.CGEventCreateKeyboardEvent(source, key_code, not up)
            quartz.CGEventSetFlags(event, flags)
            quartz.CGEventPost(quartz.kCGHIDEventTap, event)

    def accessibility_trusted(self) -> bool:
        services = ctypes.CDLL(_APPLICATION_SERVICES)
        services.AXIsProcessTrusted.restype = ctypes.c_bool
        return bool(services.AXIsProcessTrusted())

    def frontmost_app(self) -> tuple[str, str, int]:
        app = self._appkit.NSWorkspace.sharedWorkspace().frontmostApplication()
        if app is None:
            return "", "", 0
        return str(app.bundleIdentifier() or ""), str(app.localizedName() or ""), int(app.processIdentifier())

    def change_count(self) -> int:
        return int(self._pasteboard.changeCount())

    def pasteboard_items(self) -> list[dict[str, bytes]]:
        items = []
        for item in self._pasteboard.pasteboardItems() or []:
            formats = {}
            for kind in item.types():
                data = item.dataForType_(kind)
                if data is not None:
                    formats[str(kind)] = bytes(data)
            items.append(formats)
        return items

    def write_items(self, items: list[dict[str, bytes]]) -> int:
        appkit = self._appkit
        objects = []
        for formats in items:
            item = appkit.NSPasteboardItem.alloc().init()
            for kind, data in formats.items():
                item.setData_forType_(appkit.NSData.dataWithBytes_length_(data, len(data)), kind)
            objects.append(item)
        self._pasteboard.clearContents()
        self._kept = []
        if objects and not self._pasteboard.writeObjects_(objects):
            return -1
        return self.change_count()

    def write_lazy_text(self, provide: Callable[[], str]) -> int:
        appkit = self._appkit
        provider = _provider_class(appkit).alloc().init()
        provider.provide = provide
        item = appkit.NSPasteboardItem.alloc().init()
        item.setDataProvider_forTypes_(provider, [appkit.NSPasteboardTypeString])
        self._pasteboard.clearContents()
        self._kept = [item, provider]
        self._pasteboard.writeObjects_([item])
        return self.change_count()

    def text(self) -> str:
        value = self._pasteboard.stringForType_(self._appkit.NSPasteboardTypeString)
        return str(value) if value is not None else ""


_provider: Any = None


def _provider_class(appkit: Any) -> Any:
    """An NSPasteboardItemDataProvider whose data comes from a Python callable (defined once, on macOS)."""
    global _provider
    if _provider is None:

        class RephraserTextProvider(appkit.NSObject):  # type: ignore[misc]
            provide: Callable[[], str] = staticmethod(lambda: "")

            def pasteboard_item_provideDataForType_(self, pasteboard: Any, item: Any, kind: Any) -> None:
                item.setString_forType_(self.provide(), kind)

            def pasteboardFinishedWithDataProvider_(self, pasteboard: Any) -> None:
                pass

        _provider = RephraserTextProvider
    return _provider


class _EventTypeSpec(ctypes.Structure):
    _fields_ = (("eventClass", ctypes.c_uint32), ("eventKind", ctypes.c_uint32))


class _EventHotKeyID(ctypes.Structure):
    _fields_ = (("signature", ctypes.c_uint32), ("id", ctypes.c_uint32))


_HANDLER = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)


class _CarbonHotKeys:
    """RegisterEventHotKey and one kEventHotKeyPressed handler on the application event target: needs no
    Accessibility permission, and the focused app never sees the combination."""

    def __init__(self) -> None:
        carbon = self._carbon = ctypes.CDLL(_CARBON)
        carbon.GetApplicationEventTarget.restype = ctypes.c_void_p
        carbon.InstallEventHandler.argtypes = (
            ctypes.c_void_p, _HANDLER, ctypes.c_uint32, ctypes.POINTER(_EventTypeSpec), ctypes.c_void_p, ctypes.c_void_p
        )  # fmt: skip
        carbon.RegisterEventHotKey.argtypes = (
            ctypes.c_uint32, ctypes.c_uint32, _EventHotKeyID, ctypes.c_void_p, ctypes.c_uint32,
            ctypes.POINTER(ctypes.c_void_p),
        )  # fmt: skip
        carbon.UnregisterEventHotKey.argtypes = (ctypes.c_void_p,)
        carbon.GetEventParameter.argtypes = (
            ctypes.c_void_p, ctypes.c_uint32, ctypes.c_uint32, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_void_p,
            ctypes.c_void_p,
        )  # fmt: skip
        self.handler: Callable[[int], None] = lambda _id: None
        self._refs: dict[int, ctypes.c_void_p] = {}
        self._callback = _HANDLER(self._pressed)  # kept alive: Carbon holds only the pointer
        spec = _EventTypeSpec(int.from_bytes(b"keyb", "big"), 5)  # kEventClassKeyboard, kEventHotKeyPressed
        carbon.InstallEventHandler(
            carbon.GetApplicationEventTarget(), self._callback, 1, ctypes.byref(spec), None, None
        )

    def register(self, hotkey_id: int, modifiers: int, key_code: int) -> int:
        ref = ctypes.c_void_p()
        target = self._carbon.GetApplicationEventTarget()
        hotkey = _EventHotKeyID(_SIGNATURE, hotkey_id)
        status = int(self._carbon.RegisterEventHotKey(key_code, modifiers, hotkey, target, 0, ctypes.byref(ref)))
        if status == 0:
            self._refs[hotkey_id] = ref
        return status

    def unregister(self, hotkey_id: int) -> None:
        ref = self._refs.pop(hotkey_id, None)
        if ref is not None:
            self._carbon.UnregisterEventHotKey(ref)

    def _pressed(self, _call: Any, event: Any, _data: Any) -> int:
        hotkey = _EventHotKeyID()
        direct, hotkey_type = int.from_bytes(b"----", "big"), int.from_bytes(b"hkid", "big")
        size = ctypes.sizeof(hotkey)
        self._carbon.GetEventParameter(event, direct, hotkey_type, None, size, None, ctypes.byref(hotkey))
        try:
            self.handler(int(hotkey.id))
        except Exception as error:  # nothing may cross into Carbon
            log.error("handling a hot key failed", exc_info=error)
        return 0
