"""The desktop's one hook for the unexpected: logged, one notice on the GUI thread, the app runs on."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from rephraser.desktop.excepthook import UnexpectedErrors


@pytest.fixture
def notices() -> Iterator[list[tuple[str, bool]]]:
    seen: list[tuple[str, bool]] = []
    gui = threading.current_thread()
    hook = UnexpectedErrors(lambda message: seen.append((message, threading.current_thread() is gui)))
    try:
        yield seen
    finally:
        hook.uninstall()


def _raise(error: Exception) -> None:
    raise error


def test_an_exception_in_a_thread_is_one_notice_on_the_gui_thread(
    qtbot: QtBot, notices: list[tuple[str, bool]], caplog: pytest.LogCaptureFixture
) -> None:
    thread = threading.Thread(target=_raise, args=(ValueError("bad value"),), name="test-worker")
    thread.start()
    thread.join(10)
    qtbot.waitUntil(lambda: notices != [], timeout=10_000)
    assert [
        (
            "Rephraser hit an unexpected error (ValueError: bad value) and keeps running; "
            "the log file (Settings, About) has the details.",
            True,
        )
    ] == notices
    assert ["unexpected error in the thread test-worker"] == [r.getMessage() for r in caplog.records]


def test_an_exception_in_a_qt_callback_reaches_the_hook(qtbot: QtBot, notices: list[tuple[str, bool]]) -> None:
    QTimer.singleShot(0, lambda: _raise(KeyError("gone")))
    qtbot.waitUntil(lambda: notices != [], timeout=10_000)
    assert 1 == len(notices)
    assert notices[0][0].startswith("Rephraser hit an unexpected error (KeyError: 'gone')")


def test_uninstall_puts_the_previous_hooks_back() -> None:
    before = (sys.excepthook, threading.excepthook)
    UnexpectedErrors(lambda _message: None).uninstall()
    assert before == (sys.excepthook, threading.excepthook)
