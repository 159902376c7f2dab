"""Confidential complaints: the identity is seen by the staff handling it only, and the complaint is never public."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pendopo.complaints import actions
from pendopo.complaints.models import Privacy
from pendopo.complaints.tests.conftest import file

pytestmark = pytest.mark.django_db
NAME, EMAIL = "Ratna Kirana", "ratna.kirana@example.id"


@pytest.fixture
def confidential(world, setup):
    return file(
        world.region_a,
        setup.road_a,
        privacy=Privacy.CONFIDENTIAL,
        reporter_name=NAME,
        reporter_email=EMAIL,
        reporter_phone="081311112222",
    ).complaint


def test_not_in_public_list_map_stats_detail_or_open311(client, world, setup, confidential):
    slug = world.region_a.slug
    listing = client.get(reverse("complaints:list", args=[slug]))
    assert confidential.code.encode() not in listing.content
    assert client.get(reverse("complaints:map", args=[slug])).content.count(confidential.code.encode()) == 0
    assert client.get(confidential.get_absolute_url()).status_code == 404
    assert client.get(reverse("complaints:photo", args=[slug, confidential.code, "x"])).status_code == 404
    assert client.get("/open311/v2/requests.json", {"jurisdiction_id": "35.10"}).content == b"[]"
    assert client.get(f"/open311/v2/requests/{confidential.code}.json", {"jurisdiction_id": "35.10"}).status_code == 404


@pytest.mark.parametrize(
    ("persona", "sees_identity"), [("officer_a1", True), ("head_a1", True), ("admin_a", True), ("platform_admin", True)]
)
def test_handling_staff_see_the_identity(client, world, confidential, persona, sees_identity):
    client.force_login(getattr(world, persona))
    page = client.get(confidential.get_absolute_url())
    assert page.status_code == 200
    assert (NAME.encode() in page.content) is sees_identity
    assert (b"0813" in page.content) is sees_identity


@pytest.mark.parametrize("persona", ["officer_a2", "counter_officer_a", "officer_b1", "admin_b", "citizen"])
def test_others_do_not_see_it_at_all(client, world, confidential, persona):
    client.force_login(getattr(world, persona))
    assert client.get(confidential.get_absolute_url()).status_code == 404


def test_the_complainant_sees_it_with_the_secret_but_not_their_identity_shown_back(client, world, setup):
    filed = file(world.region_a, setup.road_a, privacy=Privacy.CONFIDENTIAL, reporter_name=NAME)
    url = filed.complaint.get_absolute_url()
    assert client.get(url).status_code == 404
    wrong = client.post(reverse("complaints:access", args=[world.region_a.slug, filed.complaint.code]), {"secret": "nope"})
    assert wrong.status_code == 403
    client.post(reverse("complaints:access", args=[world.region_a.slug, filed.complaint.code]), {"secret": filed.secret})
    page = client.get(url)
    assert page.status_code == 200 and page.context["access"].is_complainant and not page.context["show_identity"]


def test_identified_complaints_are_public_without_identity(client, world, setup):
    complaint = file(world.region_a, setup.road_a, reporter_name=NAME, reporter_email=EMAIL).complaint
    page = client.get(complaint.get_absolute_url())
    assert page.status_code == 200 and NAME.encode() not in page.content and EMAIL.encode() not in page.content
    data = client.get("/open311/v2/requests.json", {"jurisdiction_id": "35.10"}).content.decode()
    assert NAME not in data and EMAIL not in data


def test_rerouting_moves_who_may_see_the_identity(client, world, confidential):
    actions.reroute(confidential, world.admin_a, world.agency_a2, "Salah instansi.")
    client.force_login(world.officer_a1)
    assert client.get(confidential.get_absolute_url()).status_code == 404
    client.force_login(world.officer_a2)
    assert NAME.encode() in client.get(confidential.get_absolute_url()).content
