"""The complaint page reads as an Indonesian reader expects: "street, village, district", and every time with its zone."""

from __future__ import annotations

import pytest

from pendopo.complaints.tests.conftest import file

pytestmark = pytest.mark.django_db


def test_place_reads_street_village_district_and_times_carry_the_zone(client, world, setup, frozen):
    complaint = file(world.region_a, setup.road_a, address="Jl. Raya Pesanggaran 12", village_code=setup.village_a.code).complaint
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert '<dd id="place">Jl. Raya Pesanggaran 12, Sumbermulyo, Pesanggaran</dd>' in page
    assert "2026 09:00 WIB" in page  # received on Monday 09:00 in Banyuwangi (WIB)
