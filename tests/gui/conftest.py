"""Offscreen Qt for the desktop layer's tests (one QApplication, from pytest-qt)."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"


import gc
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot


@pytest.fixture(autouse=True)
def collect_only_between_tests(qtbot: QtBot) -> Iterator[None]:
    """As in the app (rephraser.desktop.collector): no automatic collection while a test's workers run;
    one collection after the test, once its workers have finished."""
    from rephraser.desktop.background import workers_running

    gc.disable()
    try:
        yield
        qtbot.waitUntil(lambda: not workers_running(), timeout=30_000)
        gc.collect()
    finally:
        gc.enable()
