"""The desktop's cycle collection: on the GUI thread, only while no job and no worker runs."""

from __future__ import annotations

import gc
import threading

from pytestqt.qtbot import QtBot

from rephraser.desktop.background import run_in_background
from rephraser.desktop.collector import IdleCollector


def test_it_collects_when_idle_and_waits_while_a_worker_or_a_job_runs(qtbot: QtBot) -> None:
    busy = [False]
    collector = IdleCollector(lambda: busy[0])
    try:
        cycle: list[object] = []
        cycle.append(cycle)
        before = gc.get_count()
        assert True is collector.collect_if_idle()
        assert gc.get_count() <= before
        busy[0] = True
        assert False is collector.collect_if_idle()
        busy[0] = False
        release = threading.Event()
        done: list[object] = []
        run_in_background(lambda _report: release.wait(30), done.append, done.append)
        assert False is collector.collect_if_idle()  # a worker runs
        release.set()
        qtbot.waitUntil(lambda: done != [], timeout=10_000)
        assert (True, 2) == (collector.collect_if_idle(), collector.collections)
    finally:
        collector.stop()
