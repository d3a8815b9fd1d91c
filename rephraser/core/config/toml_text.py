"""Write settings as a new commented TOML document (a file that exists is edited in place: toml_edit.py).

This writer needs no TOML library, so the CLI's start-up (which imports `toml_value`) stays light."""

from __future__ import annotations

import json
from typing import Any

from rephraser.core.config.schema import AppRule, Settings, describe, setting_names

__all__ = ["rule_fields", "settings_to_toml", "toml_value"]


def toml_value(value: Any) -> str:
    """One TOML value for the types the schema uses."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        # A JSON string is a valid TOML basic string: same escapes, \uXXXX included.
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(f"no TOML form for {type(value).__name__}")


def settings_to_toml(settings: Settings) -> str:
    """The whole config file: every setting with its description as a comment."""
    lines = ["# Rephraser settings. Edit here, with `rephraser config set`, or in the settings window.", ""]
    for name in setting_names():
        if name == "app_rules":
            continue
        info = describe(name)
        assert info is not None
        lines += [f"# {info.description}", f"{name} = {toml_value(getattr(settings, name))}", ""]
    info = describe("app_rules")
    assert info is not None
    lines.append(f"# {info.description}")
    for rule in settings.app_rules:
        lines += ["", "[[app_rules]]", *(f"{name} = {toml_value(value)}" for name, value in rule_fields(rule))]
    return "\n".join(lines) + "\n"


def rule_fields(rule: AppRule) -> list[tuple[str, str]]:
    """The fields of a rule worth writing: `match` and whatever differs from the default."""
    defaults = AppRule._field_defaults
    return [(name, value) for name, value in rule._asdict().items() if name not in defaults or value != defaults[name]]
