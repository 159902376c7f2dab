"""The complaint map's numbers are never localised: in Indonesian a decimal comma would put every dot in a corner."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from pendopo.complaints.tests.conftest import file

pytestmark = pytest.mark.django_db


def test_dots_and_markers_keep_decimal_points_in_indonesian(client, world, setup, frozen, settings):
    settings.PENDOPO_MAP_TILE_URL = "https://tiles.example.id/{z}/{x}/{y}.png"
    file(world.region_a, setup.road_a, latitude="-8.2153", longitude="114.3691")
    file(world.region_a, setup.road_a, latitude="-8.4012", longitude="114.1234")

    html = client.get(reverse("complaints:map", args=[world.region_a.slug]), headers={"accept-language": "id"}).content.decode()

    circles = re.findall(r'<circle cx="([^"]+)" cy="([^"]+)"', html)
    assert len(circles) == 2
    for cx, cy in circles:
        float(cx), float(cy)  # "20.0", never "20,0"
    assert any(float(cx) > 100 for cx, _cy in circles)  # not all in the corner
    markers = json.loads(re.search(r'<script id="complaint-markers" type="application/json">(.*?)</script>', html).group(1))
    assert sorted(m["lat"] for m in markers) == [-8.4012, -8.2153]
    assert re.search(r"\(-8\.2153\d*, 114\.3691\d*\)", html)  # the list too
    assert 'data-tile-url="https://tiles.example.id/{z}/{x}/{y}.png"' in html
    assert "vendor/leaflet/leaflet.js" in html
