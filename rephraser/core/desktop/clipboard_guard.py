"""The user's clipboard, put back on every way out of a rewrite job (success, error, cancel, a crash in a
step or a worker, quit)."""

from __future__ import annotations

from rephraser.core.desktop.ports import ClipboardPort, ClipboardSnapshot

__all__ = ["ClipboardGuard"]


class ClipboardGuard:
    """`hold()` snapshots CLIPBOARD (and PRIMARY when the job will overwrite it); `restore()` puts them back
    once, however many ways out of the job call it."""

    def __init__(self, clipboard: ClipboardPort) -> None:
        self._clipboard = clipboard
        self._snapshot: ClipboardSnapshot | None = None
        self._primary: ClipboardSnapshot | None = None

    @property
    def held(self) -> ClipboardSnapshot | None:
        """The CLIPBOARD snapshot held (the image job reads its image from it)."""
        return self._snapshot

    @property
    def holding(self) -> bool:
        """True between `hold()` and `restore()`."""
        return self._snapshot is not None

    def hold(self, primary: bool) -> None:
        """Snapshot CLIPBOARD, and PRIMARY when `primary` (only what the job will overwrite needs a copy)."""
        self._snapshot = self._clipboard.snapshot()
        self._primary = self._clipboard.snapshot(primary=True) if primary else None

    def restore(self) -> int | None:
        """Put the snapshots back; the number of CLIPBOARD formats restored, None when nothing was held.

        PRIMARY is put back even when restoring CLIPBOARD fails (the error still propagates)."""
        snapshot, primary = self._snapshot, self._primary
        if snapshot is None:
            return None
        self._snapshot = self._primary = None
        try:
            self._clipboard.restore(snapshot)
        finally:
            if primary is not None:
                self._clipboard.restore(primary, primary=True)
        return len(snapshot.formats)
