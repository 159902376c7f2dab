"""Who may do what with services: the permission matrix over the shared personas."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from pendopo.catalog import actions
from pendopo.catalog.models import Service, StandardStatus
from pendopo.catalog.tests.factories import make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def services(world):
    a1 = make_service(world.admin_a, world.agency_a1, "KTP-EL", "KTP")
    a2 = make_service(world.admin_a, world.agency_a2, "SK-SEHAT", "Surat Sehat", category="health")
    return a1, a2


# persona → (may edit a1's service, may edit a2's, may publish a1's, may publish a2's)
MATRIX = {
    "officer_a1": (True, False, False, False),
    "officer_a2": (False, True, False, False),
    "counter_officer_a": (False, False, False, False),
    "head_a1": (True, False, True, False),
    "admin_a": (True, True, True, True),
    "officer_b1": (False, False, False, False),
    "admin_b": (False, False, False, False),
    "citizen": (False, False, False, False),
    "platform_admin": (True, True, True, True),
}


@pytest.mark.parametrize("persona", list(MATRIX))
def test_edit_and_publish_matrix(world, services, persona):
    user = getattr(world, persona)
    for service, may_edit, may_publish in zip(services, MATRIX[persona][:2], MATRIX[persona][2:], strict=True):
        if may_edit:
            draft = actions.start_draft(user, service)
            actions.update_draft(user, draft, {"change_note": f"by {persona}"})
        else:
            with pytest.raises(PermissionDenied):
                actions.start_draft(user, service)
            draft = actions.start_draft(world.admin_a, service)
            with pytest.raises(PermissionDenied):
                actions.update_draft(user, draft, {"change_note": "no"})
        if may_publish:
            actions.publish_standard(user, draft)
            assert service.standards.get(version=2).status == StandardStatus.PUBLISHED
        else:
            with pytest.raises(PermissionDenied):
                actions.publish_standard(user, draft)
            assert service.standards.get(version=2).status == StandardStatus.DRAFT


@pytest.mark.parametrize(
    ("persona", "agency", "allowed"),
    [
        ("officer_a1", "agency_a1", True),
        ("officer_a1", "agency_a2", False),
        ("head_a1", "agency_a1", True),
        ("admin_a", "agency_a2", True),
        ("admin_b", "agency_a1", False),
        ("counter_officer_a", "agency_a1", False),
        ("citizen", "agency_a1", False),
    ],
)
def test_who_may_add_a_service_to_an_agency(world, persona, agency, allowed):
    user, agency = getattr(world, persona), getattr(world, agency)
    if allowed:
        actions.create_service(user, world.region_a, agency=agency, code="BARU", name="Layanan baru")
        assert Service.objects.filter(code="BARU").exists()
    else:
        with pytest.raises(PermissionDenied):
            actions.create_service(user, world.region_a, agency=agency, code="BARU", name="Layanan baru")
        assert not Service.objects.exists()


def test_an_officer_cannot_move_a_service_to_another_agency(world, services):
    with pytest.raises(PermissionDenied):
        actions.update_service(world.officer_a1, services[0], agency=world.agency_a2)
    services[0].refresh_from_db()
    assert services[0].agency == world.agency_a1


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer_a1", 200),
        ("head_a1", 200),
        ("admin_a", 200),
        ("officer_a2", 404),
        ("admin_b", 404),
        ("officer_b1", 404),
        ("citizen", 404),
    ],
)
def test_officer_pages_of_a_service(client, world, services, persona, status):
    client.force_login(getattr(world, persona))
    assert client.get("/r/banyuwangi/layanan/kelola/KTP-EL/").status_code == status
    response = client.post("/r/banyuwangi/layanan/kelola/KTP-EL/draf/baru/")
    assert response.status_code == (302 if status == 200 else 404)
    assert client.get("/r/banyuwangi/layanan/kelola/KTP-EL/draf/").status_code == (200 if status == 200 else 404)


def test_an_anonymous_visitor_is_sent_to_log_in(client, services):
    response = client.get("/r/banyuwangi/layanan/kelola/")
    assert response.status_code == 302 and response["Location"].startswith("/masuk/")


def test_an_officer_cannot_publish_through_the_page(client, world, services):
    actions.start_draft(world.officer_a1, services[0])
    client.force_login(world.officer_a1)
    assert client.post("/r/banyuwangi/layanan/kelola/KTP-EL/draf/terbitkan/").status_code == 403
    assert services[0].standards.get(version=2).status == StandardStatus.DRAFT
    page = client.get("/r/banyuwangi/layanan/kelola/KTP-EL/draf/").content.decode()
    assert "The agency head or the region administrator publishes the standard." in page
    client.force_login(world.head_a1)
    response = client.post("/r/banyuwangi/layanan/kelola/KTP-EL/draf/terbitkan/", {"effective_from": "2026-12-01"})
    assert response.status_code == 302
    published = services[0].standards.get(version=2)
    assert published.status == StandardStatus.PUBLISHED and str(published.effective_from) == "2026-12-01"


def test_another_region_s_administrator_sees_only_the_public_pages(client, world, services):
    client.force_login(world.admin_b)
    assert client.get("/r/banyuwangi/layanan/kelola/").status_code == 404
    assert client.get("/r/banyuwangi/layanan/KTP-EL/").status_code == 200
    assert client.post("/r/banyuwangi/layanan/kelola/KTP-EL/draf/terbitkan/").status_code == 404
    assert client.get("/r/banyuwangi/layanan/kelola/impor/").status_code == 404
