"""The desktop's one helper for background work: outcomes arrive on the GUI thread, once."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from rephraser.core.errors import ConfigError
from rephraser.desktop.background import BackgroundTask, Report, failure_message, run_in_background


def test_result_and_progress_arrive_on_the_gui_thread(qtbot: QtBot) -> None:
    seen: list[tuple[str, object, bool]] = []
    gui = threading.current_thread()

    def work(report: Report) -> str:
        report(1)
        report(2)
        return "done in " + threading.current_thread().name

    def note(kind: str) -> object:
        return lambda value: seen.append((kind, value, threading.current_thread() is gui))

    run_in_background(work, note("done"), note("failed"), note("progress"), name="test-worker")
    qtbot.waitUntil(lambda: any(kind == "done" for kind, _v, _g in seen), timeout=10_000)
    assert [("progress", 1, True), ("progress", 2, True), ("done", "done in test-worker", True)] == seen


def test_an_exception_is_delivered_not_lost(qtbot: QtBot) -> None:
    failures: list[BaseException] = []

    def work(_report: Report) -> None:
        raise ValueError("broken")

    run_in_background(work, lambda _r: None, failures.append)
    qtbot.waitUntil(lambda: failures != [], timeout=10_000)
    assert ["Unexpected error (ValueError: broken)."] == [failure_message(f) for f in failures]
    assert "No model is set." == failure_message(ConfigError("No model is set."))


def test_a_cancelled_task_delivers_nothing(qtbot: QtBot) -> None:
    release, seen = threading.Event(), []
    task = BackgroundTask(lambda _report: release.wait(5))
    task.done.connect(seen.append)
    task.start()
    task.cancel()
    release.set()
    qtbot.wait(100)
    assert [] == seen
