"""A stand-in for GNOME on a private session bus: xdg-desktop-portal's RemoteDesktop (version 2), Clipboard
(version 1) and, unless --no-global-shortcuts (GNOME before 48), GlobalShortcuts interfaces, as their
documentation describes them, over a seat with one focused text field, as mutter would present it.

What it copies from mutter (src/backends/meta-remote-desktop-session.c, src/core/meta-clipboard-manager.c)
and from a headless mutter 48 with xdg-desktop-portal 1.20, measured: owner changes carry the MIME types as
"(as)"; the owner there was before the session started is never reported; SetSelection without mime_types
gives the selection up; the clipboard manager reads one format of every new selection at once and serves it when
its owner goes; the keyboard state is
the seat's, so a modifier the user holds applies to the session's keys too, and the release of a key the
session never pressed is ignored. The field acts like a GTK entry: Ctrl+C copies the selection, Ctrl+V
pastes over it, Ctrl+A selects all; any other modifier mix (Ctrl+Alt+C) does nothing.

The tests drive it through org.rephraser.FakeGnome at /fake: the field, the user's keys, and other
programs' copies and pastes. Run: python -m tests.wayland.fake_gnome BUS_ADDRESS [--deny]
[--no-global-shortcuts] [--no-remote-desktop] [--ask]; it prints "ready" once it owns the portal's name.
"""

from __future__ import annotations

import argparse
import os
import select
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from jeepney import (
    DBusAddress,
    HeaderFields,
    Message,
    MessageType,
    message_bus,
    new_error,
    new_method_return,
    new_signal,
)
from jeepney.io.blocking import DBusConnection, open_dbus_connection

PORTAL = "org.freedesktop.portal.Desktop"
PATH = "/org/freedesktop/portal/desktop"
RD, CB, GS = (f"org.freedesktop.portal.{name}" for name in ("RemoteDesktop", "Clipboard", "GlobalShortcuts"))
CONTROL = "org.rephraser.FakeGnome"
CTRL, ALT, SHIFT, SUPER = (29, 97), (56, 100), (42, 54), (125, 126)
MODIFIER_CODES = {*CTRL, *ALT, *SHIFT, *SUPER}
KEY_A, KEY_C, KEY_V, KEY_R = 30, 46, 47, 19
TEXT = "text/plain;charset=utf-8"
MANAGER_DELAY_S = 0.02  # the clipboard manager's copy, asked for after SetSelection's answer
_TRIGGER_NAMES = {"CTRL": "ctrl", "ALT": "alt", "SHIFT": "shift", "LOGO": "super"}
_GROUPS = {"ctrl": CTRL, "alt": ALT, "shift": SHIFT, "super": SUPER}
_LETTER_CODES = {"r": KEY_R, "a": KEY_A, "c": KEY_C, "v": KEY_V, "d": 32, "i": 23, "k": 37}

Reply = Callable[[bytes | None], None]


