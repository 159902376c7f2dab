"""Removing an uploaded file for good: the original, every file derived from it, its copies in the outbox.

Files go with every file derived from them (`lib/files.py delete_stored_file`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from pendopo.lib.files import delete_stored_file
from pendopo.notifications.models import Message


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
