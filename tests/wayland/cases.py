"""Cases that run the same on every compositor: each test module imports them, and pytest collects them
there with that module's fixtures (its `wl_env` is its compositor's session)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import run_cli
from tests.e2e.conftest import RephraserProcess
from tests.helpers.rewrites import offline_rewrite
from tests.wayland.conftest import QtEditor, UserClipboard, press, wait_for_clipboard

TEXT = "cat astronaut moon cool"
Target = Any  # each module's own `target` fixture: a Qt editor or mousepad on that compositor


def test_trigger_from_the_command_line_works_too(
    wl_env: dict[str, str], tmp_path: Path, rephraser: RephraserProcess
) -> None:
    editor = QtEditor(wl_env, tmp_path, TEXT)
    try:
        trigger = run_cli("trigger", "--target", "code", env=wl_env)
        assert (0, "") == (trigger.returncode, trigger.stderr)
        assert "pasted" == rephraser.wait("finished")["outcome"]
        editor.wait_for(offline_rewrite(TEXT, target="code"))
    finally:
        editor.close()


def test_quitting_leaves_the_users_clipboard_to_a_keeper(
    wl_env: dict[str, str], target: Target, user_clipboard: UserClipboard, rephraser: RephraserProcess
) -> None:
    """The target first: on KWin, its start-up check copies."""
    press(wl_env, "ctrl+alt+r")
    assert "pasted" == rephraser.wait("finished")["outcome"], rephraser.events
    quit_event = rephraser.quit()  # Rephraser's restore held the clipboard; the user's owner has gone
    assert "helper" == quit_event["clipboard"], quit_event
    wait_for_clipboard(wl_env, user_clipboard.formats)


def test_twenty_rewrites_in_a_row_all_land(
    wl_env: dict[str, str], tmp_path: Path, user_clipboard: UserClipboard, rephraser: RephraserProcess
) -> None:
    editor = QtEditor(wl_env, tmp_path, "a")
    try:
        for number in range(20):
            text = f"note {number}: fix this python loop"
            editor.replace_with(text)
            press(wl_env, "ctrl+alt+r")
            captured = rephraser.wait("captured")
            assert "pasted" == rephraser.wait("finished")["outcome"]
            editor.wait_for(offline_rewrite(text, captured["app"]))
        assert 20 == rephraser.count("restored")
        wait_for_clipboard(wl_env, user_clipboard.formats)
    finally:
        editor.close()
