"""The public, read-only regions API under /api/v1/."""

from __future__ import annotations

import pytest

from pendopo.regions.models import ServicePoint
from pendopo.regions.tests.factories import AgencyFactory, ServicePointFactory


def test_regions_list_is_paged_with_total(client, world):
    response = client.get("/api/v1/regions", {"page_size": 1})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["page"] == 1
    assert body["page_size"] == 1
    assert [item["code"] for item in body["items"]] == ["35.10"]
    second = client.get("/api/v1/regions", {"page_size": 1, "page": 2}).json()
    assert [item["code"] for item in second["items"]] == ["76.06"]


def test_region_read_gives_public_fields_only(client, world):
    body = client.get("/api/v1/regions/76.06").json()
    assert body == {
        "code": "76.06",
        "slug": "mamuju-tengah",
        "name": "Kabupaten Mamuju Tengah",
        "prefix": "MTG",
        "province": "Sulawesi Barat",
        "time_zone": "Asia/Makassar",
        "tagline": "",
    }
    assert "id" not in body


def test_unknown_region_is_a_json_404(client, world):
    response = client.get("/api/v1/regions/99.99")
    assert response.status_code == 404
    body = response.json()
    assert body["errors"] == []
    assert body["detail"] in ("Not found.", "Tidak ditemukan.")


def test_inactive_region_is_hidden_from_the_public(client, world):
    world.region_b.is_active = False
    world.region_b.save()
    assert client.get("/api/v1/regions/76.06").status_code == 404
    assert client.get("/api/v1/regions").json()["count"] == 1


def test_agencies_of_a_region(client, world):
    body = client.get("/api/v1/regions/35.10/agencies").json()
    assert body["count"] == 2
    assert {a["code"] for a in body["items"]} == {"DISDUKCAPIL", "DINKES"}
    one = client.get("/api/v1/regions/35.10/agencies/DINKES").json()
    assert one["name"] == "Dinas Kesehatan"


def test_agency_of_another_region_is_not_found_under_this_one(client, world):
    assert client.get("/api/v1/regions/76.06/agencies/DINKES").status_code == 404


def test_invalid_paging_gets_a_clear_422(client, world):
    response = client.get("/api/v1/regions", {"page": "abc"})
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["field"] == "page"


@pytest.mark.parametrize("count", [3, 30])
def test_agency_list_query_count_is_constant(client, world, count, django_assert_num_queries):
    for n in range(count):
        AgencyFactory(region=world.region_a, code=f"X{n}")
    # region lookup, count, page of agencies
    with django_assert_num_queries(3):
        response = client.get("/api/v1/regions/35.10/agencies", {"page_size": 100})
    assert response.json()["count"] == count + 2


def test_openapi_document_describes_the_regions_api(client, db):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["info"]["title"] == "Pendopo API"
    assert "/api/v1/regions" in doc["paths"]
    assert "/api/v1/regions/{code}/agencies" in doc["paths"]


@pytest.mark.parametrize("count", [2, 20])
def test_service_points_of_a_region_name_their_mall_and_agency(client, world, count, django_assert_num_queries):
    mall = ServicePointFactory(
        region=world.region_a, code="MPP", name="Mal Pelayanan Publik", kind=ServicePoint.Kind.SERVICE_MALL
    )
    for n in range(count):
        ServicePointFactory(region=world.region_a, code=f"MPP-L{n:02d}", parent=mall, agency=world.agency_a1)
    ServicePointFactory(region=world.region_a, code="TUTUP", is_active=False)
    ServicePointFactory(region=world.region_b, code="MATENG-01")
    # region lookup, count, page of service points with their mall and agency
    with django_assert_num_queries(3):
        body = client.get("/api/v1/regions/35.10/service-points", {"page_size": 500}).json()
    items = {item["code"]: item for item in body["items"]}
    assert body["count"] == count + 2
    assert set(items) == {"MPP", "MPP-01", *(f"MPP-L{n:02d}" for n in range(count))}  # inactive and region B's left out
    assert items["MPP-L00"]["parent"] == "MPP"
    assert items["MPP-L00"]["agency"] == "DISDUKCAPIL"
    assert items["MPP"] == {
        "code": "MPP",
        "name": "Mal Pelayanan Publik",
        "kind": "mall",
        "address": "",
        "parent": None,
        "agency": None,
    }


def test_service_points_of_an_inactive_region_are_not_found(client, world):
    world.region_b.is_active = False
    world.region_b.save()
    assert client.get("/api/v1/regions/76.06/service-points").status_code == 404
