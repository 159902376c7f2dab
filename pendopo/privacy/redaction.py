"""The outbox messages that hold a person's data: what an erasure deletes with the person's records.

Files go with every file derived from them (`lib/files.py delete_stored_file`); one document is
removed for good by the region administrator on its application's page
(`applications.actions.remove_document`), a complaint photo by the moderator's redaction.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

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
