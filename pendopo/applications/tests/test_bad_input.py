"""Bad input never half-saves: a clear error per field (HTML and API), no case, no application, no file."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from pendopo.applications.forms import application_form_class
from pendopo.applications.models import Application, Document
from pendopo.applications.tests.conftest import NIK, exe_bytes, files, form_data, pdf_bytes, png_bytes, upload
from pendopo.workflow.models import Case

pytestmark = pytest.mark.django_db


def errors_of(service, data=None, uploads=None):
    form = application_form_class(service.published_standard)(data or form_data(), uploads if uploads is not None else files())
    assert not form.is_valid()
    return {name: [e.code for e in items] for name, items in form.errors.as_data().items()}


def nothing_saved(settings):
    assert Case.objects.count() == 0
    assert Application.objects.count() == 0
    assert Document.objects.count() == 0
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_an_executable_renamed_pdf_is_refused_by_its_content(service):
    assert errors_of(service, uploads=files(**{"doc-1": upload("kk.pdf", exe_bytes())})) == {"doc-1": ["file_type"]}


def test_an_elf_binary_or_a_text_file_named_jpg_are_refused(service):
    for content in (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, b"#!/bin/sh\nrm -rf /\n"):
        assert errors_of(service, uploads=files(**{"doc-1": upload("kk.jpg", content, "image/jpeg")})) == {"doc-1": ["file_type"]}


def test_a_real_pdf_named_jpg_is_accepted_as_the_pdf_it_is(service):
    form = application_form_class(service.published_standard)(
        form_data(), files(**{"doc-1": upload("kk.jpg", pdf_bytes(), "image/jpeg")})
    )
    assert form.is_valid(), form.errors
    assert form.to_input().uploads[0].file.extension == "pdf"


def test_an_oversized_image_is_refused(service, settings):
    settings.PENDOPO_UPLOAD_MAX_KB = 50
    big = png_bytes(padding=60 * 1024)
    assert errors_of(service, uploads=files(**{"doc-1": upload("kk.png", big, "image/png")})) == {"doc-1": ["file_size"]}


def test_a_missing_required_document_and_a_wrong_type_are_reported_per_field(service):
    errors = errors_of(service, data=form_data(children="dua", reason="unknown"), uploads={})
    assert errors == {"doc-1": ["required"], "children": ["invalid"], "reason": ["invalid_choice"]}


@pytest.mark.parametrize(
    ("nik", "code"),
    [
        ("351001520390001", "nik_format"),  # 15 digits
        ("35100152039000AB", "nik_format"),
        ("3510017213900001", "nik_birth_date"),  # day 72 − 40 = 32
        ("3510011213900001", "nik_birth_date"),  # month 13
        ("3510015203900000", "nik_serial"),
        ("3599015203900001", "nik_district"),  # district 35.99.01 does not exist
    ],
)
def test_an_invalid_nik_is_refused(service, district, nik, code):
    assert errors_of(service, data=form_data(nik=nik)) == {"nik": [code]}


def test_a_womans_nik_with_forty_added_to_the_day_is_valid(service, district):
    form = application_form_class(service.published_standard)(form_data(nik=NIK), files())
    assert form.is_valid(), form.errors


def test_the_apply_page_shows_the_errors_and_saves_nothing(client, world, service, settings):
    client.force_login(world.citizen)
    url = reverse("applications:apply", args=[world.region_a.slug, service.code])
    data = {**form_data(nik="123"), "doc-1": upload("kk.pdf", exe_bytes())}

    response = client.post(url, data, headers={"accept-language": "en"})

    assert response.status_code == 422
    page = response.content.decode()
    assert "A NIK is 16 digits." in page
    assert "its content was checked, not its name" in page
    nothing_saved(settings)


def test_the_api_answers_422_with_one_error_per_field_and_saves_nothing(client, world, service, settings):
    client.force_login(world.citizen)
    payload = {
        "region": "banyuwangi",
        "service": service.code,
        "applicant": {"name": "", "email": "siti@example.id", "nik": "3510015203900000", "phone": "0812 3456 7890"},
        "form": {"reason": "new", "children": "banyak"},
    }
    response = client.post("/api/v1/applications", {"payload": json.dumps(payload), "doc-1": upload("kk.pdf", exe_bytes())})

    assert response.status_code == 422
    fields = {(e["field"], e["code"]) for e in response.json()["errors"]}
    assert fields == {
        ("applicant.name", "required"),
        ("form.nik", "nik_serial"),
        ("form.children", "invalid"),
        ("documents.doc-1", "file_type"),
    }
    nothing_saved(settings)


def test_the_api_refuses_a_payload_that_is_not_the_schema(client, world, service):
    client.force_login(world.citizen)
    response = client.post("/api/v1/applications", data=json.dumps({"region": "banyuwangi"}), content_type="application/json")
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"service", "applicant"}


def test_an_unknown_or_mistyped_tracking_code_is_a_plain_not_found(client, apply):
    application = apply()
    unknown = "BWI-0000-0000" if application.code != "BWI-0000-0000" else "BWI-1111-1111"
    for code in (unknown, "BWI-ZZZZ", "hello"):
        assert client.get(f"/lacak/{code}/").status_code == 404
        assert client.get("/lacak/", {"code": code}).status_code == 404
    assert client.get("/api/v1/tracking/BWI-0000-0000").status_code == 404


def test_a_decompression_bomb_document_is_refused_from_its_header(service):
    from pendopo.lib.tests.hostile import bomb_png

    uploads = files(**{"doc-1": upload("kk.png", bomb_png(), "image/png")})
    assert errors_of(service, uploads=uploads) == {"doc-1": ["image_pixels"]}
