"""sway through its IPC socket (SWAYSOCK, the i3 protocol): the focused window for app hints, and the hotkeys,
which a Wayland client cannot grab: sway binds them to a small launcher that sends what `rephraser hotkey
NAME` sends to the tray app's socket, which hands it to the controller like a grabbed key.
"""

from __future__ import annotations

import json
import shlex
import socket
import struct
import sys
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from rephraser.core.desktop.keys import MODIFIERS, KeyCombo
from rephraser.core.desktop.ports import AppInfo, GrabFailure
from rephraser.platform.sockets import recv_exactly

__all__ = ["SwayFocus", "SwayHotkeys", "SwayIpc", "SwayIpcError", "sway_combo"]

_MAGIC = b"i3-ipc"
_HEADER = struct.Struct("<II")
_RUN_COMMAND, _GET_TREE, _GET_CONFIG = 0, 4, 9
_MODIFIERS = {"ctrl": "Ctrl", "alt": "Mod1", "shift": "Shift", "super": "Mod4"}
_CONFIG_MODIFIERS = {"ctrl": "ctrl", "control": "ctrl", "mod1": "alt", "alt": "alt", "shift": "shift", "mod4": "super"}


class SwayIpcError(OSError):
    """sway's socket cannot be reached or answers what is not its protocol."""


class SwayIpc:
    """One request, one reply, on a connection of its own (sway answers in microseconds)."""

    def __init__(self, path: str) -> None:
        self._path = path

    def request(self, kind: int, payload: str = "") -> Any:
        body = payload.encode()
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
                connection.settimeout(5)
                connection.connect(self._path)
                connection.sendall(_MAGIC + _HEADER.pack(len(body), kind) + body)
                header = recv_exactly(connection, len(_MAGIC) + _HEADER.size, "sway")
                if not header.startswith(_MAGIC):
                    raise SwayIpcError(f"{self._path} does not speak sway's IPC.")
                length, _kind = _HEADER.unpack_from(header, len(_MAGIC))
                return json.loads(recv_exactly(connection, length, "sway"))
        except (OSError, ValueError) as exc:
            raise SwayIpcError(f"sway's IPC at {self._path} failed ({exc}).") from exc

    def command(self, text: str) -> list[dict[str, Any]]:
        replies: list[dict[str, Any]] = self.request(_RUN_COMMAND, text)
        return replies

    def tree(self) -> dict[str, Any]:
        tree: dict[str, Any] = self.request(_GET_TREE)
        return tree

    def config(self) -> str:
        return str(self.request(_GET_CONFIG).get("config", ""))


class SwayFocus:
    """Implements rephraser.core.desktop.ports.FocusPort from sway's tree: app_id for native apps, the X11
    class for XWayland ones, and the title."""

    def __init__(self, ipc: SwayIpc) -> None:
        self._ipc = ipc

    def focused_app(self) -> AppInfo:
        try:
            node = next((n for n in _nodes(self._ipc.tree()) if n.get("focused")), None)
        except SwayIpcError:
            return AppInfo()  # no hint: detection uses the text alone
        if node is None:
            return AppInfo()
        x11 = node.get("window_properties") or {}
        app_class = str(node.get("app_id") or x11.get("class") or "")
        window = node.get("id")
        title = str(node.get("name") or "")
        return AppInfo(
            app_class, str(x11.get("instance") or app_class), title, window if isinstance(window, int) else 0
        )


