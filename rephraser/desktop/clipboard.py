"""The clipboard through Qt: byte-exact snapshots of every format, and serving a rewrite from mime data
that notices when the target app reads it (X11 hands data over lazily, on request).

A restore right after the paste changes the served data in place instead of taking the clipboard anew:
Qt answers every request from the data it holds at that moment, so the next reader already gets the
user's contents, and no owner change reaches the target app. Chromium, told of a new owner (XFixes)
within a few ms of its second read, drops the paste it was inserting. Programs that follow owner
changes (clipboard managers) learn of the restore a moment later, when the clipboard is taken anew.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QCoreApplication, QMimeData, QTimer
from PySide6.QtGui import QClipboard, QGuiApplication

from rephraser.core.desktop.ports import ClipboardHandover, ClipboardKeeperPort, ClipboardSnapshot

__all__ = ["QtClipboard", "ServedText"]

# Formats Qt synthesises for itself; restoring them as raw bytes would confuse other programs.
_INTERNAL_PREFIX = "application/x-qt-"
# How long after an in-place restore the clipboard is taken anew for owner-change followers: well past
# the end of a paste (Chromium needs ~50 ms after its last read on a busy machine).
ANNOUNCE_AFTER_MS = 1000


def _is_content(name: str) -> bool:
    """MIME types carry content; bare X11 targets (TARGETS, TIMESTAMP, MULTIPLE, ...) describe the
    selection itself, and Qt offers their content again under MIME names."""
    return "/" in name and not name.startswith(_INTERNAL_PREFIX)


class ServedText(QMimeData):
    """Plain text whose every read by another program is reported, until `replace` puts other contents
    in its place."""

    def __init__(self, text: str, on_read: Callable[[], None]) -> None:
        super().__init__()
        self._on_read = on_read
        self.setText(text)

    def replace(self, snapshot: ClipboardSnapshot) -> None:
        """Serve `snapshot` from now on (reads are no longer reported)."""
        self._on_read = lambda: None
        self.clear()
        _fill(self, snapshot)

    def retrieveData(self, mimetype: str, preferred: object) -> object:
        self._on_read()
        return super().retrieveData(mimetype, preferred)  # type: ignore[arg-type]


class QtClipboard:
    """Implements rephraser.core.desktop.ports.ClipboardPort on QGuiApplication.clipboard(); the platform's
    `keeper` keeps what we own alive after quit (None: it goes with the process)."""

    def __init__(self, keeper: ClipboardKeeperPort | None = None) -> None:
        self._keeper = keeper
        self._clipboard = QGuiApplication.clipboard()
        self._change_callback: Callable[[], None] | None = None
        self._clipboard.dataChanged.connect(self._changed)
        self._served: list[QMimeData] = []  # keep Python wrappers alive while Qt owns the data
        self._leaving = False  # keep_after_exit has begun: no restore is announced any more

    def snapshot(self, primary: bool = False) -> ClipboardSnapshot:
        data = self._clipboard.mimeData(_mode(primary))
        if data is None:
            return ClipboardSnapshot({})
        formats = [f for f in data.formats() if _is_content(f)]
        return ClipboardSnapshot({f: bytes(data.data(f).data()) for f in formats})

    def text(self, primary: bool = False) -> str:
        return self._clipboard.text(_mode(primary))

    def serve(self, text: str, primary: bool, on_read: Callable[[], None]) -> None:
        served = ServedText(text, on_read)
        self._served = [served]
        self._clipboard.setMimeData(served, _mode(primary))

    def restore(self, snapshot: ClipboardSnapshot, primary: bool = False) -> None:
        mode = _mode(primary)
        served = self._clipboard.mimeData(mode)
        if isinstance(served, ServedText) and self._owns(mode):
            served.replace(snapshot)  # in place: see the module's docstring
            QTimer.singleShot(ANNOUNCE_AFTER_MS, lambda: self._announce(served, snapshot, mode))
            return
        self._take(snapshot, mode)

    def _announce(self, served: ServedText, snapshot: ClipboardSnapshot, mode: QClipboard.Mode) -> None:
        """Take the clipboard anew with what `served` holds, unless something else was put there since, or
        the app is quitting: a timer due while it hands the clipboard to a keeper would take it back from
        the keeper just before the app exits, and the user's clipboard would go with it."""
        if not self._leaving and self._clipboard.mimeData(mode) is served and self._owns(mode):
            self._take(snapshot, mode)

    def _take(self, snapshot: ClipboardSnapshot, mode: QClipboard.Mode) -> None:
        if snapshot.empty:
            self._clipboard.clear(mode)
            return
        data = QMimeData()
        _fill(data, snapshot)
        self._clipboard.setMimeData(data, mode)

    def _owns(self, mode: QClipboard.Mode) -> bool:
        if mode is QClipboard.Mode.Selection:
            return self._clipboard.ownsSelection()
        return self._clipboard.ownsClipboard()

    def on_change(self, callback: Callable[[], None] | None) -> None:
        self._change_callback = callback

    def keep_after_exit(self) -> ClipboardHandover:
        self._leaving = True
        if self._keeper is None or not self._clipboard.ownsClipboard():
            return ClipboardHandover()  # another program owns it: the clipboard outlives us anyway
        snapshot = self.snapshot()
        if snapshot.empty:
            return ClipboardHandover()
        return self._keeper.keep(snapshot.formats)

    def let_go(self) -> None:
        """At exit, after keep_after_exit: give up an empty clipboard we still own, and answer the requests
        already sent to us. An app that asked an owner which then exits never gets an answer and stalls
        (Chromium, still finishing a paste, for many seconds)."""
        for mode in (QClipboard.Mode.Clipboard, QClipboard.Mode.Selection):
            data = self._clipboard.mimeData(mode)
            if self._owns(mode) and (data is None or not data.formats()):
                self._clipboard.clear(mode)
        QCoreApplication.processEvents()

    def _changed(self) -> None:
        # Only another program's copy counts: Qt reports our own changes too, such as a restore announced
        # while the next job waits for the app's Ctrl+C (that job would take the user's clipboard for the
        # selection).
        if self._change_callback is not None and not self._clipboard.ownsClipboard():
            self._change_callback()


def _fill(data: QMimeData, snapshot: ClipboardSnapshot) -> None:
    for name, payload in snapshot.formats.items():
        data.setData(name, QByteArray(payload))


def _mode(primary: bool) -> QClipboard.Mode:
    return QClipboard.Mode.Selection if primary else QClipboard.Mode.Clipboard
