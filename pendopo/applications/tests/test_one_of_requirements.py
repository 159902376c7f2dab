"""Alternatives among the requirements ("surat keterangan lahir atau SPTJM") are one-of groups (issue #11 item 8):
one document of the group is enough, none is refused with a message naming them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from pendopo.applications.models import Application
from pendopo.catalog.forms_schema import normalise_requirements, requirement_errors
from pendopo.catalog.tests.factories import make_service

from .conftest import MONDAY, form_data, pdf_bytes, service_standard, upload, wib

pytestmark = pytest.mark.django_db

BIRTH = "Surat keterangan lahir"
SPTJM = "SPTJM"


@pytest.fixture
def birth_service(world, frozen):
    frozen(wib(2026, 1, 5, 9, 0))
    standard = service_standard(
        requirements=[
            {"text": "Fotokopi Kartu Keluarga", "required": True, "is_document_upload": True},
            {"text": BIRTH, "required": True, "is_document_upload": True, "group": "kelahiran"},
            {"text": SPTJM, "required": True, "is_document_upload": True, "group": "kelahiran"},
        ]
    )
    made = make_service(
        world.head_a1, world.agency_a1, standard=standard, channels=["online"], effective_from=dt.date(2026, 1, 6)
    )
    frozen(MONDAY)
    return made


def post(client, world, service, **files):
    client.force_login(world.citizen)
    url = reverse("applications:apply", args=[world.region_a.slug, service.code])
    return client.post(url, {**form_data(), "doc-1": upload("kk.pdf", pdf_bytes()), **files})


def test_one_document_of_the_group_is_enough(client, world, birth_service):
    response = post(client, world, birth_service, **{"doc-3": upload("sptjm.pdf", pdf_bytes())})
    assert response.status_code == 302
    assert sorted(Application.objects.get().documents.values_list("slot", flat=True)) == ["req-1", "req-3"]


def test_none_of_the_group_is_refused_naming_the_alternatives(client, world, birth_service):
    response = post(client, world, birth_service)
    page = response.content.decode()
    assert response.status_code == 422
    assert f"Unggah salah satu dokumen ini: {BIRTH} atau {SPTJM}." in page
    assert "Salah satu: dokumen ini atau SPTJM." in page  # said before uploading
    assert not Application.objects.exists()


def test_the_standard_keeps_its_groups_and_refuses_a_group_of_one():
    items = [
        {"text": BIRTH, "required": True, "is_document_upload": True, "group": " Kelahiran "},
        {"text": SPTJM, "required": True, "is_document_upload": True, "group": "kelahiran"},
        {"text": "KK", "required": True, "is_document_upload": True},
    ]
    assert requirement_errors(items) == []
    assert [item.get("group") for item in normalise_requirements(items)] == ["kelahiran", "kelahiran", None]
    alone = [{"text": BIRTH, "required": True, "is_document_upload": True, "group": "kelahiran"}]
    assert requirement_errors(alone)
    mixed = [{**items[0]}, {**items[1], "is_document_upload": False}]
    assert requirement_errors(mixed)
