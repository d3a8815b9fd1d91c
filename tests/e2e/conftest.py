"""A real X server (Xvfb + openbox) started by the tests, the app as a subprocess, xdotool as the hands."""

from __future__ import annotations

import base64
import json
import queue
import select
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.xserver import start_x_server
from tests.helpers.processes import default_signals, end_process

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def x_env() -> Iterator[dict[str, str]]:
    """DISPLAY of a fresh Xvfb with a window manager (focus follows activation as on a desktop)."""
    server = start_x_server()
    yield server.env
    server.stop()


def xdo(env: dict[str, str], *args: str) -> str:
    return subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, check=True, timeout=30).stdout


def visible_windows(env: dict[str, str], field: str, value: str) -> list[str]:
    """Ids of visible windows whose --class or --name matches."""
    return subprocess.run(
        ["xdotool", "search", "--onlyvisible", f"--{field}", value],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()


def wait_window(env: dict[str, str], value: str, timeout_s: float = 30, field: str = "class", exclude: str = "") -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = [window for window in visible_windows(env, field, value) if window != exclude]
        if found:
            return found[-1]
        time.sleep(0.1)
    raise AssertionError(f"no {value} window appeared")


def selection_text(env: dict[str, str], selection: str = "PRIMARY", timeout_s: float = 10) -> str:
    """The text of an X selection as another client reads it ("" when it has no owner or no text)."""
    from Xlib import X, display

    connection = display.Display(env["DISPLAY"])
    try:
        window = connection.screen().root.create_window(0, 0, 1, 1, 0, 0, X.InputOnly, X.CopyFromParent)
        prop = connection.intern_atom("REPHRASER_TEST_SELECTION")
        utf8 = connection.intern_atom("UTF8_STRING")
        window.convert_selection(connection.intern_atom(selection), utf8, prop, X.CurrentTime)
        connection.flush()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if not connection.pending_events():
                select.select([connection.fileno()], [], [], 0.1)
                continue
            event = connection.next_event()
            if event.type == X.SelectionNotify:
                value = window.get_full_property(prop, X.AnyPropertyType) if event.property else None
                return bytes(value.value).decode("utf-8", "replace") if value is not None else ""
        return ""
    finally:
        connection.close()


def activate(env: dict[str, str], window: str) -> None:
    xdo(env, "windowactivate", "--sync", window)
    time.sleep(0.15)


class RephraserProcess:
    """`rephraser run --log-json` with its step events collected from stderr."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.config_dir = env["REPHRASER_CONFIG_DIR"]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "rephraser", "run", "--log-json"],
            env=env,
            preexec_fn=default_signals,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.events: list[dict[str, Any]] = []
        self._queue: queue.Queue[dict[str, Any]] = queue.Queue()
        self._held: deque[dict[str, Any]] = deque()  # read while waiting for `listening`, not yet waited for
        self.stderr_lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.wait("ready", timeout_s=60)
        self._wait_listening()

    def _wait_listening(self) -> None:
        """Until the socket listens, a CLI command finds no app: `settings` would open a window of its own.
        The events before it stay for the test to wait for."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                event = self._queue.get(timeout=0.05)
            except queue.Empty:
                continue
            if event["event"] == "listening":
                self.events.append(event)
                return
            self._held.append(event)
        raise AssertionError(f"no 'listening' event; stderr: {''.join(self.stderr_lines)[-2000:]}")

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr_lines.append(line)
            try:
                event = json.loads(line)
            except ValueError:
                continue
            self._queue.put(event)

    def wait(self, name: str, timeout_s: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                event = self._held.popleft() if self._held else self._queue.get(timeout=0.05)
            except queue.Empty:
                continue
            self.events.append(event)
            if event["event"] == name:
                return event
        raise AssertionError(f"no {name!r} event; events: {self.events}; stderr: {''.join(self.stderr_lines)[-2000:]}")

    def count(self, name: str) -> int:
        while self._held:
            self.events.append(self._held.popleft())
        while not self._queue.empty():
            self.events.append(self._queue.get())
        return sum(1 for e in self.events if e["event"] == name)

    def quit(self, signal_number: int = signal.SIGTERM) -> dict[str, Any]:
        """Send `signal_number` and wait for the clean quit; its `quit` event (who keeps the clipboard)."""
        self.process.send_signal(signal_number)
        return self.wait_quit()

    def wait_quit(self) -> dict[str, Any]:
        """Wait for the app to exit; its `quit` event."""
        self.process.wait(timeout=30)
        self._reader.join(timeout=10)
        return self.wait("quit", timeout_s=1)

    def stop(self, end_helper: bool = True) -> None:
        """End the app and, unless the caller took it over, the clipboard keeper it left behind (no test
        may leak a process)."""
        try:
            if self.process.poll() is None:
                self.quit()
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            for event in self.events:
                if end_helper and event["event"] == "quit" and event.get("pid"):
                    end_process(int(event["pid"]))
            assert self.process.stderr is not None
            self.process.stderr.close()


def configured_app(env: dict[str, str], folder: Path, settings: dict[str, Any]) -> RephraserProcess:
    """The app with its own config folder under `folder`, holding `settings` (the rest default)."""
    folder.mkdir()
    (folder / "config.toml").write_text(
        "\n".join(f"{key} = {json.dumps(value)}" for key, value in settings.items()) + "\n", encoding="utf-8"
    )
    return RephraserProcess({**env, "REPHRASER_CONFIG_DIR": str(folder)})


@pytest.fixture
def rephraser_app(x_env: dict[str, str], tmp_path: Path) -> Iterator[RephraserProcess]:
    config = tmp_path / "config"
    config.mkdir()
    app = RephraserProcess({**x_env, "REPHRASER_CONFIG_DIR": str(config)})
    yield app
    app.stop()


ORIGINAL_CLIPBOARD = {
    "image/png": base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg=="
    ),
    "text/html": b"<p>the user's <b>own</b> clipboard</p>",
    "text/plain": "the user's own clipboard ✓".encode(),
}


class ClipboardOwner:
    """Another client that owns CLIPBOARD with `formats` (by default image/png + text/html + text/plain)."""

    def __init__(self, env: dict[str, str], formats: dict[str, bytes] | None = None) -> None:
        self.env = env
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "clipboard_tool.py"), "own"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        chosen = ORIGINAL_CLIPBOARD if formats is None else formats
        payload = {name: base64.b64encode(data).decode() for name, data in chosen.items()}
        try:
            self.process.stdin.write(json.dumps(payload) + "\n")
            self.process.stdin.flush()
            assert "ready" == self.process.stdout.readline().strip()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        finally:
            end_process(self.process.pid)
            self.process.wait()
            self.process.stdout.close()


