"""A validation error on the application form keeps the files already uploaded (issue #11 item 8)."""

from __future__ import annotations

import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from pendopo.applications import kept
from pendopo.applications.models import Application

from .conftest import exe_bytes, files, form_data, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def apply_url(world, service):
    return reverse("applications:apply", args=[world.region_a.slug, service.code])


def kept_token(page, field="doc-1"):
    found = re.search(rf'name="kept-{field}" value="([^"]+)"', page)
    return found.group(1) if found else None


def test_a_form_error_keeps_the_uploaded_file_and_the_next_post_uses_it(client, world, service):
    client.force_login(world.citizen)
    url = apply_url(world, service)

    first = client.post(url, {**form_data(nik="123"), **files()})

    page = first.content.decode()
    assert first.status_code == 422
    token = kept_token(page)
    assert token and "Sudah diunggah: <strong>kk.pdf</strong>" in page
    assert not Application.objects.exists()

    second = client.post(url, {**form_data(), "kept-doc-1": token})

    assert second.status_code == 302
    application = Application.objects.get()
    document = application.documents.get(slot="req-1")
    assert document.original_name == "kk.pdf" and document.file.read() == pdf_bytes()
    assert default_storage.listdir(kept.FOLDER)[1] == []  # the kept copy is gone once the document is stored


def test_a_new_file_replaces_the_kept_one(client, world, service):
    client.force_login(world.citizen)
    url = apply_url(world, service)
    token = kept_token(client.post(url, {**form_data(nik="123"), **files()}).content.decode())

    client.post(url, {**form_data(), "kept-doc-1": token, "doc-1": upload("kk-baru.pdf", pdf_bytes() + b"%new")})

    assert Application.objects.get().documents.get(slot="req-1").original_name == "kk-baru.pdf"


def test_a_refused_file_is_not_kept(client, world, service):
    client.force_login(world.citizen)
    page = client.post(apply_url(world, service), {**form_data(), "doc-1": upload("kk.pdf", exe_bytes())}).content.decode()
    assert kept_token(page) is None
    assert not default_storage.exists(kept.FOLDER) or default_storage.listdir(kept.FOLDER)[1] == []


def test_another_users_or_a_forged_token_opens_nothing(client, world, service):
    client.force_login(world.citizen)
    url = apply_url(world, service)
    token = kept_token(client.post(url, {**form_data(nik="123"), **files()}).content.decode())

    client.force_login(world.officer_a1)
    stolen = client.post(url, {**form_data(), "kept-doc-1": token})
    forged = client.post(url, {**form_data(), "kept-doc-1": token[:-2] + "xx"})

    assert stolen.status_code == forged.status_code == 422  # the required document is missing
    assert "Bidang ini tidak boleh kosong." in stolen.content.decode()
    assert kept_token(stolen.content.decode()) is None
    assert not Application.objects.exists()


def test_stale_kept_files_are_removed(world, service):
    import datetime as dt
    import os

    from pendopo.applications.uploads import check_upload
    from pendopo.lib import dates

    token = kept.keep(check_upload(upload("kk.pdf", pdf_bytes())), field="doc-1", user_id=world.citizen.pk)
    name = kept.reopen(token, field="doc-1", user_id=world.citizen.pk)[1]
    assert kept.remove_stale() == 0
    old = (dates.now() - dt.timedelta(days=2)).timestamp()
    os.utime(default_storage.path(name), (old, old))
    assert kept.remove_stale() == 1
    assert not default_storage.exists(name)
