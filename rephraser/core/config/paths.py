"""Where the user's files live: config, user templates, caches."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["cache_dir", "config_dir", "ipc_socket_path", "runtime_dir", "user_templates_dir"]

_APP = "rephraser"


def config_dir() -> Path:
    """The config folder: $REPHRASER_CONFIG_DIR, else the platform's user config folder."""
    override = os.environ.get("REPHRASER_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(_APP, appauthor=False))


def user_templates_dir() -> Path:
    """User templates: they override built-ins of the same name."""
    return config_dir() / "templates"


def cache_dir() -> Path:
    """Disposable data (compiled templates). Follows the config folder when that is overridden."""
    override = os.environ.get("REPHRASER_CONFIG_DIR")
    if override:
        return Path(override).expanduser() / "cache"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(_APP, appauthor=False))


def runtime_dir() -> Path:
    """A user-private folder for the single-instance socket (follows REPHRASER_CONFIG_DIR when set, so
    separate configs run separate instances)."""
    import tempfile

    override = os.environ.get("REPHRASER_CONFIG_DIR")
    if override:
        folder = Path(override).expanduser() / "run"
    elif os.environ.get("XDG_RUNTIME_DIR"):
        folder = Path(os.environ["XDG_RUNTIME_DIR"]) / _APP
    else:
        folder = Path(tempfile.gettempdir()) / f"{_APP}-{os.getuid()}"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def ipc_socket_path() -> Path:
    """The running tray app's single-instance socket."""
    return runtime_dir() / "rephraser.sock"
