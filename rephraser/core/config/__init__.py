"""Settings: one declarative schema (schema.py), its TOML file (store.py) and where files live (paths.py)."""

from rephraser.core.config.schema import AppRule, Settings
from rephraser.core.config.store import ConfigStore, LoadedConfig

__all__ = ["AppRule", "ConfigStore", "LoadedConfig", "Settings"]
