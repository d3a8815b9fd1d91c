"""Quitting never takes the user's clipboard along: after a rewrite Rephraser owns the restored clipboard,
and its text, HTML and image must still paste after the app is gone, with or without a clipboard manager."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from Xlib import display

from tests.e2e.apps import Mousepad
from tests.e2e.conftest import (
    ORIGINAL_CLIPBOARD,
    ClipboardOwner,
    RephraserProcess,
    read_clipboard,
    visible_windows,
    wait_window,
    xdo,
)
from tests.e2e.xserver import start_x_server
from tests.helpers.processes import alive, end_process, wait_gone

pytestmark = pytest.mark.e2e

TEXT = "cat astronaut moon cool"
# Above the X server's request size (256 KiB): such a format only moves in INCR chunks.
LARGE_CLIPBOARD = {**ORIGINAL_CLIPBOARD, "image/png": ORIGINAL_CLIPBOARD["image/png"] + os.urandom(3_000_000)}
PAYLOADS = {"small": ORIGINAL_CLIPBOARD, "large": LARGE_CLIPBOARD}


def rewrite_then_quit(
    env: dict[str, str],
    folder: Path,
    formats: dict[str, bytes],
    quit: Callable[[RephraserProcess], dict[str, Any]] = RephraserProcess.quit,
) -> dict[str, Any]:
    """Copy `formats` from another app, rewrite in mousepad (Rephraser then owns the restored clipboard),
    close the app that copied, quit Rephraser (SIGTERM by default); the `quit` event. The helper it left
    is the caller's to end."""
    config = folder / "config"
    config.mkdir()
    app = RephraserProcess({**env, "REPHRASER_CONFIG_DIR": str(config)})
    editor = Mousepad(env, folder)
    owner = ClipboardOwner(env, formats)
    quit_event: dict[str, Any] = {}
    try:
        editor.enter(TEXT)
        xdo(env, "key", "ctrl+alt+r")
        assert "pasted" == app.wait("finished", timeout_s=30)["outcome"]
        owner.close()  # only Rephraser's copy of the user's clipboard is left
        quit_event = quit(app)
        return quit_event
    finally:
        owner.close()
        editor.close()
        app.stop(end_helper=not quit_event)


@pytest.mark.parametrize("size", sorted(PAYLOADS))
def test_sigterm_leaves_every_format_to_a_helper_until_another_program_copies(
    size: str, x_env: dict[str, str], tmp_path: Path
) -> None:
    formats = PAYLOADS[size]
    quit_event = rewrite_then_quit(x_env, tmp_path, formats)
    helper = int(str(quit_event["pid"]))
    try:
        assert ("helper", "", "") == (quit_event["clipboard"], quit_event["note"], quit_event["problem"])
        assert alive(helper)
        assert formats == read_clipboard(x_env, list(formats))
        assert formats == read_clipboard(x_env, list(formats))  # served as often as asked
        newer = {"text/plain": b"copied later"}
        owner = ClipboardOwner(x_env, newer)
        try:
            assert wait_gone(helper), "the helper kept running after another program took the clipboard"
            assert newer == read_clipboard(x_env, ["text/plain"])
        finally:
            owner.close()
    finally:
        end_process(helper)


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGHUP], ids=["SIGINT", "SIGHUP"])
def test_ctrl_c_and_hangup_quit_as_cleanly_and_the_helper_speaks_x11(
    signal_number: int, x_env: dict[str, str], tmp_path: Path
) -> None:
    quit_event = rewrite_then_quit(x_env, tmp_path, ORIGINAL_CLIPBOARD, lambda app: app.quit(signal_number))
    helper = int(str(quit_event["pid"]))
    try:
        assert "helper" == quit_event["clipboard"]
        maps = Path(f"/proc/{helper}/maps").read_text(encoding="utf-8")
        assert [] == [line for line in maps.splitlines() if "libQt6" in line]  # a few MB, not a GUI toolkit
        targets = subprocess.run(
            [sys.executable, "-c", _LIST_TARGETS], env=x_env, capture_output=True, text=True, check=True, timeout=30
        ).stdout.split()
        assert {"TARGETS", "TIMESTAMP", "MULTIPLE", "UTF8_STRING", "TEXT", "image/png", "text/html"} <= set(targets)
        assert "STRING" not in targets  # "✓" has no Latin-1 form: STRING would garble it
    finally:
        end_process(helper)


_LIST_TARGETS = """
from Xlib import X, display
d = display.Display()
w = d.screen().root.create_window(0, 0, 1, 1, 0, 0, X.InputOnly, X.CopyFromParent)
prop = d.intern_atom("TARGETS_OUT")
w.convert_selection(d.intern_atom("CLIPBOARD"), d.intern_atom("TARGETS"), prop, X.CurrentTime)
while True:
    e = d.next_event()
    if e.type == X.SelectionNotify:
        break
value = w.get_full_property(prop, X.AnyPropertyType).value
print(" ".join(d.get_atom_name(a) for a in value))
"""


