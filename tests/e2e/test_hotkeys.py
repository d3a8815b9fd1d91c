"""The X11 hotkey back-end in the running app: a combination another program holds is reported, not
silently dead, and the hotkey works with NumLock on."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.e2e.apps import Mousepad
from tests.e2e.conftest import RephraserProcess, xdo
from tests.helpers.rewrites import offline_rewrite

pytestmark = pytest.mark.e2e

TEXT = "cat astronaut moon cool"

# Another X client that grabs Ctrl+Alt+R (every lock variant) on the root window, says so, and holds it.
GRABBER = """
import sys
from Xlib import X, XK, display
d = display.Display()
code = d.keysym_to_keycode(XK.string_to_keysym("r"))
for lock in (0, X.LockMask, X.Mod2Mask, X.LockMask | X.Mod2Mask):
    d.screen().root.grab_key(code, X.ControlMask | X.Mod1Mask | lock, True, X.GrabModeAsync, X.GrabModeAsync)
d.sync()
print("grabbed", flush=True)
sys.stdin.read()
"""


@pytest.fixture
def grabber(x_env: dict[str, str]) -> Iterator[None]:
    process = subprocess.Popen(
        [sys.executable, "-c", GRABBER], env=x_env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    assert "grabbed" == process.stdout.readline().strip()
    yield
    process.communicate(timeout=30)


def test_a_hotkey_another_program_holds_is_one_notice_and_the_app_runs_on(
    x_env: dict[str, str], tmp_path: Path, grabber: None
) -> None:
    (tmp_path / "config").mkdir()
    app = RephraserProcess({**x_env, "REPHRASER_CONFIG_DIR": str(tmp_path / "config")})
    try:
        notice = app.wait("notice")["message"]
        assert "Ctrl+Alt+R (hotkey: another program already uses it)" in notice, notice
        ping = run_cli("trigger", env={**x_env, "REPHRASER_CONFIG_DIR": str(tmp_path / "config")})
        assert 0 == ping.returncode, ping.stderr
    finally:
        app.stop()


def test_the_hotkey_works_with_numlock_on(x_env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    editor = Mousepad(x_env, tmp_path)
    app = RephraserProcess({**x_env, "REPHRASER_CONFIG_DIR": str(tmp_path / "config")})
    xdo(x_env, "key", "Num_Lock")
    try:
        editor.enter(TEXT)
        xdo(x_env, "key", "ctrl+alt+r")
        captured = app.wait("captured")
        assert "pasted" == app.wait("finished")["outcome"]
        want = offline_rewrite(TEXT, captured["app"])
        assert want == editor.content(want)
    finally:
        xdo(x_env, "key", "Num_Lock")
        app.stop()
        editor.close()
