"""The clipboard keeper process: owns CLIPBOARD with every format's bytes after Rephraser has quit.

Started only at quit, and only when Rephraser owns the clipboard (X11 selections live in their owner,
so the user's copied text, HTML and image would go with the app). Qt-free on purpose: a long-lived
helper should cost a few megabytes, not a GUI toolkit. It

1. takes CLIPBOARD with a server timestamp (ICCCM 2.1);
2. asks a running clipboard manager to SAVE_TARGETS (freedesktop ClipboardManager convention) and
   serves the manager's requests until it answers or the deadline passes; a manager that saved the
   data takes the clipboard over, so the keeper leaves;
3. otherwise serves TARGETS, TIMESTAMP, MULTIPLE and every format (INCR above the request size) until
   another program takes the clipboard, finishing transfers in flight, then exits.

`python -m rephraser.platform.x11.selection_server`: stdin carries one JSON line
`{"formats": [[mime, length], ...], "save_deadline_s": S}` and then the bytes in that order; stdout gets
one JSON line, `{"kept": "manager" | "helper", "pid": N, "note": "..."}` or `{"error": "..."}`.
The launched process forks and exits at once, so the parent can reap it while the server lives on.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import sys
import time
from collections.abc import Mapping
from typing import IO, Any, NamedTuple

from Xlib import X, Xatom, display, error
from Xlib.protocol import event as xevent

from rephraser.platform.keeper import read_payload

__all__ = ["SelectionServer", "main", "text_targets"]

_STALE_TRANSFER_S = 10.0  # an INCR reader that stops deleting the property has gone away
_TEXT_SOURCES = ("text/plain;charset=utf-8", "text/plain")


class _Transfer(NamedTuple):
    """One INCR transfer: the bytes still to send to (requestor, property)."""

    requestor: Any
    prop: int
    type_atom: int
    data: bytes
    offset: int
    touched: float


def text_targets(formats: Mapping[str, bytes]) -> dict[str, tuple[str, bytes]]:
    """The legacy X11 text targets (UTF8_STRING, TEXT, STRING) that older apps ask for, from the UTF-8 text."""
    source = next((formats[name] for name in _TEXT_SOURCES if name in formats), None)
    if source is None:
        return {}
    try:
        text = source.decode("utf-8")
    except UnicodeDecodeError:
        return {}
    targets = {"UTF8_STRING": ("UTF8_STRING", source), "TEXT": ("UTF8_STRING", source)}
    with contextlib.suppress(UnicodeEncodeError):  # STRING is Latin-1 only: other text goes as UTF8_STRING
        targets["STRING"] = ("STRING", text.encode("latin-1"))
    return targets


class SelectionServer:
    """Owns CLIPBOARD on its own connection and answers every request for it."""

    def __init__(self, formats: Mapping[str, bytes], name: str | None = None) -> None:
        self.display = display.Display(name)
        self.display.set_error_handler(lambda *_args: None)  # a requestor window that vanished: nothing to do
        atom = self.display.intern_atom
        self.clipboard, self.manager = atom("CLIPBOARD"), atom("CLIPBOARD_MANAGER")
        self.targets_atom, self.timestamp, self.multiple = atom("TARGETS"), atom("TIMESTAMP"), atom("MULTIPLE")
        self.incr, self.atom_pair, self.save_targets = atom("INCR"), atom("ATOM_PAIR"), atom("SAVE_TARGETS")
        self.save_property, self.time_property = atom("_REPHRASER_SAVE_TARGETS"), atom("_REPHRASER_TIMESTAMP")
        named = {name: (name, data) for name, data in formats.items()} | text_targets(formats)
        self.data = {atom(name): (atom(type_name), data) for name, (type_name, data) in named.items()}
        self.chunk = self.display.display.info.max_request_length * 4 - 256
        self.window = self.display.screen().root.create_window(
            -10, -10, 1, 1, 0, 0, X.InputOnly, X.CopyFromParent, event_mask=X.PropertyChangeMask
        )
        self.owned_at = 0
        self.lost = False
        self.saving_until = 0.0  # while a SAVE_TARGETS request waits for the manager's answer
        self.saved: bool | None = None
        self.transfers: dict[tuple[int, int], _Transfer] = {}

    # -- ownership ----------------------------------------------------------------------------------

    def own(self) -> bool:
        """Take CLIPBOARD; False if the server gave it to someone else."""
        self.owned_at = self._server_time()
        self.window.set_selection_owner(self.clipboard, self.owned_at)
        owner = self.display.get_selection_owner(self.clipboard)
        return bool(getattr(owner, "id", owner) == self.window.id)

    def ask_manager(self, deadline_s: float) -> bool:
        """Ask the clipboard manager, if one runs, to save every target; False when none runs."""
        owner = self.display.get_selection_owner(self.manager)
        if getattr(owner, "id", owner) == X.NONE:
            return False
        # No target list on the property: the manager asks for TARGETS and saves them all.
        self.window.convert_selection(self.manager, self.save_targets, self.save_property, self.owned_at)
        self.display.flush()
        self.saving_until = time.monotonic() + deadline_s
        return True

    def _server_time(self) -> int:
        """A real timestamp (ICCCM forbids CurrentTime for ownership): the time of our own property change."""
        self.window.change_property(self.time_property, Xatom.STRING, 8, b"")
        self.display.flush()
        while True:
            event = self.display.next_event()
            if event.type == X.PropertyNotify and event.window.id == self.window.id:
                return int(event.time)

    # -- the loop -----------------------------------------------------------------------------------

    @property
    def saving(self) -> bool:
        return self.saving_until > 0.0

    @property
    def finished(self) -> bool:
        """Done once the clipboard is someone else's (or the manager's) and no transfer is in flight."""
        return (self.lost or bool(self.saved)) and not self.saving and not self.transfers

    def step(self, timeout_s: float) -> None:
        """Handle every event that arrives within `timeout_s`, then expire deadlines."""
        if not self.display.pending_events():
            select.select([self.display.fileno()], [], [], timeout_s)
        while self.display.pending_events():
            self.handle(self.display.next_event())
        now = time.monotonic()
        if self.saving and now > self.saving_until:
            self.saving_until, self.saved = 0.0, False  # the manager did not answer: keep serving ourselves
        for key, transfer in list(self.transfers.items()):
            if now - transfer.touched > _STALE_TRANSFER_S:
                del self.transfers[key]

    def handle(self, event: Any) -> None:
        if event.type == X.SelectionRequest:
            self._request(event)
        elif event.type == X.SelectionClear and event.atom == self.clipboard:
            self.lost = True
        elif event.type == X.SelectionNotify and event.selection == self.manager:
            self.saving_until, self.saved = 0.0, event.property != X.NONE
        elif event.type == X.PropertyNotify and event.state == X.PropertyDelete:
            self._continue_transfer(event.window.id, event.atom)

    # -- answering requests -------------------------------------------------------------------------

    def _request(self, event: Any) -> None:
        prop = event.property or event.target  # obsolete clients name no property (ICCCM 2.2)
        current = event.time == X.CurrentTime or event.time >= self.owned_at
        answered = False
        if event.selection == self.clipboard and not self.lost and current:
            try:
                if event.target == self.multiple:
                    answered = self._multiple(event.requestor, prop)
                else:
                    answered = self._convert(event.requestor, event.target, prop)
            except error.XError:
                answered = False  # the requestor went away mid-answer
        reply = xevent.SelectionNotify(
            time=event.time,
            requestor=event.requestor,
            selection=event.selection,
            target=event.target,
            property=prop if answered else X.NONE,
        )
        event.requestor.send_event(reply, event_mask=0)
        self.display.flush()

    def _convert(self, requestor: Any, target: int, prop: int) -> bool:
        if target == self.targets_atom:
            atoms = [self.targets_atom, self.timestamp, self.multiple, *self.data]
            requestor.change_property(prop, Xatom.ATOM, 32, atoms)
        elif target == self.timestamp:
            requestor.change_property(prop, Xatom.INTEGER, 32, [self.owned_at])
        elif target in self.data:
            type_atom, data = self.data[target]
            if len(data) > self.chunk:
                self._start_transfer(requestor, prop, type_atom, data)
            else:
                requestor.change_property(prop, type_atom, 8, data)
        else:
            return False
        return True

    def _multiple(self, requestor: Any, prop: int) -> bool:
        """Convert each (target, property) pair; a pair that failed gets None as its property (ICCCM 2.6.2)."""
        pairs = requestor.get_full_property(prop, X.AnyPropertyType)
        if pairs is None or not len(pairs.value):
            return False
        values = [int(v) for v in pairs.value]
        answered = []
        for target, pair_prop in zip(values[::2], values[1::2], strict=False):
            ok = pair_prop != X.NONE and target != self.multiple and self._convert(requestor, target, pair_prop)
            answered += [target, pair_prop if ok else X.NONE]
        requestor.change_property(prop, self.atom_pair, 32, answered)
        return True

    def _start_transfer(self, requestor: Any, prop: int, type_atom: int, data: bytes) -> None:
        """INCR (ICCCM 2.7.2): announce the size; each deletion of the property asks for the next chunk."""
        requestor.change_attributes(event_mask=X.PropertyChangeMask)
        requestor.change_property(prop, self.incr, 32, [len(data)])
        self.transfers[(requestor.id, prop)] = _Transfer(requestor, prop, type_atom, data, 0, time.monotonic())

    def _continue_transfer(self, window_id: int, prop: int) -> None:
        transfer = self.transfers.get((window_id, prop))
        if transfer is None:
            return
        chunk = transfer.data[transfer.offset : transfer.offset + self.chunk]
        try:
            transfer.requestor.change_property(prop, transfer.type_atom, 8, chunk)  # b"" ends the transfer
            self.display.flush()
        except error.XError:
            chunk = b""
        if chunk:
            self.transfers[(window_id, prop)] = transfer._replace(
                offset=transfer.offset + len(chunk), touched=time.monotonic()
            )
        else:
            del self.transfers[(window_id, prop)]


def serve(formats: Mapping[str, bytes], save_deadline_s: float, report: IO[str]) -> int:
    """Own and serve the clipboard until it is someone else's; say once, on `report`, who keeps it."""
    try:
        server = SelectionServer(formats)
    except (error.DisplayError, error.ConnectionClosedError, OSError) as exc:
        return _report(report, {"error": f"cannot open the X display ({exc})"})
    if not server.own():
        return _report(report, {"error": "another program took the clipboard first"})
    if server.ask_manager(save_deadline_s):
        while server.saving:
            server.step(0.05)
    if server.saved:
        outcome = {"kept": "manager", "pid": os.getpid(), "note": ""}
    else:
        note = "" if server.saved is None else "the clipboard manager did not save it"
        outcome = {"kept": "helper", "pid": os.getpid(), "note": note}
    _report(report, outcome)
    while not server.finished:
        server.step(1.0)
    return 0


def _report(report: IO[str], outcome: dict[str, object]) -> int:
    try:
        report.write(json.dumps(outcome) + "\n")
        report.flush()
    except OSError:
        pass  # the parent is gone already; keep serving regardless
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, report.fileno())  # the parent reads until end of file: let it have it now
    os.close(null)
    return 1 if "error" in outcome else 0


def main() -> int:
    formats, save_deadline_s = read_payload(sys.stdin.buffer)
    if os.fork() > 0:
        os._exit(0)  # the launcher ends at once (the parent reaps it); the server below lives on alone
    os.chdir("/")
    try:
        return serve(formats, save_deadline_s, sys.stdout)
    except (error.ConnectionClosedError, error.DisplayError, OSError):
        return 0  # the X server went away (logout): there is no clipboard left to keep


if __name__ == "__main__":
    sys.exit(main())