class FakeGnome:
    def __init__(
        self, address: str, deny: bool, global_shortcuts: bool, remote_desktop: bool = True, ask: bool = False
    ) -> None:
        self.bus: DBusConnection = open_dbus_connection(address, enable_fds=True)
        self.deny, self.global_shortcuts, self.remote_desktop = deny, global_shortcuts, remote_desktop
        self.ask = ask  # the consent dialog waits for the test's Answer (else it is answered at once)
        self.waiting_dialog: tuple[str, str] | None = None  # (session, request path)
        self.restoring: dict[str, bool] = {}  # sessions started from a valid restore token: no dialog
        self.field, self.selected = "", (0, 0)
        self.owner = ""  # "" (none), "app" (another program), "manager" (mutter's), or a session's path
        self.saved: tuple[str, bytes] | None = None  # what mutter's clipboard manager keeps
        self.formats: dict[str, bytes] = {}  # the app owner's data; a session owner's MIME types as keys
        self.physical: set[int] = set()
        self.virtual: set[int] = set()
        self.sessions: dict[str, str] = {}  # remote-desktop session path -> state (created, started)
        self.restore_tokens: list[str] = []
        self.shortcut_session = ""
        self.shortcuts: dict[str, tuple[frozenset[str], int]] = {}  # name -> (its modifiers, its key)
        self.active: set[str] = set()
        self.transfer_serial = 0
        self.transfers: dict[int, Reply] = {}
        self.pipes: dict[int, tuple[int, list[bytes]]] = {}  # read end -> (serial, chunks)
        self.key_log: list[str] = []
        self.issued_tokens: set[str] = set()
        self.sessions_created = 0
        self.later: list[tuple[float, Callable[[], None]]] = []  # (when, what): the portal's own delays

    # -- the loop -------------------------------------------------------------------------------------

    def run(self) -> None:
        self.call(message_bus.RequestName(PORTAL, 4))
        print("ready", flush=True)
        while True:
            wait = min((when for when, _action in self.later), default=time.monotonic() + 1.0) - time.monotonic()
            readable = select.select([self.bus.sock, *self.pipes], [], [], max(wait, 0))[0]
            for reader in readable:
                if reader in self.pipes:
                    self.read_pipe(reader)
            self.drain_bus()
            due = [entry for entry in self.later if entry[0] <= time.monotonic()]
            for entry in due:
                self.later.remove(entry)
                entry[1]()

    def after(self, seconds: float, action: Callable[[], None]) -> None:
        self.later.append((time.monotonic() + seconds, action))

    def drain_bus(self) -> None:
        while True:
            try:
                message = self.bus.receive(timeout=0)
            except TimeoutError:
                return
            if message.header.message_type == MessageType.method_call:
                self.handle(message)

    def call(self, message: Message) -> Any:
        serial = next(self.bus.outgoing_serial)
        self.bus.send(message, serial=serial)
        while True:
            reply = self.bus.receive(timeout=5)
            if reply.header.fields.get(HeaderFields.reply_serial) == serial:
                return reply.body

    def handle(self, message: Message) -> None:
        fields = message.header.fields
        member, interface = fields.get(HeaderFields.member, ""), fields.get(HeaderFields.interface, "")
        handler = getattr(self, f"on_{interface.rsplit('.', 1)[-1]}_{member}", None)
        if handler is None:
            self.fail(message, "org.freedesktop.DBus.Error.UnknownMethod", f"{interface}.{member}")
            return
        try:
            handler(message, *message.body)
        except Exception as error:  # a test's bad call: an error reply, never a dead portal
            self.fail(message, "org.freedesktop.DBus.Error.Failed", repr(error))

    def answer(self, message: Message, signature: str | None = None, body: tuple[Any, ...] = ()) -> None:
        self.bus.send(new_method_return(message, signature, body))

    def fail(self, message: Message, name: str, text: str) -> None:
        self.bus.send(new_error(message, name, "s", (text,)))

    def emit(self, path: str, interface: str, member: str, signature: str, body: tuple[Any, ...]) -> None:
        self.bus.send(new_signal(DBusAddress(path, interface=interface), member, signature, body))

    def request(self, message: Message, options: dict[str, Any], code: int, results: dict[str, Any]) -> None:
        """A portal request: its handle now, its Response right after."""
        path = f"{PATH}/request/{sender(message)}/{options.get('handle_token', ('s', 'x'))[1]}"
        self.answer(message, "o", (path,))
        self.emit(path, "org.freedesktop.portal.Request", "Response", "ua{sv}", (code, results))

    # -- properties and the registry ------------------------------------------------------------------

    def on_Properties_Get(self, message: Message, interface: str, name: str) -> None:
        versions = {**({RD: 2, CB: 1} if self.remote_desktop else {}), **({GS: 1} if self.global_shortcuts else {})}
        if name != "version" or interface not in versions:
            self.fail(message, "org.freedesktop.DBus.Error.InvalidArgs", f"No such interface {interface}")
            return
        self.answer(message, "v", (("u", versions[interface]),))

    def on_Registry_Register(self, message: Message, _app_id: str, _options: dict[str, Any]) -> None:
        self.answer(message)

    # -- RemoteDesktop --------------------------------------------------------------------------------

    def on_RemoteDesktop_CreateSession(self, message: Message, options: dict[str, Any]) -> None:
        session = f"{PATH}/session/{sender(message)}/{options['session_handle_token'][1]}"
        self.sessions[session] = "created"
        self.sessions_created += 1
        self.request(message, options, 0, {"session_handle": ("s", session)})  # a string, as the portal sends

    def on_RemoteDesktop_SelectDevices(self, message: Message, session: str, options: dict[str, Any]) -> None:
        if "restore_token" in options:
            token = str(options["restore_token"][1])
            if token not in self.issued_tokens:  # as the portal's validate_restore_token
                self.fail(message, "org.freedesktop.portal.Error.InvalidArgument", "Restore token is not valid")
                return
            self.restore_tokens.append(token)
            self.restoring[session] = True
        self.request(message, options, 0, {})

    def on_RemoteDesktop_Start(self, message: Message, session: str, _parent: str, options: dict[str, Any]) -> None:
        if self.deny or self.sessions.get(session) != "clipboard":
            self.request(message, options, 1, {})
            self.end_session(session)  # the portal closes a session whose start failed
            return
        path = f"{PATH}/request/{sender(message)}/{options['handle_token'][1]}"
        self.answer(message, "o", (path,))
        if self.ask and not self.restoring.get(session):  # the dialog: answered by the test's Answer
            self.waiting_dialog = (session, path)
            return
        self.start_session(session, path)

    def on_FakeGnome_Answer(self, message: Message) -> None:
        """The user turns on Allow Remote Interaction and presses Share."""
        self.answer(message)
        if self.waiting_dialog:
            session, path = self.waiting_dialog
            self.waiting_dialog = None
            self.start_session(session, path)

    def start_session(self, session: str, path: str) -> None:
        self.sessions[session] = "started"
        token = f"token-{len(self.issued_tokens) + 1}"
        self.issued_tokens.add(token)
        results = {"devices": ("u", 1), "clipboard_enabled": ("b", True), "restore_token": ("s", token)}
        self.emit(path, "org.freedesktop.portal.Request", "Response", "ua{sv}", (0, results))
        # Mutter reports the current owner as the clipboard is enabled, during Start; xdg-desktop-portal
        # drops that report (it forwards owner changes only once Start has answered; seen on GNOME 48)

    def on_RemoteDesktop_NotifyKeyboardKeycode(
        self, message: Message, session: str, _options: dict[str, Any], code: int, state: int
    ) -> None:
        if self.sessions.get(session) != "started":
            self.fail(message, "org.freedesktop.DBus.Error.AccessDenied", "Session is not started")
            return
        self.answer(message)
        if state:
            self.virtual.add(code)
            self.key_down(code)
        else:
            self.virtual.discard(code)  # a key this device never pressed: ignored, as mutter does

    def end_session(self, session: str) -> None:
        """GNOME ends a session (a failed start, or the user's Stop in the top bar): Closed, and its
        selection goes."""
        self.sessions.pop(session, None)
        self.emit(session, "org.freedesktop.portal.Session", "Closed", "a{sv}", ({},))
        if self.owner == session:
            self.owner_gone()

    def on_Session_Close(self, message: Message) -> None:
        path = message.header.fields[HeaderFields.path]
        self.sessions.pop(path, None)
        self.answer(message)
        if self.owner == path:
            self.owner_gone()

    # -- Clipboard ------------------------------------------------------------------------------------

    def on_Clipboard_RequestClipboard(self, message: Message, session: str, _options: dict[str, Any]) -> None:
        if self.sessions.get(session) == "created":
            self.sessions[session] = "clipboard"
        self.answer(message)

    def on_Clipboard_SetSelection(self, message: Message, session: str, options: dict[str, Any]) -> None:
        """The portal answers at once; mutter's clipboard manager asks for its copy a little later (the
        request travels mutter -> xdg-desktop-portal-gnome -> xdg-desktop-portal)."""
        self.answer(message)
        if "mime_types" in options:
            self.set_owner(session, dict.fromkeys(options["mime_types"][1], b""))
        elif self.owner == session:
            self.owner_gone()

    def on_Clipboard_SelectionWrite(self, message: Message, _session: str, serial: int) -> None:
        reader, writer = os.pipe()
        self.pipes[reader] = (serial, [])
        self.answer(message, "h", (writer,))
        os.close(writer)

    def on_Clipboard_SelectionWriteDone(self, message: Message, _session: str, serial: int, success: bool) -> None:
        self.answer(message)
        if not success and serial in self.transfers:
            self.transfers.pop(serial)(None)

    def on_Clipboard_SelectionRead(self, message: Message, session: str, mime: str) -> None:
        if self.owner not in ("app", "manager") or mime not in self.formats:
            self.fail(message, "org.freedesktop.DBus.Error.Failed", "Invalid mime type")
            return
        reader, writer = os.pipe()
        data = self.formats[mime]
        self.answer(message, "h", (reader,))
        os.close(reader)
        threading.Thread(target=write_and_close, args=(writer, data), daemon=True).start()

    # -- GlobalShortcuts -----------------------------------------------------------------------------

    def on_GlobalShortcuts_CreateSession(self, message: Message, options: dict[str, Any]) -> None:
        self.shortcut_session = f"{PATH}/session/{sender(message)}/{options['session_handle_token'][1]}"
        self.request(message, options, 0, {"session_handle": ("o", self.shortcut_session)})

    def on_GlobalShortcuts_BindShortcuts(
        self, message: Message, _session: str, shortcuts: list[Any], _parent: str, options: dict[str, Any]
    ) -> None:
        given = []
        for name, wanted in shortcuts:
            trigger = str(wanted["preferred_trigger"][1])
            *modifiers, key = trigger.split("+")
            self.shortcuts[name] = (frozenset(_TRIGGER_NAMES[part] for part in modifiers), _LETTER_CODES[key.lower()])
            given.append((name, {"trigger_description": ("s", trigger.replace("+", " + "))}))
        self.request(message, options, 0, {"shortcuts": ("a(sa{sv})", given)})

    # -- the tests' hands -----------------------------------------------------------------------------

    def on_FakeGnome_SetField(self, message: Message, text: str) -> None:
        self.field, self.selected = text, (0, len(text))
        self.answer(message)

    def on_FakeGnome_Field(self, message: Message) -> None:
        self.answer(message, "s", (self.field,))

    def on_FakeGnome_Copy(self, message: Message, formats: dict[str, bytes]) -> None:
        self.answer(message)
        self.set_owner("app", dict(formats))

    def on_FakeGnome_Mimes(self, message: Message) -> None:
        self.answer(message, "as", (sorted(self.formats),))

    def on_FakeGnome_Paste(self, message: Message, mime: str) -> None:
        def reply(data: bytes | None) -> None:
            if data is None:
                self.fail(message, "org.freedesktop.DBus.Error.Failed", "no data")
            else:
                self.answer(message, "ay", (data,))

        self.read_clipboard(mime, reply)

    def on_FakeGnome_Key(self, message: Message, code: int, down: bool) -> None:
        self.answer(message)
        if down:
            self.physical.add(code)
            self.key_down(code, physical=True)
        else:
            self.physical.discard(code)
            for name in [name for name in self.active if self.shortcuts[name][1] == code]:
                self.active.discard(name)
                self.emit(PATH, GS, "Deactivated", "osta{sv}", (self.shortcut_session, name, 0, {}))

    def on_FakeGnome_Started(self, message: Message) -> None:
        self.answer(message, "b", ("started" in self.sessions.values(),))

    def on_FakeGnome_SessionsCreated(self, message: Message) -> None:
        self.answer(message, "u", (self.sessions_created,))

    def on_FakeGnome_StopSharing(self, message: Message) -> None:
        """The user's Stop in GNOME's top bar: every remote-desktop session ends."""
        self.answer(message)
        for session in list(self.sessions):
            self.end_session(session)

    def on_FakeGnome_RestoreTokens(self, message: Message) -> None:
        self.answer(message, "as", (self.restore_tokens,))

    def on_FakeGnome_KeyLog(self, message: Message) -> None:
        self.answer(message, "as", (self.key_log,))

    # -- the seat and the focused field ---------------------------------------------------------------

    def key_down(self, code: int, physical: bool = False) -> None:
        if code in MODIFIER_CODES:
            return
        modifiers = held_modifiers(self.physical | self.virtual)
        if physical:
            for name, (wanted, key) in self.shortcuts.items():
                if key == code and wanted == modifiers:
                    self.active.add(name)
                    self.emit(PATH, GS, "Activated", "osta{sv}", (self.shortcut_session, name, 0, {}))
                    return
        self.key_log.append("+".join([*sorted(modifiers), str(code)]))
        if modifiers != {"ctrl"}:
            return
        start, end = self.selected
        if code == KEY_A:
            self.selected = (0, len(self.field))
        elif code == KEY_C and end > start:
            self.copy_burst(self.field[start:end].encode())
        elif code == KEY_V:
            self.read_clipboard(TEXT, self.paste)

    def copy_burst(self, data: bytes) -> None:
        """A GTK app's copy as GNOME 48 reports it (measured): the old owner goes, the new selection comes,
        the clipboard manager puts its saved copy of the old one back, and the app takes it again."""
        new = {TEXT: data, "text/plain": data, "UTF8_STRING": data}
        saved = self.saved
        self.set_owner("", {})
        self.set_owner("app", new)
        if saved is not None:
            self.set_owner("manager", dict([saved]))
        self.set_owner("app", new)

    def paste(self, data: bytes | None) -> None:
        if data is None:
            return
        start, end = self.selected
        text = data.decode("utf-8")
        self.field = self.field[:start] + text + self.field[end:]
        self.selected = (start + len(text), start + len(text))

    # -- the selection --------------------------------------------------------------------------------

    def set_owner(self, owner: str, formats: dict[str, bytes]) -> None:
        self.owner, self.formats = owner, formats
        for session, state in self.sessions.items():
            if state == "started":
                self.owner_changed(session)
        if owner != "manager":
            self.save_for_the_manager()

    def save_for_the_manager(self) -> None:
        """Mutter's clipboard manager reads one format of each new selection at once (an image, else
        UTF-8 text, else plain text) and serves it when the owner goes."""
        self.saved = None
        best = [mime for mime in self.formats if mime.startswith("image/")] + [
            mime for mime in (TEXT, "text/plain") if mime in self.formats
        ]
        if best:
            mime = best[0]

            def keep(data: bytes | None) -> None:
                if data is not None:
                    self.saved = (mime, data)

            owner, formats = self.owner, self.formats

            def read_if_still_owner() -> None:  # mutter's request went to that owner: a later one never sees it
                if (self.owner, self.formats) == (owner, formats):
                    self.read_clipboard(mime, keep)

            self.after(MANAGER_DELAY_S, read_if_still_owner)

    def owner_gone(self) -> None:
        if self.saved is None:
            self.set_owner("", {})
        else:
            self.set_owner("manager", dict([self.saved]))

    def owner_changed(self, session: str) -> None:
        options: dict[str, Any] = {}
        if self.owner:  # mutter wraps the list in a tuple, "(as)", and the portals pass it on (GNOME 48)
            types = ("(as)", (list(self.formats),))
            options = {"mime_types": types, "session_is_owner": ("b", self.owner == session)}
        self.emit(PATH, CB, "SelectionOwnerChanged", "oa{sv}", (session, options))

    def read_clipboard(self, mime: str, reply: Reply) -> None:
        if self.owner in ("app", "manager"):
            reply(self.formats.get(mime))
        elif self.owner and mime in self.formats:
            self.transfer_serial += 1
            self.transfers[self.transfer_serial] = reply
            self.emit(PATH, CB, "SelectionTransfer", "osu", (self.owner, mime, self.transfer_serial))
        else:
            reply(None)

    def read_pipe(self, reader: int) -> None:
        serial, chunks = self.pipes[reader]
        chunk = os.read(reader, 1 << 16)
        if chunk:
            chunks.append(chunk)
            return
        os.close(reader)
        del self.pipes[reader]
        if serial in self.transfers:
            self.transfers.pop(serial)(b"".join(chunks))


def sender(message: Message) -> str:
    return str(message.header.fields[HeaderFields.sender]).lstrip(":").replace(".", "_")


def held_modifiers(down: set[int]) -> frozenset[str]:
    return frozenset(name for name, codes in _GROUPS.items() if down & set(codes))


def write_and_close(writer: int, data: bytes) -> None:
    with os.fdopen(writer, "wb") as pipe:
        pipe.write(data)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("address")
    parser.add_argument("--deny", action="store_true")
    parser.add_argument("--no-global-shortcuts", action="store_true")
    parser.add_argument("--no-remote-desktop", action="store_true", help="a portal older than 1.18")
    parser.add_argument("--ask", action="store_true", help="the consent dialog waits for Answer")
    args = parser.parse_args()
    FakeGnome(args.address, args.deny, not args.no_global_shortcuts, not args.no_remote_desktop, args.ask).run()


if __name__ == "__main__":
    sys.exit(main())
