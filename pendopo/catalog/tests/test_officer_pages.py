"""Officer pages: create, edit, preview and publish a service and its form, with errors beside the fields."""

from __future__ import annotations

import re

import pytest

from pendopo.catalog import actions
from pendopo.catalog.models import Service, StandardStatus
from pendopo.catalog.tests.factories import make_service, standard_data

pytestmark = pytest.mark.django_db

MANAGE = "/r/banyuwangi/layanan/kelola/"


def formset(prefix, rows, extra=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + extra),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        data |= {f"{prefix}-{n}-{key}": value for key, value in row.items()}
        data[f"{prefix}-{n}-ORDER"] = str(n + 1)
    return data


def standard_post(**overrides):
    data = {k: v for k, v in standard_data().items() if k not in ("requirements", "form")}
    data["decree_date"] = "2026-01-05"
    data.update(overrides)
    data |= formset(
        "req",
        [
            {"text": "Fotokopi KK", "required": "on", "is_document_upload": "on"},
            {"text": "Surat pengantar RT", "is_document_upload": "on"},
        ],
        extra=1,
    )
    data |= formset(
        "field",
        [
            {"key": "nik", "type": "nik", "label_id": "NIK", "label_en": "NIK", "required": "on"},
            {
                "key": "reason",
                "type": "choice",
                "label_id": "Alasan",
                "label_en": "Reason",
                "required": "on",
                "choices": "new | Baru | New\nlost | Hilang | Lost",
            },
            {"key": "scan", "type": "file", "label_id": "Pindaian", "label_en": "Scan", "extensions": "pdf, JPG"},
        ],
        extra=1,
    )
    return data


def error_beside(html, field_id):
    """The errors rendered right after the input with this id."""
    match = re.search(rf'id="{field_id}".*?<ul class="field-errors" id="{field_id}-errors">(.*?)</ul>', html, re.S)
    return re.sub(r"<[^>]+>", " ", match.group(1)).split() if match else None


