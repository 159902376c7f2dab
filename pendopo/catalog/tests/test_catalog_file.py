"""A whole catalogue as one YAML file: exact round trip, and hostile or malformed files refused with the line."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError

from pendopo.catalog import actions, catalog_file
from pendopo.catalog.models import Service, ServiceStandard
from pendopo.catalog.tests.factories import make_service
from pendopo.regions.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def export(region, *, drafts=True):
    services = Service.objects.filter(region=region)
    return catalog_file.to_yaml(catalog_file.catalog_document(region, services, include_drafts=drafts))


@pytest.fixture
def catalogue(world):
    ktp = make_service(world.admin_a, world.agency_a1, "KTP-EL", "Penerbitan KTP Elektronik")
    draft = actions.start_draft(world.admin_a, ktp)
    actions.update_draft(world.admin_a, draft, {"procedure": "1. Datang.\n2. Pulang membawa KTP.", "fee": 0})
    make_service(
        world.admin_a,
        world.agency_a2,
        "SK-SEHAT",
        "Surat Keterangan Sehat",
        category="health",
        standard=None,
        channels=["service_mall"],
    )
    sehat = Service.objects.get(code="SK-SEHAT")
    d2 = actions.start_draft(world.admin_a, sehat)
    actions.update_draft(world.admin_a, d2, {"fee": 20000, "fee_basis": "Perda 1/2024: retribusi"})
    actions.publish_standard(world.admin_a, d2, effective_from=dt.date(2026, 3, 1))
    make_service(
        world.admin_a, world.agency_a1, "KIA", "Kartu Identitas Anak", publish=False, standard={"procedure": "Belum lengkap"}
    )
    return export(world.region_a)


def test_export_import_export_is_exact(world, catalogue):
    AgencyFactory(region=world.region_b, code="DINKES", name="Dinas Kesehatan")
    # Mamuju Tengah's agency codes differ; the file speaks of Banyuwangi's.
    text = catalogue.replace("agency: DISDUKCAPIL", "agency: DISDUKCAPIL")
    counts = catalog_file.import_catalog(world.admin_b, world.region_b, text)
    assert counts["created"] == 3
    again = export(world.region_b)
    header_a = "region:\n  code: '35.10'\n  name: Kabupaten Banyuwangi\n"
    header_b = "region:\n  code: '76.06'\n  name: Kabupaten Mamuju Tengah\n"
    assert header_a in catalogue and header_b in again
    assert again.replace(header_b, header_a) == catalogue
    # Importing it again changes nothing, and neither does importing it back where it came from.
    assert catalog_file.import_catalog(world.admin_b, world.region_b, again)["unchanged"] == 3
    versions_before = ServiceStandard.objects.filter(region=world.region_a).count()
    assert catalog_file.import_catalog(world.admin_a, world.region_a, catalogue)["unchanged"] == 3
    assert ServiceStandard.objects.filter(region=world.region_a).count() == versions_before
    assert export(world.region_a) == catalogue


def test_the_export_holds_everything_of_the_standard(world, catalogue):
    document = yaml.safe_load(catalogue)
    ktp = next(s for s in document["services"] if s["code"] == "KTP-EL")
    assert ktp["agency"] == "DISDUKCAPIL"
    assert ktp["channels"] == ["online", "service_mall"]
    assert ktp["published"]["effective_from"] == dt.date(2026, 1, 6)
    assert ktp["published"]["time_limit"] == {"value": 3, "unit": "working_days"}
    assert ktp["published"]["form"]["fields"][0]["type"] == "nik"
    assert ktp["draft"]["procedure"] == "1. Datang.\n2. Pulang membawa KTP."
    assert "procedure: |-\n      1. Datang.\n      2. Pulang membawa KTP." in catalogue
    public = export(world.region_a, drafts=False)
    assert "draft:" not in public and "KIA" not in public


def test_a_changed_published_standard_becomes_a_new_version(world, catalogue):
    text = catalogue.replace("fee: 20000", "fee: 25000").replace("effective_from: 2026-03-01", "effective_from: 2026-09-01")
    counts = catalog_file.import_catalog(world.admin_a, world.region_a, text)
    assert counts["updated"] == 1 and counts["unchanged"] == 2
    sehat = Service.objects.get(region=world.region_a, code="SK-SEHAT")
    assert sehat.published_standard.fee == 25000
    assert list(sehat.standards.values_list("version", "status")) == [(3, "published"), (2, "superseded"), (1, "superseded")]


BOMB = """format: pendopo-catalog/1
region: {code: '35.10'}
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
services: []
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (BOMB, "Line 3: anchors (&a) are not allowed in a catalogue file."),
        ("format: pendopo-catalog/1\nservices: *x\n", "Line 2: aliases (*x) are not allowed in a catalogue file."),
        ("format: pendopo-catalog/1\nservices: !!python/object/apply:os.system ['ls']\n", "Line 2: the file is not valid YAML"),
        ("format: pendopo-catalog/1\nservices:\n  - code: [unclosed\n", "Line 4: the file is not valid YAML"),
        ("format: something-else\nservices: []\n", "Line 1: not a Pendopo catalogue"),
        ("format: pendopo-catalog/1\nservices: 3\n", "Line 2: services must be a list."),
        ("", "The file is empty."),
        (b"\xff\xfe\x00", "The file is not UTF-8 text"),
        ("[" * 30 + "]" * 30, "the file is nested too deeply"),
    ],
)
def test_hostile_or_malformed_files_are_refused_with_the_line(world, text, message):
    with pytest.raises(ValidationError) as caught:
        catalog_file.import_catalog(world.admin_a, world.region_a, text)
    assert any(message in m for m in caught.value.messages), caught.value.messages
    assert not Service.objects.exists()


