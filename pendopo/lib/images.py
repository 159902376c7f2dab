"""A pixel budget for uploaded images, checked before a single pixel is decoded.

A PNG of 515 KB can claim 13,300 × 13,300 pixels; decoding it takes a web worker from 130 MB to
1.6 GB. Opening an image reads only its header, so the claimed size is known before anything is decoded:
images over `PENDOPO_IMAGE_MAX_PIXELS` (default 40 megapixels, more than any phone photo keeps) are
refused there. `Image.MAX_IMAGE_PIXELS` is set to the same budget as a second fence, so that no
other code path of Pillow decodes a bigger one either (Pillow refuses at twice that value).
"""

from __future__ import annotations

import io
import struct
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, JpegImagePlugin, PngImagePlugin, WebPImagePlugin

DEFAULT_MAX_PIXELS = 40_000_000


def max_pixels() -> int:
    return int(getattr(settings, "PENDOPO_IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS))


Image.MAX_IMAGE_PIXELS = max_pixels()


def _header_size(stream: IO[bytes]) -> tuple[int, int] | None:
    """The size an image's header claims, read by its format's own reader.

    The readers are called directly rather than through `Image.open`, which would raise at twice
    MAX_IMAGE_PIXELS without telling the size: the message then says what was sent.
    """
    head = stream.read(16)
    stream.seek(0)
    reader: type[ImageFile.ImageFile] | None = None
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        reader = PngImagePlugin.PngImageFile
    elif head.startswith(b"\xff\xd8\xff"):
        reader = JpegImagePlugin.JpegImageFile
    elif head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        reader = WebPImagePlugin.WebPImageFile
    if reader is None:
        return None
    # A copy (uploads are a few MB at most): closing the reader closes the file it was given.
    copy = io.BytesIO(stream.read())
    stream.seek(0)
    try:
        with reader(copy) as image:  # the header only, nothing decoded
            return image.size
    except (OSError, ValueError, SyntaxError, struct.error, EOFError):
        return None


def check_pixels(stream: IO[bytes]) -> tuple[int, int]:
    """The image's (width, height) read from its header; ValidationError (code image_pixels) over the budget.

    The stream is left at its start. An image whose header cannot be read is the caller's to
    judge (it checks types by content and decodes what it keeps), so this raises only for the budget.
    """
    stream.seek(0)
    size = _header_size(stream)
    if size is None:
        return (0, 0)
    width, height = size
    limit = max_pixels()
    if width * height > limit:
        raise ValidationError(
            _("The image is %(width)s × %(height)s pixels; at most %(limit)s megapixels are allowed.")
            % {"width": width, "height": height, "limit": f"{limit / 1_000_000:g}"},
            code="image_pixels",
        )
    return (width, height)