@pytest.fixture
def x_env_with_manager(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A separate X server with xfsettingsd, Xfce's settings daemon, whose clipboard manager owns
    CLIPBOARD_MANAGER (the freedesktop convention; GNOME's and Xfce's managers share this code)."""
    server = start_x_server()
    env = {**server.env, "XDG_CONFIG_HOME": str(tmp_path / "xdg-config")}
    manager = subprocess.Popen(
        ["dbus-run-session", "--", "xfsettingsd", "--no-daemon", "--replace"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait_for_manager(env)
        yield env
    finally:
        _end_group(manager)
        server.stop()


def _wait_for_manager(env: dict[str, str], timeout_s: float = 60) -> None:
    connection = display.Display(env["DISPLAY"])
    try:
        atom = connection.intern_atom("CLIPBOARD_MANAGER")
        deadline = time.monotonic() + timeout_s
        while getattr(connection.get_selection_owner(atom), "id", 0) == 0:
            assert time.monotonic() < deadline, "xfsettingsd never took CLIPBOARD_MANAGER"
            time.sleep(0.2)
    finally:
        connection.close()


def _end_group(process: subprocess.Popen[bytes]) -> None:
    """dbus-run-session, its bus and what the bus started share one process group: end them all."""
    for number in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, number)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=10)
            break
        except subprocess.TimeoutExpired:
            continue
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # the bus's services, if they outlived their parent
    # Wait until the whole group is gone: the next test's X server may get this one's display number, and
    # a manager still connecting to it would take that test's clipboard (seen: a later test's keeper
    # displaced by this xfsettingsd).
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)


@pytest.mark.parametrize("size", sorted(PAYLOADS))
def test_sigterm_hands_every_format_to_the_clipboard_manager(
    size: str, x_env_with_manager: dict[str, str], tmp_path: Path
) -> None:
    env, formats = x_env_with_manager, PAYLOADS[size]
    quit_event = rewrite_then_quit(env, tmp_path, formats)
    helper = int(str(quit_event["pid"]))
    try:
        assert ("manager", "") == (quit_event["clipboard"], quit_event["problem"])
        assert wait_gone(helper), "the helper stayed although the clipboard manager saved the clipboard"
        assert formats == read_clipboard(env, list(formats))
    finally:
        end_process(helper)


@pytest.fixture
def x_env_with_tray() -> Iterator[dict[str, str]]:
    """A separate X server with a system tray (trayer, a freedesktop tray host), so the tray icon shows."""
    server = start_x_server()
    tray = subprocess.Popen(
        ["trayer", "--edge", "top", "--align", "right", "--width", "10"],
        env=server.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield server.env
    finally:
        end_process(tray.pid)
        tray.wait()
        server.stop()


def quit_from_the_tray_menu(app: RephraserProcess) -> dict[str, Any]:
    """Right-click the tray icon and choose Quit, as a user would."""
    env = app.env
    deadline = time.monotonic() + 30
    icon = ""
    while not icon and time.monotonic() < deadline:  # the icon is embedded once the tray menu is built
        icon = next((w for w in visible_windows(env, "class", "Rephraser") if _width(env, w) > 1), "")
        time.sleep(0.1)
    assert icon, "the tray icon never showed"
    xdo(env, "mousemove", "--window", icon, "5", "5", "click", "3")
    wait_window(env, "Rephraser", field="class", timeout_s=10, exclude=icon)  # the menu
    xdo(env, "key", "q")  # &Quit
    return app.wait_quit()


def _width(env: dict[str, str], window: str) -> int:
    shell = xdo(env, "getwindowgeometry", "--shell", window)
    return int(dict(line.split("=", 1) for line in shell.split())["WIDTH"])


def test_tray_quit_leaves_every_format_to_a_helper(x_env_with_tray: dict[str, str], tmp_path: Path) -> None:
    quit_event = rewrite_then_quit(x_env_with_tray, tmp_path, ORIGINAL_CLIPBOARD, quit_from_the_tray_menu)
    helper = int(str(quit_event["pid"]))
    try:
        assert ("helper", "") == (quit_event["clipboard"], quit_event["problem"])
        assert ORIGINAL_CLIPBOARD == read_clipboard(x_env_with_tray)
    finally:
        end_process(helper)


def test_sigterm_right_after_start_still_quits_cleanly(x_env: dict[str, str], tmp_path: Path) -> None:
    app = RephraserProcess({**x_env, "REPHRASER_CONFIG_DIR": str(tmp_path)})
    try:
        quit_event = app.quit()  # lands before Qt's loop runs: the quit must wait for it, not be lost
        assert (0, "", 0) == (app.process.returncode, quit_event["clipboard"], quit_event["pid"])
    finally:
        app.stop()
