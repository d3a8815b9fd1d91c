"""Settings being edited (the settings window): values checked one by one against the schema, with
one message per invalid field, and nothing saved until every field is valid."""

from __future__ import annotations

from typing import Any

from rephraser.core.config.schema import AppRule, Settings, describe, parse_text, validate_app_rule, validate_value

__all__ = ["SettingsDraft"]


class SettingsDraft:
    """A mutable copy of Settings with per-field problems."""

    def __init__(self, settings: Settings) -> None:
        self._values: dict[str, Any] = settings._asdict()
        self.problems: dict[str, str] = {}

    def value(self, name: str) -> Any:
        return self._values[name]

    def set(self, name: str, value: Any) -> str | None:
        """Set a value (text is parsed by the setting's type); return what is wrong, or None."""
        info = describe(name)
        assert info is not None, name
        if isinstance(value, str) and info.kind is not str:
            value = parse_text(info.kind, value)
        checked, problem = validate_value(info, value)
        if problem:
            self.problems[name] = f"{problem}."
        else:
            self.problems.pop(name, None)
            self._values[name] = checked
        return self.problems.get(name)

    def set_rules(self, rules: list[dict[str, str]]) -> str | None:
        """Replace the per-app rules; return the first problem, naming the rule."""
        built: list[AppRule] = []
        for number, raw in enumerate(rules, start=1):
            rule, problem = validate_app_rule({k: v for k, v in raw.items() if v or k == "match"})
            if rule is None:
                self.problems["app_rules"] = f"rule {number}: {problem}."
                return self.problems["app_rules"]
            built.append(rule)
        self.problems.pop("app_rules", None)
        self._values["app_rules"] = tuple(built)
        return None

    def flag(self, name: str, problem: str | None) -> None:
        """Record a problem found outside the schema (e.g. a hotkey taken by another program)."""
        if problem:
            self.problems[name] = problem
        else:
            self.problems.pop(name, None)

    @property
    def valid(self) -> bool:
        return not self.problems

    def settings(self) -> Settings:
        assert self.valid, self.problems
        return Settings(**self._values)
