"""The desktop loop on a real X server with real apps: replace, restore, held keys, cancel, repeat."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.e2e.apps import ChromiumTextarea, Mousepad, TargetApp, XtermPrompt
from tests.e2e.conftest import (
    ORIGINAL_CLIPBOARD,
    ClipboardOwner,
    OwnerWatcher,
    RephraserProcess,
    activate,
    configured_app,
    read_clipboard,
    visible_windows,
    wait_window,
    xdo,
)
from tests.helpers.llm_server import FakeLLMServer
from tests.helpers.rewrites import offline_rewrite

pytestmark = pytest.mark.e2e

APPS: dict[str, Callable[[dict[str, str], Path], TargetApp]] = {
    "mousepad": Mousepad,
    "xterm": XtermPrompt,
    "chromium": ChromiumTextarea,
}
TEXT = "cat astronaut moon cool"


@pytest.fixture(params=sorted(APPS))
def target(request: pytest.FixtureRequest, x_env: dict[str, str], tmp_path: Path) -> Iterator[TargetApp]:
    app = APPS[request.param](x_env, tmp_path)
    yield app
    app.close()


@pytest.fixture
def mousepad(x_env: dict[str, str], tmp_path: Path) -> Iterator[Mousepad]:
    editor = Mousepad(x_env, tmp_path)
    yield editor
    editor.close()


def hotkey(env: dict[str, str]) -> None:
    xdo(env, "key", "ctrl+alt+r")


def test_selection_is_replaced_and_the_clipboard_is_byte_identical(
    target: TargetApp, rephraser_app: RephraserProcess, x_env: dict[str, str], user_clipboard: ClipboardOwner
) -> None:
    target.enter(TEXT)
    hotkey(x_env)
    captured = rephraser_app.wait("captured")
    assert "pasted" == rephraser_app.wait("finished")["outcome"]
    want = offline_rewrite(TEXT, captured["app"])
    assert want == target.content(want)
    assert ORIGINAL_CLIPBOARD == read_clipboard(x_env)


def test_the_rewrite_is_in_the_history_after_the_paste(
    rephraser_app: RephraserProcess, x_env: dict[str, str], mousepad: Mousepad
) -> None:
    mousepad.enter(TEXT)
    hotkey(x_env)
    captured = rephraser_app.wait("captured")
    assert 1 == rephraser_app.wait("recorded")["id"]  # after the restore, before the job's end is logged
    assert "pasted" == rephraser_app.wait("finished")["outcome"]
    shown = run_cli("history", "show", "1", "--json", env={"REPHRASER_CONFIG_DIR": rephraser_app.config_dir})
    entry = json.loads(shown.stdout)
    want = offline_rewrite(TEXT, captured["app"])
    assert (TEXT, want, "image", "offline", captured["app"]) == (
        entry["original"],
        entry["rewrite"],
        entry["target"],
        entry["mode"],
        entry["app_class"],
    )


def test_revert_puts_the_original_back_or_copies_it_when_the_rewrite_is_not_selected(
    rephraser_app: RephraserProcess, x_env: dict[str, str], mousepad: Mousepad
) -> None:
    env = {"REPHRASER_CONFIG_DIR": rephraser_app.config_dir}
    mousepad.enter(TEXT)
    hotkey(x_env)
    captured = rephraser_app.wait("captured")
    assert "pasted" == rephraser_app.wait("finished")["outcome"]
    assert offline_rewrite(TEXT, captured["app"]) == mousepad.content()
    xdo(x_env, "key", "--clearmodifiers", "ctrl+a")
    assert 0 == run_cli("revert", env=env).returncode
    assert "pasted" == rephraser_app.wait("finished")["outcome"]
    assert TEXT == mousepad.content()
    xdo(x_env, "key", "--clearmodifiers", "End")  # nothing selected now
    assert 0 == run_cli("revert", env=env).returncode
    assert "copied" == rephraser_app.wait("finished")["outcome"]
    assert TEXT.encode() == read_clipboard(x_env, ["text/plain"])["text/plain"]
    assert TEXT == mousepad.content(TEXT)


def test_clipboard_managers_see_the_restore_after_the_paste(
    rephraser_app: RephraserProcess, x_env: dict[str, str], user_clipboard: ClipboardOwner, mousepad: Mousepad
) -> None:
    # The restore changes the served data in place (the next reader gets the user's contents at once);
    # a moment later Rephraser takes the clipboard anew so that owner-change followers see it too.
    watcher = OwnerWatcher(x_env)
    try:
        mousepad.enter(TEXT)
        hotkey(x_env)
        assert "pasted" == rephraser_app.wait("finished")["outcome"]
        assert ORIGINAL_CLIPBOARD == read_clipboard(x_env)
        owners = watcher.collect(5.0)
        # Ctrl+C (the app), the paste (Rephraser), then Rephraser again: the announced restore.
        assert 3 == len(owners), owners
        assert owners[1] == owners[2] != owners[0]
        assert ORIGINAL_CLIPBOARD == read_clipboard(x_env)
    finally:
        watcher.close()


def test_the_announced_restore_is_never_taken_for_the_next_jobs_copy(
    rephraser_app: RephraserProcess, x_env: dict[str, str], user_clipboard: ClipboardOwner, mousepad: Mousepad
) -> None:
    # The first job's restore is announced about 1 s after it ends. The second job starts ~0.6 s after
    # it, with nothing selected, so it is still waiting for a copy (800 ms) when the announcement comes.
    # That change is Rephraser's own: the job must not take the user's clipboard for the selection.
    mousepad.enter(TEXT)
    hotkey(x_env)
    captured = rephraser_app.wait("captured")
    assert "pasted" == rephraser_app.wait("finished")["outcome"]
    xdo(x_env, "key", "ctrl+End")  # deselect: the next Ctrl+C copies nothing
    xdo(x_env, "sleep", "0.6")
    hotkey(x_env)
    assert "nothing-selected" == rephraser_app.wait("finished")["outcome"]
    want = offline_rewrite(TEXT, captured["app"])
    assert want == mousepad.content(want)
    assert ORIGINAL_CLIPBOARD == read_clipboard(x_env)


def test_quitting_right_after_a_paste_into_chromium_leaves_it_responsive(
    rephraser_app: RephraserProcess, x_env: dict[str, str], tmp_path: Path
) -> None:
    # Chromium still asks the clipboard's owner after its last read; an owner that exits without
    # answering used to stall it for many seconds (keys typed meanwhile were lost).
    target = ChromiumTextarea(x_env, tmp_path)
    try:
        target.enter(TEXT)
        hotkey(x_env)
        assert "pasted" == rephraser_app.wait("finished")["outcome"]
        rephraser_app.quit()
        target.enter("typed after the quit")
        assert "typed after the quit" == target.content("typed after the quit")
    finally:
        target.close()


def test_holding_the_modifiers_still_gives_exactly_one_rewrite(
    target: TargetApp, rephraser_app: RephraserProcess, x_env: dict[str, str]
) -> None:
    target.enter(TEXT)
    xdo(x_env, "keydown", "ctrl+alt+r")
    xdo(x_env, "keyup", "r")
    xdo(x_env, "sleep", "0.3")
    xdo(x_env, "keyup", "ctrl+alt")
    captured = rephraser_app.wait("captured")
    assert captured["ms"] >= 250  # it waited for the keys to come up
    assert "pasted" == rephraser_app.wait("finished")["outcome"]
    want = offline_rewrite(TEXT, captured["app"])
    assert want == target.content(want)
    assert 1 == rephraser_app.count("rewritten")


def test_twenty_rewrites_in_a_row_all_land(
    target: TargetApp, rephraser_app: RephraserProcess, x_env: dict[str, str]
) -> None:
    for number in range(20):
        text = f"note {number}: python func dedupe list keep order fast"
        target.enter(text)
        hotkey(x_env)
        captured = rephraser_app.wait("captured")
        assert "pasted" == rephraser_app.wait("finished")["outcome"], (number, captured)
        want = offline_rewrite(text, captured["app"])
        assert want == target.content(want), number


@pytest.fixture
def slow_model_app(x_env: dict[str, str], tmp_path: Path) -> Iterator[RephraserProcess]:
    with FakeLLMServer() as server:
        server.behaviour.fault = "slow_first_byte"
        settings = {"mode": "model", "base_url": server.url, "model": "small-model"}
        app = configured_app(x_env, tmp_path / "model-config", settings)
        yield app
        app.stop()


def test_a_second_press_mid_job_cancels_cleanly(
    target: TargetApp, slow_model_app: RephraserProcess, x_env: dict[str, str], user_clipboard: ClipboardOwner
) -> None:
    target.enter(TEXT)
    hotkey(x_env)
    slow_model_app.wait("captured")
    hotkey(x_env)
    assert "cancelled" == slow_model_app.wait("finished")["outcome"]
    assert TEXT == target.content(TEXT)
    assert ORIGINAL_CLIPBOARD == read_clipboard(x_env)


def test_escape_cancels_a_model_rewrite_and_the_hotkey_still_works(
    slow_model_app: RephraserProcess, x_env: dict[str, str], mousepad: Mousepad, user_clipboard: ClipboardOwner
) -> None:
    # Esc is grabbed for the job alone, beside the hotkey, which stays grabbed throughout.
    mousepad.enter(TEXT)
    hotkey(x_env)
    slow_model_app.wait("captured")
    xdo(x_env, "key", "Escape")
    assert ("cancel", "cancelled") == (
        slow_model_app.wait("hotkey")["hotkey"],
        slow_model_app.wait("finished")["outcome"],
    )
    assert ORIGINAL_CLIPBOARD == read_clipboard(x_env)
    hotkey(x_env)
    slow_model_app.wait("captured")
    hotkey(x_env)
    assert "cancelled" == slow_model_app.wait("finished")["outcome"]
    assert TEXT == mousepad.content(TEXT)
    assert ORIGINAL_CLIPBOARD == read_clipboard(x_env)


def test_trigger_command_and_single_instance(
    x_env: dict[str, str], rephraser_app: RephraserProcess, mousepad: Mousepad
) -> None:
    env = {**x_env, "REPHRASER_CONFIG_DIR": rephraser_app.config_dir}
    second = run_cli("run", env=env, timeout_s=30)
    assert (0, "rephraser: already running (single instance); use `rephraser trigger` to rewrite.\n") == (
        second.returncode,
        second.stderr,
    )
    assert "Rephraser is already running." == rephraser_app.wait("notice")["message"]
    mousepad.enter(TEXT)
    trigger = run_cli("trigger", "--target", "code", env=env, timeout_s=30)
    assert (0, "") == (trigger.returncode, trigger.stderr)
    rephraser_app.wait("captured")
    assert "pasted" == rephraser_app.wait("finished")["outcome"]
    assert offline_rewrite(TEXT, target="code") == mousepad.content()


def test_settings_opens_once_and_a_second_call_raises_it(
    x_env: dict[str, str], rephraser_app: RephraserProcess
) -> None:
    import subprocess
    import sys
    import time

    env = {**x_env, "REPHRASER_CONFIG_DIR": rephraser_app.config_dir}
    for _ in range(2):
        opened = subprocess.run(
            [sys.executable, "-m", "rephraser", "settings"],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        assert (0, "") == (opened.returncode, opened.stderr)
    wait_window(x_env, "Rephraser settings", timeout_s=30, field="name")
    time.sleep(0.5)  # a second window, if any, would be up by now
    assert 1 == len(visible_windows(x_env, "name", "Rephraser settings"))


def test_image_to_prompt_pastes_the_models_prompt_and_gives_the_image_back(
    x_env: dict[str, str], tmp_path: Path, mousepad: Mousepad, user_clipboard: ClipboardOwner
) -> None:
    prompt = "Prompt: a tiny red and blue checkerboard, flat colours, pixel art\nNegative prompt: blur"
    with FakeLLMServer() as server:
        server.behaviour.answer = prompt
        settings = {"mode": "model", "base_url": server.url, "model": "vision-model", "hotkey_describe": "Ctrl+Alt+I"}
        app = configured_app(x_env, tmp_path / "vision-config", settings)
        try:
            activate(x_env, mousepad.window)  # an empty note, the cursor in it
            xdo(x_env, "key", "ctrl+alt+i")
            assert "pasted" == app.wait("finished")["outcome"]
            assert prompt == mousepad.content()
            assert ORIGINAL_CLIPBOARD == read_clipboard(x_env)
            sent = server.requests[-1].body["messages"][1]["content"][1]["image_url"]["url"]
            assert f"data:image/png;base64,{base64.b64encode(ORIGINAL_CLIPBOARD['image/png']).decode()}" == sent
        finally:
            app.stop()
