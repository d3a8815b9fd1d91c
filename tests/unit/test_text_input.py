from __future__ import annotations

import pytest

from rephraser.core.errors import EmptyInputError, InputTooLargeError, NotTextError
from rephraser.core.text_input import MAX_INPUT_BYTES, decode_input, validate_text


def test_utf8_text_passes_through_unchanged() -> None:
    assert "Grüße, 世界\n" == decode_input("Grüße, 世界\n".encode())


def test_byte_order_mark_is_dropped() -> None:
    assert "hello" == decode_input(b"\xef\xbb\xbfhello")


@pytest.mark.parametrize("data", [b"", b"   \n\t  "])
def test_empty_or_blank_input_is_refused(data: bytes) -> None:
    with pytest.raises(EmptyInputError, match="no text to rewrite"):
        decode_input(data)


def test_invalid_utf8_names_the_byte_position() -> None:
    with pytest.raises(NotTextError, match=r"not UTF-8 text \(invalid byte at position 3\)"):
        decode_input(b"abc\xff\xfedef")


def test_binary_data_is_refused() -> None:
    with pytest.raises(NotTextError, match="binary data"):
        decode_input(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_control_character_soup_is_refused() -> None:
    with pytest.raises(NotTextError, match="binary data"):
        validate_text("\x01\x02\x03\x04abc")


def test_input_over_the_limit_is_refused_with_the_limit_named() -> None:
    with pytest.raises(InputTooLargeError, match="at most 100 KB"):
        decode_input(b"a" * (MAX_INPUT_BYTES + 1))


def test_input_at_the_limit_is_accepted() -> None:
    assert MAX_INPUT_BYTES == len(decode_input(b"a" * MAX_INPUT_BYTES))
