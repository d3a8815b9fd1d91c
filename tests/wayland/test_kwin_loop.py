"""The desktop loop on a real headless KWin (KDE Plasma's compositor) with native Qt and GTK apps: the
GlobalShortcuts portal delivers the hotkey, KWin's fake input copies and pastes, data-control serves the
rewrite and puts the user's clipboard back byte for byte."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.e2e.conftest import RephraserProcess
from tests.helpers.processes import end_process
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
    app_with_a_slow_model,
    read_text,
    wait_for_clipboard,
    with_config,
)
from tests.wayland.kwin import KWin, have_kwin

pytestmark = [pytest.mark.wayland, pytest.mark.skipif(bool(have_kwin()), reason=f"not installed: {have_kwin()}")]
# Collected here too, on this module's session:
__all__ = [
    "test_quitting_leaves_the_users_clipboard_to_a_keeper",
    "test_trigger_from_the_command_line_works_too",
    "test_twenty_rewrites_in_a_row_all_land",
]

TEXT = "cat astronaut moon cool"
CTRL, ALT, R = 29, 56, 19


@pytest.fixture
def kwin() -> Iterator[KWin]:
    compositor = KWin()
    yield compositor
    compositor.stop()


@pytest.fixture
def wl_env(kwin: KWin, tmp_path: Path) -> dict[str, str]:
    """The session after the user's one step: `rephraser shortcut install` (KWin's leave to type keys).
    It stands in for conftest's sway session, so the fixtures built on it (user_clipboard, rephraser)
    live on KWin."""
    env = with_config(kwin.env, tmp_path)
    installed = run_cli("shortcut", "install", env=env)
    assert (0, "") == (installed.returncode, installed.stderr)
    kwin.hands()  # KWin 6 sees the new entry once its service cache has caught up: no app starts before
    return env


class KdeMousepad:
    """mousepad (GTK 3) as a native Wayland app on KWin; its text is read back by saving it (Ctrl+S)."""

    def __init__(self, kwin: KWin, env: dict[str, str], folder: Path, text: str) -> None:
        self.kwin = kwin
        self.file = folder / "note.txt"
        self.file.write_text(text, encoding="utf-8")
        self.process = subprocess.Popen(
            ["mousepad", str(self.file)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

        def selected_and_copied() -> bool:  # KWin tells no client which window has the focus: ask the app
            kwin.press("ctrl+a")
            kwin.press("ctrl+c")
            return read_text(env) == text.encode()

        try:
            wait_for(selected_and_copied, what="mousepad to get the focus")
        except AssertionError:
            self.close()
            raise

    def content(self) -> str:
        self.kwin.press("ctrl+s")
        return self.file.read_text(encoding="utf-8").removesuffix("\n")

    def wait_for(self, text: str) -> None:
        wait_for(lambda: self.content() == text, what=f"mousepad to show {text!r} (it shows {self.content()!r})")

    def close(self) -> None:
        end_process(self.process.pid)
        self.process.wait(timeout=10)


Target = QtEditor | KdeMousepad
APPS: dict[str, Callable[[KWin, dict[str, str], Path], Target]] = {
    "qt": lambda _kwin, env, folder: QtEditor(env, folder, TEXT),
    "gtk": lambda kwin, env, folder: KdeMousepad(kwin, env, folder, TEXT),
}


@pytest.fixture(params=sorted(APPS))
def target(request: pytest.FixtureRequest, kwin: KWin, wl_env: dict[str, str], tmp_path: Path) -> Iterator[Target]:
    app = APPS[request.param](kwin, wl_env, tmp_path)
    yield app
    app.close()


def test_the_portal_hotkey_replaces_the_selection_and_the_clipboard_comes_back_byte_for_byte(
    kwin: KWin, wl_env: dict[str, str], target: Target, user_clipboard: UserClipboard, rephraser: RephraserProcess
) -> None:
    kwin.press("ctrl+alt+r")
    assert "main" == rephraser.wait("hotkey")["hotkey"]
    captured = rephraser.wait("captured")
    assert "pasted" == rephraser.wait("finished")["outcome"]
    target.wait_for(offline_rewrite(TEXT, captured["app"]))
    wait_for_clipboard(wl_env, user_clipboard.formats)


def test_modifiers_held_after_the_hotkey_do_not_leak_into_copy_and_paste(
    kwin: KWin, wl_env: dict[str, str], user_clipboard: UserClipboard, rephraser: RephraserProcess, tmp_path: Path
) -> None:
    """The user lets go of R first and keeps Ctrl+Alt down while the job copies and pastes."""
    editor = QtEditor(wl_env, tmp_path, TEXT)
    try:
        for code in (CTRL, ALT, R):
            kwin.key(code, down=True)
        rephraser.wait("hotkey")
        kwin.key(R, down=False)
        captured = rephraser.wait("captured")
        assert "pasted" == rephraser.wait("finished")["outcome"]
        for code in (ALT, CTRL):
            kwin.key(code, down=False)
        editor.wait_for(offline_rewrite(TEXT, captured["app"]))
        wait_for_clipboard(wl_env, user_clipboard.formats)
    finally:
        editor.close()


def test_doctor_names_the_kde_back_ends(wl_env: dict[str, str]) -> None:
    doctor = run_cli("doctor", env=wl_env)
    assert "desktop back-ends: wayland (KDE): GlobalShortcuts portal hotkeys" in doctor.stdout, doctor.stdout


@pytest.fixture
def slow_model_app(wl_env: dict[str, str]) -> Iterator[RephraserProcess]:
    with app_with_a_slow_model(wl_env) as app:
        yield app


def test_a_second_press_cancels_and_nothing_changes(
    kwin: KWin, wl_env: dict[str, str], user_clipboard: UserClipboard, slow_model_app: RephraserProcess, tmp_path: Path
) -> None:
    """Plasma's shortcuts are the session's: no Esc for one job (it would be taken from every app); the
    hotkey pressed again cancels."""
    editor = QtEditor(wl_env, tmp_path, TEXT)
    try:
        kwin.press("ctrl+alt+r")
        slow_model_app.wait("captured")
        kwin.press("ctrl+alt+r")
        assert "cancelled" == slow_model_app.wait("finished")["outcome"]
        assert TEXT == editor.content()
        wait_for_clipboard(wl_env, user_clipboard.formats)
    finally:
        editor.close()
