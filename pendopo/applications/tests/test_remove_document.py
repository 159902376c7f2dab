"""The region administrator removes one uploaded document for good from the application's page.

The file and every file derived from it are deleted; the row stays as the record of the removal.
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from pendopo.applications import actions
from pendopo.applications.models import Document

pytestmark = pytest.mark.django_db


def _with_thumbnail(document: Document) -> str:
    stem = (document.file.name or "").rsplit(".", 1)[0]
    return default_storage.save(f"{stem}_thumb.jpg", ContentFile(b"thumb"))


def test_the_region_administrator_removes_a_document_from_the_page(client, world, apply, django_capture_on_commit_callbacks):
    application = apply()
    other = apply(**{"applicant-name": "Budi"})
    document = application.documents.get()
    name, thumb = document.file.name, _with_thumbnail(document)
    neighbour = other.documents.get().file.name
    client.force_login(world.admin_a)
    page = client.get(application.get_absolute_url()).content.decode()
    url = reverse("applications:remove_document", args=[application.code, document.key])
    assert f'action="{url}"' in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"reason": "KTP orang lain"}, follow=True)

    assert response.redirect_chain[-1][0].endswith("#requirements")
    removed = Document.objects.select_related("removed_by").get(pk=document.pk)
    assert removed.file.name == "" and removed.removal_reason == "KTP orang lain" and removed.removed_by == world.admin_a
    assert not default_storage.exists(name) and not default_storage.exists(thumb)
    assert default_storage.exists(neighbour)  # another application's file stays
    shown = response.content.decode()
    assert "KTP orang lain" in shown and f'action="{url}"' not in shown
    assert reverse("applications:document", args=[application.code, document.key]) not in shown
    assert client.get(reverse("applications:document", args=[application.code, document.key])).status_code == 410


def test_the_applicant_sees_the_record_and_cannot_download(client, world, apply, django_capture_on_commit_callbacks):
    application = apply(user=world.citizen)
    document = application.documents.get()
    with django_capture_on_commit_callbacks(execute=True):
        actions.remove_document(document, world.admin_a, "Salah unggah")
    client.force_login(world.citizen)

    page = client.get(application.get_absolute_url()).content.decode()

    assert "Salah unggah" in page
    assert reverse("applications:remove_document", args=[application.code, document.key]) not in page
    assert client.get(reverse("applications:document", args=[application.code, document.key])).status_code == 410


@pytest.mark.parametrize("who", ["officer_a1", "head_a1", "citizen", "admin_b"])
def test_nobody_else_removes_a_document(client, world, apply, who):
    application = apply(user=world.citizen)
    document = application.documents.get()
    client.force_login(getattr(world, who))
    url = reverse("applications:remove_document", args=[application.code, document.key])

    assert f'action="{url}"' not in client.get(application.get_absolute_url()).content.decode()
    assert client.post(url, {"reason": "coba"}).status_code == 404
    kept = Document.objects.get(pk=document.pk)
    assert kept.removed_at is None and default_storage.exists(kept.file.name)


@pytest.mark.parametrize("reason", ["", "   ", "x" * 301])
def test_a_removal_without_a_reason_changes_nothing(client, world, apply, reason):
    application = apply()
    document = application.documents.get()
    client.force_login(world.admin_a)

    response = client.post(reverse("applications:remove_document", args=[application.code, document.key]), {"reason": reason})

    assert response.status_code == 400
    assert "Sebutkan alasan" in response.content.decode() or "Say why" in response.content.decode()
    kept = Document.objects.get(pk=document.pk)
    assert kept.removed_at is None and default_storage.exists(kept.file.name)


def test_a_double_submit_removes_once(client, world, apply, django_capture_on_commit_callbacks):
    application = apply()
    document = application.documents.get()
    with django_capture_on_commit_callbacks(execute=True):
        first = actions.remove_document(document, world.admin_a, "Pertama")
        second = actions.remove_document(document, world.admin_a, "Kedua")

    assert first.removed_at == second.removed_at
    assert Document.objects.get(pk=document.pk).removal_reason == "Pertama"


def test_the_api_marks_a_removed_document(client, world, apply, django_capture_on_commit_callbacks):
    application = apply()
    document = application.documents.get()
    with django_capture_on_commit_callbacks(execute=True):
        actions.remove_document(document, world.admin_a, "Salah unggah")
    client.force_login(world.officer_a1)

    body = client.get(f"/api/v1/applications/{application.code}").json()

    (shown,) = [d for d in body["documents"] if d["key"] == document.key]
    assert shown["removed_at"] is not None
