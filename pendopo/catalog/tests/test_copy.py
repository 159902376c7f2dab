"""A region administrator copies another region's published services as drafts that record their provenance."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from pendopo.catalog import actions
from pendopo.catalog.models import Service, ServiceEvent, ServiceStandard, StandardStatus
from pendopo.catalog.tests.factories import make_service
from pendopo.regions.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(world):
    ktp = make_service(world.admin_a, world.agency_a1, "KTP-EL", "Penerbitan KTP Elektronik")
    kk = make_service(world.admin_a, world.agency_a1, "KK", "Penerbitan Kartu Keluarga", keywords="kk")
    sehat = make_service(
        world.admin_a,
        world.agency_a2,
        "SK-SEHAT",
        "Surat Keterangan Sehat",
        category="health",
        standard=None,
    )
    return ktp, kk, sehat


def test_copies_are_drafts_that_remember_the_source_region_service_and_version(world, source):
    ktp, _kk, _sehat = source
    # Banyuwangi has since published a second version: the copy takes the one published now.
    draft = actions.start_draft(world.admin_a, ktp)
    actions.update_draft(world.admin_a, draft, {"officer_count": 9})
    actions.publish_standard(world.admin_a, draft)

    [copy] = actions.copy_services(world.admin_b, world.region_b, [actions.CopyPick(ktp, world.agency_b1)])
    copy.refresh_from_db()
    assert (copy.region, copy.agency, copy.code, copy.name) == (
        world.region_b,
        world.agency_b1,
        "KTP-EL",
        "Penerbitan KTP Elektronik",
    )
    assert (copy.source_region, copy.source_service_code, copy.source_version) == (world.region_a, "KTP-EL", 2)
    assert copy.published_standard is None
    standard = copy.standards.get()
    assert (standard.version, standard.status) == (1, StandardStatus.DRAFT)
    assert standard.officer_count == 9
    assert standard.requirements == ktp.standards.get(version=2).requirements
    assert standard.form == ktp.standards.get(version=2).form
    assert (standard.decree_number, standard.decree_date) == ("", None), "the receiving region adopts it by its own decree"
    assert standard.change_note == "Copied from Kabupaten Banyuwangi, KTP-EL version 2."
    assert ServiceEvent.objects.filter(service=copy, kind="copied", actor=world.admin_b).exists()


def test_the_catalogue_page_of_a_copy_says_where_it_came_from(client, world, source):
    ktp = source[0]
    [copy] = actions.copy_services(world.admin_b, world.region_b, [actions.CopyPick(ktp, world.agency_b1)])
    actions.update_draft(world.admin_b, copy.standards.get(), {"decree_number": "800/1/2026", "decree_date": "2026-02-01"})
    actions.publish_standard(world.admin_b, copy.standards.get())
    page = client.get(copy.get_absolute_url()).content.decode()
    assert "Adopted from Kabupaten Banyuwangi (service KTP-EL, version 1)." in page
    assert f'href="{ktp.get_absolute_url()}"' in page
    assert client.get("/api/v1/regions/76.06/services/KTP-EL").json()["source"] == {
        "region": "35.10",
        "service": "KTP-EL",
        "version": 1,
    }


def test_only_the_receiving_region_s_administrator_may_copy(world, source):
    ktp = source[0]
    for user in (world.officer_b1, world.admin_a, world.citizen, None):
        with pytest.raises(PermissionDenied):
            actions.copy_services(user, world.region_b, [actions.CopyPick(ktp, world.agency_b1)])
    assert not Service.objects.filter(region=world.region_b).exists()


def test_nothing_is_copied_when_one_pick_is_wrong(world, source):
    ktp, kk, _sehat = source
    unpublished = make_service(world.admin_a, world.agency_a1, "PINDAH", "Surat Pindah", publish=False)
    make_service(world.admin_b, world.agency_b1, "KK", "Kartu Keluarga Mateng")
    with pytest.raises(ValidationError) as caught:
        actions.copy_services(
            world.admin_b,
            world.region_b,
            [
                actions.CopyPick(ktp, world.agency_b1),
                actions.CopyPick(kk, world.agency_b1),
                actions.CopyPick(unpublished, world.agency_b1),
                actions.CopyPick(source[2], world.agency_a2),
            ],
        )
    errors = caught.value.message_dict
    assert errors["KK"] == ["Your region already has a service with code KK; give the copy another code."]
    assert errors["PINDAH"] == ["Only published services can be copied."]
    assert errors["SK-SEHAT"] == ["Choose a receiving agency of Kabupaten Mamuju Tengah."]
    assert list(Service.objects.filter(region=world.region_b).values_list("code", flat=True)) == ["KK"]
    # With a new code for the taken one, it goes through.
    copies = actions.copy_services(world.admin_b, world.region_b, [actions.CopyPick(kk, world.agency_b1, code="KK-BARU")])
    assert copies[0].code == "KK-BARU" and copies[0].source_service_code == "KK"


def test_the_copy_page_picks_a_whole_agency_and_maps_it(client, world, source):
    dinkes_b = AgencyFactory(region=world.region_b, code="DINKES", name="Dinas Kesehatan")
    client.force_login(world.admin_b)
    url = "/r/mamuju-tengah/layanan/kelola/salin/"
    page = client.get(url, {"source": "banyuwangi"}).content.decode()
    ktp, kk, sehat = source
    assert "Penerbitan KTP Elektronik" in page and "Surat Keterangan Sehat" in page
    # Agencies with the same code are proposed as the receiving agency.
    assert f'<option value="{dinkes_b.pk}" selected>' in page
    data = {
        "pick": [ktp.pk, kk.pk, sehat.pk],
        f"agency-{ktp.pk}": world.agency_b1.pk,
        f"agency-{kk.pk}": world.agency_b1.pk,
        f"agency-{sehat.pk}": dinkes_b.pk,
    }
    response = client.post(f"{url}?source=banyuwangi", data)
    assert response.status_code == 302
    copied = Service.objects.filter(region=world.region_b).order_by("code")
    assert [(s.code, s.agency.code, s.source_region_id) for s in copied] == [
        ("KK", "DISDUKCAPIL", world.region_a.pk),
        ("KTP-EL", "DISDUKCAPIL", world.region_a.pk),
        ("SK-SEHAT", "DINKES", world.region_a.pk),
    ]


def test_the_copy_page_shows_errors_beside_the_service_and_copies_nothing(client, world, source):
    sehat = source[2]  # Mamuju Tengah has no DINKES in this world: no agency is proposed
    client.force_login(world.admin_b)
    response = client.post("/r/mamuju-tengah/layanan/kelola/salin/?source=banyuwangi", {"pick": [sehat.pk]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was copied." in page
    assert "Choose a receiving agency of Kabupaten Mamuju Tengah." in page
    assert not Service.objects.filter(region=world.region_b).exists()


@pytest.mark.parametrize("persona", ["officer_b1", "citizen", "head_a1"])
def test_the_copy_page_is_for_the_region_administrator_only(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get("/r/mamuju-tengah/layanan/kelola/salin/").status_code in (403, 404)


def _cell_errors(html, input_id):
    """The errors shown in the table cell of the input with this id, and whether the input is marked invalid."""
    cell = re.search(rf'<td[^>]*>(?:(?!</td>).)*id="{input_id}"(?:(?!</td>).)*</td>', html, re.S).group(0)
    errors = re.search(rf'<ul class="field-errors" id="{input_id}-errors">(.*?)</ul>', cell, re.S)
    tag = re.search(rf'<(?:input|select)[^>]*id="{input_id}"[^>]*>', cell).group(0)
    text = " ".join(re.sub(r"<[^>]+>", " ", errors.group(1)).split()) if errors else ""
    return text, 'aria-invalid="true"' in tag


def _service_cell(html, service):
    return re.search(rf'<th scope="row"><label for="pick-{service.pk}">.*?</th>', html, re.S).group(0)


def test_a_taken_code_is_shown_beside_the_code_field_and_nothing_is_copied(client, world, source):
    ktp, kk, _sehat = source
    make_service(world.admin_b, world.agency_b1, "KK", "Kartu Keluarga Mateng")
    standards_before = ServiceStandard.objects.filter(region=world.region_b).count()
    client.force_login(world.admin_b)
    url = "/r/mamuju-tengah/layanan/kelola/salin/?source=banyuwangi"
    data = {"pick": [ktp.pk, kk.pk], f"agency-{ktp.pk}": world.agency_b1.pk, f"agency-{kk.pk}": world.agency_b1.pk}
    for new_code in ("", "kk "):  # no new code, then one typed that normalises to the taken one
        response = client.post(url, data | {f"code-{kk.pk}": new_code})
        assert response.status_code == 200
        html = response.content.decode()
        message = "Your region already has a service with code KK; give the copy another code."
        assert _cell_errors(html, f"code-{kk.pk}") == (message, True)
        assert message not in _service_cell(html, kk), "under the code, not under the service's name"
        assert _cell_errors(html, f"agency-{kk.pk}") == ("", False)
        assert _cell_errors(html, f"code-{ktp.pk}") == ("", False)
        assert f'value="{new_code}"' in html, "what the administrator typed stays in the field"
        assert "Nothing was copied." in html
        # KTP-EL could have been copied, but nothing is: no service, draft or audit event half-saved.
        assert list(Service.objects.filter(region=world.region_b).values_list("code", flat=True)) == ["KK"]
        assert ServiceStandard.objects.filter(region=world.region_b).count() == standards_before
        assert not ServiceEvent.objects.filter(kind="copied").exists()
    response = client.post(url, data | {f"code-{kk.pk}": "kk-mateng-2"})
    assert response.status_code == 302
    copied = Service.objects.filter(region=world.region_b, source_region=world.region_a).order_by("code")
    assert [(s.code, s.source_service_code) for s in copied] == [("KK-MATENG-2", "KK"), ("KTP-EL", "KTP-EL")]


def test_an_invalid_new_code_and_a_missing_agency_are_shown_beside_their_fields(client, world, source):
    _ktp, kk, sehat = source  # Mamuju Tengah has no DINKES in this world: no agency is proposed for SK-SEHAT
    client.force_login(world.admin_b)
    url = "/r/mamuju-tengah/layanan/kelola/salin/?source=banyuwangi"
    response = client.post(url, {"pick": [kk.pk], f"agency-{kk.pk}": world.agency_b1.pk, f"code-{kk.pk}": "KK BARU"})
    errors, invalid = _cell_errors(response.content.decode(), f"code-{kk.pk}")
    assert invalid and "hyphens" in errors
    response = client.post(url, {"pick": [sehat.pk]})
    html = response.content.decode()
    assert _cell_errors(html, f"agency-{sehat.pk}") == ("Choose a receiving agency of Kabupaten Mamuju Tengah.", True)
    assert _cell_errors(html, f"code-{sehat.pk}") == ("", False)
    assert not Service.objects.filter(region=world.region_b).exists()


def test_the_taken_code_error_speaks_the_administrator_s_language(world, source):
    kk = source[1]
    make_service(world.admin_b, world.agency_b1, "KK", "Kartu Keluarga Mateng")
    client = Client(headers={"accept-language": "id"})
    client.force_login(world.admin_b)
    response = client.post(
        "/r/mamuju-tengah/layanan/kelola/salin/?source=banyuwangi", {"pick": [kk.pk], f"agency-{kk.pk}": world.agency_b1.pk}
    )
    errors, invalid = _cell_errors(response.content.decode(), f"code-{kk.pk}")
    assert invalid
    assert errors == "Daerah Anda sudah memiliki layanan dengan kode KK; beri salinannya kode lain."
    assert Service.objects.filter(region=world.region_b).count() == 1
