"""Unix signals quit through Qt's event loop: SIGTERM (logout, `kill`), SIGHUP (the terminal closed) and
Ctrl+C run the same clean quit as the tray's Quit (the clipboard kept, hotkeys released), where Python's
defaults would kill the process mid-loop or never run while Qt's loop waits."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from types import FrameType

from PySide6.QtCore import QObject, QSocketNotifier, QTimer

__all__ = ["QUIT_SIGNALS", "QuitOnSignals"]

QUIT_SIGNALS = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)


class QuitOnSignals(QObject):
    """While alive, each of `signals` calls `quit()` on the GUI thread. A signal the launcher set to be
    ignored (nohup's SIGHUP, SIGINT in a backgrounded shell) stays ignored: that was its choice.

    Python runs a handler only when it next executes bytecode; the signal's byte on the wake-up pipe
    makes Qt's loop call into Python at once.
    """

    def __init__(self, quit: Callable[[], None], signals: tuple[signal.Signals, ...] = QUIT_SIGNALS) -> None:
        super().__init__()
        self._quit = quit
        self.received: list[int] = []
        self._reader, self._writer = os.pipe()  # a pipe, not a socketpair: `socket` costs start-up ~7 ms
        for end in (self._reader, self._writer):
            os.set_blocking(end, False)
        self._previous_fd = signal.set_wakeup_fd(self._writer, warn_on_full_buffer=False)
        self._previous: dict[signal.Signals, object] = {}
        for number in signals:
            if signal.getsignal(number) is not signal.SIG_IGN:
                self._previous[number] = signal.signal(number, self._handle)
        self._notifier = QSocketNotifier(self._reader, QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    @property
    def handled(self) -> list[signal.Signals]:
        """The signals that quit the app (the others were ignored when it started)."""
        return list(self._previous)

    def _handle(self, number: int, _frame: FrameType | None) -> None:
        self.received.append(number)
        # Through a timer: a signal that lands before the loop starts would find no loop to quit.
        QTimer.singleShot(0, self._quit)

    def _drain(self) -> None:
        try:
            while os.read(self._reader, 512):
                pass
        except BlockingIOError:
            pass  # drained: the handlers have run by now

    def close(self) -> None:
        """Put the previous handlers back."""
        self._notifier.setEnabled(False)
        for number, handler in self._previous.items():
            signal.signal(number, handler)  # type: ignore[arg-type]
        signal.set_wakeup_fd(self._previous_fd)
        os.close(self._reader)
        os.close(self._writer)
