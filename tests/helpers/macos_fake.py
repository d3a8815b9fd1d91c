"""A simulated macOS for the macOS back-ends (rephraser.platform.macos.cocoa.MacOS): Carbon hot keys other
programs may hold, key states, posted key events, the frontmost app, and a general pasteboard with a
changeCount and lazily provided data, as AppKit documents them. Every call is kept in `calls`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rephraser.platform.macos.cocoa import EVENT_HOT_KEY_EXISTS

TEXT = "public.utf8-plain-text"


class FakeMacOS:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.taken: set[tuple[int, int]] = set()  # (modifiers, key code) other programs registered
        self.hotkeys: dict[int, tuple[int, int]] = {}
        self._on_hotkey: Callable[[int], None] = lambda _id: None
        self.down: set[int] = set()
        self.posted: list[list[tuple[int, bool, int]]] = []
        self.on_keys: Callable[[list[tuple[int, bool, int]]], None] = lambda _strokes: None
        self.trusted = True
        self.frontmost = ("com.apple.TextEdit", "TextEdit", 501)
        self.items: list[dict[str, bytes]] = []
        self.lazy: Callable[[], str] | None = None
        self.count = 1
        self.refuse_writes = False

    # -- the simulation's own controls ------------------------------------------------------------------

    def press_hotkey(self, modifiers: int, key_code: int) -> None:
        for hotkey_id, combo in list(self.hotkeys.items()):
            if combo == (modifiers, key_code):
                self._on_hotkey(hotkey_id)

    def copy_by_other_app(self, items: list[dict[str, bytes]]) -> None:
        self.items, self.lazy = [dict(item) for item in items], None
        self.count += 1

    def read_text_by_other_app(self) -> str:
        """An app pastes: a lazily provided text is asked for once, then the pasteboard holds it."""
        if self.lazy is not None:
            provide, self.lazy = self.lazy, None
            self.items = [{TEXT: provide().encode("utf-8")}]
        return self.items[0].get(TEXT, b"").decode("utf-8") if self.items else ""

    # -- MacOS ---------------------------------------------------------------------------------------

    def register_hotkey(self, hotkey_id: int, modifiers: int, key_code: int) -> int:
        self.calls.append(("RegisterEventHotKey", hotkey_id, modifiers, key_code))
        if (modifiers, key_code) in self.taken or (modifiers, key_code) in self.hotkeys.values():
            return EVENT_HOT_KEY_EXISTS
        self.hotkeys[hotkey_id] = (modifiers, key_code)
        return 0

    def unregister_hotkey(self, hotkey_id: int) -> None:
        self.calls.append(("UnregisterEventHotKey", hotkey_id))
        self.hotkeys.pop(hotkey_id, None)

    def on_hotkey(self, handler: Callable[[int], None]) -> None:
        self._on_hotkey = handler

    def key_down(self, key_code: int) -> bool:
        return key_code in self.down

    def post_keys(self, strokes: list[tuple[int, bool, int]]) -> None:
        self.calls.append(("CGEventPost", tuple(strokes)))
        self.posted.append(strokes)
        self.on_keys(strokes)

    def accessibility_trusted(self) -> bool:
        return self.trusted

    def frontmost_app(self) -> tuple[str, str, int]:
        return self.frontmost

    def change_count(self) -> int:
        return self.count

    def pasteboard_items(self) -> list[dict[str, bytes]]:
        return [dict(item) for item in self.items]

    def write_items(self, items: list[dict[str, bytes]]) -> int:
        self.calls.append(("writeObjects", [dict(item) for item in items]))
        self.count += 1  # clearContents
        self.items, self.lazy = [], None
        if self.refuse_writes:
            return -1
        if items:
            self.items = [dict(item) for item in items]
            self.count += 1
        return self.count

    def write_lazy_text(self, provide: Callable[[], str]) -> int:
        self.calls.append(("writeObjects", "lazy text"))
        self.items, self.lazy = [{}], provide
        self.count += 2  # clearContents, writeObjects
        return self.count

    def text(self) -> str:
        return self.items[0].get(TEXT, b"").decode("utf-8") if self.items and self.lazy is None else ""
