"""The complaint map in Indonesian: Leaflet on a (local) tile server places each dot where it belongs,
and without tiles the plain map does; nothing is loaded from another host."""

from __future__ import annotations

import pytest

from pendopo.complaints import actions
from pendopo.complaints.models import ComplaintCategory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _two_complaints(world):  # type: ignore[no-untyped-def]
    road = ComplaintCategory.objects.create(region=world.region_a, code="JALAN", name="Jalan rusak", agency=world.agency_a1)
    for lat, lng in (("-8.2000", "114.3000"), ("-8.4000", "114.1000")):
        filed = actions.file_complaint(
            world.region_a, actions.Filing(category=road, description="Jalan berlubang.", latitude=lat, longitude=lng)
        )
        actions.verify_complaint(filed.complaint, world.admin_a)  # the map shows verified complaints only


def test_leaflet_places_the_dots_on_the_base_map(page, live_server, world, settings):
    # A tile server on the live server itself (any PNG will do): the test reaches no other host.
    settings.PENDOPO_MAP_TILE_URL = live_server.url + "/static/vendor/leaflet/images/layers.png?z={z}&x={x}&y={y}"
    _two_complaints(world)

    page.goto("/r/banyuwangi/pengaduan/peta/")
    dots = page.locator("#complaint-map path.leaflet-interactive")
    dots.first.wait_for()
    assert dots.count() == 2
    box = page.locator("#complaint-map").bounding_box()
    north, south = (dots.nth(i).bounding_box() for i in range(2))
    # The northern, eastern complaint (-8.2, 114.3) is up and to the right of the other, both inside the map.
    pairs = sorted([north, south], key=lambda b: b["y"])
    assert pairs[0]["x"] > pairs[1]["x"]
    for dot in pairs:
        assert box["x"] < dot["x"] < box["x"] + box["width"] and box["y"] < dot["y"] < box["y"] + box["height"]
    assert not page.locator("#plain-map").is_visible()


def test_without_tiles_the_plain_map_places_the_dots(page, world, settings):
    settings.PENDOPO_MAP_TILE_URL = ""
    _two_complaints(world)

    page.goto("/r/banyuwangi/pengaduan/peta/")
    svg = page.locator("#plain-map")
    assert svg.is_visible()
    box = svg.bounding_box()
    dots = [page.locator("#plain-map circle").nth(i).bounding_box() for i in range(2)]
    # Not piled in the top-left corner (what localised "20,0" coordinates did): spread over the map.
    xs = sorted(d["x"] - box["x"] for d in dots)
    assert xs[0] < box["width"] / 4 and xs[1] > box["width"] / 2
    assert page.locator("#map-list li").count() == 2
