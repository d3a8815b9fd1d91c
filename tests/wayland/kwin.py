"""A real headless KWin (`kwin_wayland --virtual`) for the tests, with a private session bus carrying KWin's
global shortcuts, xdg-desktop-portal and its KDE back-end: the GlobalShortcuts portal as a Plasma user
has it. No XWayland: the apps under test are native Wayland ones.

KWin's binary carries a file capability that a container refuses to exec: the tests run a copy. KWin
offers fake input only to programs whose desktop entry asks for it; `rephraser shortcut install` writes
that entry (the user's one step), and the tests' hands, run by the same Python, get it through it too.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from rephraser.core.desktop.keys import parse_combo
from rephraser.platform.wayland.fake_input import FAKE_INPUT, FakeInputKeys
from rephraser.platform.wayland.global_shortcuts import HeldShortcuts
from rephraser.platform.wayland.wire import Connection, string, u32
from tests.helpers.processes import default_signals, end_process
from tests.wayland.compositor import DEADLINE_S, RUNNING, wait_for

_PORTAL_KDE = ("/usr/lib/*/libexec/xdg-desktop-portal-kde", "/usr/libexec/xdg-desktop-portal-kde")
_PORTAL = ("/usr/libexec/xdg-desktop-portal", "/usr/lib/xdg-desktop-portal")
_KEYBOARD_KEY = 10


def _find(patterns: tuple[str, ...]) -> str:
    return next((hit for pattern in patterns for hit in sorted(glob.glob(pattern))), "")


def have_kwin() -> str:
    """ "" when KWin and both portals are installed, else what is missing."""
    missing = [
        name
        for name, found in (
            ("kwin_wayland", shutil.which("kwin_wayland")),
            ("xdg-desktop-portal", _find(_PORTAL)),
            ("xdg-desktop-portal-kde", _find(_PORTAL_KDE)),
        )
        if not found
    ]
    return ", ".join(missing)


_MENU = (
    '<!DOCTYPE Menu PUBLIC "-//freedesktop//DTD Menu 1.0//EN" '
    '"http://www.freedesktop.org/standards/menu-spec/1.0/menu.dtd">\n'
    "<Menu><Name>Applications</Name><DefaultAppDirs/><DefaultDirectoryDirs/><Include><All/></Include></Menu>\n"
)


class KWin:
    """One running KWin and its portals; `env` is what a program needs to live in its session."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="rephraser-kwin-"))
        runtime = self.folder / "run"
        runtime.mkdir(mode=0o700)
        binary = self.folder / "kwin_wayland"
        shutil.copy(shutil.which("kwin_wayland") or "kwin_wayland", binary)
        self._processes: list[subprocess.Popen[bytes]] = []
        self._hands: tuple[Connection, FakeInputKeys, int] | None = None
        self.env: dict[str, str] = {}
        # KWin 6 looks desktop entries up in KDE's service cache, which indexes only what the menu
        # names; Plasma ships that menu (plasma-workspace), this session has none of its own
        menus = self.folder / ".config" / "menus"
        menus.mkdir(parents=True)
        (menus / "applications.menu").write_text(_MENU, encoding="utf-8")
        self._log = (self.folder / "kwin.log").open("w")
        base = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.folder),
            "XDG_RUNTIME_DIR": str(runtime),
            "XDG_CURRENT_DESKTOP": "KDE",
            "XDG_SESSION_TYPE": "wayland",
        }
        bus = self._start(["dbus-daemon", "--session", "--nofork", "--print-address=1"], base, stdout=True)
        assert bus.stdout is not None
        base["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().decode().strip()
        display = "kwin-test"
        self._start(
            [str(binary), "--virtual", "--no-lockscreen", "--width", "1280", "--height", "800", "--socket", display],
            {**base, "QT_QPA_PLATFORM": "offscreen"},
        )
        wait_for(lambda: (runtime / display).exists(), what="KWin's Wayland socket")
        session = {**base, "WAYLAND_DISPLAY": display, "QT_QPA_PLATFORM": "wayland"}
        self._start([_find(_PORTAL_KDE)], session)
        self._start([_find(_PORTAL)], session)
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SWAYSOCK")},
            **session,
            "GDK_BACKEND": "wayland",
        }
        self._wait_for_portal()
        RUNNING[str(runtime)] = self  # press() is all the fixtures use

    def _start(self, command: list[str], env: dict[str, str], stdout: bool = False) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            command,
            env=env,
            stdout=subprocess.PIPE if stdout else self._log,
            stderr=self._log,
            preexec_fn=default_signals,
        )
        self._processes.append(process)
        return process

    def _wait_for_portal(self) -> None:
        def owned() -> bool:
            listed = subprocess.run(
                ["dbus-send", "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/",
                 "org.freedesktop.DBus.ListNames"],
                env=self.env, capture_output=True, text=True, timeout=30,
            )  # fmt: skip
            return all(name in listed.stdout for name in ("org.freedesktop.portal.Desktop", "kglobalaccel"))

        try:
            wait_for(owned, timeout_s=DEADLINE_S, what="the portal and KWin's global shortcuts on the bus")
        except AssertionError:
            self.stop()
            raise

    def hands(self) -> tuple[Connection, FakeInputKeys, int]:
        """The user's hands: fake input of the tests' own, as a second keyboard would be (waits until KWin
        offers it: after `rephraser shortcut install`)."""
        if self._hands is None:
            deadline = time.monotonic() + DEADLINE_S
            while True:
                connection = Connection(self.env["WAYLAND_DISPLAY"], self.env["XDG_RUNTIME_DIR"])
                if connection.version(FAKE_INPUT) >= 4 or time.monotonic() > deadline:
                    break
                connection.close()
                time.sleep(0.1)
            keys = FakeInputKeys(connection, HeldShortcuts())
            device = connection.bind(FAKE_INPUT, 4)  # a second device, for key()
            connection.send(device, 0, string("Rephraser's tests") + string("the user's hands"))
            self._hands = connection, keys, device
        return self._hands

    def press(self, combo: str) -> None:
        self.hands()[1].press(parse_combo(combo))

    def key(self, code: int, down: bool) -> None:
        """One key (a Linux key code) down or up, and nothing else."""
        connection, _keys, device = self.hands()
        connection.send(device, _KEYBOARD_KEY, u32(code, 1 if down else 0))
        connection.roundtrip()

    def log(self) -> str:
        return (self.folder / "kwin.log").read_text(errors="replace")[-3000:]

    def stop(self) -> None:
        if self._hands is not None:
            self._hands[0].close()
        RUNNING.pop(self.env.get("XDG_RUNTIME_DIR", ""), None)
        for process in reversed(self._processes):
            end_process(process.pid)
            process.wait(timeout=10)
            if process.stdout is not None:
                process.stdout.close()
        self._log.close()
        shutil.rmtree(self.folder, ignore_errors=True)
