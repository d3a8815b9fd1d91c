"""The desktop loop on GNOME's portal paths, against tests/wayland/fake_gnome.py on a real dbus-daemon: the
RemoteDesktop portal types copy and paste, the Clipboard portal reads the selection, serves the rewrite
and puts the user's clipboard back in every format; hotkeys come from the GlobalShortcuts portal (GNOME
48+) or `rephraser trigger` (earlier GNOME). No real GNOME runs here: the fake speaks the portals'
documented interfaces and copies mutter where they leave things open (see its docstring)."""

from __future__ import annotations

import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from rephraser.platform.wayland.backends import GNOME_TOKEN_FILE
from tests.conftest import run_cli
from tests.e2e.conftest import RephraserProcess
from tests.helpers.rewrites import offline_rewrite
from tests.wayland.conftest import app_with_a_slow_model
from tests.wayland.gnome import FakeGnome

pytestmark = [
    pytest.mark.wayland,
    pytest.mark.skipif(shutil.which("dbus-daemon") is None, reason="dbus-daemon is not installed"),
]

TEXT = "cat astronaut moon cool"
USERS_CLIPBOARD = {
    "text/plain;charset=utf-8": "the user's own words \u2014 caf\u00e9".encode(),
    "text/html": b"<b>the user's</b> own words",
    "image/png": bytes(range(256)),
}
Start = Callable[..., FakeGnome]


@pytest.fixture
def start_gnome(tmp_path: Path) -> Iterator[Start]:
    started: list[FakeGnome] = []

    def start(*flags: str) -> FakeGnome:
        runtime = tmp_path / "runtime"
        runtime.mkdir(mode=0o700, exist_ok=True)
        started.append(FakeGnome(runtime, *flags))
        return started[-1]

    yield start
    for gnome in started:
        gnome.stop()


@pytest.fixture
def gnome(start_gnome: Start) -> FakeGnome:
    return start_gnome()


@pytest.fixture
def env(gnome: FakeGnome, tmp_path: Path) -> dict[str, str]:
    return gnome_env(gnome, tmp_path)


def gnome_env(gnome: FakeGnome, tmp_path: Path) -> dict[str, str]:
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    gnome.show(TEXT)
    gnome.copy(USERS_CLIPBOARD)
    return gnome.env(config)


@pytest.fixture
def rephraser(gnome: FakeGnome, env: dict[str, str]) -> Iterator[RephraserProcess]:
    app = RephraserProcess(env)
    gnome.wait_started()
    yield app
    app.stop()
    assert [] == unexpected_errors(app)


def a_press_fails(gnome: FakeGnome, app: RephraserProcess) -> list[str]:
    """Press the hotkey; the job must end in an error. What the app has told the user so far."""
    gnome.press("ctrl+alt+r")
    assert "error" == app.wait("finished")["outcome"]
    return notices(app)


def notices(app: RephraserProcess) -> list[str]:
    """What the app told the user, in order."""
    return [event["message"] for event in app.events if event["event"] == "notice"]


def unexpected_errors(app: RephraserProcess) -> list[str]:
    """Notices of failures nobody planned for (a handler's exception caught by the app's last guard)."""
    return [message for message in notices(app) if "unexpected" in message]


def test_the_hotkey_replaces_the_selection_and_the_clipboard_comes_back_in_every_format(
    gnome: FakeGnome, rephraser: RephraserProcess
) -> None:
    gnome.press("ctrl+alt+r")
    assert "main" == rephraser.wait("hotkey")["hotkey"]
    assert TEXT.__len__() == rephraser.wait("captured")["chars"]
    assert "pasted" == rephraser.wait("finished")["outcome"]
    assert offline_rewrite(TEXT) == gnome.field()
    gnome.wait_for_clipboard(USERS_CLIPBOARD)
    # GNOME's clipboard manager copied the rewrite too, as it was served: only the field's paste counts
    assert [1] == [event["reads"] for event in rephraser.events if event["event"] == "read"]


def test_twenty_rewrites_in_a_row_all_land(gnome: FakeGnome, rephraser: RephraserProcess) -> None:
    for round_number in range(20):
        text = f"{TEXT} {round_number}"
        gnome.show(text)
        gnome.press("ctrl+alt+r")
        assert "pasted" == rephraser.wait("finished")["outcome"], f"round {round_number}"
        assert offline_rewrite(text) == gnome.field(), f"round {round_number}"
    gnome.wait_for_clipboard(USERS_CLIPBOARD)


