"""Who sees which application, on every page and endpoint: the citizen their own, staff their agency's or point's.

Any other user gets 404 (never a hint that the application exists); the public tracking page
is the only read by code alone.
"""

from __future__ import annotations

import pytest

from pendopo.applications import actions
from pendopo.applications.tests.conftest import form_data, valid_form

pytestmark = pytest.mark.django_db

# persona -> may they see an online application of the citizen for a service of agency A1?
MATRIX = {
    "citizen": True,
    "officer_a1": True,
    "head_a1": True,
    "admin_a": True,
    "platform_admin": True,
    "officer_a2": False,  # another agency of the same region
    "counter_officer_a": False,  # a counter the application did not come through
    "officer_b1": False,  # another region
    "admin_b": False,
}


def private_urls(code, key):
    return [
        f"/permohonan/{code}/",
        f"/permohonan/{code}/langkah/",
        f"/permohonan/{code}/riwayat/",
        f"/permohonan/{code}/tanda-terima.pdf",
        f"/permohonan/{code}/dokumen/{key}/",
        f"/api/v1/applications/{code}",
        f"/api/v1/applications/{code}/actions",
    ]


@pytest.mark.parametrize(("persona", "allowed"), list(MATRIX.items()))
def test_permission_matrix_of_an_online_application(client, world, apply, persona, allowed):
    application = apply()
    key = application.documents.get().key
    client.force_login(getattr(world, persona))
    for url in private_urls(application.code, key):
        assert client.get(url).status_code == (200 if allowed else 404), url
    listed = [item["code"] for item in client.get("/api/v1/applications").json()["items"]]
    assert (application.code in listed) == allowed


def test_a_walk_in_at_the_counter_is_seen_by_its_counter_and_the_agency_not_by_the_other_agency(client, world, service):
    places = actions.walk_in_places(world.counter_officer_a, service)
    form = valid_form(service, places=places, data={**form_data(), "applicant-place": str(world.counter_a.pk)})
    application = actions.register_walk_in(world.counter_officer_a, service, form.to_input())
    for persona, status in (
        ("counter_officer_a", 200),
        ("officer_a1", 200),
        ("officer_a2", 404),
        ("citizen", 404),
        ("officer_b1", 404),
    ):
        client.force_login(getattr(world, persona))
        assert client.get(f"/permohonan/{application.code}/").status_code == status, persona


def test_anonymous_users_are_sent_to_log_in_and_the_api_answers_401(client, apply):
    application = apply()
    assert client.get(f"/permohonan/{application.code}/").status_code == 302
    assert client.get(f"/api/v1/applications/{application.code}").status_code == 401
    assert client.get(f"/lacak/{application.code}/").status_code == 200


def test_acting_on_an_application_of_another_agency_is_a_404_and_changes_nothing(client, world, apply):
    application = apply()
    client.force_login(world.officer_a2)
    assert client.post(f"/permohonan/{application.code}/langkah/", {"action": "receive", "version": 1}).status_code == 404
    response = client.post(
        f"/api/v1/applications/{application.code}/actions",
        data={"action": "receive", "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 404
    application.case.refresh_from_db()
    assert application.case.state == "submitted"


def test_the_citizen_cannot_take_an_officers_step(client, world, apply):
    application = apply()
    client.force_login(world.citizen)
    response = client.post(
        f"/api/v1/applications/{application.code}/actions",
        data={"action": "receive", "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "not_allowed"


@pytest.mark.parametrize(("persona", "status"), [("officer_a1", 200), ("admin_a", 200), ("citizen", 404), ("officer_b1", 404)])
def test_inbox_and_walk_in_pages_are_for_the_regions_staff(client, world, service, persona, status):
    client.force_login(getattr(world, persona))
    assert client.get("/r/banyuwangi/kotak-masuk/").status_code == status
    assert client.get("/r/banyuwangi/loket/").status_code == status


@pytest.mark.parametrize(
    ("persona", "status"), [("head_a1", 200), ("admin_a", 200), ("officer_a1", 404), ("citizen", 404), ("admin_b", 404)]
)
def test_metrics_page_is_for_heads_and_administrators(client, world, service, persona, status):
    client.force_login(getattr(world, persona))
    assert client.get("/r/banyuwangi/kinerja-layanan/").status_code == status
