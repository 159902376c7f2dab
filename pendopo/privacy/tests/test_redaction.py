"""Redacting an upload: the original, every derived file, and the outbox messages of its case."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from pendopo.applications.models import Document
from pendopo.lib.files import delete_stored_file
from pendopo.notifications.models import Message
from pendopo.privacy import redaction

pytestmark = pytest.mark.django_db


def test_redacting_a_document_removes_its_files_and_the_outbox_copies(world, apply):
    application = apply()
    other = apply(**{"applicant-name": "Budi"})
    document = application.documents.get()
    stem = document.file.name.rsplit(".", 1)[0]
    thumb = default_storage.save(f"{stem}_thumb.jpg", ContentFile(b"thumb"))
    neighbour = other.documents.get().file.name
    assert Message.objects.filter(event_key__startswith=f"applications:{application.case.code}:").count() == 2

    counts = redaction.redact_document(document)

    assert counts == {"files": 2, "documents": 1, "messages": 2}
    assert not default_storage.exists(document.file.name) and not default_storage.exists(thumb)
    assert not Document.objects.filter(pk=document.pk).exists()
    assert default_storage.exists(neighbour)  # another application's file stays
    assert not Message.objects.filter(event_key__startswith=f"applications:{application.case.code}:").exists()
    assert Message.objects.filter(event_key__startswith=f"applications:{other.case.code}:").exists()


def test_a_stored_name_without_its_folder_deletes_nothing_else():
    assert delete_stored_file("") == 0
    assert delete_stored_file("applications/none/missing.pdf") == 0
