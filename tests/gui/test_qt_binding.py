"""The installed Qt binding keeps Python's reference counts right (the tray app emits signals for hours)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    ping = Signal(int)


def test_emitting_signals_keeps_every_reference_to_true() -> None:
    # PySide6 6.12.0 returned True from emit() without a reference of its own: each emit took one away
    # until Python aborted ("deallocating True or False"), in the tray app after enough rewrites.
    emitter = _Emitter()
    received: list[int] = []
    emitter.ping.connect(received.append)
    before = sys.getrefcount(True)
    for number in range(500):
        emitter.ping.emit(number)
    assert 500 == len(received)
    assert before <= sys.getrefcount(True)
