"""The desktop app's one hook for the unexpected (STYLE.md section 5): an exception nothing else caught, on
the GUI thread (sys.excepthook, which PySide6 also calls for a slot that raised) or in any other thread
(threading.excepthook), is logged with its traceback and shown as one non-modal notice; the app runs on."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from types import TracebackType

from PySide6 import QtCore
from PySide6.QtCore import QObject, Signal

__all__ = ["UnexpectedErrors"]

log = logging.getLogger("rephraser.desktop")


class UnexpectedErrors(QObject):
    """Installs both hooks until `uninstall()`; `show(message)` runs on the GUI thread (the exception's
    thread emits the private `_caught(str)` signal, delivered queued)."""

    _caught = Signal(str)

    def __init__(self, show: Callable[[str], None]) -> None:
        super().__init__()
        self._show = show
        self._caught.connect(self._deliver, QtCore.Qt.ConnectionType.QueuedConnection)
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self._on_exception
        threading.excepthook = self._on_thread_exception

    def uninstall(self) -> None:
        sys.excepthook, threading.excepthook = self._previous

    def _on_exception(
        self, kind: type[BaseException], error: BaseException, trace: TracebackType | None, where: str = "GUI thread"
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous[0](kind, error, trace)
            return
        log.error("unexpected error in the %s", where, exc_info=(kind, error, trace))
        self._caught.emit(
            f"Rephraser hit an unexpected error ({kind.__name__}: {error}) and keeps running; "
            "the log file (Settings, About) has the details."
        )

    def _on_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return  # what threading's own hook ignores too
        where = f"thread {args.thread.name}" if args.thread is not None else "a thread"
        self._on_exception(args.exc_type, args.exc_value, args.exc_traceback, where)

    def _deliver(self, message: str) -> None:
        self._show(message)
