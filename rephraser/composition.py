"""The composition root: builds the core's objects once and hands them to the CLI or the desktop app."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from rephraser.core.config import ConfigStore, LoadedConfig
from rephraser.core.config.paths import cache_dir, config_dir
from rephraser.core.detection import TargetDetector, load_rules
from rephraser.core.resources import builtin_templates_dir
from rephraser.core.rewrite import Rewriter
from rephraser.core.templates import TemplateStore

__all__ = ["Core", "build_core"]


class Core(NamedTuple):
    """The Qt-free services, wired together."""

    config_store: ConfigStore
    config: LoadedConfig
    templates: TemplateStore
    detector: TargetDetector
    rewriter: Rewriter


def build_core(folder: Path | None = None) -> Core:
    """Wire the core from the config folder ($REPHRASER_CONFIG_DIR or the platform's)."""
    folder = folder or config_dir()
    store = ConfigStore(folder)
    loaded = store.load()
    templates = TemplateStore(builtin_templates_dir(), folder / "templates", cache_dir())
    detector = TargetDetector(load_rules(cache_dir=cache_dir()), loaded.settings.app_rules)
    rewriter = Rewriter(loaded.settings, templates, detector)
    return Core(store, loaded, templates, detector, rewriter)
