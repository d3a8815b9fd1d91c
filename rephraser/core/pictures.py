"""Images for "image to prompt": checked, and shrunk when larger than the endpoints take, before any byte
is sent. Pillow reads them; it is imported only here, only when a picture is described."""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING

from rephraser.core.errors import InputError
from rephraser.core.requests import Picture

if TYPE_CHECKING:
    from PIL import Image

__all__ = ["MAX_PICTURE_INPUT_BYTES", "MAX_SENT_BYTES", "MAX_SIDE", "NotAPictureError", "picture_from_bytes"]

MAX_PICTURE_INPUT_BYTES = 50_000_000  # read no more than this from a file or the clipboard
MAX_SIDE = 2048  # OpenAI works at most at this size, Anthropic advises less: larger is shrunk
# Anthropic takes at most 5 MB per image once base64-encoded (4/3 of the bytes); the others take more.
MAX_SENT_BYTES = 3_700_000
_SENT_AS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}


class NotAPictureError(InputError):
    """The bytes are no image an endpoint takes (PNG, JPEG, GIF, WebP), or one too large to read."""


def picture_from_bytes(data: bytes, name: str = "the image") -> Picture:
    """The picture to send: as it is when an endpoint takes it, else shrunk to MAX_SIDE and re-encoded.

    Raises:
        NotAPictureError: empty, too large, not an image, damaged, or a format no endpoint takes.
    """
    if not data:
        raise NotAPictureError(f"{name} is empty.")
    if len(data) > MAX_PICTURE_INPUT_BYTES:
        limit_mb = MAX_PICTURE_INPUT_BYTES // 10**6
        raise NotAPictureError(f"{name} is {len(data) / 1e6:.0f} MB; Rephraser reads images of up to {limit_mb} MB.")
    image = _opened(data, name)
    kind = image.format or ""
    if kind not in _SENT_AS:
        raise NotAPictureError(f"{name} is a {kind or 'file of unknown type'} image; use PNG, JPEG, GIF or WebP.")
    if max(image.size) <= MAX_SIDE and len(data) <= MAX_SENT_BYTES:
        return Picture(_SENT_AS[kind], base64.b64encode(data).decode("ascii"))
    return _shrunk(image, name)


def _opened(data: bytes, name: str) -> Image.Image:
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        image.load()  # decodes now: a damaged file fails here, not while it is being sent
    except Image.DecompressionBombError as error:
        raise NotAPictureError(f"{name} has too many pixels to read safely ({error}).") from error
    except UnidentifiedImageError as error:
        raise NotAPictureError(f"{name} is not an image (PNG, JPEG, GIF or WebP).") from error
    except (OSError, ValueError, SyntaxError) as error:  # Pillow's ways of saying "damaged"
        raise NotAPictureError(f"{name} is damaged and cannot be read ({error}).") from error
    return image


def _shrunk(image: Image.Image, name: str) -> Picture:
    """Fitted inside MAX_SIDE; JPEG unless transparency needs PNG; smaller again until it fits the bytes."""
    from PIL import Image

    frame = image.convert("RGBA" if _has_alpha(image) else "RGB")  # a GIF's first frame, palettes resolved
    kind = "PNG" if frame.mode == "RGBA" else "JPEG"
    options: dict[str, object] = {"optimize": True} if kind == "PNG" else {"quality": 85}
    side = MAX_SIDE
    while side >= 64:
        frame.thumbnail((side, side), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        frame.save(out, kind, **options)
        if out.tell() <= MAX_SENT_BYTES:
            return Picture(_SENT_AS[kind], base64.b64encode(out.getvalue()).decode("ascii"))
        side //= 2
    raise NotAPictureError(f"{name} cannot be made small enough to send.")


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
