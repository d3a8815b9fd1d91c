"""An advisory lock beside the config file, so that processes changing settings take turns.

Without it two `rephraser config set` runs both read the file, each change one key and the second write
loses the first one's key. Readers take no lock: every write replaces the file in one step.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["LockTimeoutError", "exclusive_lock"]

_RETRY_S = 0.01


class LockTimeoutError(TimeoutError):
    """Another process held the lock for the whole deadline (a stopped `config set`, a hung disk)."""


@contextmanager
def exclusive_lock(path: Path, deadline_s: float = 30.0) -> Iterator[None]:
    """Hold an exclusive advisory lock on the file `path` (created if missing) for the `with` block.

    POSIX `flock` today; a Windows version (`msvcrt.locking` on the same file) belongs here, behind this
    function. The lock file stays: deleting it would let a waiting process lock a file nobody else sees.
    The lock dies with its process, so a crash never leaves it held.

    Raises:
        LockTimeoutError: the lock was not free within `deadline_s`.
        OSError: the lock file cannot be created (a read-only folder, a full disk).
    """
    import fcntl  # only when writing; POSIX-only module

    handle = os.open(path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        give_up = time.monotonic() + deadline_s
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError as exc:
                if time.monotonic() > give_up:
                    raise LockTimeoutError(f"{path} stayed locked for {deadline_s:g} s") from exc
                time.sleep(_RETRY_S)  # held for milliseconds by a short-lived writer; never by a reader
        yield
    finally:
        os.close(handle)  # closing releases the lock
