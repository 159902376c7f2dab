"""The JSON API (/api/v1/): public complaints of a region, paged, and statistics per agency."""

from __future__ import annotations

import pytest

from pendopo.complaints import actions
from pendopo.complaints.models import Privacy
from pendopo.complaints.tests.conftest import file

pytestmark = pytest.mark.django_db


def test_public_complaints_paged(client, world, setup, frozen, django_assert_max_num_queries):
    public = [file(world.region_a, setup.road_a, latitude="-8.2", longitude="114.3").complaint for _ in range(3)]
    file(world.region_a, setup.road_a, privacy=Privacy.CONFIDENTIAL)
    with django_assert_max_num_queries(5):
        data = client.get("/api/v1/regions/35.10/complaints", {"page_size": 2}).json()
    assert data["count"] == 3 and data["page_size"] == 2 and len(data["items"]) == 2
    item = data["items"][0]
    assert item["code"] in {c.code for c in public}
    assert item["status"] == "open" and item["step"] == "new" and item["agency"] == world.agency_a1.code
    assert item["received_at"].endswith("+07:00") and item["latitude"] == -8.2
    assert "reporter" not in str(data) and "Rahasia" not in str(data)
    assert client.get("/api/v1/regions/35.10/complaints", {"status": "closed"}).json()["count"] == 0
    assert client.get("/api/v1/regions/99.99/complaints").status_code == 404


def test_statistics(client, world, setup, frozen):
    complaint = file(world.region_a, setup.road_a).complaint
    actions.take_action(complaint, "verify", world.admin_a)
    actions.take_action(complaint, "respond", world.officer_a1, "Ya.")
    data = client.get("/api/v1/regions/35.10/complaint-statistics").json()
    assert data == [
        {
            "agency": world.agency_a1.code,
            "agency_name": world.agency_a1.name,
            "received": 1,
            "answered": 1,
            "answered_on_time": 1,
            "open_unanswered": 0,
            "median_response_working_days": 0.0,
        }
    ]
