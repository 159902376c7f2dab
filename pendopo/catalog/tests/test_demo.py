"""The demo catalogues: Banyuwangi's published services, Mamuju Tengah's own and its copies."""

from __future__ import annotations

import pytest

from pendopo.catalog.application_form import build_application_form
from pendopo.catalog.demo import load_demo_catalog
from pendopo.catalog.forms_schema import validate_for_publication
from pendopo.catalog.models import Service, StandardStatus

pytestmark = pytest.mark.django_db


def test_the_demo_catalogues(world):
    line = load_demo_catalog()
    assert line.startswith("catalog: Banyuwangi +29 services; Mamuju Tengah +5 own, +10 copied")
    banyuwangi = Service.objects.filter(region=world.region_a).select_related("published_standard", "agency")
    assert banyuwangi.count() >= 25
    assert len({s.agency.code for s in banyuwangi}) >= 10
    for service in banyuwangi:
        standard = service.published_standard
        assert standard is not None and standard.status == StandardStatus.PUBLISHED
        validate_for_publication(standard)  # all fourteen components and the decree
        assert len(standard.form["fields"]) >= 3
        assert build_application_form(standard)().fields
    names = {s.code for s in banyuwangi}
    assert {
        "KTP-EL",
        "KK",
        "AKTA-LAHIR",
        "AKTA-MATI",
        "KIA",
        "PINDAH",
        "PBG",
        "NIB",
        "REKLAME",
        "SK-SEHAT",
        "SKTM",
        "SK-DOMISILI",
        "SKU",
    } <= names
    assert any(s.published_standard.fee > 0 for s in banyuwangi)

    mamuju = Service.objects.filter(region=world.region_b)
    own = mamuju.filter(source_service_code="")
    copies = mamuju.exclude(source_service_code="")
    assert own.count() == 5 and all(s.published_standard_id for s in own)
    assert copies.count() == 10
    assert all(c.source_region == world.region_a and c.source_version == 1 for c in copies)
    published_copies = copies.exclude(published_standard=None)
    assert published_copies.count() == 5
    assert all(c.published_standard.decree_number.startswith("800/") for c in published_copies)

    assert load_demo_catalog() == (
        "catalog: Banyuwangi +0 services; Mamuju Tengah +0 own, +0 copied from Banyuwangi "
        "(0 adopted and published, the rest drafts)."
    )
    assert Service.objects.count() == banyuwangi.count() + 15


def test_without_the_demo_regions_it_does_nothing(db):
    assert "nothing loaded" in load_demo_catalog()
    assert not Service.objects.exists()
