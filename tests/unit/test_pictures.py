"""Pictures for image to prompt: sent as they are when an endpoint takes them, shrunk when too large,
and a clear error for anything else."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image

from rephraser.core import pictures
from rephraser.core.describe import meta_prompt
from rephraser.core.pictures import MAX_SIDE, NotAPictureError, picture_from_bytes
from rephraser.core.requests import Picture


def _encoded(image: Image.Image, kind: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, kind, **options)
    return out.getvalue()


def _decoded(picture: Picture) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(picture.data)))


@pytest.mark.parametrize(
    ("kind", "mime"), [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("GIF", "image/gif"), ("WEBP", "image/webp")]
)
def test_a_small_picture_goes_as_it_is(kind: str, mime: str) -> None:
    data = _encoded(Image.new("RGB", (40, 30), (10, 120, 200)), kind)
    assert Picture(mime, base64.b64encode(data).decode()) == picture_from_bytes(data)


def test_a_large_photo_is_shrunk_to_the_side_limit_as_jpeg() -> None:
    data = _encoded(Image.new("RGB", (3000, 1500), (200, 30, 30)), "PNG")
    picture = picture_from_bytes(data)
    assert ("image/jpeg", (MAX_SIDE, MAX_SIDE // 2)) == (picture.mime_type, _decoded(picture).size)


def test_a_large_picture_with_transparency_stays_png() -> None:
    data = _encoded(Image.new("RGBA", (2500, 2500), (0, 0, 0, 0)), "PNG")
    picture = picture_from_bytes(data)
    assert ("image/png", (MAX_SIDE, MAX_SIDE), "RGBA") == (
        picture.mime_type,
        _decoded(picture).size,
        _decoded(picture).mode,
    )


def test_a_file_past_the_byte_limit_is_shrunk_until_it_fits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pictures, "MAX_SENT_BYTES", 4_000)
    noisy = Image.effect_noise((600, 600), 80).convert("RGB")
    picture = picture_from_bytes(_encoded(noisy, "PNG"))
    assert "image/jpeg" == picture.mime_type
    assert len(base64.b64decode(picture.data)) <= 4_000
    assert max(_decoded(picture).size) < 600


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the image is empty."),
        (b"just some text, not a picture\n", "the image is not an image (PNG, JPEG, GIF or WebP)."),
        (_encoded(Image.new("RGB", (8, 8)), "BMP"), "the image is a BMP image; use PNG, JPEG, GIF or WebP."),
    ],
)
def test_anything_else_is_one_clear_error(data: bytes, message: str) -> None:
    with pytest.raises(NotAPictureError) as raised:
        picture_from_bytes(data)
    assert message == str(raised.value)


def test_a_damaged_or_oversized_picture_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = _encoded(Image.new("RGB", (200, 200), (1, 2, 3)), "PNG")
    with pytest.raises(NotAPictureError) as damaged:
        picture_from_bytes(whole[: len(whole) // 2], "shot.png")
    assert str(damaged.value).startswith("shot.png is damaged and cannot be read (")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000)
    with pytest.raises(NotAPictureError) as bomb:
        picture_from_bytes(whole, "bomb.png")
    assert str(bomb.value).startswith("bomb.png has too many pixels to read safely (")
    monkeypatch.setattr(pictures, "MAX_PICTURE_INPUT_BYTES", 2_000_000)
    with pytest.raises(NotAPictureError) as huge:
        picture_from_bytes(b"\x89PNG" + bytes(3_000_000), "huge.png")  # refused before anything decodes it
    assert "huge.png is 3 MB; Rephraser reads images of up to 2 MB." == str(huge.value)


def test_each_image_profile_gets_its_own_syntax_and_the_picture_rides_along() -> None:
    picture = Picture("image/png", "AAAA")
    lines = {family: meta_prompt(picture, family).system.splitlines()[-1] for family in ("midjourney", "flux")}
    assert lines["midjourney"].startswith("Write comma-separated phrases")
    assert lines["flux"].endswith("(FLUX has no negative prompt).")
    hinted = meta_prompt(picture, "dalle", "  make it winter ")
    assert ("Write the dalle prompt for this picture. The user adds: make it winter", picture) == (
        hinted.user,
        hinted.picture,
    )
    with pytest.raises(ValueError):
        meta_prompt(picture, "gpt")
