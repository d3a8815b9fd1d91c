"""Write settings as a commented TOML document (tomllib only reads, and we add no dependency to write)."""

from __future__ import annotations

import json
from typing import Any

from rephraser.core.config.schema import AppRule, Settings, describe, setting_names

__all__ = ["settings_to_toml", "toml_value"]


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
        lines += ["", "[[app_rules]]", *_rule_lines(rule)]
    return "\n".join(lines) + "\n"


def _rule_lines(rule: AppRule) -> list[str]:
    defaults = AppRule._field_defaults
    return [
        f"{name} = {toml_value(value)}"
        for name, value in rule._asdict().items()
        if name not in defaults or value != defaults[name]
    ]