def test_create_a_service_with_errors_beside_the_fields(client, world):
    client.force_login(world.officer_a1)
    page = client.get(f"{MANAGE}baru/").content.decode()
    assert 'value="' + str(world.agency_a1.pk) + '"' in page and str(world.agency_a2.name) not in page
    assert f'<option value="{world.agency_a1.pk}" selected>' in page  # their only agency, chosen for them
    response = client.post(f"{MANAGE}baru/", {"code": "ktp el", "agency": world.agency_a1.pk, "name": "KTP"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "capital letters, digits and hyphens" in " ".join(error_beside(html, "id_code"))
    assert 'aria-invalid="true"' in html
    assert not Service.objects.exists()
    response = client.post(
        f"{MANAGE}baru/",
        {
            "code": "KTP-EL",
            "agency": world.agency_a1.pk,
            "name": "KTP Elektronik",
            "category": "civil_registration",
            "channels": ["online", "village_office"],
        },
    )
    assert response.status_code == 302 and response["Location"] == f"{MANAGE}KTP-EL/draf/"
    service = Service.objects.get()
    assert service.channels == ["online", "village_office"]
    assert service.standards.get().status == StandardStatus.DRAFT


def test_the_channels_are_a_group_of_checkboxes_with_its_legend_first(client, world):
    """Not a <label> wrapping three inputs with the field's name after them."""
    client.force_login(world.officer_a1)
    page = client.get(f"{MANAGE}baru/").content.decode()
    group = re.search(r'<fieldset class="choices".*?</fieldset>', page, re.S).group(0)
    assert re.match(r'<fieldset class="choices"[^>]*>\s*<legend>Channels</legend>', group)
    boxes = re.findall(r'<label class="check" for="(id_channels_\d)"><input type="checkbox" name="channels" value="(\w+)"', group)
    assert [value for _id, value in boxes] == ["online", "service_mall", "village_office"]


def test_edit_the_standard_and_its_form(client, world):
    service = make_service(world.officer_a1, world.agency_a1, publish=False, standard={"procedure": "lama"})
    client.force_login(world.officer_a1)
    response = client.post(f"{MANAGE}KTP-EL/draf/", standard_post(procedure="1. Datang\n2. Pulang"))
    assert response.status_code == 302, response.content.decode()[:3000]
    draft = service.standards.get()
    assert draft.procedure == "1. Datang\n2. Pulang"
    assert draft.requirements == [
        {"text": "Fotokopi KK", "required": True, "is_document_upload": True},
        {"text": "Surat pengantar RT", "required": False, "is_document_upload": True},
    ]
    assert draft.form["fields"][1]["validation"]["choices"][1] == {"value": "lost", "label_id": "Hilang", "label_en": "Lost"}
    assert draft.form["fields"][2] == {
        "key": "scan",
        "type": "file",
        "label_id": "Pindaian",
        "label_en": "Scan",
        "required": False,
        "validation": {"extensions": ["pdf", "jpg"]},
    }
    # The page shows what was saved, ready for another edit.
    page = client.get(f"{MANAGE}KTP-EL/draf/").content.decode()
    assert 'value="Fotokopi KK"' in page and "lost | Hilang | Lost" in page


def test_errors_appear_beside_the_fields_of_the_standard_and_the_form(client, world):
    service = make_service(world.officer_a1, world.agency_a1, publish=False, standard={"procedure": "lama"})
    client.force_login(world.officer_a1)
    data = standard_post(fee="-10", time_limit_value="0")
    data["field-1-choices"] = ""
    data["field-2-regex"] = "(["
    data["field-2-key"] = "nik"
    response = client.post(f"{MANAGE}KTP-EL/draf/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please correct the errors marked below." in html
    # The form builder's rows are checked before the standard: its errors first.
    assert "Field 2 (reason): a choice field needs a list of choices." in " ".join(error_beside(html, "id_field-1-choices"))
    assert "the key is used twice" in " ".join(error_beside(html, "id_field-2-key"))
    assert "does not apply to a file field" in " ".join(error_beside(html, "id_field-2-regex"))
    assert service.standards.get().procedure == "lama"
    # With a valid form, the standard's own rules are shown beside its fields.
    response = client.post(f"{MANAGE}KTP-EL/draf/", standard_post(fee="-10", time_limit_value="0", fee_basis=""))
    html = response.content.decode()
    # In the catalogue's words, not Django's "Ensure this value is greater than or equal to ...".
    assert " ".join(error_beside(html, "id_fee")) == "The fee is a whole number of Rupiah, 0 or more (0 means free)."
    assert " ".join(error_beside(html, "id_time_limit_value")) == "The time limit must be at least 1."
    assert service.standards.get().procedure == "lama"


def test_preview_then_publish(client, world):
    service = make_service(world.officer_a1, world.agency_a1, publish=False)
    client.force_login(world.officer_a1)
    response = client.post(f"{MANAGE}KTP-EL/draf/", standard_post() | {"preview": "1"})
    assert response["Location"] == f"{MANAGE}KTP-EL/draf/pratinjau/"
    page = client.get(response["Location"]).content.decode()
    assert "This is how draft version 1 will look once published." in page
    assert 'name="reason"' in page and "Lost" in page
    assert "The agency head or the region administrator publishes the standard." in page
    client.force_login(world.head_a1)
    page = client.get(f"{MANAGE}KTP-EL/draf/pratinjau/").content.decode()
    assert "Publish version 1" in page
    response = client.post(f"{MANAGE}KTP-EL/draf/terbitkan/", {"effective_from": ""})
    assert response["Location"] == "/r/banyuwangi/layanan/KTP-EL/"
    service.refresh_from_db()
    assert service.published_standard.version == 1
    assert client.get(f"{MANAGE}KTP-EL/draf/").content.decode().count("Open a new draft") == 1


def test_publishing_an_incomplete_draft_says_what_is_missing(client, world):
    make_service(world.admin_a, world.agency_a1, publish=False, standard={"procedure": "Datang"})
    client.force_login(world.admin_a)
    response = client.post(f"{MANAGE}KTP-EL/draf/terbitkan/", follow=True)
    assert "Required before publishing." in response.content.decode()
    assert Service.objects.get().published_standard is None


def test_discarding_a_draft_keeps_the_published_version(client, world):
    service = make_service(world.admin_a, world.agency_a1, publish=False)
    url = f"{MANAGE}KTP-EL/draf/buang/"
    client.force_login(world.officer_a1)
    # The only version of a never-published service stays, and the page says why.
    page = client.post(url, follow=True).content.decode()
    assert "The only version of a service that was never published cannot be discarded." in page
    assert list(service.standards.values_list("version", flat=True)) == [1]
    actions.publish_standard(world.admin_a, service.standards.get())
    actions.start_draft(world.officer_a1, service)
    assert client.get(url).status_code == 405
    client.force_login(world.officer_a2)
    assert client.post(url).status_code == 404
    assert service.standards.count() == 2
    client.force_login(world.officer_a1)
    response = client.post(url)
    assert response["Location"] == f"{MANAGE}KTP-EL/"
    assert list(service.standards.values_list("version", "status")) == [(1, StandardStatus.PUBLISHED)]
    assert client.post(url).status_code == 404  # nothing left to discard


def test_the_manage_list_shows_what_the_user_may_edit(client, world):
    make_service(world.admin_a, world.agency_a1, "KTP-EL", "KTP")
    make_service(world.admin_a, world.agency_a2, "SK-SEHAT", "Surat Sehat", publish=False)
    client.force_login(world.officer_a1)
    page = client.get(MANAGE).content.decode()
    assert "KTP" in page and "Surat Sehat" not in page
    assert "Copy from another region" not in page
    client.force_login(world.admin_a)
    page = client.get(MANAGE).content.decode()
    assert "Surat Sehat" in page and "Copy from another region" in page


def test_an_officer_s_manage_list_leaves_out_other_agencies_published_services(client, world):
    """Published services are public, but the manage list is for editing: every link must open."""
    make_service(world.admin_a, world.agency_a1, "KTP-EL", "KTP")
    make_service(world.admin_a, world.agency_a2, "SK-SEHAT", "Surat Sehat")  # published, another agency
    client.force_login(world.officer_a1)
    page = client.get(MANAGE).content.decode()
    assert "KTP" in page and "Surat Sehat" not in page
    links = set(re.findall(r'href="(/r/banyuwangi/layanan/kelola/[A-Z0-9-]+/)"', page))
    assert links == {f"{MANAGE}KTP-EL/"}
    assert all(client.get(link).status_code == 200 for link in links)
    assert client.get(f"{MANAGE}SK-SEHAT/").status_code == 404


def test_a_service_can_be_withdrawn_from_the_catalogue(client, world):
    service = make_service(world.admin_a, world.agency_a1)
    client.force_login(world.admin_a)
    response = client.post(f"{MANAGE}KTP-EL/", {"agency": world.agency_a1.pk, "name": service.name, "category": service.category})
    assert response.status_code == 302
    service.refresh_from_db()
    assert not service.is_active and service.channels == []
    client.logout()
    assert client.get("/r/banyuwangi/layanan/KTP-EL/").status_code == 404
    actions.update_service(world.admin_a, service, is_active=True)
    assert client.get("/r/banyuwangi/layanan/KTP-EL/").status_code == 200


def _many(world, count, start=0):
    for n in range(start, start + count):
        make_service(
            world.admin_a, world.agency_a1 if n % 2 else world.agency_a2, f"S-{n:03d}", f"Layanan {n}", publish=bool(n % 3)
        )


def test_the_officer_list_and_the_copy_page_take_a_constant_number_of_queries(client, world, django_assert_max_num_queries):
    _many(world, 4)
    client.force_login(world.admin_a)
    with django_assert_max_num_queries(10) as few:
        client.get(MANAGE)
    client.force_login(world.admin_b)
    with django_assert_max_num_queries(12) as few_copy:
        client.get("/r/mamuju-tengah/layanan/kelola/salin/", {"source": "banyuwangi"})
    _many(world, 20, start=4)
    client.force_login(world.admin_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(MANAGE).content.decode()
    assert "Layanan 23" in page
    client.force_login(world.admin_b)
    with django_assert_max_num_queries(len(few_copy.captured_queries)):
        page = client.get("/r/mamuju-tengah/layanan/kelola/salin/", {"source": "banyuwangi"}).content.decode()
    assert "Layanan 23" in page and "Layanan 21" not in page  # 21 is a draft in Banyuwangi
