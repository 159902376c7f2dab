"""The admin shows a region administrator their own region's services, read-only."""

from __future__ import annotations

import pytest

from pendopo.catalog.tests.factories import make_service

pytestmark = pytest.mark.django_db


def test_admin_lists_only_the_region_s_services_and_changes_nothing(client, world):
    make_service(world.admin_a, world.agency_a1, "KTP-EL", "KTP Banyuwangi")
    make_service(world.admin_b, world.agency_b1, "KTP-EL", "KTP Mamuju Tengah")
    client.force_login(world.admin_b)
    page = client.get("/admin/catalog/service/").content.decode()
    assert "KTP Mamuju Tengah" in page and "KTP Banyuwangi" not in page
    assert client.get("/admin/catalog/servicestandard/").status_code == 200
    assert client.get("/admin/catalog/service/add/").status_code == 403
    client.force_login(world.officer_a1)
    assert client.get("/admin/catalog/service/").status_code == 302  # not an admin user: to the login
