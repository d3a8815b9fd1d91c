"""What the Windows and macOS hotkey back-ends share: the OS registers each combination under a number,
and a press names that number. Subclasses register and unregister one; this keeps names and numbers."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from rephraser.core.desktop.keys import KeyCombo
from rephraser.core.desktop.ports import GrabFailure

__all__ = ["NumberedHotkeys"]


class NumberedHotkeys:
    """Implements rephraser.core.desktop.ports.HotkeyPort over `_register` and `_unregister`."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}  # name -> the number it was registered under
        self._next_id = 1
        self._on_press: Callable[[str], None] = lambda _name: None

    def grab(self, hotkeys: Mapping[str, KeyCombo], on_press: Callable[[str], None]) -> list[GrabFailure]:
        self.release_all()
        self._on_press = on_press
        return [failure for name, combo in hotkeys.items() if (failure := self.grab_one(name, combo)) is not None]

    def grab_one(self, name: str, combo: KeyCombo) -> GrabFailure | None:
        self.release(name)
        hotkey_id, self._next_id = self._next_id, self._next_id + 1
        failure = self._register(name, hotkey_id, combo)
        if failure is None:
            self._ids[name] = hotkey_id
        return failure

    def release(self, name: str) -> None:
        hotkey_id = self._ids.pop(name, None)
        if hotkey_id is not None:
            self._unregister(hotkey_id)

    def release_all(self) -> None:
        for name in list(self._ids):
            self.release(name)

    def pressed(self, hotkey_id: int) -> None:
        """The OS reports a press of the combination registered under `hotkey_id`."""
        name = next((name for name, registered in self._ids.items() if registered == hotkey_id), None)
        if name is not None:
            self._on_press(name)

    def _register(self, name: str, hotkey_id: int, combo: KeyCombo) -> GrabFailure | None:
        raise NotImplementedError

    def _unregister(self, hotkey_id: int) -> None:
        raise NotImplementedError
