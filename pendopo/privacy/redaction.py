"""Removing an uploaded file for good: the original, every file derived from it, its copies in the outbox.

A derived file (a thumbnail, a preview, a blurred copy) is stored beside its original under the
original's random name with a suffix (`<token>.jpg`, `<token>_thumb.jpg`): removing every file of
the folder that starts with the original's stem removes them all, whichever app made them.
"""

from __future__ import annotations

import posixpath
from typing import Any

from django.core.files.storage import Storage, default_storage
from django.db.models import Q

from pendopo.notifications.models import Message


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


def outbox_copies(
    case_codes: list[str] | None = None, emails: list[str] | None = None, phone_hashes: list[str] | None = None
) -> Any:
    """Outbox messages about these cases or to these addresses: each holds a name, a code or an address."""
    condition = Q(pk__in=[])
    for code in case_codes or []:
        for prefix in ("applications", "complaints", "workflow"):
            condition |= Q(event_key__startswith=f"{prefix}:{code}:")
    emails = [e for e in (emails or []) if e]
    phone_hashes = [h for h in (phone_hashes or []) if h]
    if emails:
        condition |= Q(to_email__in=emails)
    if phone_hashes:
        condition |= Q(to_phone_hash__in=phone_hashes)
    return Message.objects.filter(condition)


def redact_document(document: Any) -> dict[str, int]:
    """Delete an application's uploaded document: its file, derived files, and the outbox messages of its case."""
    files = delete_stored_file(document.file.name, document.file.storage)
    code = document.application.case.code
    document.delete()
    messages, _ = outbox_copies([code]).delete()
    return {"files": files, "documents": 1, "messages": messages}


def redact_photo(photo: Any) -> dict[str, int]:
    """Delete a complaint's photo for good (the moderator's redaction keeps a blurred copy; this does not)."""
    files = delete_stored_file(photo.file.name, photo.file.storage)
    code = photo.complaint.case.code
    photo.delete()
    messages, _ = outbox_copies([code]).delete()
    return {"files": files, "photos": 1, "messages": messages}
