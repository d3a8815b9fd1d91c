"""Each rewrite the tray app pastes goes into the history (rephraser.core.history) when the settings keep
one. Written on the GUI thread after the clipboard is back: the paste never waits for the file. Opened at
the first rewrite, not at start-up."""

from __future__ import annotations

from collections.abc import Callable

from rephraser.composition import build_history
from rephraser.core.config import Settings
from rephraser.core.history import History, HistoryEntry, HistoryError
from rephraser.desktop.eventlog import EventLog

__all__ = ["HistoryRecorder"]

# The recorder writes on the GUI thread: a file another program holds locked costs a notice, not a
# frozen app.
_BUSY_TIMEOUT_S = 0.25


class HistoryRecorder:
    """Records pasted rewrites; a history that cannot be written costs one notice per kind of problem,
    never a rewrite."""

    def __init__(self, settings: Settings, notice: Callable[[str], None], log: EventLog) -> None:
        self._notice, self._log = notice, log
        self._settings = settings
        self._history: History | None = None
        self._told = ""

    def record(self, entry: HistoryEntry) -> None:
        if not self._settings.history:
            return
        try:
            entry_id = self._opened().add(entry)
        except HistoryError as error:
            self._tell(f"{error} Your rewrite was pasted; it is not in the history.")
            return
        self._log.event("recorded", id=entry_id)

    def recent(self, limit: int) -> list[HistoryEntry]:
        """The newest rewrites (none when history is off or cannot be read: that costs one notice)."""
        if not self._settings.history:
            return []
        try:
            return self._opened().recent(limit)
        except HistoryError as error:
            self._tell(str(error))
            return []

    def latest(self) -> HistoryEntry | None:
        newest = self.recent(1)
        return newest[0] if newest else None

    def reconfigure(self, settings: Settings) -> None:
        """New caps apply from the next rewrite; history turned off deletes the file."""
        self.close()
        self._settings = settings
        if settings.history:
            return
        try:
            build_history(settings, _BUSY_TIMEOUT_S).clear()
        except HistoryError as error:
            self._tell(str(error))

    def _opened(self) -> History:
        if self._history is None:
            self._history = build_history(self._settings, _BUSY_TIMEOUT_S)
        return self._history

    def close(self) -> None:
        if self._history is not None:
            self._history.close()
            self._history = None

    def _tell(self, message: str) -> None:
        if message != self._told:  # a damaged file would say the same after every rewrite
            self._told = message
            self._notice(message)
