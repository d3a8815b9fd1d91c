"""Checks on the text handed to Rephraser: size, emptiness, binary data, encoding."""

from __future__ import annotations

from typing import BinaryIO

from rephraser.core.errors import EmptyInputError, InputTooLargeError, NotTextError

__all__ = ["MAX_INPUT_BYTES", "MAX_RAW_INPUT_BYTES", "decode_input", "read_input", "validate_text"]

# Prompts are short; 100 KB is a long document. Past it a rewrite is slow and rarely what the user meant.
MAX_INPUT_BYTES = 100_000
# The most bytes that can still hold MAX_INPUT_BYTES of text: UTF-32 spends four bytes on a character.
MAX_RAW_INPUT_BYTES = 4 * MAX_INPUT_BYTES + 4

_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
# Above this share of control characters the "text" is a binary blob, not something to rewrite.
_MAX_CONTROL_SHARE = 0.05
# Byte order marks and the encoding each announces (UTF-32's before UTF-16's: they share a prefix).
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)


def read_input(stream: BinaryIO) -> str:
    """Read text from stdin (or any byte stream), decode and validate it. Reads at most
    MAX_RAW_INPUT_BYTES + 1 bytes, so an endless pipe cannot hold Rephraser up.

    Raises:
        InputTooLargeError, NotTextError, EmptyInputError
    """
    size_bytes = _file_size(stream)
    data = stream.read(MAX_RAW_INPUT_BYTES + 1)
    return decode_input(data, size_bytes)


def _file_size(stream: BinaryIO) -> int | None:
    """The bytes left in `stream` when it is a regular file (a redirect), else None (a pipe, a terminal)."""
    import os
    import stat

    try:
        info = os.fstat(stream.fileno())
        return info.st_size - stream.tell() if stat.S_ISREG(info.st_mode) else None
    except (OSError, ValueError, AttributeError):  # no file descriptor, or one that cannot seek
        return None


def decode_input(data: bytes, size_bytes: int | None = None) -> str:
    """Decode raw input (stdin, a clipboard payload) and validate it: UTF-8, or UTF-16/UTF-32 with a byte
    order mark; a UTF-8 byte order mark is dropped.

    Args:
        data: the bytes, cut after MAX_RAW_INPUT_BYTES + 1 when the input was longer.
        size_bytes: the input's whole size when it is known (a file), for the message when it is too large.

    Raises:
        InputTooLargeError, NotTextError, EmptyInputError
    """
    if len(data) > MAX_RAW_INPUT_BYTES:
        raise _too_large(size_bytes)
    encoding, name = next(((enc, label) for bom, enc, label in _BOMS if data.startswith(bom)), ("utf-8", ""))
    if not name and b"\x00" in data:
        raise NotTextError("The input looks like binary data, not text. Select text and try again.")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        if name:
            raise NotTextError(
                f"The input starts with a {name} byte order mark but is not {name} text "
                f"(invalid bytes at position {exc.start}). Convert it to UTF-8 and try again."
            ) from exc
        raise NotTextError(
            f"The input is not UTF-8 text (invalid byte at position {exc.start}). Convert it to UTF-8 and try again."
        ) from exc
    return validate_text(text.removeprefix("\ufeff"))


def validate_text(text: str) -> str:
    """Return the text unchanged when it can be rewritten.

    Raises:
        InputTooLargeError, NotTextError, EmptyInputError
    """
    size_bytes = len(text.encode("utf-8", "surrogatepass"))
    if size_bytes > MAX_INPUT_BYTES:
        raise _too_large(size_bytes)
    if not text.strip():
        raise EmptyInputError("There is no text to rewrite: select some text (or pipe it in) and try again.")
    controls = sum(1 for ch in text if ch < " " and ch not in _ALLOWED_CONTROLS)
    if "\x00" in text or controls > _MAX_CONTROL_SHARE * len(text):
        raise NotTextError("The input looks like binary data, not text. Select text and try again.")
    return text


def _too_large(size_bytes: int | None) -> InputTooLargeError:
    """The message names the real size when it is known, else only what is certain."""
    limit = f"{MAX_INPUT_BYTES // 1000} KB"
    if size_bytes is None:
        size = f"more than {limit}"
    elif size_bytes >= 1_000_000:
        size = f"{size_bytes / 1_000_000:.1f} MB"
    else:
        size = f"{size_bytes:,} bytes"
    return InputTooLargeError(
        f"The text is {size}; Rephraser rewrites at most {limit} at a time. Select a shorter passage."
    )
