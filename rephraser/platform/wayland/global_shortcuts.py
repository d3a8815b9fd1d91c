"""Hotkeys through the desktop portal's GlobalShortcuts interface (KDE Plasma 5.27+, GNOME 48+, Hyprland):
the desktop owns the keys, shows them in its own shortcut settings (where the user may rebind them), and
signals Activated and Deactivated on the session bus.

One session, created anew at each grab() (a session binds its shortcuts once). Its token is fixed, so
KDE, which names the shortcuts' group after it for an app without an app id, keeps a user's rebinding
across restarts. Plasma 5.27 takes the shortcuts from CreateSession's options (its draft of the
interface), later versions from BindShortcuts: both get them.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping
from typing import Any

from rephraser.core.desktop.keys import KeyCombo
from rephraser.core.desktop.ports import GrabFailure
from rephraser.platform.shortcuts import APP_ID
from rephraser.platform.wayland.portal_bus import PortalBus, PortalError, Variant

__all__ = ["HeldShortcuts", "PortalHotkeys", "xdg_trigger"]

INTERFACE = "org.freedesktop.portal.GlobalShortcuts"
_SESSION_TOKEN = "rephraser"
_RESPONSE_WAIT_S = 3.0  # the portal answers at once unless it shows the user a dialog (GNOME)
# A held shortcut repeats Activated (every ~40 ms after ~0.7 s on KWin): one not repeated for this long
# counts as released even when its Deactivated got lost.
_STALE_S = 1.5
_TRIGGER_MODIFIERS = {"ctrl": "CTRL", "alt": "ALT", "shift": "SHIFT", "super": "LOGO"}
_NOT_BINDABLE = "the desktop's shortcuts are set for the whole session, not per job"


def xdg_trigger(combo: KeyCombo) -> str:
    """A combination in the XDG shortcuts syntax the portal takes: CTRL+ALT+r."""
    return "+".join([*(_TRIGGER_MODIFIERS[name] for name in combo.modifiers), combo.key])


class HeldShortcuts:
    """Which shortcuts the portal says are down (Activated, then repeats, until Deactivated): the only
    word a Wayland client gets about keys held outside its windows."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._last_seen: dict[str, float] = {}
        self._clock = clock

    def pressed(self, name: str) -> bool:
        """Record a press; True when it is a new one (not the key's repeat)."""
        new = not self.held(name)
        self._last_seen[name] = self._clock()
        return new

    def released(self, name: str) -> None:
        self._last_seen.pop(name, None)

    def held(self, name: str | None = None) -> bool:
        now = self._clock()
        names = [name] if name is not None else list(self._last_seen)
        return any(now - self._last_seen.get(each, -_STALE_S) < _STALE_S for each in names)


class PortalHotkeys:
    """Implements rephraser.core.desktop.ports.HotkeyPort over the GlobalShortcuts portal."""

    def __init__(self, bus: PortalBus, held: HeldShortcuts) -> None:
        self._bus = bus
        self._held = held
        self._session = ""
        self._on_press: Callable[[str], None] = lambda _name: None
        self._wanted: dict[str, KeyCombo] = {}
        self._failures: list[GrabFailure] = []
        self._bind_answered = False
        bus.on_signal(INTERFACE, "Activated", self._activated)
        bus.on_signal(INTERFACE, "Deactivated", self._deactivated)

    def grab(self, hotkeys: Mapping[str, KeyCombo], on_press: Callable[[str], None]) -> list[GrabFailure]:
        self.release_all()
        self._on_press, self._wanted = on_press, dict(hotkeys)
        shortcuts = [(name, _shortcut_options(name, combo)) for name, combo in hotkeys.items()]
        self._failures = []
        self._bus.register_app(APP_ID)
        try:
            self._create_session(shortcuts)
            self._wait(lambda: bool(self._session))
            if not self._session:
                return self._fail_all("the desktop portal did not open a shortcuts session")
            token = self._bus.new_token("bind")
            self._bus.request(
                INTERFACE,
                "BindShortcuts",
                "oa(sa{sv})sa{sv}",
                (self._session, shortcuts, "", {"handle_token": ("s", token)}),
                token,
                self._bound,
            )
        except PortalError as error:
            return self._fail_all(f"the desktop portal refused them ({error})")
        self._wait(lambda: bool(self._failures) or self._bind_answered)
        return list(self._failures)

    def grab_one(self, name: str, combo: KeyCombo) -> GrabFailure | None:
        """Esc for one job alone: the portal binds a session's shortcuts once, for the whole session, and
        a desktop-wide Esc would be taken from every app; a second press of the hotkey cancels instead."""
        return GrabFailure(name, combo, _NOT_BINDABLE)

    def release(self, name: str) -> None:
        """A job's Esc was never bound (see grab_one); the others go with the session."""

    def release_all(self) -> None:
        if not self._session:
            return
        session, self._session = self._session, ""
        with contextlib.suppress(PortalError):  # the portal dropped it already
            self._bus.call_method(session, "org.freedesktop.portal.Session", "Close")

    def _create_session(self, shortcuts: list[tuple[str, dict[str, Variant]]]) -> None:
        token = self._bus.new_token("session")
        self._bind_answered = False
        options: dict[str, Variant] = {
            "handle_token": ("s", token),
            "session_handle_token": ("s", _SESSION_TOKEN),
            "shortcuts": ("a(sa{sv})", shortcuts),
        }
        self._bus.request(INTERFACE, "CreateSession", "a{sv}", (options,), token, self._created)

    def _created(self, code: int, results: Mapping[str, Variant]) -> None:
        if code == 0:
            self._session = str(results.get("session_handle", ("s", ""))[1])
        else:
            self._fail_all("the desktop portal did not open a shortcuts session")

    def _bound(self, code: int, results: Mapping[str, Variant]) -> None:
        self._bind_answered = True
        if code != 0:
            reason = "you declined them" if code == 1 else "the desktop portal could not bind them"
            self._fail_all(reason)
            return
        given = {str(name): options for name, options in results.get("shortcuts", ("", []))[1]}
        for name, combo in self._wanted.items():
            trigger = str(given.get(name, {}).get("trigger_description", ("s", ""))[1])
            if not trigger:
                self._failures.append(GrabFailure(name, combo, "the desktop gave it no keys", "another shortcut"))

    def _fail_all(self, reason: str) -> list[GrabFailure]:
        self._failures = [GrabFailure(name, combo, reason) for name, combo in self._wanted.items()]
        return list(self._failures)

    def _wait(self, done: Callable[[], bool]) -> None:
        deadline = time.monotonic() + _RESPONSE_WAIT_S
        while not done() and time.monotonic() < deadline:
            self._bus.dispatch(timeout_s=0.05)

    def _activated(self, body: tuple[Any, ...]) -> None:
        session, name = str(body[0]), str(body[1])
        if session == self._session and name in self._wanted and self._held.pressed(name):
            self._on_press(name)

    def _deactivated(self, body: tuple[Any, ...]) -> None:
        if str(body[0]) == self._session:
            self._held.released(str(body[1]))


_DESCRIPTIONS = {
    "main": "Rewrite the selection",
    "revert": "Put back the text before the last rewrite",
    "describe": "Turn the copied image into a prompt",
}


def _shortcut_options(name: str, combo: KeyCombo) -> dict[str, Variant]:
    description = _DESCRIPTIONS.get(name, f"Rewrite the selection for {name}")
    return {"description": ("s", description), "preferred_trigger": ("s", xdg_trigger(combo))}
