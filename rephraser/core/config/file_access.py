"""Reading config.toml within a size limit, and one line for each way reading or writing it can fail.

A file that exists but cannot be used (unreadable, a folder, too large, not UTF-8, not TOML) is a
`FileProblem`: loading warns and uses the defaults, saving refuses, so the user's file is never replaced
by defaults. `ConfigStore` turns every problem into a warning or a `ConfigError`; none leaves this package.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

__all__ = ["MAX_FILE_BYTES", "FileProblem", "parse_toml", "read_limited", "write_problem"]

# A full config with a hundred app rules is ~10 KB. The limit bounds the cost of a runaway file: reading
# 256 KB takes ~0.1 s, editing it in place with tomlkit ~2 s (1 MB would take ~9 s).
MAX_FILE_BYTES = 256_000


class FileProblem(Exception):
    """The config file exists but cannot be used.

    Attributes:
        what: "<path>: what is wrong".
        fix: what the user can do, as an imperative ("Move it away").
    """

    def __init__(self, what: str, fix: str) -> None:
        super().__init__(what)
        self.what = what
        self.fix = fix

    def as_warning(self) -> str:
        """The line for loading, which goes on with the defaults."""
        return f"{self.what}; using defaults. {self.fix}."

    def as_error(self) -> str:
        """The line for saving, which refuses to touch the file."""
        return f"{self.what}; it was left unchanged. {self.fix}, then try again."


def read_limited(path: Path, limit_bytes: int = MAX_FILE_BYTES) -> bytes | None:
    """The file's bytes, or None when there is no file.

    Raises:
        FileProblem: unreadable, a folder, or over `limit_bytes` (only `limit_bytes + 1` are ever read).
    """
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(limit_bytes + 1) if size <= limit_bytes else b""
    except FileNotFoundError:
        return None
    except IsADirectoryError as exc:
        raise FileProblem(f"{path}: a folder, not a file", "Move it away") from exc
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise FileProblem(
            f"{path}: cannot be read ({reason})", "Fix its permissions (chmod u+rw) or move it away"
        ) from exc
    if size > limit_bytes or len(data) > limit_bytes:
        raise FileProblem(
            f"{path}: {_size(max(size, len(data)))}, over the {_size(limit_bytes)} limit for a config file",
            "Trim it or move it away",
        )
    return data


def parse_toml(path: Path, data: bytes) -> tuple[str, dict[str, Any]]:
    """The file's text and its TOML document.

    Raises:
        FileProblem: not UTF-8, or not valid TOML (the message has the line and column).
    """
    import tomllib  # only paid for when there is a file to read

    try:
        text = data.decode("utf-8-sig")  # an editor's byte order mark is not an error
    except UnicodeDecodeError as exc:
        raise FileProblem(
            f"{path}: not UTF-8 text (invalid byte at position {exc.start})", "Convert it to UTF-8 or move it away"
        ) from exc
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FileProblem(f"{path}: not valid TOML ({exc})", "Fix it or move it away") from exc
    except RecursionError as exc:  # arrays or tables nested thousands deep
        raise FileProblem(f"{path}: not valid TOML (nested too deeply)", "Fix it or move it away") from exc


def write_problem(path: Path, exc: OSError) -> str:
    """One line for a failed save of `path`, saying what to do."""
    folder = path.parent
    not_writable = (f"no permission to write in {folder}", f"Make the folder writable (chmod u+w {folder})")
    reasons = {
        errno.ENOSPC: ("the disk is full", "Free some space"),
        getattr(errno, "EDQUOT", errno.ENOSPC): ("the disk quota is used up", "Free some space"),
        errno.EACCES: not_writable,
        errno.EPERM: not_writable,
        errno.EROFS: (
            f"{folder} is on a read-only file system",
            "Make it writable, or point REPHRASER_CONFIG_DIR at a writable folder",
        ),
        errno.EISDIR: ("it is a folder", "Move it away"),
        errno.ENOTDIR: (f"{folder} is not a folder", "Move the file in its place away"),
    }
    if isinstance(exc, TimeoutError):
        reason, fix = "another Rephraser kept it locked", "Wait until it is done"
    else:
        reason, fix = reasons.get(exc.errno or 0, (exc.strerror or str(exc), "Check the folder"))
    return f"{path}: cannot be saved ({reason}); it was left unchanged. {fix}, then try again."


def _size(size_bytes: int) -> str:
    return f"{size_bytes / 1_000_000:.3g} MB" if size_bytes >= 1_000_000 else f"{size_bytes / 1000:.0f} KB"
