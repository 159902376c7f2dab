import datetime as dt
import uuid

import pytest
import time_machine

from pendopo.prices.models import CommodityWeight, PriceEntry
from pendopo.prices.tests.conftest import approved

TODAY = dt.date(2025, 3, 10)
API = "/api/v1/prices/35.10"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2025, 3, 10, 3, 0, tzinfo=dt.UTC), tick=False):
        yield


def test_public_reads_show_approved_prices_only(client, world, prices):
    approved(prices.pasar_a, prices.beras, TODAY, 13250)
    PriceEntry.objects.create(region=world.region_a, market=prices.pasar_a, commodity=prices.gula, date=TODAY, price=19999)
    assert [m["code"] for m in client.get(f"{API}/markets").json()] == ["banyuwangi", "genteng"]
    assert client.get(f"{API}/prices").json() == [
        {"market": "banyuwangi", "commodity": "beras-medium", "date": "2025-03-10", "price": 13250}
    ]
    assert client.get("/api/v1/prices/99.99/prices").status_code == 404


def test_indicators_reproduce_the_pages_figures(client, world, prices):
    approved(prices.pasar_a, prices.gula, dt.date(2025, 2, 14), 18000)
    approved(prices.pasar_a, prices.gula, dt.date(2025, 3, 1), 17730)
    approved(prices.pasar_a, prices.beras, dt.date(2025, 2, 10), 14000)
    approved(prices.pasar_a, prices.beras, dt.date(2025, 3, 3), 14210)
    approved(prices.pasar_a, prices.gula, TODAY, 18200)
    approved(prices.pasar_a, prices.beras, TODAY, 14210)
    CommodityWeight.objects.create(region=world.region_a, commodity=prices.beras, weight=5)
    CommodityWeight.objects.create(region=world.region_a, commodity=prices.gula, weight=2)
    body = client.get(f"{API}/indicators").json()
    gula = next(c for c in body["commodities"] if c["commodity"] == "gula-pasir")
    assert (gula["price"], gula["deviation"], gula["status"]) == ("18200.00", "4.00", "above")
    assert set(body["iph"]["contributions"]) == {"beras-medium", "gula-pasir"}
    assert body["iph"]["contributions"]["beras-medium"]["change"] == "1.50"
    assert client.get(f"{API}/indicators?market=nowhere").status_code == 404


def test_an_assigned_enumerator_enters_once_per_key(client, world, prices):
    client.force_login(world.officer_a1)
    key = str(uuid.uuid4())
    body = {
        "market": "banyuwangi",
        "date": "2025-03-10",
        "prices": [{"commodity": "beras-medium", "price": "13.500", "key": key}],
    }
    first = client.post(f"{API}/entries", body, content_type="application/json")
    assert first.status_code == 201
    assert first.json() == [{"commodity": "beras-medium", "price": 13500, "status": "pending", "key": key, "created": True}]
    again = client.post(f"{API}/entries", body, content_type="application/json")
    assert again.status_code == 200 and again.json()[0]["created"] is False
    assert PriceEntry.objects.count() == 1


def test_bad_entries_are_422_with_the_field(client, world, prices):
    client.force_login(world.officer_a1)
    body = {"market": "banyuwangi", "date": "2025-03-10", "prices": [{"commodity": "beras-medium", "price": "13,5"}]}
    answer = client.post(f"{API}/entries", body, content_type="application/json")
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "prices.beras-medium.price"
    body["prices"] = [{"commodity": "apel", "price": "1000"}]
    assert client.post(f"{API}/entries", body, content_type="application/json").status_code == 422
    body.update(date="2025-03-11", prices=[{"commodity": "beras-medium", "price": "13500"}])
    assert client.post(f"{API}/entries", body, content_type="application/json").status_code == 422
    assert not PriceEntry.objects.exists()


@pytest.mark.parametrize("who", ["officer_a2", "head_a1", "officer_b1", "admin_b", "citizen"])
def test_others_cannot_enter(client, world, prices, who):
    client.force_login(getattr(world, who))
    body = {"market": "banyuwangi", "date": "2025-03-10", "prices": [{"commodity": "beras-medium", "price": "13500"}]}
    assert client.post(f"{API}/entries", body, content_type="application/json").status_code == 404
    assert not PriceEntry.objects.exists()


def test_entering_needs_a_login(client, world, prices):
    body = {"market": "banyuwangi", "date": "2025-03-10", "prices": [{"commodity": "beras-medium", "price": "13500"}]}
    assert client.post(f"{API}/entries", body, content_type="application/json").status_code == 401


def test_the_openapi_document_lists_the_prices_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/prices/{code}/markets", "/api/v1/prices/{code}/indicators", "/api/v1/prices/{code}/entries"} <= set(paths)
