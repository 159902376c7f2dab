"""Checking uploaded documents by what they contain, not by what they are called.

A file's type is read from its first bytes (the `filetype` package's magic numbers), so an
executable renamed `ktp.pdf` is refused whatever its name says, and a real PDF named `ktp.jpg`
is stored as the PDF it is. Allowed types: PDF, JPEG and PNG, narrowed further by a form
field's own `extensions`; the size limit is the smaller of the field's `max_size_kb` and
`PENDOPO_UPLOAD_MAX_KB` (default 5 MB); an image over the pixel budget (`pendopo.lib.images`,
`PENDOPO_IMAGE_MAX_PIXELS`) is refused from its header, before anything decodes it.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pendopo.lib.images import check_pixels

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

# Content types Pendopo accepts at all, by the extension it stores them under.
ACCEPTED: dict[str, str] = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}
ALIASES = {"jpeg": "jpg"}
DEFAULT_MAX_KB = 5 * 1024
# filetype reads at most this many bytes to recognise a type.
_HEAD = 8192


def max_upload_kb() -> int:
    return int(getattr(settings, "PENDOPO_UPLOAD_MAX_KB", DEFAULT_MAX_KB))


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    extension: str
    content_type: str
    size: int
    sha256: str
    original_name: str


def _normalise(extension: str) -> str:
    extension = extension.lower().lstrip(".")
    return ALIASES.get(extension, extension)


def allowed_extensions(extensions: list[str] | None = None) -> list[str]:
    """The accepted extensions, narrowed to a form field's list when it has one."""
    if not extensions:
        return list(ACCEPTED)
    wanted = {_normalise(ext) for ext in extensions}
    return [ext for ext in ACCEPTED if ext in wanted]


def clean_name(name: str) -> str:
    """The uploaded name without any folder part, kept only to show it back."""
    base = os.path.basename(name.replace("\\", "/")).strip() or "dokumen"
    return base[-200:]


def check_upload(upload: UploadedFile, *, extensions: list[str] | None = None, max_kb: int | None = None) -> CheckedFile:
    """The file's real type, size and digest; ValidationError (file_type, file_size, file_empty, image_pixels) otherwise."""
    allowed = allowed_extensions(extensions)
    limit_kb = min(max_kb, max_upload_kb()) if max_kb else max_upload_kb()
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    if size > limit_kb * 1024:
        raise ValidationError(
            _("The file is %(size)s KB; at most %(limit)s KB is allowed.") % {"size": (size + 1023) // 1024, "limit": limit_kb},
            code="file_size",
        )
    upload.seek(0)
    head = upload.read(_HEAD)
    kind = filetype.guess(head)
    extension = _normalise(kind.extension) if kind else ""
    if extension not in allowed:
        raise ValidationError(
            _("This file is not a %(types)s document (its content was checked, not its name).")
            % {"types": "/".join(ext.upper() for ext in allowed)},
            code="file_type",
        )
    if extension in ("jpg", "png"):
        check_pixels(upload)  # nothing decodes it here, but a thumbnail or an officer's viewer will
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(
        upload=upload,
        extension=extension,
        content_type=ACCEPTED[extension],
        size=size,
        sha256=digest.hexdigest(),
        original_name=clean_name(upload.name or ""),
    )


def accept_attribute(extensions: list[str] | None = None) -> str:
    """The `accept` attribute of a file input (a hint for the browser; the server checks the content)."""
    return (
        ",".join(f".{ext}" for ext in allowed_extensions(extensions))
        + ","
        + ",".join(ACCEPTED[ext] for ext in allowed_extensions(extensions))
    )
