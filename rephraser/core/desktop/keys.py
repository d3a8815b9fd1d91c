"""Key combinations as users write them ("Ctrl+Alt+R") and as back-ends need them."""

from __future__ import annotations

from typing import NamedTuple

from rephraser.core.errors import ConfigError

__all__ = ["MODIFIERS", "KeyCombo", "parse_combo"]

MODIFIERS = ("ctrl", "alt", "shift", "super")
_ALIASES = {"control": "ctrl", "ctl": "ctrl", "meta": "super", "win": "super", "cmd": "super", "mod4": "super"}


class KeyCombo(NamedTuple):
    """Modifiers (a subset of MODIFIERS, in that order) and one key, named as X11 keysyms are ("r", "Escape",
    "Insert", "F5")."""

    modifiers: tuple[str, ...]
    key: str

    def __str__(self) -> str:
        names = {"ctrl": "Ctrl", "alt": "Alt", "shift": "Shift", "super": "Super"}
        key = self.key.upper() if len(self.key) == 1 else self.key
        return "+".join([*(names[m] for m in self.modifiers), key])


def parse_combo(text: str, setting: str = "hotkey") -> KeyCombo:
    """Parse "Ctrl+Alt+R" (case-insensitive modifiers; the key's case does not matter for letters).

    Raises:
        ConfigError: naming the setting, what is wrong and what is allowed.
    """
    parts = [part.strip() for part in text.split("+")]
    if not parts or not all(parts):
        raise ConfigError(f'{setting} = "{text}": write modifiers and a key joined by "+", e.g. "Ctrl+Alt+R".')
    *mods, key = parts
    modifiers: set[str] = set()
    for mod in mods:
        name = _ALIASES.get(mod.lower(), mod.lower())
        if name not in MODIFIERS:
            raise ConfigError(f'{setting} = "{text}": "{mod}" is not a modifier; use Ctrl, Alt, Shift or Super.')
        modifiers.add(name)
    return KeyCombo(tuple(m for m in MODIFIERS if m in modifiers), key.lower() if len(key) == 1 else key)
