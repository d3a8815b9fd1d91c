"""Runs a rewrite off the GUI thread when it may be slow (model mode); results come back as signals."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from rephraser.core.errors import RephraserError
from rephraser.core.rewrite import RewriteRequest, RewriteResult

__all__ = ["RewriteRunner"]

Rewrite = Callable[[RewriteRequest, Callable[[str], None], object], RewriteResult]


class RewriteRunner(QObject):
    """Signals:
    done(RewriteResult): the rewrite is ready.
    failed(str): a message for the user.
    progress(int): characters streamed so far (model mode).
    """

    done = Signal(object)
    failed = Signal(str)
    progress = Signal(int)

    def __init__(self, offline: Callable[[RewriteRequest], RewriteResult], model: Rewrite | None) -> None:
        super().__init__()
        self._offline = offline
        self._model = model
        self._cancel: Callable[[], None] | None = None

    @property
    def uses_model(self) -> bool:
        return self._model is not None

    def start(self, request: RewriteRequest) -> None:
        """Offline: at once (well under a millisecond). Model: in a worker thread, cancellable."""
        if self._model is None:
            try:
                self.done.emit(self._offline(request))
            except RephraserError as error:
                self.failed.emit(str(error))
            return
        from rephraser.core.providers.cancel import CancelToken

        token = CancelToken()
        self._cancel = token.cancel
        model = self._model
        streamed = [0]

        def on_delta(text: str) -> None:
            streamed[0] += len(text)
            self.progress.emit(streamed[0])

        def work() -> None:
            try:
                result = model(request, on_delta, token)
            except RephraserError as error:
                if not token.cancelled:
                    self.failed.emit(str(error))
                return
            except Exception as error:  # the worker's last resort: the job must hear of it, never hang
                self.failed.emit(f"Internal error in the rewrite ({type(error).__name__}); please report it.")
                return
            if not token.cancelled:
                self.done.emit(result)

        threading.Thread(target=work, name="rephraser-rewrite", daemon=True).start()

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel()
            self._cancel = None
