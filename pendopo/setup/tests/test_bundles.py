"""Service bundles: Banyuwangi offers one, Mamuju Tengah adopts it with an agency mapping, sets the decree
for all drafts and publishes them together; provenance stays visible."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from pendopo.catalog.models import Service, StandardStatus
from pendopo.catalog.tests.factories import make_service
from pendopo.regions.tests.factories import AgencyFactory
from pendopo.setup import bundles
from pendopo.setup.models import BundleAdoption, ServiceBundle

pytestmark = pytest.mark.django_db


@pytest.fixture
def bundle(world):
    ktp = make_service(world.admin_a, world.agency_a1, "KTP-EL", "Penerbitan KTP Elektronik")
    kk = make_service(world.admin_a, world.agency_a1, "KK", "Penerbitan Kartu Keluarga")
    sehat = make_service(world.admin_a, world.agency_a2, "SURAT-SEHAT", "Surat Keterangan Sehat", category="health")
    bundle = ServiceBundle.objects.create(region=world.region_a, code="adminduk", name="Adminduk dasar", is_published=True)
    bundle.services.set([ktp, kk, sehat])
    return bundle


def test_the_model_region_makes_a_bundle_of_its_published_services(client, world):
    ktp = make_service(world.admin_a, world.agency_a1)
    draft_only = make_service(world.admin_a, world.agency_a1, "KIA", "Kartu Identitas Anak", publish=False)
    client.force_login(world.admin_a)
    form = client.get("/r/banyuwangi/atur/paket/baru/").content.decode()
    assert ktp.name in form and draft_only.name not in form
    data = {"code": "adminduk", "name": "Adminduk dasar", "services": [ktp.pk], "is_published": "on"}
    assert client.post("/r/banyuwangi/atur/paket/baru/", data).status_code == 302
    assert list(ServiceBundle.objects.get(region=world.region_a).services.all()) == [ktp]
    refused = client.post("/r/banyuwangi/atur/paket/baru/", {**data, "code": "lain", "services": [draft_only.pk]})
    assert refused.status_code == 400


def test_agencies_are_suggested_by_name(world, bundle):
    dinkes_b = AgencyFactory(region=world.region_b, code="DINKES", name="Dinas Kesehatan", short_name="Dinkes")
    own = list(world.region_b.agencies.all())
    sources = bundles.bundle_agencies(bundle)
    assert {s.code for s in sources} == {"DISDUKCAPIL", "DINKES"}
    suggested = {s.code: bundles.suggest_agency(s, own) for s in sources}
    assert suggested == {"DISDUKCAPIL": world.agency_b1, "DINKES": dinkes_b}
    lonely = AgencyFactory(region=world.region_a, code="BPBD", name="Badan Penanggulangan Bencana Daerah", short_name="BPBD")
    assert bundles.suggest_agency(lonely, own) is None


def test_a_bundle_is_adopted_reviewed_and_published_together(client, world, bundle):
    dinkes_b = AgencyFactory(region=world.region_b, code="DINKES", name="Dinas Kesehatan", short_name="Dinkes")
    client.force_login(world.admin_b)
    page = client.get("/r/mamuju-tengah/atur/paket/").content.decode()
    assert "Adminduk dasar" in page and "Kabupaten Banyuwangi" in page
    adopt_url = f"/r/mamuju-tengah/atur/paket/{bundle.pk}/adopsi/"
    sources = {a.code: a.pk for a in bundles.bundle_agencies(bundle)}
    form = client.get(adopt_url).content.decode()
    assert f'<option value="{dinkes_b.pk}" selected>' in form  # suggested by name
    mapping = {f"agency_{sources['DISDUKCAPIL']}": world.agency_b1.pk, f"agency_{sources['DINKES']}": dinkes_b.pk}
    response = client.post(adopt_url, mapping)
    assert response.status_code == 302
    adoption = BundleAdoption.objects.get(region=world.region_b)
    copies = {s.code: s for s in Service.objects.filter(region=world.region_b)}
    assert set(copies) == {"KTP-EL", "KK", "SURAT-SEHAT"}
    assert copies["SURAT-SEHAT"].agency == dinkes_b and copies["KK"].agency == world.agency_b1
    assert all(s.source_region == world.region_a and s.published_standard is None for s in copies.values())

    review = client.get(f"/r/mamuju-tengah/atur/adopsi/{adoption.pk}/").content.decode()
    assert "Diadopsi dari Kabupaten Banyuwangi" in review
    with time_machine.travel(dt.datetime(2026, 12, 3, 3, 0, tzinfo=dt.UTC), tick=False):
        done = client.post(
            f"/r/mamuju-tengah/atur/adopsi/{adoption.pk}/",
            {"decree_number": "188.45/12/KPTS/2026", "decree_date": "2026-12-01"},
        )
    assert done.status_code == 302
    for service in Service.objects.filter(region=world.region_b).select_related("published_standard"):
        standard = service.published_standard
        assert standard.status == StandardStatus.PUBLISHED
        assert (standard.decree_number, standard.decree_date) == ("188.45/12/KPTS/2026", dt.date(2026, 12, 1))
    adoption.refresh_from_db()
    assert adoption.published_at is not None


def test_an_unmapped_agency_copies_nothing(client, world, bundle):
    client.force_login(world.admin_b)
    sources = {a.code: a.pk for a in bundles.bundle_agencies(bundle)}
    response = client.post(
        f"/r/mamuju-tengah/atur/paket/{bundle.pk}/adopsi/", {f"agency_{sources['DISDUKCAPIL']}": world.agency_b1.pk}
    )
    assert response.status_code == 400
    assert "Pilih perangkat daerah yang mengambil alih layanan ini." in response.content.decode()
    another = client.post(
        f"/r/mamuju-tengah/atur/paket/{bundle.pk}/adopsi/", {f"agency_{sources['DISDUKCAPIL']}": world.agency_a1.pk}
    )
    assert another.status_code == 400  # another region's agency is no choice
    assert not Service.objects.filter(region=world.region_b).exists()


def test_a_code_taken_stops_the_whole_adoption(client, world, bundle):
    make_service(world.admin_b, world.agency_b1, "KK", "Kartu Keluarga lokal")
    client.force_login(world.admin_b)
    fields = {f"agency_{a.pk}": world.agency_b1.pk for a in bundles.bundle_agencies(bundle)}
    response = client.post(f"/r/mamuju-tengah/atur/paket/{bundle.pk}/adopsi/", fields)
    assert response.status_code == 400
    assert 'id="adopt-errors"' in response.content.decode()
    assert set(Service.objects.filter(region=world.region_b).values_list("code", flat=True)) == {"KK"}


def test_one_draft_that_cannot_be_published_stops_them_all(client, world, bundle):
    client.force_login(world.admin_b)
    fields = {f"agency_{a.pk}": world.agency_b1.pk for a in bundles.bundle_agencies(bundle)}
    client.post(f"/r/mamuju-tengah/atur/paket/{bundle.pk}/adopsi/", fields)
    adoption = BundleAdoption.objects.get(region=world.region_b)
    broken = Service.objects.get(region=world.region_b, code="KK").standards.get()
    broken.procedure = ""
    broken.save()
    response = client.post(
        f"/r/mamuju-tengah/atur/adopsi/{adoption.pk}/", {"decree_number": "1/2026", "decree_date": "2026-01-02"}
    )
    assert response.status_code == 400
    assert "KK:" in response.content.decode()
    assert not Service.objects.filter(region=world.region_b, published_standard__isnull=False).exists()


def test_bundle_pages_are_the_administrators_only(client, world, bundle):
    adoption = BundleAdoption.objects.create(region=world.region_b, bundle=bundle)
    for persona in ("officer_b1", "citizen"):
        client.force_login(getattr(world, persona))
        assert client.get("/r/mamuju-tengah/atur/paket/").status_code == 404
        assert client.get(f"/r/mamuju-tengah/atur/paket/{bundle.pk}/adopsi/").status_code == 404
    client.force_login(world.admin_a)
    assert client.get(f"/r/mamuju-tengah/atur/adopsi/{adoption.pk}/").status_code == 404
    assert client.get(f"/r/banyuwangi/atur/adopsi/{adoption.pk}/").status_code == 404
    assert client.get(f"/r/banyuwangi/atur/paket/{bundle.pk}/adopsi/").status_code == 404  # one's own bundle
    client.force_login(world.admin_b)
    assert client.get(f"/r/mamuju-tengah/atur/paket/{bundle.pk}/").status_code == 404  # not B's to edit
    ServiceBundle.objects.filter(pk=bundle.pk).update(is_published=False)
    assert client.get(f"/r/mamuju-tengah/atur/paket/{bundle.pk}/adopsi/").status_code == 404


def test_a_service_with_a_workflow_of_its_own_brings_it_along_once(world, bundle):
    from pendopo.applications.workflows import workflow_for
    from pendopo.workflow.actions import DEFAULT_SERVICE_CODE, create_definition
    from pendopo.workflow.definition import default_service_workflow
    from pendopo.workflow.models import WorkflowDefinition

    quick = default_service_workflow()
    quick["states"][1]["label_id"] = "Verifikasi kilat"
    create_definition(world.region_a, "service-adminduk-kilat", "Adminduk kilat", quick)
    Service.objects.filter(region=world.region_a, code__in=["KTP-EL", "KK"]).update(workflow_code="service-adminduk-kilat")
    # Mamuju Tengah already has a different workflow under that code: the copy gets a code of its own.
    create_definition(world.region_b, "service-adminduk-kilat", "Lain", default_service_workflow())
    sehat_agency = AgencyFactory(region=world.region_b, code="DINKES", name="Dinas Kesehatan")
    sources = {a.code: a for a in bundles.bundle_agencies(bundle)}
    bundles.adopt_bundle(
        world.admin_b, world.region_b, bundle, {sources["DISDUKCAPIL"].pk: world.agency_b1, sources["DINKES"].pk: sehat_agency}
    )
    copies = {s.code: s for s in Service.objects.filter(region=world.region_b)}
    assert copies["KTP-EL"].workflow_code == copies["KK"].workflow_code == "service-adminduk-kilat-2"
    assert copies["SURAT-SEHAT"].workflow_code == ""
    brought = WorkflowDefinition.objects.get(region=world.region_b, code="service-adminduk-kilat-2")
    original = WorkflowDefinition.objects.get(region=world.region_a, code="service-adminduk-kilat")
    assert brought.status == "active" and brought.definition == original.definition
    assert "Verifikasi kilat" in str(brought.definition)
    assert workflow_for(copies["KK"]).pk == brought.pk
    assert workflow_for(copies["SURAT-SEHAT"]).code == DEFAULT_SERVICE_CODE
