"""Server-sent events: turn the bytes of a `text/event-stream` body into events, in bounded memory.

Follows the HTML living standard's parsing rules: CRLF, LF or CR ends a line, `field: value` lines, a
blank line ends an event, `data` lines join with newlines, lines starting with ":" are comments, a single
leading space after the colon is dropped. A line or an event past its cap stops the read with a
MalformedResponseError: a stream that never breaks its lines must not grow until memory runs out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple

from rephraser.core.errors import MalformedResponseError

__all__ = ["SseEvent", "parse_sse", "size_text", "split_lines"]


class SseEvent(NamedTuple):
    """One event: its type ("message" unless named) and its data."""

    event: str
    data: str


def split_lines(chunks: Iterable[bytes], max_line_bytes: int, source: str) -> Iterator[str]:
    """Decoded lines, without their endings, from a body's chunks.

    Raises:
        MalformedResponseError: a line is longer than `max_line_bytes` (`source` names the sender).
    """
    pending = b""
    skip_lf = False  # a CR ended the last chunk: an LF starting the next one belongs to it
    for chunk in chunks:
        if skip_lf and chunk.startswith(b"\n"):
            chunk = chunk[1:]
        skip_lf = False
        if not chunk:
            continue
        lines = (pending + chunk).splitlines(keepends=True)  # bytes split on \r\n, \r and \n only
        pending = b"" if lines[-1].endswith((b"\n", b"\r")) else lines.pop()
        skip_lf = not pending and lines[-1].endswith(b"\r")
        if len(pending) > max_line_bytes or any(len(line) > max_line_bytes for line in lines):
            raise MalformedResponseError(
                f"{source} sent a stream line longer than {size_text(max_line_bytes)} without a line break; "
                "stopped reading."
            )
        for line in lines:
            yield line.rstrip(b"\r\n").decode("utf-8", errors="replace")
    if pending:
        yield pending.decode("utf-8", errors="replace")


def parse_sse(lines: Iterable[str], max_event_bytes: int, source: str) -> Iterator[SseEvent]:
    """Yield events from decoded lines (without their line endings).

    Raises:
        MalformedResponseError: one event's data grows past `max_event_bytes`.
    """
    event = ""
    data: list[str] = []
    size = 0
    for line in lines:
        if not line:
            if data:
                yield SseEvent(event or "message", "\n".join(data))
            event, data, size = "", [], 0
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if field == "data":
            size += 1 + (len(value) if value.isascii() else len(value.encode("utf-8")))
            if size > max_event_bytes:
                raise MalformedResponseError(
                    f"{source} sent a stream event larger than {size_text(max_event_bytes)} without the blank "
                    "line that ends it; stopped reading."
                )
            data.append(value)
        elif field == "event":
            event = value
    if data:
        # A stream cut without the final blank line still delivers what it sent; callers decide
        # whether the stream was complete.
        yield SseEvent(event or "message", "\n".join(data))


def size_text(size_bytes: int) -> str:
    """A byte count for a message: "4 MB", "64 KB" or "1500 bytes"."""
    if size_bytes >= 1_000_000 and size_bytes % 1_000_000 == 0:
        return f"{size_bytes // 1_000_000} MB"
    if size_bytes >= 1_000 and size_bytes % 1_000 == 0:
        return f"{size_bytes // 1_000} KB"
    return f"{size_bytes} bytes"
