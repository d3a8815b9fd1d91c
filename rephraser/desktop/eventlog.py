"""Structured step events (`rephraser run --log-json`): one JSON object per line on stderr.

Never carries the selected text or clipboard contents: sizes and timings only.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any, TextIO

__all__ = ["EventLog"]

log = logging.getLogger("rephraser.desktop")


class EventLog:
    """Writes events as JSON lines (when enabled) and to the logging module at info level."""

    def __init__(self, json_lines: bool, stream: TextIO | None = None) -> None:
        self._json = json_lines
        self._stream = stream or sys.stderr
        self._started = time.perf_counter()

    def event(self, name: str, **fields: Any) -> None:
        record = {"event": name, "t_ms": round((time.perf_counter() - self._started) * 1000, 1), **fields}
        if self._json:
            self._stream.write(json.dumps(record, ensure_ascii=False) + "\n")
            self._stream.flush()
        log.info("%s %s", name, {k: v for k, v in record.items() if k != "event"})
