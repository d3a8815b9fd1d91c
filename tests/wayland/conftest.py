"""Fixtures for the desktop loop on a real headless sway: the compositor, a native Qt target app, the
user's own clipboard (several formats, held by another process), and a virtual keyboard as the hands."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rephraser.platform.wayland.sway import SwayFocus, SwayIpc
from tests.e2e.conftest import ORIGINAL_CLIPBOARD, RephraserProcess
from tests.helpers.llm_server import FakeLLMServer
from tests.helpers.processes import end_process, start_session_bus, stop_session_bus
from tests.wayland.compositor import RUNNING, Sway, have_sway, wait_for

pytestmark = pytest.mark.skipif(not have_sway(), reason="sway is not installed (tests/run_all.sh installs it)")
HERE = Path(__file__).resolve().parent


@pytest.fixture
def sway() -> Iterator[Sway]:
    compositor = Sway()
    yield compositor
    compositor.stop()


@pytest.fixture
def sway_with_binding(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A sway whose own config already binds Ctrl+Alt+R, as a user's might."""
    compositor = Sway(extra_config="bindsym Ctrl+Mod1+r exec touch /tmp/users-own-binding\n")
    yield with_config(compositor.env, tmp_path)
    compositor.stop()


@pytest.fixture
def wl_env(sway: Sway, tmp_path: Path) -> dict[str, str]:
    return with_config(sway.env, tmp_path)


def with_config(env: dict[str, str], folder: Path) -> dict[str, str]:
    """A compositor's session for the app, with a config folder of its own (made in `folder`)."""
    config = folder / "config"
    config.mkdir()
    return {**env, "REPHRASER_CONFIG_DIR": str(config)}


class QtEditor:
    """tests/wayland/qt_editor.py on the compositor (Qt 6, native Wayland), its text in a file."""

    def __init__(self, env: dict[str, str], folder: Path, text: str) -> None:
        self.file = folder / "editor.txt"
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "qt_editor.py"), str(self.file), text],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        assert "ready" == self.process.stdout.readline().strip(), "the editor never got the focus"

    def content(self) -> str:
        return self.file.read_text(encoding="utf-8") if self.file.exists() else ""

    def replace_with(self, text: str) -> None:
        """New text in the box, all selected."""
        staged = self.file.with_name(self.file.name + ".tmp")
        staged.write_text(text, encoding="utf-8")
        staged.rename(self.file.with_name(self.file.name + ".set"))
        self.wait_for(text)

    def wait_for(self, text: str) -> None:
        wait_for(lambda: self.content() == text, what=f"the editor to show {text!r} (it shows {self.content()!r})")

    def close(self) -> None:
        end_process(self.process.pid)
        self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()


