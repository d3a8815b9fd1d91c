"""The desktop loop on a real headless sway with native Qt and GTK apps: sway's binding starts the job, the
virtual keyboard copies and pastes, data-control serves the rewrite and puts the user's clipboard back
byte for byte, and at quit a keeper holds it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from rephraser.platform.wayland.sway import SwayFocus, SwayIpc
from tests.e2e.conftest import RephraserProcess
from tests.helpers.rewrites import offline_rewrite
from tests.wayland.cases import (
    test_quitting_leaves_the_users_clipboard_to_a_keeper,
    test_trigger_from_the_command_line_works_too,
    test_twenty_rewrites_in_a_row_all_land,
)
from tests.wayland.compositor import wait_for
from tests.wayland.conftest import (
    QtEditor,
    UserClipboard,
    WaylandMousepad,
    app_with_a_slow_model,
    notifications,
    press,
    wait_for_clipboard,
)

pytestmark = pytest.mark.wayland
# Collected here too, on this module's session:
__all__ = [
    "test_quitting_leaves_the_users_clipboard_to_a_keeper",
    "test_trigger_from_the_command_line_works_too",
    "test_twenty_rewrites_in_a_row_all_land",
]

TEXT = "cat astronaut moon cool"
Target = QtEditor | WaylandMousepad
APPS: dict[str, Callable[[dict[str, str], Path, str], Target]] = {"qt": QtEditor, "gtk": WaylandMousepad}


@pytest.fixture(params=sorted(APPS))
def target(request: pytest.FixtureRequest, wl_env: dict[str, str], tmp_path: Path) -> Iterator[Target]:
    app = APPS[request.param](wl_env, tmp_path, TEXT)
    yield app
    app.close()


def test_the_hotkey_replaces_the_selection_and_the_clipboard_comes_back_byte_for_byte(
    wl_env: dict[str, str], user_clipboard: UserClipboard, rephraser: RephraserProcess, target: Target
) -> None:
    press(wl_env, "ctrl+alt+r")
    captured = rephraser.wait("captured")
    assert "pasted" == rephraser.wait("finished")["outcome"]
    target.wait_for(offline_rewrite(TEXT, captured["app"]))
    wait_for_clipboard(wl_env, user_clipboard.formats)


@pytest.fixture
def slow_model_app(wl_env: dict[str, str]) -> Iterator[RephraserProcess]:
    with app_with_a_slow_model(wl_env) as app:
        yield app


def test_escape_and_a_second_press_cancel_and_nothing_changes(
    wl_env: dict[str, str], tmp_path: Path, user_clipboard: UserClipboard, slow_model_app: RephraserProcess
) -> None:
    """Esc is bound for the job alone (a sway binding), beside the hotkey."""
    editor = QtEditor(wl_env, tmp_path, TEXT)
    try:
        press(wl_env, "ctrl+alt+r")
        slow_model_app.wait("captured")
        press(wl_env, "Escape")
        assert ("cancel", "cancelled") == (
            slow_model_app.wait("hotkey")["hotkey"],
            slow_model_app.wait("finished")["outcome"],
        )
        press(wl_env, "ctrl+alt+r")
        slow_model_app.wait("captured")
        press(wl_env, "ctrl+alt+r")
        assert "cancelled" == slow_model_app.wait("finished")["outcome"]
        assert TEXT == editor.content()
        wait_for_clipboard(wl_env, user_clipboard.formats)
    finally:
        editor.close()


def test_a_combination_the_sway_config_binds_is_one_notice_and_not_taken_over(
    sway_with_binding: dict[str, str],
) -> None:
    app = RephraserProcess(sway_with_binding)
    try:
        notice = app.wait("notice")["message"]
        assert "Ctrl+Alt+R (hotkey: sway: exec touch /tmp/users-own-binding holds it)" in notice, notice
    finally:
        app.stop()


def test_a_notice_goes_to_the_notification_server_and_the_focus_stays(
    notification_server: dict[str, str], tmp_path: Path
) -> None:
    """No tray and no floating window on Wayland: "nothing selected" is a desktop notification."""
    app = RephraserProcess(notification_server)
    editor = QtEditor(notification_server, tmp_path, "")
    try:
        press(notification_server, "ctrl+alt+r")
        assert "nothing-selected" == app.wait("finished")["outcome"]
        message = "Nothing is selected: select the text to rewrite, then press the hotkey."
        wait_for(lambda: message in notifications(notification_server), what="the notification")
        focused = SwayFocus(SwayIpc(notification_server["SWAYSOCK"])).focused_app()
        assert "rephraser wayland test editor" == focused.title
    finally:
        editor.close()
        app.stop()
