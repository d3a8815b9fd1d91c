"""A real X server (Xvfb + openbox) started by the tests, the app as a subprocess, xdotool as the hands."""

from __future__ import annotations

import base64
import json
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.xserver import start_x_server

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


def wait_window(env: dict[str, str], value: str, timeout_s: float = 30, field: str = "class") -> str:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        found = visible_windows(env, field, value)
        if found:
            return found[-1]
        time.sleep(0.1)
    raise AssertionError(f"no {value} window appeared")


def activate(env: dict[str, str], window: str) -> None:
    xdo(env, "windowactivate", "--sync", window)
    time.sleep(0.15)


class RephraserProcess:
    """`rephraser run --log-json` with its step events collected from stderr."""

    def __init__(self, env: dict[str, str]) -> None:
        self.config_dir = env["REPHRASER_CONFIG_DIR"]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "rephraser", "run", "--log-json"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.events: list[dict[str, Any]] = []
        self._queue: queue.Queue[dict[str, Any]] = queue.Queue()
        self.stderr_lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.wait("ready", timeout_s=30)

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr_lines.append(line)
            try:
                event = json.loads(line)
            except ValueError:
                continue
            self._queue.put(event)

    def wait(self, name: str, timeout_s: float = 10) -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                event = self._queue.get(timeout=0.05)
            except queue.Empty:
                continue
            self.events.append(event)
            if event["event"] == name:
                return event
        raise AssertionError(f"no {name!r} event; events: {self.events}; stderr: {''.join(self.stderr_lines)[-2000:]}")

    def count(self, name: str) -> int:
        while not self._queue.empty():
            self.events.append(self._queue.get())
        return sum(1 for e in self.events if e["event"] == name)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        assert self.process.stderr is not None
        self.process.stderr.close()


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
    """Another client that owns CLIPBOARD with image/png + text/html + text/plain."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "clipboard_tool.py"), "own"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        payload = {name: base64.b64encode(data).decode() for name, data in ORIGINAL_CLIPBOARD.items()}
        self.process.stdin.write(json.dumps(payload) + "\n")
        self.process.stdin.flush()
        assert "ready" == self.process.stdout.readline().strip()

    def close(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        self.process.wait(timeout=10)
        self.process.stdout.close()


def read_clipboard(env: dict[str, str]) -> dict[str, bytes]:
    out = subprocess.run(
        [sys.executable, str(HERE / "clipboard_tool.py"), "read", *ORIGINAL_CLIPBOARD],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    return {name: base64.b64decode(data) for name, data in json.loads(out).items()}