def test_a_file_over_the_size_limit_is_refused(world, monkeypatch):
    monkeypatch.setattr(catalog_file, "MAX_BYTES", 100)
    with pytest.raises(ValidationError) as caught:
        catalog_file.import_catalog(world.admin_a, world.region_a, "x" * 101)
    assert "larger than" in caught.value.messages[0]


def test_bad_entries_are_refused_naming_field_and_line_and_nothing_is_saved(world, catalogue):
    text = catalogue.replace("agency: DINKES", "agency: DINAS-X").replace("fee: 20000", "fee: -20000")
    text = text.replace("value: 3\n", "value: 0\n", 1)
    with pytest.raises(ValidationError) as caught:
        catalog_file.import_catalog(world.admin_b, world.region_b, text)
    errors = caught.value.message_dict
    lines = text.splitlines()
    agency_line = lines.index("  agency: DINAS-X") + 1
    assert errors["services[2] SK-SEHAT.agency"] == [f"Line {agency_line}: unknown agency DINAS-X in Kabupaten Mamuju Tengah."]
    fee_line = lines.index("    fee: -20000") + 1
    assert (
        f"Line {fee_line}: The fee is a whole number of Rupiah, 0 or more (0 means free)."
        in errors["services[2] SK-SEHAT.published.fee"]
    )
    assert any("The time limit must be at least 1." in m for m in errors["services[1] KTP-EL.published.time_limit"])
    assert not Service.objects.filter(region=world.region_b).exists()


def test_only_the_region_administrator_imports(world, catalogue):
    for user in (world.head_a1, world.officer_a1, world.admin_b, None):
        with pytest.raises(PermissionDenied):
            catalog_file.import_catalog(user, world.region_a, catalogue)


def test_the_import_page_shows_the_errors_and_the_export_pages_serve_files(client, world, catalogue):
    client.force_login(world.admin_a)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/r/banyuwangi/layanan/kelola/impor/", {"file": SimpleUploadedFile("bomb.yaml", BOMB.encode())})
    assert response.status_code == 200
    assert "Line 3: anchors (&amp;a) are not allowed" in response.content.decode()
    full = client.get("/r/banyuwangi/layanan/kelola/katalog-lengkap.yaml")
    assert full.content.decode() == catalogue
    assert full["Content-Disposition"] == 'attachment; filename="katalog-banyuwangi-lengkap.yaml"'
    response = client.post(
        "/r/banyuwangi/layanan/kelola/impor/", {"file": SimpleUploadedFile("katalog.yaml", catalogue.encode())}
    )
    assert response.status_code == 302
    client.force_login(world.officer_a1)
    assert client.get("/r/banyuwangi/layanan/kelola/katalog-lengkap.yaml").status_code == 403
