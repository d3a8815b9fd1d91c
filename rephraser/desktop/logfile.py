"""The tray app's log file: small, rotating, and private to the user.

Notices name apps, hotkeys and errors, so the file is 0600 in a 0700 folder, also when an older version
left them world-readable, and each file a rollover starts is created 0600 too.
"""

from __future__ import annotations

import io
import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

__all__ = ["LOG_NAME", "PrivateRotatingFileHandler", "log_to_file"]

LOG_NAME = "rephraser.log"
_MAX_BYTES = 1_000_000
_BACKUPS = 2


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A RotatingFileHandler whose files only their owner can read."""

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.fchmod(fd, 0o600)  # the mode above applies only to a file this call creates
        except OSError:
            os.close(fd)
            raise
        return open(fd, "a", encoding=self.encoding, errors=self.errors)


def log_to_file(folder: Path, max_bytes: int = _MAX_BYTES) -> PrivateRotatingFileHandler | None:
    """Send the `rephraser` loggers' records at info level and up to `folder`/rephraser.log; None when the
    folder cannot be written (stderr still has everything)."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)
        for backup in range(1, _BACKUPS + 1):
            old = folder / f"{LOG_NAME}.{backup}"
            if old.exists():
                old.chmod(0o600)
        handler = PrivateRotatingFileHandler(
            folder / LOG_NAME, maxBytes=max_bytes, backupCount=_BACKUPS, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("rephraser")
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.INFO, logging.INFO))
    return handler
