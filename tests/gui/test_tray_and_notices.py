"""The tray menu and the notices (offscreen: no tray host, so notices use the focus-free overlay)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from rephraser.core.history import HistoryEntry
from rephraser.desktop.notify import Notifier
from rephraser.desktop.tray import Tray, TrayActions


def _tray(calls: list[tuple[str, object]], history: list[HistoryEntry] | None = None) -> Tray:
    return Tray(
        TrayActions(
            rewrite=lambda: calls.append(("rewrite", None)),
            set_target=lambda t: calls.append(("target", t)),
            set_offline=lambda v: calls.append(("offline", v)),
            open_settings=lambda: calls.append(("settings", None)),
            set_paused=lambda v: calls.append(("paused", v)),
            quit=lambda: calls.append(("quit", None)),
            revert=lambda: calls.append(("revert", None)),
            recent=lambda limit: (history or [])[:limit],
            copy=lambda text: calls.append(("copy", text)),
            describe=lambda: calls.append(("describe", None)),
        ),
        target="auto",
        offline=True,
        paused=False,
    )


def test_menu_items_in_order(qapp: QApplication) -> None:
    tray = _tray([])
    texts = [a.text() for a in tray.menu.actions() if not a.isSeparator()]
    assert [
        "&Rewrite selection",
        "Re&vert last rewrite",
        "&Image to prompt (from the clipboard)",
        "Re&cent",
        "&Target",
        "&Offline mode",
        "&Settings...",
        "&Pause hotkeys",
        "&Quit",
    ] == texts
    assert ["Auto", "Chat", "Code", "Image", "Multimodal"] == [a.text() for a in tray.target_actions.values()]
    assert tray.target_actions["auto"].isChecked()
    assert tray.offline_action.isChecked()


def test_menu_actions_reach_the_controller(qapp: QApplication) -> None:
    calls: list[tuple[str, object]] = []
    tray = _tray(calls)
    tray.target_actions["image"].trigger()
    tray.offline_action.trigger()
    tray.pause_action.trigger()
    tray.menu.actions()[0].trigger()
    assert [("target", "image"), ("offline", False), ("paused", True), ("rewrite", None)] == calls
    assert tray.target_actions["image"].isChecked()
    assert not tray.target_actions["auto"].isChecked()


def test_recent_lists_the_newest_rewrites_and_copies_either_text(qapp: QApplication) -> None:
    calls: list[tuple[str, object]] = []
    entries = [
        HistoryEntry("fix my regex & the tests", "Fix this regex: [regex]", "code", "code", "offline", id=2),
        HistoryEntry("a fox " + "in the snow " * 6, "Subject: a fox in the snow", "image", "image", "offline", id=1),
    ]
    tray = _tray(calls, entries)
    tray.recent_menu.aboutToShow.emit()
    items = [a.menu() for a in tray.recent_menu.actions()]
    assert ["fix my regex && the tests", "a fox in the snow in the snow in the sn…"] == [m.title() for m in items]
    assert ["Copy &original", "Copy &rewrite"] == [a.text() for a in items[0].actions()]
    items[0].actions()[1].trigger()
    items[1].actions()[0].trigger()
    tray.menu.actions()[1].trigger()
    tray.menu.actions()[2].trigger()
    assert [
        ("copy", "Fix this regex: [regex]"),
        ("copy", entries[1].original),
        ("revert", None),
        ("describe", None),
    ] == calls


def test_recent_without_rewrites_says_so(qapp: QApplication) -> None:
    tray = _tray([])
    tray.recent_menu.aboutToShow.emit()
    assert [("No rewrites yet", False)] == [(a.text(), a.isEnabled()) for a in tray.recent_menu.actions()]


def test_busy_state_changes_the_tooltip(qapp: QApplication) -> None:
    tray = _tray([])
    tray.set_busy(True)
    assert "Rephraser: rewriting..." == tray.icon.toolTip()
    tray.set_busy(False)
    assert "Rephraser" == tray.icon.toolTip()


# The offscreen platform cannot raise windows; a stays-on-top window asks it to when shown.
OFFSCREEN_RAISE = pytest.mark.qt_log_ignore("This plugin does not support raise")


@OFFSCREEN_RAISE
def test_without_a_tray_notices_use_an_overlay_that_takes_no_focus(qtbot: QtBot) -> None:
    notifier = Notifier(lambda: None)
    notifier.show("Nothing is selected.")
    overlay = notifier._overlay
    assert overlay is not None
    qtbot.waitUntil(overlay.isVisible, timeout=10_000)
    assert "Nothing is selected." == overlay.text()
    flags = overlay.windowFlags()
    assert flags & Qt.WindowType.WindowDoesNotAcceptFocus
    assert overlay.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    assert QApplication.activeWindow() is None


@OFFSCREEN_RAISE
def test_progress_overlay_shows_and_hides(qtbot: QtBot) -> None:
    notifier = Notifier(lambda: None)
    notifier.progress("Rewriting... 10 characters (Esc cancels)")
    progress = notifier._progress
    assert progress is not None
    qtbot.waitUntil(progress.isVisible, timeout=10_000)
    notifier.hide_progress()
    assert not progress.isVisible()
