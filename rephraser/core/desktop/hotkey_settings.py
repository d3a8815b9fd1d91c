"""The hotkeys the settings ask for, by name: what the tray app grabs and what `rephraser shortcut install`
binds in a desktop's own shortcut settings."""

from __future__ import annotations

from rephraser.core.config.schema import Settings
from rephraser.core.desktop.keys import KeyCombo, parse_combo
from rephraser.core.errors import ConfigError

__all__ = ["configured_hotkeys"]


def configured_hotkeys(settings: Settings) -> dict[str, KeyCombo]:
    """ "main", and each per-target, revert and image-to-prompt hotkey that is set.

    Raises:
        ConfigError: a combination that does not parse, or one set for two actions.
    """
    combos = {"main": parse_combo(settings.hotkey)}
    for name, text in (
        ("chat", settings.hotkey_chat),
        ("code", settings.hotkey_code),
        ("image", settings.hotkey_image),
        ("multimodal", settings.hotkey_multimodal),
        ("revert", settings.hotkey_revert),
        ("describe", settings.hotkey_describe),
    ):
        if text:
            combos[name] = parse_combo(text, f"hotkey_{name}")
    duplicates = {str(c) for c in combos.values() if list(combos.values()).count(c) > 1}
    if duplicates:
        raise ConfigError(f"{', '.join(sorted(duplicates))} is set for two actions; give each its own hotkey.")
    return combos