def _nodes(node: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    yield node
    for child in (*node.get("nodes", ()), *node.get("floating_nodes", ())):
        yield from _nodes(child)


def sway_combo(combo: KeyCombo) -> str:
    """A combination in sway's bindsym syntax: Ctrl+Mod1+r."""
    return "+".join([*(_MODIFIERS[name] for name in combo.modifiers), combo.key])


class SwayHotkeys:
    """Implements rephraser.core.desktop.ports.HotkeyPort with sway bindings to `rephraser hotkey NAME`.

    A combination the user's sway config already binds is reported, not taken over. `on_press` is not
    called from here: the press arrives on the tray app's socket, and the controller takes it from there.
    """

    def __init__(self, ipc: SwayIpc, socket_path: Path) -> None:
        self._ipc = ipc
        self._socket = socket_path  # the tray app's single-instance socket, which takes the presses
        self._launcher = socket_path.with_name("rephraser-hotkey")
        self._bound: dict[str, str] = {}  # name -> sway combination
        self._taken: dict[KeyCombo, str] | None = None  # what the sway config binds, as of the last grab()

    def grab(self, hotkeys: Mapping[str, KeyCombo], on_press: Callable[[str], None]) -> list[GrabFailure]:
        self.release_all()
        self._prepare()
        return [failure for name, combo in hotkeys.items() if (failure := self._bind(name, combo))]

    def grab_one(self, name: str, combo: KeyCombo) -> GrabFailure | None:
        if self._taken is None:  # no grab() yet; else Esc, at each job's start, reuses what grab() found
            self._prepare()
        return self._bind(name, combo)

    def _prepare(self) -> None:
        """Write the launcher and read the config's bindings: once per grab(), not once per job."""
        self.write_launcher()
        self._taken = self._config_bindings()

    def release(self, name: str) -> None:
        combination = self._bound.pop(name, None)
        if combination is not None:
            self._run(f"unbindsym {combination}")

    def release_all(self) -> None:
        for name in list(self._bound):
            self.release(name)

    def _bind(self, name: str, combo: KeyCombo) -> GrabFailure | None:
        if not name.isalpha():  # baked into a shell command line and a JSON string: a plain word only
            return GrabFailure(name, combo, "not a hotkey name")
        taken = self._taken or {}
        if combo in taken:
            return GrabFailure(name, combo, "your sway config binds it", f"sway: {taken[combo]}")
        combination = sway_combo(combo)
        error = self._run(f"bindsym {combination} exec {shlex.quote(str(self._launcher))} {name}")
        if error:
            return GrabFailure(name, combo, f"sway refused it ({error})")
        self._bound[name] = combination
        return None

    def _run(self, command: str) -> str:
        """ "" when sway did it, else its error."""
        try:
            replies = self._ipc.command(command)
        except SwayIpcError as error:
            return str(error)
        failed = [str(reply.get("error", "failed")) for reply in replies if not reply.get("success")]
        return "; ".join(failed)

    def _config_bindings(self) -> dict[KeyCombo, str]:
        """The combinations the loaded sway config binds, and to what."""
        try:
            text = self._ipc.config()
        except SwayIpcError:
            return {}
        found: dict[KeyCombo, str] = {}
        for line in text.splitlines():
            words = line.split()
            if len(words) < 3 or words[0] != "bindsym":
                continue
            keys = next((word for word in words[1:] if not word.startswith("--")), "")
            combo = _parse_sway_combo(keys)
            if combo is not None:
                found[combo] = " ".join(words[words.index(keys) + 1 :])
        return found

    def write_launcher(self) -> Path:
        """A script sway can run without our environment (a binding's command line goes through sway's own
        quoting): the tray app's socket baked in, and a client of a few lines run by `python -I -S`, which
        starts in ~10 ms, where `rephraser hotkey` (the same request) loads the CLI first, ~100 ms more
        between the key and the job."""
        code = (
            "import socket,sys\n"
            "s=socket.socket(socket.AF_UNIX)\n"
            "s.settimeout(5)\n"
            "s.connect(sys.argv[1])\n"
            's.sendall(b\'{"command": "hotkey", "name": "\'+sys.argv[2].encode()+b\'"}\\n\')\n'
            "s.recv(4096)\n"
        )
        socket_path = shlex.quote(str(self._socket))
        command = f'exec {shlex.quote(sys.executable)} -I -S -c {shlex.quote(code)} {socket_path} "$1"'
        self._launcher.parent.mkdir(parents=True, exist_ok=True)
        self._launcher.write_text(f"#!/bin/sh\n{command}\n", encoding="utf-8")
        self._launcher.chmod(0o700)
        return self._launcher


def _parse_sway_combo(keys: str) -> KeyCombo | None:
    parts = keys.split("+")
    modifiers = []
    for part in parts[:-1]:
        name = _CONFIG_MODIFIERS.get(part.lower())
        if name is None:
            return None
        modifiers.append(name)
    key = parts[-1].lower() if len(parts[-1]) == 1 else parts[-1]
    return KeyCombo(tuple(m for m in MODIFIERS if m in modifiers), key) if key else None
