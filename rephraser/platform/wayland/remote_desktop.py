"""GNOME on Wayland: mutter offers no protocol to type keys or to read the clipboard unfocused, so both go
through the RemoteDesktop portal, with the Clipboard portal attached to the same session
(portal_clipboard.py).

GNOME asks the user once ("Allow remote interaction"). The session is started with persist_mode 2, so
GNOME hands back a restore token; it is kept (a private file) and spent at the next start, which then
asks nothing. The session starts in the background, once the app's event loop runs: until the user has
answered, a press fails with what to do, and the job says it once.

Mutter merges these keys into the seat's state like a second keyboard, and it ignores the release of a
key this device did not press: a modifier the user still holds after the hotkey cannot be released from
here (as it is on KWin). The job waits until the portal says the hotkey is up (GlobalShortcuts,
GNOME 48+); a Ctrl+C that a held Alt turns into Ctrl+Alt+C copies nothing, and the job asks again.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from rephraser.core.desktop.keys import KeyCombo
from rephraser.core.desktop.ports import KeysRefusedError
from rephraser.platform.wayland.global_shortcuts import HeldShortcuts
from rephraser.platform.wayland.portal_bus import PortalBus, PortalError, Variant
from rephraser.platform.wayland.virtual_keyboard import KEY_CODES, MODIFIER_CODES
from rephraser.platform.wayland.wire import WaylandError

__all__ = ["CLIPBOARD", "REMOTE_DESKTOP", "RemoteDesktopKeys", "RemoteDesktopSession"]

REMOTE_DESKTOP = "org.freedesktop.portal.RemoteDesktop"
CLIPBOARD = "org.freedesktop.portal.Clipboard"
_SESSION = "org.freedesktop.portal.Session"
_KEYBOARD = 1
_PERSIST_UNTIL_REVOKED = 2
_PRESSED, _RELEASED = 1, 0

_WAITING = (  # the dialog as GNOME 48 shows it: the switch starts off, and Share stays grey until it is on
    "GNOME is still asking whether Rephraser may type keys: in its Remote Desktop dialog, turn on \u201cAllow "
    "Remote Interaction\u201d, then press Share."
)
_REFUSED = (
    "GNOME did not let Rephraser type keys or use the clipboard (the \u201cremote interaction\u201d dialog was "
    "declined): quit and start Rephraser again to be asked anew."
)
_NO_CLIPBOARD = "GNOME gave Rephraser keys but not the clipboard: quit and start it again, and allow both."
_ENDED = "GNOME ended Rephraser's remote-interaction session (it asks again now): answer its dialog, then retry."


class RemoteDesktopSession:
    """One RemoteDesktop session with the clipboard, for as long as the app runs; one that GNOME ends (the
    user's Stop in the top bar) is asked for anew at the next press."""

    def __init__(self, bus: PortalBus, token_file: Path) -> None:
        self.bus = bus
        self.handle = ""
        self._token_file = token_file
        self._state = "new"  # new, starting, ready, refused, ended
        self._problem = _WAITING
        self.on_end: Callable[[], None] = lambda: None  # the clipboard forgets what the session held

    @property
    def ready(self) -> bool:
        return self._state == "ready"

    def problem(self) -> str:
        """What the user must do before keys and clipboard work ("" once they do)."""
        return "" if self.ready else self._problem

    def start_once(self) -> None:
        """Ask for the session the first time the app's event loop runs (from the pump): a back-end made
        only to look (`doctor`, a hotkey probe) never shows GNOME's dialog or spends the restore token."""
        if self._state == "new":
            self.start()

    def start(self) -> None:
        """Ask for the session (answered later, through the bus's dispatch); a refused call leaves the
        session refused, with why."""
        self._state, self._problem = "starting", _WAITING
        token = self.bus.new_token("rd")
        options: dict[str, Variant] = {
            "handle_token": ("s", token),
            "session_handle_token": ("s", self.bus.new_token("rephraser")),
        }
        self._call_request("CreateSession", "a{sv}", (options,), token, self._created)

    def require(self) -> None:
        """Raises:
        KeysRefusedError: the session is not started (the message says what to do); an ended one is asked
        for anew.
        """
        if self.ready:
            return
        if self._state == "ended":
            self.start()
            raise KeysRefusedError(_ENDED)
        raise KeysRefusedError(self._problem)

    def notify_key(self, code: int, pressed: bool) -> None:
        """Raises:
        WaylandError: the portal refused the key.
        """
        state = _PRESSED if pressed else _RELEASED
        try:
            self.bus.portal_call(REMOTE_DESKTOP, "NotifyKeyboardKeycode", "oa{sv}iu", (self.handle, {}, code, state))
        except PortalError as error:
            raise WaylandError(f"GNOME refused a key press ({error}).") from error

    def close(self) -> None:
        if self.handle:
            with contextlib.suppress(PortalError):
                self.bus.call_method(self.handle, _SESSION, "Close")
        self.handle, self._state = "", "ended"
        self.on_end()

    # -- the portal's answers, in order ---------------------------------------------------------------

    def _created(self, code: int, results: Mapping[str, Variant]) -> None:
        if code != 0:
            self._refuse(_REFUSED)
            return
        self.handle = str(results.get("session_handle", ("o", ""))[1])
        self.bus.on_signal(_SESSION, "Closed", self._closed, path=self.handle)
        self._select_devices(self._read_token())

    def _select_devices(self, restore: str) -> None:
        token = self.bus.new_token("devices")
        options: dict[str, Variant] = {
            "handle_token": ("s", token),
            "types": ("u", _KEYBOARD),
            "persist_mode": ("u", _PERSIST_UNTIL_REVOKED),
        }
        if restore:
            options["restore_token"] = ("s", restore)
        try:
            self.bus.request(REMOTE_DESKTOP, "SelectDevices", "oa{sv}", (self.handle, options), token, self._selected)
        except PortalError as error:
            if not restore:
                self._refuse(f"GNOME's remote-desktop portal failed ({error}).")
                return
            with contextlib.suppress(OSError):  # a token the portal does not take (another machine's, damaged)
                self._token_file.unlink()
            self._select_devices("")

    def _selected(self, code: int, _results: Mapping[str, Variant]) -> None:
        if code != 0:
            self._refuse(_REFUSED)
            return
        try:  # before Start, as the Clipboard portal asks
            self.bus.portal_call(CLIPBOARD, "RequestClipboard", "oa{sv}", (self.handle, {}))
        except PortalError as error:
            self._refuse(f"GNOME's portal has no clipboard for Rephraser ({error}).")
            return
        token = self.bus.new_token("start")
        options: dict[str, Variant] = {"handle_token": ("s", token)}
        self._call_request("Start", "osa{sv}", (self.handle, "", options), token, self._started)

    def _started(self, code: int, results: Mapping[str, Variant]) -> None:
        if code != 0:
            self._refuse(_REFUSED)
            return
        devices = int(results.get("devices", ("u", 0))[1])
        if not devices & _KEYBOARD:
            self._refuse(_REFUSED)
            return
        if not results.get("clipboard_enabled", ("b", False))[1]:
            self._refuse(_NO_CLIPBOARD)
            return
        self._write_token(str(results.get("restore_token", ("s", ""))[1]))
        self._state, self._problem = "ready", ""

    def _closed(self, _body: tuple[Any, ...]) -> None:
        """GNOME ended the session: the user stopped it, or the portal closed a declined one (which stays
        declined: asking again at every press would nag)."""
        self.handle = ""
        if self._state != "refused":
            self._state, self._problem = "ended", _ENDED
        self.on_end()

    def _call_request(
        self, method: str, signature: str, body: tuple[Any, ...], token: str, handler: Callable[..., None]
    ) -> None:
        try:
            self.bus.request(REMOTE_DESKTOP, method, signature, body, token, handler)
        except PortalError as error:
            self._refuse(f"GNOME's remote-desktop portal failed ({error}).")

    def _refuse(self, problem: str) -> None:
        self._state, self._problem = "refused", problem

    # -- the restore token: GNOME's word that the user said yes -------------------------------------

    def _read_token(self) -> str:
        try:
            return self._token_file.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            return ""

    def _write_token(self, token: str) -> None:
        """A restore token lets whoever holds it type keys without asking: only this user may read it."""
        if not token:
            return
        with contextlib.suppress(OSError):
            self._token_file.parent.mkdir(parents=True, exist_ok=True)
            staged = self._token_file.with_name(self._token_file.name + ".tmp")
            staged.unlink(missing_ok=True)  # a file or link left there keeps neither its mode nor its target
            descriptor = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                file.write(token)
            staged.replace(self._token_file)


class RemoteDesktopKeys:
    """Implements rephraser.core.desktop.ports.KeyPort on GNOME, through the RemoteDesktop portal."""

    def __init__(self, session: RemoteDesktopSession, held: HeldShortcuts) -> None:
        self._session = session
        self._held = held

    def keys_held(self) -> bool:
        """A hotkey's key is down (the GlobalShortcuts portal's word; nothing else is told on GNOME)."""
        return self._held.held()

    def press(self, combo: KeyCombo) -> None:
        """Raises:
        KeysRefusedError: the session is not started.
        WaylandError: a key with no code here, or the portal refused it.
        """
        self._session.require()
        code = KEY_CODES.get(combo.key) or KEY_CODES.get(combo.key.lower())
        if code is None:
            raise WaylandError(f'Rephraser cannot type the "{combo.key}" key on GNOME.')
        pressed: list[int] = []
        try:
            for key in (*(MODIFIER_CODES[name][0] for name in combo.modifiers), code):
                self._session.notify_key(key, pressed=True)
                pressed.append(key)
        finally:  # a Ctrl left down by a failed call would turn the user's next keys into shortcuts
            for key in reversed(pressed):
                with contextlib.suppress(WaylandError):
                    self._session.notify_key(key, pressed=False)
