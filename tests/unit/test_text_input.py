from __future__ import annotations

import pytest

from rephraser.core.errors import EmptyInputError, InputTooLargeError, NotTextError
from rephraser.core.text_input import MAX_INPUT_BYTES, MAX_RAW_INPUT_BYTES, decode_input, validate_text


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


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
    ],
)
def test_utf16_and_utf32_are_decoded_by_their_byte_order_mark(bom: bytes, encoding: str) -> None:
    assert "Grüße, 世界 🦊\n" == decode_input(bom + "Grüße, 世界 🦊\n".encode(encoding))


def test_utf16_of_the_limit_fits_though_its_bytes_are_twice_as_many() -> None:
    text = "a" * MAX_INPUT_BYTES
    assert text == decode_input(b"\xff\xfe" + text.encode("utf-16-le"))


def test_a_broken_utf16_text_is_named_as_such() -> None:
    with pytest.raises(NotTextError) as caught:
        decode_input(b"\xff\xfeh\x00\x00\xd8")  # a lone high surrogate
    assert (
        "The input starts with a UTF-16 byte order mark but is not UTF-16 text (invalid bytes at position 4). "
        "Convert it to UTF-8 and try again."
    ) == str(caught.value)


@pytest.mark.parametrize(
    ("size_bytes", "said"),
    [(None, "more than 100 KB"), (10_000_000, "10.0 MB"), (400_005, "400,005 bytes")],
)
def test_a_cut_input_gives_its_real_size_when_known(size_bytes: int | None, said: str) -> None:
    with pytest.raises(InputTooLargeError) as caught:
        decode_input(b"a" * (MAX_RAW_INPUT_BYTES + 1), size_bytes)
    assert f"The text is {said}; Rephraser rewrites at most 100 KB at a time. Select a shorter passage." == str(
        caught.value
    )


def test_input_at_the_limit_is_accepted() -> None:
    assert MAX_INPUT_BYTES == len(decode_input(b"a" * MAX_INPUT_BYTES))
