"""The tests' side of tests/wayland/fake_gnome.py: a private session bus, the fake portal on it, the
environment of a GNOME Wayland session whose only way in is that bus, and the user's hands."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from jeepney import DBusAddress, HeaderFields, MessageType, new_method_call
from jeepney.io.blocking import DBusConnection, open_dbus_connection

from tests.helpers.processes import end_process, start_session_bus, stop_session_bus
from tests.wayland.compositor import wait_for

ROOT = Path(__file__).resolve().parents[2]
_CODES = {"ctrl": 29, "alt": 56, "shift": 42, "super": 125, "r": 19, "a": 30, "c": 46, "v": 47}
# What the session leaves out: any real display, bus or desktop of the machine the tests run on.
_HOST_ONLY = ("DISPLAY", "WAYLAND_DISPLAY", "SWAYSOCK", "DBUS_SESSION_BUS_ADDRESS", "XDG_CURRENT_DESKTOP")


class FakeGnome:
    """A session bus with the fake portal; `env(config)` is the app's environment in that session."""

    def __init__(self, runtime: Path, *flags: str) -> None:
        self.bus, self.address = start_session_bus()
        self.runtime = runtime
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.wayland.fake_gnome", self.address, *flags],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert "ready" == self.process.stdout.readline().strip(), "the fake portal did not start"
        self._control: DBusConnection = open_dbus_connection(self.address)

    def env(self, config: Path) -> dict[str, str]:
        base = {key: value for key, value in os.environ.items() if key not in _HOST_ONLY}
        return {
            **base,
            "DBUS_SESSION_BUS_ADDRESS": self.address,
            "XDG_SESSION_TYPE": "wayland",
            "XDG_CURRENT_DESKTOP": "GNOME",
            "WAYLAND_DISPLAY": "wayland-0",  # a GNOME session names one; mutter's offers Rephraser nothing
            "XDG_RUNTIME_DIR": str(self.runtime),
            "QT_QPA_PLATFORM": "offscreen",
            "GSETTINGS_BACKEND": "memory",
            "REPHRASER_CONFIG_DIR": str(config),
            "HOME": str(config.parent),  # the app writes its desktop entry there
        }

    def call(self, method: str, signature: str = "", *body: Any) -> Any:
        address = DBusAddress("/fake", bus_name="org.freedesktop.portal.Desktop", interface="org.rephraser.FakeGnome")
        reply = self._control.send_and_get_reply(new_method_call(address, method, signature, body), timeout=10)
        if reply.header.message_type == MessageType.error:
            raise AssertionError(f"{method}: {reply.header.fields.get(HeaderFields.error_name)} {reply.body}")
        return reply.body[0] if reply.body else None

    # -- the user's desktop ---------------------------------------------------------------------------

    def show(self, text: str) -> None:
        """The focused text field holds `text`, all selected."""
        self.call("SetField", "s", text)

    def field(self) -> str:
        return str(self.call("Field"))

    def copy(self, formats: dict[str, bytes]) -> None:
        """Another program copies `formats`."""
        self.call("Copy", "a{say}", formats)

    def clipboard(self) -> dict[str, bytes]:
        """Every format of the clipboard, as another program pastes it."""
        return {mime: bytes(self.call("Paste", "s", mime)) for mime in self.call("Mimes")}

    def wait_for_clipboard(self, formats: dict[str, bytes]) -> None:
        try:
            wait_for(lambda: self.clipboard() == formats, what="the clipboard to hold the formats")
        except AssertionError:
            held = self.clipboard()
            raise AssertionError(f"the clipboard holds {sorted(held)} ({held!r:.300}), not {sorted(formats)}") from None

    def key(self, name: str, down: bool) -> None:
        self.call("Key", "ub", _CODES[name], down)

    def press(self, combo: str) -> None:
        names = combo.split("+")
        for name in names:
            self.key(name, True)
        for name in reversed(names):
            self.key(name, False)

    def wait_started(self) -> None:
        wait_for(lambda: bool(self.call("Started")), what="the app's remote-desktop session to start")

    def answer(self) -> None:
        """The user allows remote interaction in GNOME's dialog (the fake started with --ask)."""
        self.call("Answer")

    def sessions_created(self) -> int:
        return int(self.call("SessionsCreated"))

    def stop_sharing(self) -> None:
        """The user presses Stop on GNOME's remote-interaction indicator."""
        self.call("StopSharing")

    def restore_tokens(self) -> list[str]:
        return [str(token) for token in self.call("RestoreTokens")]

    def key_log(self) -> list[str]:
        return [str(entry) for entry in self.call("KeyLog")]

    def stop(self) -> None:
        self._control.close()
        end_process(self.process.pid)
        self.process.wait(timeout=10)
        if self.process.stdout is not None:
            self.process.stdout.close()
        stop_session_bus(self.bus)
