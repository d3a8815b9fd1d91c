"""Global hotkeys on macOS: Carbon's RegisterEventHotKey (no Accessibility permission needed for it); the
focused app never sees a registered combination, and one another program registered is refused."""

from __future__ import annotations

from rephraser.core.desktop.keys import KeyCombo
from rephraser.core.desktop.ports import GrabFailure
from rephraser.core.errors import ConfigError
from rephraser.platform.macos.cocoa import EVENT_HOT_KEY_EXISTS, MacOS
from rephraser.platform.macos.keys import key_code
from rephraser.platform.numbered_hotkeys import NumberedHotkeys

__all__ = ["MacHotkeys"]

_MODIFIERS = {"super": 0x0100, "shift": 0x0200, "alt": 0x0800, "ctrl": 0x1000}  # cmdKey, shiftKey, ...


class MacHotkeys(NumberedHotkeys):
    """Implements rephraser.core.desktop.ports.HotkeyPort."""

    def __init__(self, api: MacOS) -> None:
        super().__init__()
        self._api = api
        api.on_hotkey(self.pressed)

    def _register(self, name: str, hotkey_id: int, combo: KeyCombo) -> GrabFailure | None:
        try:
            code = key_code(combo.key)
        except ConfigError as error:
            return GrabFailure(name, combo, str(error))
        status = self._api.register_hotkey(hotkey_id, sum(_MODIFIERS[m] for m in combo.modifiers), code)
        if status == 0:
            return None
        if status == EVENT_HOT_KEY_EXISTS:
            return GrabFailure(name, combo, "another program already uses it")
        return GrabFailure(name, combo, f"macOS refused it (error {status})")

    def _unregister(self, hotkey_id: int) -> None:
        self._api.unregister_hotkey(hotkey_id)
