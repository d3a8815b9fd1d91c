"""Python's cycle collector, run only on the GUI thread while no background work runs.

Left to itself the collector runs in whichever thread allocates, at any moment: once, with a worker
building the template environment, a collection on the GUI thread never returned (the test run hung).
The desktop turns automatic collection off (rephraser.lifetime) and collects here, every few seconds,
when the app is idle: no job, no worker.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from rephraser.desktop.background import workers_running

__all__ = ["IdleCollector"]

_EVERY_MS = 3000


class IdleCollector(QObject):
    """Collects every `_EVERY_MS` while `busy()` is False and no background task runs."""

    def __init__(self, busy: Callable[[], bool] = lambda: False) -> None:
        super().__init__()
        self._busy = busy
        self.collections = 0
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_if_idle)
        self._timer.start(_EVERY_MS)

    def collect_if_idle(self) -> bool:
        """Collect now unless something runs; whether it did."""
        if self._busy() or workers_running():
            return False
        gc.collect()
        self.collections += 1
        return True

    def stop(self) -> None:
        self._timer.stop()
