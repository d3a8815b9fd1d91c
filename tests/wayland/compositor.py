"""A real headless sway for the tests: private runtime folder, no XWayland (the apps under test are native
Wayland ones), its IPC socket named. As root it runs in a user namespace: sway refuses to run as root."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from rephraser.core.desktop.keys import parse_combo
from rephraser.platform.wayland.virtual_keyboard import VirtualKeyboard
from rephraser.platform.wayland.wire import Connection
from tests.helpers.processes import default_signals, end_process

DEADLINE_S = 30.0
RUNNING: dict[str, Any] = {}  # XDG_RUNTIME_DIR -> the compositor living there (a Sway or a KWin)
CONFIG = "output HEADLESS-1 resolution 1280x800\nxwayland disable\nfocus_on_window_activation focus\n"


class Sway:
    """One running sway; `env` is what a program needs to live in its session."""

    def __init__(self, extra_config: str = "") -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="rephraser-sway-"))
        runtime = self.folder / "run"
        runtime.mkdir(mode=0o700)
        (self.folder / "config").write_text(CONFIG + extra_config, encoding="utf-8")
        socket_path = runtime / "sway.sock"
        compositor_env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.folder),
            "XDG_RUNTIME_DIR": str(runtime),
            "SWAYSOCK": str(socket_path),
            "WLR_BACKENDS": "headless",
            "WLR_LIBINPUT_NO_DEVICES": "1",
            "WLR_RENDERER": "pixman",
        }
        command = ["sway", "-c", str(self.folder / "config")]
        if os.getuid() == 0:
            command = ["unshare", "-U", "--map-user=1000", "--map-group=1000", *command]
        self._hands: tuple[Connection, VirtualKeyboard] | None = None
        self.env: dict[str, str] = {}
        self._log = (self.folder / "sway.log").open("w")
        self.process = subprocess.Popen(
            command, env=compositor_env, stdout=self._log, stderr=subprocess.STDOUT, preexec_fn=default_signals
        )
        display = self._wait_for_socket(runtime, socket_path)
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SWAYSOCK")},
            "XDG_RUNTIME_DIR": str(runtime),
            "WAYLAND_DISPLAY": display,
            "SWAYSOCK": str(socket_path),
            "XDG_SESSION_TYPE": "wayland",
            "QT_QPA_PLATFORM": "wayland",
            "GDK_BACKEND": "wayland",
        }
        RUNNING[str(runtime)] = self

    def press(self, combo: str) -> None:
        """The user's hands: one long-lived keyboard of the tests' own, as a second physical keyboard would
        be (a keyboard made per press loses keys now and then: the client may not have taken its keymap)."""
        if self._hands is None:
            connection = Connection(self.env["WAYLAND_DISPLAY"], self.env["XDG_RUNTIME_DIR"])
            self._hands = connection, VirtualKeyboard(connection)
        self._hands[1].press(parse_combo(combo))

    def _wait_for_socket(self, runtime: Path, socket_path: Path) -> str:
        deadline = time.monotonic() + DEADLINE_S
        while time.monotonic() < deadline:
            displays = sorted(p.name for p in runtime.glob("wayland-*") if not p.name.endswith(".lock"))
            if displays and socket_path.exists():
                return displays[0]
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        log = (self.folder / "sway.log").read_text(errors="replace")[-2000:]
        self.stop()
        raise RuntimeError(f"sway did not start: {log}")

    def stop(self) -> None:
        if self._hands is not None:
            self._hands[0].close()
        RUNNING.pop(self.env.get("XDG_RUNTIME_DIR", ""), None)
        end_process(self.process.pid)
        self.process.wait(timeout=10)
        self._log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def have_sway() -> bool:
    return shutil.which("sway") is not None


def wait_for(condition: object, timeout_s: float = DEADLINE_S, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")
