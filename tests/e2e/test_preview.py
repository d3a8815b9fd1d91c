"""The preview before paste on a real X server, in mousepad and Chromium: Enter pastes, Esc cancels, E edits
and fills a [placeholder]; the app keeps the input focus throughout, and the clipboard is the user's after."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.e2e.apps import ChromiumTextarea, Mousepad, TargetApp
from tests.e2e.conftest import (
    ORIGINAL_CLIPBOARD,
    ClipboardOwner,
    RephraserProcess,
    configured_app,
    read_clipboard,
    xdo,
)
from tests.helpers.llm_server import FakeLLMServer

pytestmark = pytest.mark.e2e

TEXT = "tips for sleep"
ANSWER = "Give me 5 practical tips for better sleep for [audience], as a numbered list."
APPS: dict[str, Callable[[dict[str, str], Path], TargetApp]] = {"mousepad": Mousepad, "chromium": ChromiumTextarea}


@pytest.fixture(params=sorted(APPS))
def target(request: pytest.FixtureRequest, x_env: dict[str, str], tmp_path: Path) -> Iterator[TargetApp]:
    app = APPS[request.param](x_env, tmp_path)
    yield app
    app.close()


@pytest.fixture
def previewing_app(x_env: dict[str, str], tmp_path: Path) -> Iterator[RephraserProcess]:
    """The tray app in model mode (so `preview = "model"`, the default, previews) over a loopback model."""
    with FakeLLMServer() as server:
        server.behaviour.answer = ANSWER
        settings = {"mode": "model", "base_url": server.url, "model": "small-model"}
        app = configured_app(x_env, tmp_path / "preview-config", settings)
        yield app
        app.stop()


def focus(env: dict[str, str]) -> str:
    return xdo(env, "getwindowfocus").strip()


def open_preview(app: RephraserProcess, env: dict[str, str], target: TargetApp) -> str:
    """Select TEXT, press the hotkey and wait for the preview's choice; the window with the focus, which
    the preview must not have taken."""
    target.enter(TEXT)
    focused = focus(env)
    xdo(env, "key", "ctrl+alt+r")
    assert 2 == app.wait("previewing", timeout_s=60)["options"]  # the model's rewrite and the offline one
    assert focused == focus(env)
    return focused


def test_enter_pastes_the_previewed_rewrite(
    target: TargetApp, previewing_app: RephraserProcess, x_env: dict[str, str], user_clipboard: ClipboardOwner
) -> None:
    focused = open_preview(previewing_app, x_env, target)
    xdo(x_env, "key", "Return")
    chosen = previewing_app.wait("chosen")
    assert (0, "model") == (chosen["option"], chosen["mode"])
    assert "pasted" == previewing_app.wait("finished")["outcome"]
    assert ANSWER == target.content(ANSWER)
    assert ORIGINAL_CLIPBOARD == read_clipboard(x_env)
    assert focused == focus(x_env)


def test_esc_cancels_and_leaves_text_and_clipboard_as_they_were(
    target: TargetApp, previewing_app: RephraserProcess, x_env: dict[str, str], user_clipboard: ClipboardOwner
) -> None:
    open_preview(previewing_app, x_env, target)
    xdo(x_env, "key", "Escape")
    assert "cancelled" == previewing_app.wait("finished")["outcome"]
    assert TEXT == target.content(TEXT)
    assert ORIGINAL_CLIPBOARD == read_clipboard(x_env)
    target.enter("typed after the preview")  # the keyboard is the app's again
    assert "typed after the preview" == target.content("typed after the preview")


def test_e_edits_and_the_filled_placeholder_is_pasted(
    target: TargetApp, previewing_app: RephraserProcess, x_env: dict[str, str], user_clipboard: ClipboardOwner
) -> None:
    open_preview(previewing_app, x_env, target)
    xdo(x_env, "key", "e")
    xdo(x_env, "sleep", "0.3")
    xdo(x_env, "type", "--delay", "5", "shift workers")  # into the [audience] field: it has the editor's focus
    xdo(x_env, "key", "ctrl+Return")
    chosen = previewing_app.wait("chosen")
    assert (-1, "edited") == (chosen["option"], chosen["mode"])
    assert "pasted" == previewing_app.wait("finished")["outcome"]
    want = ANSWER.replace("[audience]", "shift workers")
    assert want == target.content(want)
    assert ORIGINAL_CLIPBOARD == read_clipboard(x_env)


def test_revert_after_a_previewed_paste_in_chromium(
    previewing_app: RephraserProcess, x_env: dict[str, str], tmp_path: Path
) -> None:
    chromium = ChromiumTextarea(x_env, tmp_path)
    try:
        open_preview(previewing_app, x_env, chromium)
        xdo(x_env, "key", "Return")
        assert "pasted" == previewing_app.wait("finished")["outcome"]
        assert ANSWER == chromium.content(ANSWER)
        xdo(x_env, "key", "--clearmodifiers", "ctrl+a")
        assert 0 == run_cli("revert", env={"REPHRASER_CONFIG_DIR": previewing_app.config_dir}).returncode
        assert "pasted" == previewing_app.wait("finished")["outcome"]
        assert TEXT == chromium.content(TEXT)
    finally:
        chromium.close()
