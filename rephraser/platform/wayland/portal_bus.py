"""The session D-Bus for the desktop portals (org.freedesktop.portal.Desktop), through jeepney (pure Python,
keyring's own dependency on Linux): method calls, portal requests answered by a Response signal, and the
portal's other signals handed to handlers from the Qt loop (`dispatch`, when `fileno` is readable).

A call blocks for its reply, which the portal sends at once; a request's Response can wait on the user (a
dialog), so `request` takes a handler and returns at once.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

from jeepney import (  # type: ignore[import-untyped]  # no type information shipped
    DBusAddress,
    HeaderFields,
    MatchRule,
    Message,
    MessageType,
    message_bus,
    new_method_call,
)
from jeepney.io.blocking import DBusConnection, open_dbus_connection  # type: ignore[import-untyped]

__all__ = ["PORTAL", "PortalBus", "PortalError", "Variant"]

PORTAL = "org.freedesktop.portal.Desktop"
_PATH = "/org/freedesktop/portal/desktop"
_REGISTRY = "org.freedesktop.host.portal.Registry"
_PROPERTIES = "org.freedesktop.DBus.Properties"
_CALL_TIMEOUT_S = 5.0
Variant = tuple[str, Any]  # a D-Bus variant as jeepney writes it: (signature, value)
SignalHandler = Callable[[tuple[Any, ...]], None]
ResponseHandler = Callable[[int, Mapping[str, Variant]], None]


class PortalError(OSError):
    """No session bus, no portal on it, or the portal answered with an error."""


class PortalBus:
    """One connection to the session bus, for one or more portal interfaces.

    Raises:
        PortalError: from the constructor, when no session bus answers.
    """

    def __init__(self, environ: Mapping[str, str] = os.environ) -> None:
        address = environ.get("DBUS_SESSION_BUS_ADDRESS", "")
        if not address:
            raise PortalError("No session D-Bus (DBUS_SESSION_BUS_ADDRESS is not set).")
        try:
            # Unix descriptors: the Clipboard portal hands the selection's data over in pipes.
            self._connection: DBusConnection = open_dbus_connection(address, enable_fds=True)
        except (OSError, ValueError) as exc:
            raise PortalError(f"The session D-Bus does not answer ({exc}).") from exc
        self._signals: dict[tuple[str, str, str], SignalHandler] = {}  # (interface, member, path or "")
        self._responses: dict[str, ResponseHandler] = {}
        self._waiting: deque[Message] = deque()  # signals that came while a call waited for its reply
        # Readable while `_waiting` holds signals: the bus socket may have nothing more to say, and the
        # event loop must still come back for them (a copy's owner-changed signal read during a key call).
        self._wake_reader, self._wake_writer = os.pipe()
        os.set_blocking(self._wake_reader, False)
        os.set_blocking(self._wake_writer, False)
        self._tokens = itertools.count(1)
        self._dead = False
        self._registered = False  # see register_app
        self._quiet_writer = -1  # see _silence
        self.sender = self._connection.unique_name.lstrip(":").replace(".", "_")
        try:
            self.call(message_bus.AddMatch(MatchRule(type="signal", sender=PORTAL)))
        except PortalError:
            self.close()
            raise

    def fileno(self) -> int:
        return int(self._connection.sock.fileno())

    def wake_fileno(self) -> int:
        """Readable when signals read during a call wait for `dispatch` (watch it beside `fileno`)."""
        return self._wake_reader

    def portal_call(self, interface: str, method: str, signature: str = "", body: tuple[Any, ...] = ()) -> Any:
        """Call `method` of a portal interface; its reply's body."""
        address = DBusAddress(_PATH, bus_name=PORTAL, interface=interface)
        return self.call(new_method_call(address, method, signature, body))

    def call_method(self, path: str, interface: str, method: str) -> Any:
        """Call a method without arguments on one of the portal's objects (a session's Close)."""
        return self.call(new_method_call(DBusAddress(path, bus_name=PORTAL, interface=interface), method))

    def call(self, message: Message) -> Any:
        """Send `message` and wait for its reply; signals read meanwhile wait for `dispatch`.

        Raises:
            PortalError: an error reply, or none within the deadline.
        """
        try:
            serial = next(self._connection.outgoing_serial)
            self._connection.send(message, serial=serial)
            while True:
                reply = self._connection.receive(timeout=_CALL_TIMEOUT_S)
                if reply.header.fields.get(HeaderFields.reply_serial) == serial:
                    break
                if reply.header.message_type == MessageType.signal:
                    self._waiting.append(reply)
            while (buffered := self._connection.parser.get_next_message()) is not None:
                self._waiting.append(buffered)  # read with the reply: the socket will not say so again
        except (OSError, TimeoutError, RuntimeError) as exc:  # RuntimeError: jeepney's cut-off descriptors
            raise PortalError(f"The session D-Bus failed ({str(exc) or 'no reply in time'}).") from exc
        finally:
            if self._waiting:
                with contextlib.suppress(BlockingIOError):
                    os.write(self._wake_writer, b"!")
        if reply.header.message_type == MessageType.error:
            name = reply.header.fields.get(HeaderFields.error_name, "an error")
            detail = reply.body[0] if reply.body and isinstance(reply.body[0], str) else ""
            raise PortalError(f"{name}: {detail}".rstrip(": "))
        return reply.body

    def version(self, interface: str) -> int:
        """The version of a portal interface, 0 when the portal lacks it (an older desktop)."""
        address = DBusAddress(_PATH, bus_name=PORTAL, interface=_PROPERTIES)
        try:
            (value,) = self.call(new_method_call(address, "Get", "ss", (interface, "version")))
        except PortalError:
            return 0
        return int(value[1])

    def register_app(self, app_id: str) -> None:
        """Tell the portal which app this is, once per connection (xdg-desktop-portal 1.19+ refuses some
        interfaces to an unsandboxed app without an id; it checks for the matching desktop entry). Older
        portals have no registry, and need none."""
        if self._registered:
            return
        self._registered = True
        with contextlib.suppress(PortalError):
            self.portal_call(_REGISTRY, "Register", "sa{sv}", (app_id, {}))

    def new_token(self, prefix: str) -> str:
        return f"{prefix}{os.getpid()}x{next(self._tokens)}"

    def request(
        self,
        interface: str,
        method: str,
        signature: str,
        body: tuple[Any, ...],
        token: str,
        on_response: ResponseHandler,
    ) -> None:
        """A portal request: its options (the last argument) carry `token` as handle_token, and
        `on_response(code, results)` runs when the portal's Response comes (0: done, 1: the user
        cancelled, 2: failed)."""
        path = f"{_PATH}/request/{self.sender}/{token}"
        self._responses[path] = on_response
        try:
            self.portal_call(interface, method, signature, body)
        except PortalError:
            self._responses.pop(path, None)
            raise

    def on_signal(self, interface: str, member: str, handler: SignalHandler, path: str = "") -> None:
        """`handler(body)` for each such signal; with `path`, only for that object's (a session's Closed)."""
        self._signals[(interface, member, path)] = handler

    def dispatch(self, timeout_s: float = 0.0) -> None:
        """Hand every message that has arrived to its handler (waiting at most `timeout_s` for the first)."""
        if self._dead:
            return
        with contextlib.suppress(BlockingIOError):
            os.read(self._wake_reader, 4096)
        while self._waiting:
            self._handle(self._waiting.popleft())
        try:
            while True:
                self._handle(self._connection.receive(timeout=timeout_s))
                timeout_s = 0.0
        except TimeoutError:
            return
        except (OSError, RuntimeError) as exc:
            self._silence()
            raise PortalError(f"The session D-Bus failed ({exc}); restart Rephraser.") from exc

    def _silence(self) -> None:
        """A dead bus reads as readable for ever: its descriptor now names a pipe nobody writes, so the
        event loop that watches it rests (the error is reported once)."""
        self._dead = True
        quiet_reader, self._quiet_writer = os.pipe()
        os.dup2(quiet_reader, self.fileno())
        os.close(quiet_reader)

    def _handle(self, message: Message) -> None:
        if message.header.message_type != MessageType.signal:
            return
        fields = message.header.fields
        member, path = fields.get(HeaderFields.member), fields.get(HeaderFields.path)
        if member == "Response" and path in self._responses:
            code, results = message.body
            self._responses.pop(path)(int(code), dict(results))
            return
        interface = fields.get(HeaderFields.interface, "")
        handler = self._signals.get((interface, member or "", path or "")) or self._signals.get(
            (interface, member or "", "")
        )
        if handler is not None:
            handler(tuple(message.body))

    def close(self) -> None:
        self._connection.close()
        for descriptor in (self._wake_reader, self._wake_writer, self._quiet_writer):
            with contextlib.suppress(OSError):
                os.close(descriptor)
