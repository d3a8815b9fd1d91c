"""Where the user's files live: config, user templates, caches."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from rephraser.core.errors import RephraserError

__all__ = [
    "SocketPathTooLongError",
    "UnsafeFolderError",
    "cache_dir",
    "config_dir",
    "data_dir",
    "ipc_socket_path",
    "runtime_dir",
    "user_templates_dir",
]

# A Unix socket's path lives in sockaddr_un.sun_path: 108 bytes on Linux, with the final NUL.
_MAX_SOCKET_PATH_BYTES = 107

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


def data_dir() -> Path:
    """Data worth keeping that is not configuration (the history). Follows the config folder when that is
    overridden."""
    override = os.environ.get("REPHRASER_CONFIG_DIR")
    if override:
        return Path(override).expanduser() / "data"
    from platformdirs import user_data_dir

    return Path(user_data_dir(_APP, appauthor=False))


class UnsafeFolderError(RephraserError):
    """No folder for the single-instance socket is private to this user (owned by us, mode 0700, not a
    symbolic link), and none could be made so."""


def runtime_dir() -> Path:
    """A user-private folder for the single-instance socket (follows REPHRASER_CONFIG_DIR when set, so
    separate configs run separate instances).

    Without XDG_RUNTIME_DIR the folder is /tmp/rephraser-<uid>, which another user can create first; a
    folder that is not ours, or is a link, is never used: the socket then lives in our cache folder.

    Raises:
        UnsafeFolderError: every candidate folder is unsafe; the message says what is wrong with each.
    """
    problems = []
    for folder in _runtime_candidates():
        problem = _make_private(folder)
        if not problem:
            return folder
        problems.append(f"{folder} {problem}")
    raise UnsafeFolderError(
        f"No private folder for Rephraser's socket: {'; '.join(problems)}. Remove the folder (or set "
        "XDG_RUNTIME_DIR to a folder only you can use) and try again."
    )


def _runtime_candidates() -> Iterator[Path]:
    """The socket's folders in order, each found only when the one before it is unsafe: the cache folder
    costs platformdirs, and /tmp's tempfile, ~5-9 ms each of `rephraser trigger`."""
    override = os.environ.get("REPHRASER_CONFIG_DIR")
    if override:
        yield Path(override).expanduser() / "run"
        return
    if os.environ.get("XDG_RUNTIME_DIR"):
        yield Path(os.environ["XDG_RUNTIME_DIR"]) / _APP
    else:
        import tempfile

        yield Path(tempfile.gettempdir()) / f"{_APP}-{os.getuid()}"
    yield cache_dir() / "run"


def _make_private(folder: Path) -> str:
    """Create `folder` (mode 0700) or check the one there: "" when it is ours and private, else what is
    wrong with it. Our own folder with a looser mode is tightened."""
    import stat

    try:
        folder.mkdir(mode=0o700, parents=True)
    except FileExistsError:
        pass  # a folder, file or link: looked at below
    except OSError as error:
        return f"cannot be created ({error.strerror or error})"
    try:
        info = os.lstat(folder)
    except OSError as error:
        return f"cannot be read ({error.strerror or error})"
    if stat.S_ISLNK(info.st_mode):
        return "is a symbolic link"
    if not stat.S_ISDIR(info.st_mode):
        return "is not a folder"
    if info.st_uid != os.getuid():
        return f"belongs to another user (uid {info.st_uid})"
    if stat.S_IMODE(info.st_mode) != 0o700:
        try:
            os.chmod(folder, 0o700)
        except OSError as error:
            return f"has mode {stat.S_IMODE(info.st_mode):o} and cannot be made private ({error.strerror})"
    return ""


class SocketPathTooLongError(RephraserError):
    """The socket's folder is so deep that its path does not fit in a Unix socket address."""


def ipc_socket_path() -> Path:
    """The running tray app's single-instance socket.

    Raises:
        UnsafeFolderError: see runtime_dir().
        SocketPathTooLongError: the path is longer than a Unix socket allows.
    """
    path = runtime_dir() / "rephraser.sock"
    length = len(os.fsencode(path))
    if length > _MAX_SOCKET_PATH_BYTES:
        raise SocketPathTooLongError(
            f"The single-instance socket's path {path} is {length} bytes, more than the "
            f"{_MAX_SOCKET_PATH_BYTES} a Unix socket allows: set REPHRASER_CONFIG_DIR (or XDG_RUNTIME_DIR) "
            "to a shorter folder."
        )
    return path
