"""The clipboard through Qt: byte-exact snapshots of every format, and serving a rewrite from mime data
that notices when the target app reads it (X11 hands data over lazily, on request)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QMimeData
from PySide6.QtGui import QClipboard, QGuiApplication

from rephraser.core.desktop.ports import ClipboardHandover, ClipboardKeeperPort, ClipboardSnapshot

__all__ = ["QtClipboard", "ServedText"]

# Formats Qt synthesises for itself; restoring them as raw bytes would confuse other programs.
_INTERNAL_PREFIX = "application/x-qt-"


def _is_content(name: str) -> bool:
    """MIME types carry content; bare X11 targets (TARGETS, TIMESTAMP, MULTIPLE, ...) describe the
    selection itself, and Qt offers their content again under MIME names."""
    return "/" in name and not name.startswith(_INTERNAL_PREFIX)


class ServedText(QMimeData):
    """Plain text whose every read by another program is reported."""

    def __init__(self, text: str, on_read: Callable[[], None]) -> None:
        super().__init__()
        self._on_read = on_read
        self.setText(text)

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
        if snapshot.empty:
            self._clipboard.clear(_mode(primary))
            return
        data = QMimeData()
        for name, payload in snapshot.formats.items():
            data.setData(name, QByteArray(payload))
        self._clipboard.setMimeData(data, _mode(primary))

    def on_change(self, callback: Callable[[], None] | None) -> None:
        self._change_callback = callback

    def keep_after_exit(self) -> ClipboardHandover:
        if self._keeper is None or not self._clipboard.ownsClipboard():
            return ClipboardHandover()  # another program owns it: the clipboard outlives us anyway
        snapshot = self.snapshot()
        if snapshot.empty:
            return ClipboardHandover()
        return self._keeper.keep(snapshot.formats)

    def _changed(self) -> None:
        if self._change_callback is not None:
            self._change_callback()


def _mode(primary: bool) -> QClipboard.Mode:
    return QClipboard.Mode.Selection if primary else QClipboard.Mode.Clipboard
