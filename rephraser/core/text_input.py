"""Checks on the text handed to Rephraser: size, emptiness, binary data, encoding."""

from __future__ import annotations

from rephraser.core.errors import EmptyInputError, InputTooLargeError, NotTextError

__all__ = ["MAX_INPUT_BYTES", "decode_input", "validate_text"]

# Prompts are short; 100 KB is a long document. Past it a rewrite is slow and rarely what the user meant.
MAX_INPUT_BYTES = 100_000

_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
# Above this share of control characters the "text" is a binary blob, not something to rewrite.
_MAX_CONTROL_SHARE = 0.05


def decode_input(data: bytes) -> str:
    """Decode raw input (stdin, a clipboard payload) as UTF-8 text and validate it.

    Raises:
        InputTooLargeError, NotTextError, EmptyInputError
    """
    _check_size(len(data))
    if b"\x00" in data:
        raise NotTextError("The input looks like binary data, not text. Select text and try again.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotTextError(
            f"The input is not UTF-8 text (invalid byte at position {exc.start}). Convert it to UTF-8 and try again."
        ) from None
    return validate_text(text.removeprefix("\ufeff"))


def validate_text(text: str) -> str:
    """Return the text unchanged when it can be rewritten.

    Raises:
        InputTooLargeError, NotTextError, EmptyInputError
    """
    _check_size(len(text.encode("utf-8", "surrogatepass")))
    if not text.strip():
        raise EmptyInputError("There is no text to rewrite: select some text (or pipe it in) and try again.")
    controls = sum(1 for ch in text if ch < " " and ch not in _ALLOWED_CONTROLS)
    if "\x00" in text or controls > _MAX_CONTROL_SHARE * len(text):
        raise NotTextError("The input looks like binary data, not text. Select text and try again.")
    return text


def _check_size(size_bytes: int) -> None:
    if size_bytes > MAX_INPUT_BYTES:
        raise InputTooLargeError(
            f"The text is {size_bytes // 1000} KB; Rephraser rewrites at most {MAX_INPUT_BYTES // 1000} KB "
            "at a time. Select a shorter passage."
        )
