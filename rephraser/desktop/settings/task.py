"""Run slow work (HTTP requests, doctor checks) off the GUI thread; the result arrives as a signal."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from rephraser.core.errors import RephraserError

__all__ = ["Task"]


class Task(QObject):
    """Signals:
    done(object): the work's result.
    failed(str): a message for the user.
    """

    done = Signal(object)
    failed = Signal(str)

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self._work = work
        self.cancelled = False

    def start(self) -> None:
        threading.Thread(target=self._run, name="rephraser-settings-task", daemon=True).start()

    def _run(self) -> None:
        try:
            result = self._work()
        except RephraserError as error:
            if not self.cancelled:
                self.failed.emit(str(error))
            return
        except Exception as error:  # a task's last resort: the page must hear of it
            if not self.cancelled:
                self.failed.emit(f"Unexpected error ({type(error).__name__}: {error}).")
            return
        if not self.cancelled:
            self.done.emit(result)
