"""Server-sent events: turn the lines of a `text/event-stream` body into events.

Follows the HTML living standard's parsing rules: `field: value` lines, a blank line ends an event,
`data` lines join with newlines, lines starting with ":" are comments, a single leading space after the
colon is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

__all__ = ["SseEvent", "parse_sse"]


class SseEvent(NamedTuple):
    """One event: its type ("message" unless named) and its data."""

    event: str
    data: str


def parse_sse(lines: Iterable[str]) -> Iterator[SseEvent]:
    """Yield events from decoded lines (without their line endings)."""
    event = ""
    data: list[str] = []
    for line in lines:
        if not line:
            if data:
                yield SseEvent(event or "message", "\n".join(data))
            event, data = "", []
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "data":
            data.append(value)
        elif field == "event":
            event = value
    if data:
        # A stream cut without the final blank line still delivers what it sent; callers decide
        # whether the stream was complete.
        yield SseEvent(event or "message", "\n".join(data))
