"""Writing files so that a crash or a full disk never leaves half of one: temp file, fsync, rename."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["write_atomically"]


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8, \\n line ends) in one step; the old file survives any failure.

    Raises:
        OSError: the folder cannot be created or written (the old file, if any, is intact).
    """
    import tempfile  # only when writing: the CLI's read-only start-up need not import it

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as temp:
            temp.write(text)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