def test_gnome_asks_once_and_the_restore_token_is_spent_at_the_next_start(
    gnome: FakeGnome, env: dict[str, str], rephraser: RephraserProcess
) -> None:
    rephraser.stop()
    token_file = Path(env["REPHRASER_CONFIG_DIR"]) / "data" / GNOME_TOKEN_FILE
    assert "token-1" == token_file.read_text(encoding="utf-8")
    assert 0o600 == stat.S_IMODE(token_file.stat().st_mode)
    second = RephraserProcess(env)
    try:
        gnome.wait_started()
        assert ["token-1"] == gnome.restore_tokens()
        gnome.press("ctrl+alt+r")
        assert "pasted" == second.wait("finished")["outcome"]
    finally:
        second.stop()
    assert "token-2" == token_file.read_text(encoding="utf-8")
    entry = Path(env["HOME"]) / ".local/share/applications/io.github.rephraser.Rephraser.desktop"
    assert "X-KDE" not in entry.read_text(encoding="utf-8")  # the entry newer portals check ids by; no grant


def test_a_press_before_the_user_answered_gnomes_dialog_says_how_to_answer_it(
    start_gnome: Start, tmp_path: Path
) -> None:
    gnome = start_gnome("--ask")
    app = RephraserProcess(gnome_env(gnome, tmp_path))
    try:
        assert [
            "GNOME is still asking whether Rephraser may type keys: in its Remote Desktop dialog, turn on \u201cAllow "
            "Remote Interaction\u201d, then press Share. Your text and clipboard are unchanged."
        ] == a_press_fails(gnome, app)
        gnome.answer()
        gnome.wait_started()
        gnome.press("ctrl+alt+r")
        assert "pasted" == app.wait("finished")["outcome"]
        assert offline_rewrite(TEXT) == gnome.field()
        gnome.wait_for_clipboard(USERS_CLIPBOARD)
    finally:
        app.stop()


def test_a_token_the_portal_refuses_is_dropped_and_gnome_asks_again(gnome: FakeGnome, env: dict[str, str]) -> None:
    token_file = Path(env["REPHRASER_CONFIG_DIR"]) / "data" / GNOME_TOKEN_FILE
    token_file.parent.mkdir(parents=True)
    token_file.write_text("a token from another machine", encoding="utf-8")
    app = RephraserProcess(env)
    try:
        gnome.wait_started()
        assert [] == gnome.restore_tokens()
        assert "token-1" == token_file.read_text(encoding="utf-8")
        gnome.press("ctrl+alt+r")
        assert "pasted" == app.wait("finished")["outcome"]
    finally:
        app.stop()


def test_after_the_user_stops_sharing_the_next_press_says_so_and_the_one_after_works(
    gnome: FakeGnome, rephraser: RephraserProcess
) -> None:
    gnome.stop_sharing()
    assert [
        "GNOME ended Rephraser's remote-interaction session (it asks again now): answer its dialog, then retry. "
        "Your text and clipboard are unchanged."
    ] == a_press_fails(gnome, rephraser)
    assert TEXT == gnome.field()
    gnome.wait_started()
    assert 2 == gnome.sessions_created()
    gnome.press("ctrl+alt+r")
    assert "pasted" == rephraser.wait("finished")["outcome"]
    assert offline_rewrite(TEXT) == gnome.field()
    gnome.wait_for_clipboard(USERS_CLIPBOARD)


def test_a_declined_dialog_leaves_text_and_clipboard_and_says_what_to_do(start_gnome: Start, tmp_path: Path) -> None:
    """The portal closes a declined session; a second press says the same and asks nothing anew."""
    gnome = start_gnome("--deny")
    app = RephraserProcess(gnome_env(gnome, tmp_path))
    try:
        a_press_fails(gnome, app)
        declined = (
            "GNOME did not let Rephraser type keys or use the clipboard (the \u201cremote interaction\u201d dialog "
            "was declined): quit and start Rephraser again to be asked anew. Your text and clipboard are unchanged."
        )
        assert [declined, declined] == a_press_fails(gnome, app)
        assert 1 == gnome.sessions_created()
    finally:
        app.stop()
    assert TEXT == gnome.field()
    gnome.wait_for_clipboard(USERS_CLIPBOARD)


