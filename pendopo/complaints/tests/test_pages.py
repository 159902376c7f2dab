"""Public list, map and statistics per region; the staff inbox; query counts."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from pendopo.complaints import actions
from pendopo.complaints.tests.conftest import MONDAY, file, wib

pytestmark = pytest.mark.django_db


def test_public_list_shows_status_agency_and_time_to_first_response(client, world, setup):
    with time_machine.travel(MONDAY, tick=False):
        answered = file(world.region_a, setup.road_a).complaint
        waiting = file(world.region_a, setup.lamp_a).complaint
        actions.take_action(answered, "verify", world.admin_a)
    with time_machine.travel(wib(2026, 2, 4, 10, 0), tick=False):
        actions.take_action(answered, "respond", world.officer_a1, "Ditangani.")
        response = client.get(reverse("complaints:list", args=[world.region_a.slug]))
    assert response.status_code == 200
    rows = {row["complaint"].code: row for row in response.context["rows"]}
    assert rows[answered.code]["response_days"] == 2 and rows[waiting.code]["response_days"] is None
    assert world.agency_a1.short_name.encode() in response.content
    open_only = client.get(reverse("complaints:list", args=[world.region_a.slug]), {"status": "closed"})
    assert open_only.context["rows"] == []
    by_agency = client.get(reverse("complaints:list", args=[world.region_a.slug]), {"opd": world.agency_a2.code})
    assert [r["complaint"].code for r in by_agency.context["rows"]] == [waiting.code]
    other_region = client.get(reverse("complaints:list", args=[world.region_b.slug]))
    assert other_region.context["rows"] == []
    actions.take_action(waiting, "archive", world.admin_a, "Laporan ganda.")
    closed = client.get(reverse("complaints:list", args=[world.region_a.slug]), {"status": "closed"})
    assert [r["complaint"].code for r in closed.context["rows"]] == [waiting.code]
    still_open = client.get(reverse("complaints:list", args=[world.region_a.slug]), {"status": "open"})
    assert [r["complaint"].code for r in still_open.context["rows"]] == [answered.code]


def test_list_query_count_does_not_grow(client, world, setup, frozen, django_assert_max_num_queries):
    for _ in range(3):
        file(world.region_a, setup.road_a)
    url = reverse("complaints:list", args=[world.region_a.slug])
    with django_assert_max_num_queries(8) as small:
        client.get(url)
    for _ in range(10):
        file(world.region_a, setup.lamp_a)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == 13


def test_map_places_public_complaints(client, world, setup, frozen, django_assert_max_num_queries):
    placed = file(world.region_a, setup.road_a, latitude="-8.2", longitude="114.3").complaint
    file(world.region_a, setup.road_a, latitude="-8.4", longitude="114.1")
    file(world.region_a, setup.lamp_a)  # no position: not on the map
    with django_assert_max_num_queries(6):
        response = client.get(reverse("complaints:map", args=[world.region_a.slug]))
    assert len(response.context["points"]) == 2
    assert b"<svg" in response.content and placed.code.encode() in response.content
    xs = sorted(p["x"] for p in response.context["points"])
    assert xs[0] == 20 and xs[1] <= 620


def test_statistics_page(client, world, setup, frozen, django_assert_max_num_queries):
    complaint = file(world.region_a, setup.road_a).complaint
    actions.take_action(complaint, "verify", world.admin_a)
    actions.take_action(complaint, "respond", world.officer_a1, "Ya.")
    url = reverse("complaints:stats", args=[world.region_a.slug])
    client.get(url)  # the first count lays the region's calendar out as rows (regions.workdays), once
    with django_assert_max_num_queries(8):
        response = client.get(url)
    row = response.context["rows"][0]
    assert (row.received, row.answered, row.answered_on_time, row.median_response_days) == (1, 1, 1, 0.0)
    assert world.agency_a1.name.encode() in response.content


def test_inbox_shows_what_the_user_may_act_on(client, world, setup, frozen, django_assert_max_num_queries):
    road = file(world.region_a, setup.road_a).complaint
    lamp = file(world.region_a, setup.lamp_a).complaint
    url = reverse("complaints:inbox", args=[world.region_a.slug])
    client.force_login(world.officer_a1)
    assert [r.code for r in client.get(url).context["page"].rows] == [road.code]
    client.force_login(world.admin_a)
    with django_assert_max_num_queries(12):
        assert {r.code for r in client.get(url).context["page"].rows} == {road.code, lamp.code}
    client.force_login(world.citizen)
    assert client.get(url).status_code == 403
    client.force_login(world.officer_b1)
    assert client.get(url).status_code == 403


def test_inactive_region_is_404(client, world, setup):
    world.region_b.is_active = False
    world.region_b.save()
    assert client.get(reverse("complaints:list", args=[world.region_b.slug])).status_code == 404
    assert client.get("/open311/v2/services.json", {"jurisdiction_id": "76.06"}).status_code == 404


def test_public_list_pages_by_keyset_newest_first(client, world, setup, frozen, django_assert_max_num_queries):
    from pendopo.complaints import selectors

    codes = [file(world.region_a, setup.road_a).complaint.code for _ in range(selectors.PUBLIC_PAGE_SIZE + 3)]
    url = reverse("complaints:list", args=[world.region_a.slug])
    first = client.get(url)
    # Filed at the same frozen moment: the id breaks the tie, newest first.
    assert [r["complaint"].code for r in first.context["rows"]] == codes[::-1][: selectors.PUBLIC_PAGE_SIZE]
    cursor = first.context["page"].next_cursor
    assert cursor and f"sebelum={cursor}".encode() in first.content
    with django_assert_max_num_queries(8):
        second = client.get(url, {"sebelum": cursor})
    assert [r["complaint"].code for r in second.context["rows"]] == codes[::-1][selectors.PUBLIC_PAGE_SIZE :]
    assert second.context["page"].next_cursor == ""
    assert not second.context["page"].is_first
    # A cursor that is not one shows the first page; an unknown agency shows nothing.
    assert len(client.get(url, {"sebelum": "x-1"}).context["rows"]) == selectors.PUBLIC_PAGE_SIZE
    assert client.get(url, {"opd": "TIDAK-ADA"}).context["rows"] == []


def test_public_list_reads_only_its_page_from_the_index(client, world, setup, frozen):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    file(world.region_a, setup.road_a)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("complaints:list", args=[world.region_a.slug]))
    listing = [q["sql"] for q in queries.captured_queries if 'FROM "complaints_complaint"' in q["sql"]]
    assert len(listing) == 1
    assert "regions_village" not in listing[0]  # no join over the villages
    assert "LIMIT 21" in listing[0] and "COUNT(" not in " ".join(listing)
