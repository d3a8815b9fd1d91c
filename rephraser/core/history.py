"""The history of rewrites: a local SQLite file (WAL, mode 0600) of what was rewritten into what, capped
by count and by size. It holds the texts and how each rewrite was made; never a key, never the
clipboard's other contents. Clearing it deletes the files, not just the rows.

Opened on first use: a process that never records or reads history never imports sqlite3.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from rephraser.core.errors import RephraserError

if TYPE_CHECKING:
    import sqlite3

__all__ = ["HISTORY_FILE", "History", "HistoryEntry", "HistoryError", "one_line"]

HISTORY_FILE = "history.sqlite3"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS rewrites (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time REAL NOT NULL,
    original TEXT NOT NULL,
    rewrite TEXT NOT NULL,
    target TEXT NOT NULL,
    template TEXT NOT NULL,
    mode TEXT NOT NULL,
    app_class TEXT NOT NULL,
    bytes INTEGER NOT NULL
)
"""
_COLUMNS = "id, time, original, rewrite, target, template, mode, app_class"


class HistoryError(RephraserError):
    """The history file cannot be used (damaged, locked, unwritable); the message says what to do."""


class HistoryEntry(NamedTuple):
    """One rewrite as history keeps it.

    Attributes:
        original: the user's text. rewrite: what replaced it.
        target, template: how it was rewritten (the template names the model family's profile).
        mode: offline or model. app_class: the app it was rewritten in ("" when unknown).
        time: when, in seconds since the epoch. id: its number in the history (0 before it is stored).
    """

    original: str
    rewrite: str
    target: str
    template: str
    mode: str
    app_class: str = ""
    time: float = 0.0
    id: int = 0


class History:
    """The history file at `path`, keeping at most `max_entries` rewrites and `max_bytes` of their text
    (the oldest go first).

    Every method raises HistoryError, never sqlite3's errors.
    """

    def __init__(self, path: Path, max_entries: int, max_bytes: int, busy_timeout_s: float = 2.0) -> None:
        self.path = path
        self._max_entries, self._max_bytes = max_entries, max_bytes
        self._busy_timeout_s = busy_timeout_s  # another writer (`history clear`, a second window) locks briefly
        self._connection: sqlite3.Connection | None = None

    def add(self, entry: HistoryEntry) -> int:
        """Store a rewrite (now, unless it says when) and drop what the caps no longer allow; its id."""
        size = len(entry.original.encode()) + len(entry.rewrite.encode())
        row = (entry.time or time.time(), entry.original, entry.rewrite, entry.target, entry.template)
        with self._transaction() as db:
            cursor = db.execute(
                "INSERT INTO rewrites (time, original, rewrite, target, template, mode, app_class, bytes) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (*row, entry.mode, entry.app_class, size),
            )
            db.execute(
                "DELETE FROM rewrites WHERE id IN (SELECT id FROM (SELECT id, "
                "ROW_NUMBER() OVER (ORDER BY id DESC) AS newer, SUM(bytes) OVER (ORDER BY id DESC) AS kept "
                "FROM rewrites) WHERE newer > ? OR kept > ?)",
                (self._max_entries, self._max_bytes),
            )
            return int(cursor.lastrowid or 0)

    def recent(self, limit: int = 20, search: str = "") -> list[HistoryEntry]:
        """The newest rewrites first; with `search`, those whose original or rewrite contains it (any case)."""
        if not self.path.exists():
            return []
        query = f"SELECT {_COLUMNS} FROM rewrites"
        parameters: tuple[object, ...] = ()
        if search:
            query += " WHERE instr(lower(original), lower(?)) > 0 OR instr(lower(rewrite), lower(?)) > 0"
            parameters = (search, search)
        with self._transaction() as db:
            rows = db.execute(f"{query} ORDER BY id DESC LIMIT ?", (*parameters, limit)).fetchall()
        return [_entry(row) for row in rows]

    def count(self) -> int:
        """How many rewrites the history holds (0 when there is no file)."""
        if not self.path.exists():
            return 0
        with self._transaction() as db:
            return int(db.execute("SELECT COUNT(*) FROM rewrites").fetchone()[0])

    def get(self, entry_id: int) -> HistoryEntry | None:
        if not self.path.exists():
            return None
        with self._transaction() as db:
            row = db.execute(f"SELECT {_COLUMNS} FROM rewrites WHERE id = ?", (entry_id,)).fetchone()
        return _entry(row) if row else None

    def clear(self) -> bool:
        """Delete the history file and its journal; whether there was one."""
        self.close()
        existed = False
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                Path(f"{self.path}{suffix}").unlink()
                existed = True
            except FileNotFoundError:
                pass
            except OSError as error:
                raise HistoryError(f"Could not delete {self.path}{suffix} ({error.strerror or error}).") from error
        return existed

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # -- the file ----------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """The open file in one transaction (reads too: a damaged file fails them the same way)."""
        import sqlite3

        try:
            db = self._open()
            with db:  # one transaction: committed, or rolled back on any error
                yield db
        except sqlite3.Error as error:
            self.close()  # a damaged or replaced file is opened afresh next time
            raise HistoryError(self._problem(error)) from error

    def _open(self) -> sqlite3.Connection:
        import sqlite3

        if self._connection is not None:
            return self._connection
        self._create_private()
        connection = sqlite3.connect(self.path, timeout=self._busy_timeout_s, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")  # consistent under WAL; a crash costs the last rewrite
            connection.execute(_SCHEMA)
        except sqlite3.Error:
            connection.close()
            raise
        connection.isolation_level = "DEFERRED"
        self._connection = connection
        return connection

    def _create_private(self) -> None:
        """The folder (0700) and the file (0600) exist before SQLite opens it; SQLite gives its journal
        files the database's mode."""
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.close(os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600))
            if self.path.stat().st_mode & 0o077:
                os.chmod(self.path, 0o600)  # an older or copied file readable by others
        except OSError as error:
            raise HistoryError(f"Could not open the history file {self.path} ({error.strerror or error}).") from error

    def _problem(self, error: sqlite3.Error) -> str:
        text = str(error)
        if "locked" in text or "busy" in text:
            return f"The history file {self.path} is locked by another program; try again in a moment."
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            return (
                f"The history file {self.path} is damaged ({text}); `rephraser history clear` deletes it "
                "and a new one starts with the next rewrite."
            )
        return f"The history file {self.path} cannot be used ({text})."


def one_line(text: str, chars: int) -> str:
    """A text as a list of rewrites shows it: on one line, cut to `chars` with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= chars else flat[: chars - 1] + "…"


def _entry(row: tuple[int, float, str, str, str, str, str, str]) -> HistoryEntry:
    entry_id, when, *texts = row
    original, rewrite, target, template, mode, app_class = (str(text) for text in texts)
    return HistoryEntry(original, rewrite, target, template, mode, app_class, float(when), int(entry_id))
