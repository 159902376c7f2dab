"""Photos of complaints: checked by their content, re-encoded, and redacted by a moderator.

A photo's type is read from its first bytes (`filetype`), then Pillow decodes it whole: a file
that only starts like a JPEG is refused. Before decoding, the size its header claims is held to the
pixel budget (`pendopo.lib.images`, `PENDOPO_IMAGE_MAX_PIXELS`). Every photo is re-encoded before it is stored, which
drops its EXIF data (GPS position, camera serial, the owner's name some phones write there): an
anonymous complaint must not carry its author in its pictures. Redaction writes a heavily
blurred copy and deletes the original file from storage.

The size limit is `PENDOPO_COMPLAINT_PHOTO_MAX_KB` (default 5 MB); at most
`PENDOPO_COMPLAINT_MAX_PHOTOS` photos (default 5) per complaint.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from pendopo.lib.images import check_pixels

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

# Image types accepted, by the extension they are stored under, and Pillow's format for each.
ACCEPTED: dict[str, tuple[str, str]] = {
    "jpg": ("image/jpeg", "JPEG"),
    "png": ("image/png", "PNG"),
    "webp": ("image/webp", "WEBP"),
}
DEFAULT_MAX_KB = 5 * 1024
DEFAULT_MAX_PHOTOS = 5
# The largest side kept: larger photos are scaled down (a complaint photo needs no 50 megapixels).
MAX_SIDE = 2048
_HEAD = 8192

# Pillow logs every EXIF tag it reads or writes at DEBUG, values included (the Artist tag holds a
# name): with LOG_LEVEL=DEBUG an anonymous complainant's name would reach the logs. Keep it at INFO.
_pil_logger = logging.getLogger("PIL")
_pil_logger.setLevel(max(_pil_logger.level, logging.INFO))


def max_photo_kb() -> int:
    return int(getattr(settings, "PENDOPO_COMPLAINT_PHOTO_MAX_KB", DEFAULT_MAX_KB))


def max_photos() -> int:
    return int(getattr(settings, "PENDOPO_COMPLAINT_MAX_PHOTOS", DEFAULT_MAX_PHOTOS))


@dataclass(frozen=True)
class CheckedPhoto:
    content: ContentFile
    extension: str
    content_type: str
    size: int


def check_photo(upload: UploadedFile) -> CheckedPhoto:
    """The photo, re-encoded without metadata; ValidationError (photo_empty, photo_size, photo_type, image_pixels) otherwise."""
    size = upload.size or 0
    limit = max_photo_kb()
    if size == 0:
        raise ValidationError(_("The photo is empty."), code="photo_empty")
    if size > limit * 1024:
        raise ValidationError(
            _("The photo is %(size)s KB; at most %(limit)s KB is allowed.") % {"size": (size + 1023) // 1024, "limit": limit},
            code="photo_size",
        )
    upload.seek(0)
    kind = filetype.guess(upload.read(_HEAD))
    extension = {"jpeg": "jpg"}.get(kind.extension, kind.extension) if kind else ""
    if extension not in ACCEPTED:
        raise ValidationError(
            _("This file is not a JPEG, PNG or WebP photo (its content was checked, not its name)."), code="photo_type"
        )
    check_pixels(upload)  # before decoding: a small file can claim a huge image
    try:
        with Image.open(upload) as image:
            image.load()
            clean = _reencode(image, ACCEPTED[extension][1])
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("This photo cannot be read; it may be damaged."), code="photo_type") from None
    upload.seek(0)
    return CheckedPhoto(ContentFile(clean), extension, ACCEPTED[extension][0], len(clean))


def _reencode(image: Image.Image, fmt: str) -> bytes:
    image = ImageOps.exif_transpose(image)  # keep the photo upright once the orientation tag is gone
    if max(image.size) > MAX_SIDE:
        image.thumbnail((MAX_SIDE, MAX_SIDE))
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    # No `exif=` and no `pnginfo=`: the new file carries pixels only.
    image.save(out, format=fmt, **({"quality": 85} if fmt in ("JPEG", "WEBP") else {}))
    return out.getvalue()


def blurred(data: bytes, fmt: str) -> bytes:
    """A copy too blurred to recognise a face or a number plate (what a moderator's redaction leaves)."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        small = image.convert("RGB").resize((max(1, image.width // 32), max(1, image.height // 32)))
        coarse = small.resize(image.size, Image.Resampling.NEAREST).filter(ImageFilter.GaussianBlur(8))
    out = io.BytesIO()
    coarse.save(out, format="JPEG" if fmt == "JPEG" else fmt, quality=70)
    return out.getvalue()
