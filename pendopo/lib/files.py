"""Deleting an uploaded file with every file derived from it.

A derived file (a thumbnail, a preview, a blurred copy) is stored beside its original under the
original's random name with a suffix (`<token>.jpg`, `<token>_thumb.jpg`): removing every file of
the folder that starts with the original's stem removes them all, whichever app made them. Used by
the region administrator's removal of a document, the moderator's redaction of a complaint photo,
the retention run and a citizen's erasure.
"""

from __future__ import annotations

import posixpath

from django.core.files.storage import Storage, default_storage


def delete_stored_file(name: str, storage: Storage | None = None) -> int:
    """Delete `name` and every derived file beside it; return how many files were deleted."""
    if not name:
        return 0
    storage = storage or default_storage
    folder, base = posixpath.split(name)
    stem = base.split(".", 1)[0]
    deleted = 0
    try:
        _dirs, names = storage.listdir(folder)
    except FileNotFoundError:
        names = []
    for other in names:
        if other == base or other.startswith(f"{stem}_") or other.startswith(f"{stem}."):
            storage.delete(posixpath.join(folder, other))
            deleted += 1
    if storage.exists(name):  # a storage that cannot list folders
        storage.delete(name)
        deleted += 1
    return deleted
