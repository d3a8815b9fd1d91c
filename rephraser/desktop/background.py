"""The desktop's one way to run work off the GUI thread (STYLE.md section 6): `run_in_background(work)`
calls `work` once in a worker thread and delivers its result, its exception or its progress reports on
the GUI thread. The model rewrite from the hotkey, the settings window's slow buttons and the template
warm-up all go through it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6 import QtCore
from PySide6.QtCore import QObject, Signal

from rephraser.core.errors import RephraserError

__all__ = ["BackgroundTask", "Report", "failure_message", "run_in_background", "workers_running"]

log = logging.getLogger("rephraser.desktop")

Report = Callable[[object], None]
"""What `work` calls (from its thread) to report progress; the report arrives on the GUI thread."""

# A task lives until its outcome is delivered, whether or not its starter kept a reference.
_RUNNING: set[BackgroundTask] = set()


class BackgroundTask(QObject):
    """`work(report)` in a worker thread; its outcome arrives on the thread that created the task.

    After `cancel()` nothing more is delivered (the work itself is stopped by whatever token it holds).

    Signals:
        done(object): the value `work` returned.
        failed(object): the exception `work` raised (see `failure_message`).
        progress(object): a value `work` passed to `report`.
    """

    done = Signal(object)
    failed = Signal(object)
    progress = Signal(object)
    _finished = Signal(bool, object)  # emitted in the worker thread, delivered in the task's
    _reported = Signal(object)

    def __init__(self, work: Callable[[Report], object], name: str = "rephraser-background") -> None:
        super().__init__()
        self._work, self._name = work, name
        self.cancelled = False
        # QtCore.Qt looked up only now: the Qt namespace's first import costs ~30 ms, which start-up need not pay.
        queued = QtCore.Qt.ConnectionType.QueuedConnection
        self._finished.connect(self._deliver, queued)
        self._reported.connect(self._deliver_progress, queued)

    def start(self) -> BackgroundTask:
        _RUNNING.add(self)
        threading.Thread(target=self._run, name=self._name, daemon=True).start()
        return self

    def cancel(self) -> None:
        self.cancelled = True

    def _run(self) -> None:
        try:
            result = self._work(self._reported.emit)
        except Exception as exc:  # handed to the GUI thread, which tells the user; never lost in the thread
            if not isinstance(exc, RephraserError):
                log.error("unexpected error in %s", self._name, exc_info=exc)
            self._finished.emit(False, exc)
            return
        self._finished.emit(True, result)

    def _deliver(self, ok: bool, value: object) -> None:
        _RUNNING.discard(self)
        if not self.cancelled:
            (self.done if ok else self.failed).emit(value)

    def _deliver_progress(self, value: object) -> None:
        if not self.cancelled:
            self.progress.emit(value)


def workers_running() -> bool:
    """A task's worker runs, or its outcome is still on its way to the GUI thread."""
    return bool(_RUNNING)


def run_in_background(
    work: Callable[[Report], object],
    on_done: Callable[[Any], None],
    on_failed: Callable[[BaseException], None],
    on_progress: Callable[[Any], None] | None = None,
    name: str = "rephraser-background",
) -> BackgroundTask:
    """Start `work(report)` in a worker thread; `on_done(result)`, `on_failed(exception)` and
    `on_progress(value)` run on the calling (GUI) thread. Returns the task (to cancel it)."""
    task = BackgroundTask(work, name)
    task.done.connect(on_done)
    task.failed.connect(on_failed)
    if on_progress is not None:
        task.progress.connect(on_progress)
    return task.start()


def failure_message(error: object) -> str:
    """What to tell the user about a failed task: a RephraserError's own message, else what went wrong."""
    if isinstance(error, RephraserError):
        return str(error)
    return f"Unexpected error ({type(error).__name__}: {error})."
