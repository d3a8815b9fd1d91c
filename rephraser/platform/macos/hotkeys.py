"""Global hotkeys on macOS: Carbon's RegisterEventHotKey (no Accessibility permission needed for it); the
focused app never sees a registered combination, and one another program registered is refused."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rephraser.core.desktop.keys import KeyCombo
from rephraser.core.desktop.ports import GrabFailure
from rephraser.core.errors import ConfigError
from rephraser.platform.macos.cocoa import EVENT_HOT_KEY_EXISTS, MacOS
from rephraser.platform.macos.keys import key_code

__all__ = ["MacHotkeys"]

_MODIFIERS = {"super": 0x0100, "shift": 0x0200, "alt": 0x0800, "ctrl": 0x1000}  # cmdKey, shiftKey, ...


class MacHotkeys:
    """Implements rephraser.core.desktop.ports.HotkeyPort."""

    def __init__(self, api: MacOS) -> None:
        self._api = api
        self._ids: dict[str, int] = {}
        self._next_id = 1
        self._on_press: Callable[[str], None] = lambda _name: None
        api.on_hotkey(self._pressed)

    def grab(self, hotkeys: Mapping[str, KeyCombo], on_press: Callable[[str], None]) -> list[GrabFailure]:
        self.release_all()
        self._on_press = on_press
        return [failure for name, combo in hotkeys.items() if (failure := self.grab_one(name, combo)) is not None]

    def grab_one(self, name: str, combo: KeyCombo) -> GrabFailure | None:
        self.release(name)
        try:
            code = key_code(combo.key)
        except ConfigError as error:
            return GrabFailure(name, combo, str(error))
        hotkey_id, self._next_id = self._next_id, self._next_id + 1
        status = self._api.register_hotkey(hotkey_id, sum(_MODIFIERS[m] for m in combo.modifiers), code)
        if status == 0:
            self._ids[name] = hotkey_id
            return None
        if status == EVENT_HOT_KEY_EXISTS:
            return GrabFailure(name, combo, "another program already uses it")
        return GrabFailure(name, combo, f"macOS refused it (error {status})")

    def release(self, name: str) -> None:
        hotkey_id = self._ids.pop(name, None)
        if hotkey_id is not None:
            self._api.unregister_hotkey(hotkey_id)

    def release_all(self) -> None:
        for name in list(self._ids):
            self.release(name)

    def _pressed(self, hotkey_id: int) -> None:
        name = next((name for name, registered in self._ids.items() if registered == hotkey_id), None)
        if name is not None:
            self._on_press(name)
