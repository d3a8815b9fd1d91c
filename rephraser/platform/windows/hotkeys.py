"""Global hotkeys on Windows: RegisterHotKey on the back-ends' message window; WM_HOTKEY names the press.
Windows swallows a registered combination (the focused app never sees it) and refuses one that another
program registered first, without saying which program."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rephraser.core.desktop.keys import KeyCombo
from rephraser.core.desktop.ports import GrabFailure
from rephraser.core.errors import ConfigError
from rephraser.platform.windows.keys import virtual_key
from rephraser.platform.windows.messages import MessageWindow
from rephraser.platform.windows.win32 import ERROR_HOTKEY_ALREADY_REGISTERED, WM_HOTKEY, Win32

__all__ = ["WindowsHotkeys"]

_MODIFIERS = {"alt": 0x0001, "ctrl": 0x0002, "shift": 0x0004, "super": 0x0008}
_NO_REPEAT = 0x4000  # holding the keys gives one WM_HOTKEY, not one per auto-repeat


class WindowsHotkeys:
    """Implements rephraser.core.desktop.ports.HotkeyPort."""

    def __init__(self, api: Win32, messages: MessageWindow) -> None:
        self._api, self._window = api, messages.window
        self._ids: dict[str, int] = {}  # name -> the id it was registered under
        self._next_id = 1
        self._on_press: Callable[[str], None] = lambda _name: None
        messages.on(WM_HOTKEY, self._pressed)

    def grab(self, hotkeys: Mapping[str, KeyCombo], on_press: Callable[[str], None]) -> list[GrabFailure]:
        self.release_all()
        self._on_press = on_press
        return [failure for name, combo in hotkeys.items() if (failure := self.grab_one(name, combo)) is not None]

    def grab_one(self, name: str, combo: KeyCombo) -> GrabFailure | None:
        self.release(name)
        try:
            key = virtual_key(combo.key)
        except ConfigError as error:
            return GrabFailure(name, combo, str(error))
        modifiers = sum(_MODIFIERS[m] for m in combo.modifiers) | _NO_REPEAT
        hotkey_id, self._next_id = self._next_id, self._next_id + 1
        error_code = self._api.register_hotkey(self._window, hotkey_id, modifiers, key)
        if error_code == 0:
            self._ids[name] = hotkey_id
            return None
        if error_code == ERROR_HOTKEY_ALREADY_REGISTERED:
            return GrabFailure(name, combo, "another program already uses it")
        return GrabFailure(name, combo, f"Windows refused it (error {error_code})")

    def release(self, name: str) -> None:
        hotkey_id = self._ids.pop(name, None)
        if hotkey_id is not None:
            self._api.unregister_hotkey(self._window, hotkey_id)

    def release_all(self) -> None:
        for name in list(self._ids):
            self.release(name)

    def _pressed(self, wparam: int, _lparam: int) -> None:
        name = next((name for name, hotkey_id in self._ids.items() if hotkey_id == wparam), None)
        if name is not None:
            self._on_press(name)
