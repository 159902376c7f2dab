"""Every capability is reachable from the menus: the public pages of a region for everyone, the
working pages for its staff, the administration for its administrators (regions/menus.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def nav(page: str, label: str) -> list[str]:
    """The links of one <nav> of the page (by its aria-label)."""
    match = re.search(rf'<nav[^>]*aria-label="{label}".*?</nav>', page, re.S)
    return re.findall(r'href="([^"]+)"', match.group(0)) if match else []


PUBLIC = [
    "/r/banyuwangi/",
    "/r/banyuwangi/layanan/",
    "/r/banyuwangi/opd/",
    "/r/banyuwangi/tempat-layanan/",
    "/r/banyuwangi/pengaduan/",
    "/r/banyuwangi/skm/",
    "/r/banyuwangi/harga/",
    "/r/banyuwangi/antrian/",
    "/r/banyuwangi/inovasi/",
    "/r/banyuwangi/kerja-sama/",
    "/lacak/",
    "/r/banyuwangi/sakip/",
]


def test_a_visitor_reaches_every_public_page_of_the_region(client, world):
    page = client.get("/r/banyuwangi/").content.decode()
    assert nav(page, "Menu utama") == ["/", *PUBLIC]
    assert nav(page, "Menu petugas") == []
    for path in PUBLIC:
        assert client.get(path).status_code == 200, path


def test_the_menu_marks_the_page_the_visitor_is_on(client, world):
    for path, label in (
        ("/r/banyuwangi/layanan/", "Layanan"),
        ("/r/banyuwangi/pengaduan/", "Pengaduan"),
        ("/r/banyuwangi/skm/", "Kepuasan (SKM)"),
        ("/r/banyuwangi/opd/", "Perangkat daerah"),
    ):
        page = client.get(path).content.decode()
        assert re.search(rf'aria-current="page">{re.escape(label)}</a>', page), path


def test_on_the_catalogue_management_pages_the_staff_entry_is_current_not_the_public_one(client, world):
    client.force_login(world.officer_a1)
    page = client.get("/r/banyuwangi/layanan/kelola/").content.decode()
    assert re.search(r'aria-current="page">Kelola layanan</a>', page)
    assert not re.search(r'aria-current="page">Layanan</a>', page)
    page = client.get("/r/banyuwangi/layanan/").content.decode()
    assert re.search(r'aria-current="page">Layanan</a>', page)
    assert not re.search(r'aria-current="page">Kelola layanan</a>', page)


def test_the_region_home_has_a_card_for_each_public_page(client, world):
    page = client.get("/r/banyuwangi/").content.decode()
    for path in ("/r/banyuwangi/layanan/", "/r/banyuwangi/pengaduan/", "/r/banyuwangi/skm/", "/lacak/"):
        assert f'class="card card-link" href="{path}"' in page, path


def test_outside_a_region_the_menu_offers_tracking(client, world):
    page = client.get("/").content.decode()
    assert nav(page, "Menu utama") == ["/", "/lacak/"]


def test_an_officer_reaches_the_inboxes_and_the_catalogue_pages(client, world):
    client.force_login(world.officer_a1)
    page = client.get("/r/banyuwangi/").content.decode()
    staff = nav(page, "Menu petugas")
    assert staff == [
        "/r/banyuwangi/kotak-masuk/",
        "/r/banyuwangi/pengaduan/kotak-masuk/",
        "/r/banyuwangi/antrian/loket/",
        "/r/banyuwangi/layanan/kelola/",
        "/r/banyuwangi/harga/dasbor/",
        "/r/banyuwangi/inovasi/kelola/",
    ]
    for path in staff:
        assert client.get(path).status_code == 200, path
    assert "/permohonan/" in nav(page, "Menu utama")  # their own applications
    assert "/admin/" not in page
    # The role panel on the region's home offers the same pages.
    panel = re.search(r'<section class="card panel-role".*?</section>', page, re.S).group(0)
    assert all(path in panel for path in staff)


def test_a_counter_officer_has_no_catalogue_to_manage(client, world):
    client.force_login(world.counter_officer_a)
    staff = nav(client.get("/r/banyuwangi/").content.decode(), "Menu petugas")
    assert staff == [
        "/r/banyuwangi/kotak-masuk/",
        "/r/banyuwangi/pengaduan/kotak-masuk/",
        "/r/banyuwangi/antrian/loket/",
        "/r/banyuwangi/harga/dasbor/",
        "/r/banyuwangi/inovasi/kelola/",
    ]
    for path in staff:
        assert client.get(path).status_code == 200, path


def test_a_head_also_reaches_the_service_performance(client, world):
    client.force_login(world.head_a1)
    staff = nav(client.get("/r/banyuwangi/").content.decode(), "Menu petugas")
    assert "/r/banyuwangi/kinerja-layanan/" in staff
    assert client.get("/r/banyuwangi/kinerja-layanan/").status_code == 200
    assert "/r/banyuwangi/sakip/kepala/" in staff  # the agency's SAKIP dashboard
    assert client.get("/r/banyuwangi/sakip/kepala/").status_code == 200


def test_a_region_administrator_reaches_the_administration(client, world):
    client.force_login(world.admin_a)
    page = client.get("/r/banyuwangi/layanan/").content.decode()
    assert "/admin/" in nav(page, "Menu utama")
    assert client.get("/admin/").status_code == 200
    assert "/r/banyuwangi/sakip/pimpinan/" in nav(page, "Menu petugas")  # the leadership's dashboard


def test_staff_of_another_region_get_no_working_menu_here(client, world):
    client.force_login(world.admin_b)
    page = client.get("/r/banyuwangi/").content.decode()
    assert nav(page, "Menu petugas") == []
    assert "/r/mamuju-tengah/kotak-masuk/" in nav(client.get("/r/mamuju-tengah/").content.decode(), "Menu petugas")


def test_an_agency_page_leads_to_its_services(client, world):
    page = client.get("/r/banyuwangi/opd/DINKES/").content.decode()
    assert 'href="/r/banyuwangi/layanan/?agency=DINKES"' in page


def test_the_api_root_points_to_its_document_docs_and_data(client, db):
    body = client.get("/api/v1/").json()
    assert body == {
        "name": "Pendopo API",
        "version": "1",
        "openapi": "/api/v1/openapi.json",
        "docs": "/api/v1/docs",
        "regions": "/api/v1/regions",
    }
    for path in (body["openapi"], body["docs"], body["regions"]):
        assert client.get(path).status_code == 200
    assert reverse("api:api_root") == "/api/v1/"
