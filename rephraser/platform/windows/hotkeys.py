"""Global hotkeys on Windows: RegisterHotKey on the back-ends' message window; WM_HOTKEY names the press.
Windows swallows a registered combination (the focused app never sees it) and refuses one that another
program registered first, without saying which program."""

from __future__ import annotations

from rephraser.core.desktop.keys import KeyCombo
from rephraser.core.desktop.ports import GrabFailure
from rephraser.core.errors import ConfigError
from rephraser.platform.numbered_hotkeys import NumberedHotkeys
from rephraser.platform.windows.keys import virtual_key
from rephraser.platform.windows.messages import MessageWindow
from rephraser.platform.windows.win32 import ERROR_HOTKEY_ALREADY_REGISTERED, WM_HOTKEY, Win32

__all__ = ["WindowsHotkeys"]

_MODIFIERS = {"alt": 0x0001, "ctrl": 0x0002, "shift": 0x0004, "super": 0x0008}
_NO_REPEAT = 0x4000  # holding the keys gives one WM_HOTKEY, not one per auto-repeat


class WindowsHotkeys(NumberedHotkeys):
    """Implements rephraser.core.desktop.ports.HotkeyPort."""

    def __init__(self, api: Win32, messages: MessageWindow) -> None:
        super().__init__()
        self._api, self._window = api, messages.window
        messages.on(WM_HOTKEY, lambda wparam, _lparam: self.pressed(wparam))

    def _register(self, name: str, hotkey_id: int, combo: KeyCombo) -> GrabFailure | None:
        try:
            key = virtual_key(combo.key)
        except ConfigError as error:
            return GrabFailure(name, combo, str(error))
        modifiers = sum(_MODIFIERS[m] for m in combo.modifiers) | _NO_REPEAT
        error_code = self._api.register_hotkey(self._window, hotkey_id, modifiers, key)
        if error_code == 0:
            return None
        if error_code == ERROR_HOTKEY_ALREADY_REGISTERED:
            return GrabFailure(name, combo, "another program already uses it")
        return GrabFailure(name, combo, f"Windows refused it (error {error_code})")

    def _unregister(self, hotkey_id: int) -> None:
        self._api.unregister_hotkey(self._window, hotkey_id)
