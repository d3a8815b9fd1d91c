"""The tray app's log file: small, rotating, and private to the user.

Notices name apps, hotkeys and errors, so the file is 0600 in a 0700 folder, also when an older version
left them world-readable, and each file a rollover starts is created 0600 too.
"""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path

__all__ = ["LOG_NAME", "PrivateRotatingFileHandler", "log_to_file"]

LOG_NAME = "rephraser.log"
_MAX_BYTES = 1_000_000
_BACKUPS = 2


class PrivateRotatingFileHandler(logging.FileHandler):
    """A size-rotating file handler (rephraser.log, .1, .2) whose files only their owner can read.

    Not logging.handlers.RotatingFileHandler: that module loads socket, pickle and queue, ~8 ms of the
    tray app's start-up, for a rollover this small class does.
    """

    def __init__(self, path: Path, max_bytes: int, backups: int) -> None:
        self._max_bytes, self._backups = max_bytes, backups
        super().__init__(path, mode="a", encoding="utf-8")

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._full_with(f"{self.format(record)}\n"):
                self._roll_over()
        except Exception:  # logging's own rule: a failing handler reports on stderr, never raises
            self.handleError(record)
            return
        super().emit(record)

    def _full_with(self, message: str) -> bool:
        if self.stream is None:
            self.stream = self._open()
        self.stream.seek(0, io.SEEK_END)
        return self.stream.tell() + len(message.encode("utf-8", "replace")) > self._max_bytes

    def _roll_over(self) -> None:
        if self.stream is not None:
            self.stream.close()
        for backup in range(self._backups - 1, 0, -1):
            older = f"{self.baseFilename}.{backup}"
            if os.path.exists(older):
                os.replace(older, f"{self.baseFilename}.{backup + 1}")
        if os.path.exists(self.baseFilename):  # the user may have deleted it meanwhile
            os.replace(self.baseFilename, f"{self.baseFilename}.1")
        self.stream = self._open()

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
        handler = PrivateRotatingFileHandler(folder / LOG_NAME, max_bytes, _BACKUPS)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("rephraser")
    root.addHandler(handler)
    root.setLevel(min(root.level or logging.INFO, logging.INFO))
    return handler
