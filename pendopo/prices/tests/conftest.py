"""Markets, enumerators and the national reference data on top of the shared `world` personas.

Agency A1 plays region A's trade office: officer_a1 is the enumerator of market `pasar_a`,
head_a1 its coordinator (approves); officer_a2 (agency A2) is staff of the region but assigned
to no market. Region B has one market with officer_b1 as its enumerator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from pendopo.prices.models import Commodity, EnumeratorAssignment, Market, PriceEntry
from pendopo.prices.reference_data import load_reference_data


@dataclass
class Prices:
    pasar_a: Market
    pasar_a2: Market
    pasar_b: Market
    beras: Commodity
    gula: Commodity
    cabai: Commodity


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """The weekly briefs' PDF and DOCX files (prices/brief.py) go to a folder of each test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def prices(world) -> Prices:
    load_reference_data()
    pasar_a = Market.objects.create(region=world.region_a, agency=world.agency_a1, code="banyuwangi", name="Pasar Banyuwangi")
    pasar_a2 = Market.objects.create(region=world.region_a, agency=world.agency_a1, code="genteng", name="Pasar Genteng")
    pasar_b = Market.objects.create(region=world.region_b, agency=world.agency_b1, code="tobadak", name="Pasar Tobadak")
    EnumeratorAssignment.objects.create(region=world.region_a, market=pasar_a, user=world.officer_a1)
    EnumeratorAssignment.objects.create(region=world.region_b, market=pasar_b, user=world.officer_b1)
    return Prices(
        pasar_a=pasar_a,
        pasar_a2=pasar_a2,
        pasar_b=pasar_b,
        beras=Commodity.objects.get(code="beras-medium"),
        gula=Commodity.objects.get(code="gula-pasir"),
        cabai=Commodity.objects.get(code="cabai-rawit-merah"),
    )


def approved(market: Market, commodity: Commodity, day: dt.date, price: int) -> PriceEntry:
    return PriceEntry.objects.create(
        region_id=market.region_id, market=market, commodity=commodity, date=day, price=price, status=PriceEntry.Status.APPROVED
    )
