"""Settings: one declarative schema (schema.py), its TOML file (store.py) and where files live (paths.py).

The names below load on first use: `rephraser trigger` needs only paths.py, and the schema and store cost
it more than Python's own start-up (bench/trigger.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rephraser.core.config.schema import AppRule, Settings
    from rephraser.core.config.store import ConfigStore, LoadedConfig

__all__ = ["AppRule", "ConfigStore", "LoadedConfig", "Settings"]


def __getattr__(name: str) -> Any:
    if name in ("AppRule", "Settings"):
        from rephraser.core.config import schema

        return getattr(schema, name)
    if name in ("ConfigStore", "LoadedConfig"):
        from rephraser.core.config import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