@pytest.fixture
def user_clipboard(x_env: dict[str, str]) -> Iterator[ClipboardOwner]:
    """Another client owns CLIPBOARD with ORIGINAL_CLIPBOARD for the test (request it after the app)."""
    owner = ClipboardOwner(x_env)
    yield owner
    owner.close()


def read_clipboard(env: dict[str, str], names: list[str] | None = None) -> dict[str, bytes]:
    out = subprocess.run(
        [sys.executable, str(HERE / "clipboard_tool.py"), "read", *(names or ORIGINAL_CLIPBOARD)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return {name: base64.b64decode(data) for name, data in json.loads(out).items()}


class OwnerWatcher:
    """Follows CLIPBOARD's owner changes through XFixes, as a clipboard manager does."""

    def __init__(self, env: dict[str, str]) -> None:
        from Xlib import display
        from Xlib.ext import xfixes

        self.connection = display.Display(env["DISPLAY"])
        self.connection.xfixes_query_version()
        root = self.connection.screen().root
        clipboard = self.connection.intern_atom("CLIPBOARD")
        self.connection.xfixes_select_selection_input(root, clipboard, xfixes.XFixesSetSelectionOwnerNotifyMask)
        self.connection.sync()
        self.owners: list[int] = []  # the owner window of each change, in order

    def collect(self, seconds: float) -> list[int]:
        """Every owner change for `seconds` more; all changes seen so far."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if not self.connection.pending_events():
                select.select([self.connection.fileno()], [], [], left)
                continue
            event = self.connection.next_event()
            owner = getattr(event, "owner", None)
            if owner is not None:
                self.owners.append(int(getattr(owner, "id", owner)))
        return self.owners

    def close(self) -> None:
        self.connection.close()
