"""The model family a window title points at (a Claude tab, a Midjourney page): rules as data, in
title_rules.toml beside this file, with the user's own <config>/title_rules.toml checked first."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import NamedTuple

from rephraser.core.errors import ConfigError
from rephraser.core.targets import FAMILIES

__all__ = ["BUILTIN_TITLE_RULES", "TitleRule", "family_from_title", "load_title_rules"]

BUILTIN_TITLE_RULES = Path(__file__).with_name("title_rules.toml")


class TitleRule(NamedTuple):
    """A pattern on the window title and the family it points at."""

    name: str
    pattern: re.Pattern[str]
    family: str


@cache
def load_title_rules(user_file: Path | None = None) -> tuple[TitleRule, ...]:
    """The user's rules (when the file exists), then the built-in ones.

    Raises:
        ConfigError: the user's file is not valid TOML, or a rule is malformed.
    """
    files = [path for path in (user_file, BUILTIN_TITLE_RULES) if path is not None and path.is_file()]
    return tuple(rule for path in files for rule in _read(path))


def _read(path: Path) -> list[TitleRule]:
    import tomllib  # only where a window title is to be matched: ~6 ms of the CLI's cold start otherwise

    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read as TOML ({error}).") from error
    known = {family for families in FAMILIES.values() for family in families}
    rules = []
    for number, entry in enumerate(raw.get("title", []), start=1):
        family = entry.get("family", "") if isinstance(entry, dict) else ""
        try:
            pattern = re.compile(str(entry["match"]), re.I)
        except (KeyError, TypeError, re.error) as error:
            raise ConfigError(f"{path}: [[title]] number {number} needs a valid match = '...' ({error}).") from error
        if family not in known:
            raise ConfigError(f'{path}: [[title]] number {number}: unknown family "{family}".')
        rules.append(TitleRule(str(entry.get("name", family)), pattern, family))
    return rules


def family_from_title(title: str, target: str, rules: tuple[TitleRule, ...]) -> TitleRule | None:
    """The first rule that matches the title and names a profile this target has."""
    if not title:
        return None
    return next((r for r in rules if r.family in FAMILIES.get(target, ()) and r.pattern.search(title)), None)