class WaylandMousepad:
    """mousepad (GTK 3) as a native Wayland app; its text is read back by saving it (Ctrl+S)."""

    def __init__(self, env: dict[str, str], folder: Path, text: str) -> None:
        self.env = env
        self.file = folder / "note.txt"
        self.file.write_text(text, encoding="utf-8")
        self.process = subprocess.Popen(
            ["mousepad", str(self.file)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        focus = SwayFocus(SwayIpc(env["SWAYSOCK"]))
        wait_for(lambda: focus.focused_app().app_class == "mousepad", what="mousepad to get the focus")

        def all_selected() -> bool:  # sway names the focus before GTK takes keys: a Ctrl+A then got lost
            press(env, "ctrl+a")
            return read_text(env, primary=True) == text.encode()

        wait_for(all_selected, what="mousepad to select its text")

    def content(self) -> str:
        press(self.env, "ctrl+s")
        return self.file.read_text(encoding="utf-8").removesuffix("\n")

    def wait_for(self, text: str) -> None:
        wait_for(lambda: self.content() == text, what=f"mousepad to show {text!r} (it shows {self.content()!r})")

    def close(self) -> None:
        end_process(self.process.pid)
        self.process.wait(timeout=10)


def press(env: dict[str, str], combo: str) -> None:
    """Press `combo` with the hands of the sway that `env` lives in."""
    RUNNING[env["XDG_RUNTIME_DIR"]].press(combo)


class UserClipboard:
    """Another program owns CLIPBOARD with ORIGINAL_CLIPBOARD's formats (a Wayland keeper process)."""

    def __init__(self, env: dict[str, str], formats: dict[str, bytes] = ORIGINAL_CLIPBOARD) -> None:
        header = {"formats": [[name, len(data)] for name, data in formats.items()], "save_deadline_s": 0}
        launcher = subprocess.Popen(
            [sys.executable, "-m", "rephraser.platform.wayland.keeper"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert launcher.stdin is not None and launcher.stdout is not None
        launcher.stdin.write(json.dumps(header).encode() + b"\n" + b"".join(formats.values()))
        launcher.stdin.close()
        report = json.loads(launcher.stdout.readline())  # the server holds the pipe open: one line, no EOF
        launcher.stdout.close()
        launcher.wait(timeout=60)
        assert "helper" == report.get("kept"), report
        self.pid = int(report["pid"])
        self.formats = formats

    def close(self) -> None:
        end_process(self.pid)


def read_clipboard(env: dict[str, str]) -> dict[str, bytes]:
    """Every format of CLIPBOARD as wl-paste (wl-clipboard, another program) reads it."""
    try:  # KWin sends no `selection` event while nothing is copied: wl-paste then waits for one
        listed = subprocess.run(["wl-paste", "-l"], env=env, capture_output=True, text=True, timeout=5)
    except subprocess.TimeoutExpired:
        return {}
    if listed.returncode != 0:
        return {}
    return {
        mime: subprocess.run(["wl-paste", "-n", "-t", mime], env=env, capture_output=True, timeout=30).stdout
        for mime in listed.stdout.split()
    }


def read_text(env: dict[str, str], primary: bool = False) -> bytes:
    """CLIPBOARD's (or PRIMARY's) UTF-8 text alone (GTK also offers SAVE_TARGETS, which it never answers:
    b"" then)."""
    which = ["--primary"] if primary else []
    try:
        return subprocess.run(
            ["wl-paste", *which, "-n", "-t", "text/plain;charset=utf-8"], env=env, capture_output=True, timeout=5
        ).stdout
    except subprocess.TimeoutExpired:
        return b""


def wait_for_clipboard(env: dict[str, str], formats: dict[str, bytes]) -> None:
    """CLIPBOARD comes to hold exactly `formats` (a restore after a paste takes the clipboard anew with every
    format a second after putting the text back in place)."""
    try:
        wait_for(lambda: read_clipboard(env) == formats, what="the clipboard to be restored")
    except AssertionError:
        assert formats == read_clipboard(env)
        raise


@pytest.fixture
def user_clipboard(wl_env: dict[str, str]) -> Iterator[UserClipboard]:
    owner = UserClipboard(wl_env)
    yield owner
    owner.close()


@pytest.fixture
def rephraser(wl_env: dict[str, str]) -> Iterator[RephraserProcess]:
    app = RephraserProcess(wl_env)
    yield app
    app.stop()


@pytest.fixture
def notification_server(wl_env: dict[str, str]) -> Iterator[dict[str, str]]:
    """A private session bus with mako (sway's notification daemon) on it; the env to reach both."""
    bus, address = start_session_bus()
    env = {**wl_env, "DBUS_SESSION_BUS_ADDRESS": address}
    mako = subprocess.Popen(["mako"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(lambda: _mako_answers(env), what="mako")
    yield env
    end_process(mako.pid)
    mako.wait(timeout=10)
    stop_session_bus(bus)


def notifications(env: dict[str, str]) -> list[str]:
    """The bodies of the notifications mako shows now, asked on the bus (`makoctl list` printed JSON
    up to mako 1.8 and prints text from 1.9 on: Debian 13)."""
    return [str(item["body"][1]) for item in _mako_list(env)]


def _mako_list(env: dict[str, str]) -> list[dict[str, Any]]:
    from jeepney import DBusAddress, MessageType, new_method_call
    from jeepney.io.blocking import open_dbus_connection

    address = DBusAddress("/fr/emersion/Mako", bus_name="org.freedesktop.Notifications", interface="fr.emersion.Mako")
    with open_dbus_connection(env["DBUS_SESSION_BUS_ADDRESS"]) as bus:
        reply = bus.send_and_get_reply(new_method_call(address, "ListNotifications"), timeout=30)
    if reply.header.message_type == MessageType.error:
        raise OSError(f"mako did not list its notifications: {reply.body}")
    return [dict(item) for item in reply.body[0]]


def _mako_answers(env: dict[str, str]) -> bool:
    try:
        _mako_list(env)
    except (OSError, ConnectionError, TimeoutError):
        return False
    return True


@contextlib.contextmanager
def app_with_a_slow_model(env: dict[str, str]) -> Iterator[RephraserProcess]:
    """The app in model mode against a loopback server slow to send its first byte: a job to cancel."""
    with FakeLLMServer() as server:
        server.behaviour.fault = "slow_first_byte"
        settings = {"mode": "model", "base_url": server.url, "model": "small-model"}
        (Path(env["REPHRASER_CONFIG_DIR"]) / "config.toml").write_text(
            "\n".join(f"{k} = {json.dumps(v)}" for k, v in settings.items()) + "\n", encoding="utf-8"
        )
        app = RephraserProcess(env)
        yield app
        app.stop()