def test_before_gnome_48_trigger_and_the_shortcuts_command_rewrite(start_gnome: Start, tmp_path: Path) -> None:
    """No GlobalShortcuts portal: doctor names the one step, and both `rephraser trigger` and the command
    GNOME's custom shortcut runs (`rephraser hotkey main`, from `shortcut install`) rewrite in place."""
    gnome = start_gnome("--no-global-shortcuts")
    env = gnome_env(gnome, tmp_path)
    doctor = run_cli("doctor", env=env).stdout.splitlines()
    assert (
        "desktop back-ends: wayland (GNOME): no hotkeys yet (GNOME before 48 has no shortcuts portal), "
        "RemoteDesktop portal keys (GNOME asks once), Clipboard portal, no app hints"
    ) in doctor, doctor
    assert "  to do: GNOME before 48 binds no hotkeys for apps: run `rephraser shortcut install` once." in doctor
    assert 0 == gnome.sessions_created()  # doctor only looks: no dialog, no restore token spent
    app = RephraserProcess(env)
    try:
        gnome.wait_started()
        for command, text in ((["trigger"], TEXT), (["hotkey", "main"], f"{TEXT} again")):
            gnome.show(text)
            done = run_cli(*command, env=env)
            assert (0, "") == (done.returncode, done.stderr), command
            assert "pasted" == app.wait("finished")["outcome"], command
            assert offline_rewrite(text) == gnome.field(), command
        gnome.wait_for_clipboard(USERS_CLIPBOARD)
    finally:
        app.stop()


def test_modifiers_still_held_copy_nothing_and_lose_nothing(gnome: FakeGnome, rephraser: RephraserProcess) -> None:
    """Mutter merges the portal's keys with the user's: with Ctrl+Alt still down, Ctrl+C arrives as
    Ctrl+Alt+C and the app copies nothing. Nothing may be pasted then, and nothing lost."""
    for name in ("ctrl", "alt", "r"):
        gnome.key(name, True)
    gnome.key("r", False)
    try:
        finished = rephraser.wait("finished")
    finally:
        gnome.key("alt", False)
        gnome.key("ctrl", False)
    assert "pasted" != finished["outcome"]
    assert "alt+ctrl+46" in gnome.key_log()
    assert TEXT == gnome.field()
    gnome.wait_for_clipboard(USERS_CLIPBOARD)


def test_a_second_press_cancels_and_nothing_changes(gnome: FakeGnome, env: dict[str, str]) -> None:
    with app_with_a_slow_model(env) as app:
        gnome.wait_started()
        gnome.press("ctrl+alt+r")
        app.wait("captured")
        gnome.press("ctrl+alt+r")
        assert "cancelled" == app.wait("finished")["outcome"]
        assert TEXT == gnome.field()
        gnome.wait_for_clipboard(USERS_CLIPBOARD)


def test_quitting_leaves_gnome_the_clipboards_best_format(gnome: FakeGnome, rephraser: RephraserProcess) -> None:
    """After a rewrite the clipboard is the app's (the user's formats, restored): at quit, mutter's
    clipboard manager keeps the one format it copied, the image. The quit comes at once, before the
    manager has asked for its copy of the restored clipboard: the app waits for it."""
    gnome.press("ctrl+alt+r")
    assert "pasted" == rephraser.wait("finished")["outcome"]
    quit_event = rephraser.quit()
    assert ("manager", 0) == (quit_event["clipboard"], quit_event["pid"])
    gnome.wait_for_clipboard({"image/png": USERS_CLIPBOARD["image/png"]})


def test_a_portal_without_remote_desktop_is_named_in_doctor(start_gnome: Start, tmp_path: Path) -> None:
    gnome = start_gnome("--no-remote-desktop", "--no-global-shortcuts")
    env = gnome_env(gnome, tmp_path)
    doctor = run_cli("doctor", env=env)
    assert (
        "desktop back-ends: none (The desktop portal has no RemoteDesktop and Clipboard interfaces for Rephraser "
        "(GNOME 46 or later with xdg-desktop-portal 1.18 or later has them).)"
    ) in doctor.stdout.splitlines(), doctor.stdout
