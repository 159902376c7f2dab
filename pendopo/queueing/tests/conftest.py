"""A service mall in each persona region: pools, counters, services (see the shared `world`)."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

import pytest
import time_machine

from pendopo.catalog.models import Service
from pendopo.queueing.models import Device, QueuePool
from pendopo.queueing.selectors import device_token_hash
from pendopo.regions.models import ServicePoint

# Monday 7 December 2026, 09:00 WIB: the Banyuwangi mall is open.
MONDAY_9_WIB = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)


@dataclass
class Mall:
    mall_a: ServicePoint
    counter_a: ServicePoint  # agency A1, pool A
    counter_a2: ServicePoint  # agency A2, pool B
    counter_a3: ServicePoint  # agency A1, pool A
    ktp: Service
    kk: Service
    health: Service
    pool_a: QueuePool
    pool_b: QueuePool
    mall_b: ServicePoint
    counter_b: ServicePoint
    pool_m: QueuePool
    kiosk_token: str
    display_token: str
    kiosk: Device
    display: Device


def make_device(region, mall, kind, name):
    token = secrets.token_urlsafe(16)
    device = Device.objects.create(region=region, service_point=mall, kind=kind, name=name, token_hash=device_token_hash(token))
    return device, token


@pytest.fixture
def mall(world) -> Mall:
    ra, rb = world.region_a, world.region_b
    mall_a = ServicePoint.objects.create(region=ra, code="MPP", name="Mal Pelayanan Publik Banyuwangi", kind="mall")
    counter_a = world.counter_a
    counter_a.parent, counter_a.agency, counter_a.code = mall_a, world.agency_a1, "MPP-L01"
    counter_a.save()
    counter_a2 = ServicePoint.objects.create(
        region=ra, code="MPP-L02", name="Loket 2 Dinkes", kind="counter", parent=mall_a, agency=world.agency_a2
    )
    counter_a3 = ServicePoint.objects.create(
        region=ra, code="MPP-L03", name="Loket 3 Dispendukcapil", kind="counter", parent=mall_a, agency=world.agency_a1
    )
    ktp = Service.objects.create(region=ra, agency=world.agency_a1, code="KTP-EL", name="Kartu Tanda Penduduk Elektronik")
    kk = Service.objects.create(region=ra, agency=world.agency_a1, code="KK", name="Kartu Keluarga")
    health = Service.objects.create(region=ra, agency=world.agency_a2, code="SIP", name="Surat Izin Praktik")
    pool_a = QueuePool.objects.create(region=ra, service_point=mall_a, agency=world.agency_a1, prefix="A", name="Kependudukan")
    pool_a.services.set([ktp, kk])
    pool_a.counters.set([counter_a, counter_a3])
    pool_b = QueuePool.objects.create(region=ra, service_point=mall_a, agency=world.agency_a2, prefix="B", name="Kesehatan")
    pool_b.services.set([health])
    pool_b.counters.set([counter_a2])
    mall_b = ServicePoint.objects.create(region=rb, code="MPP", name="MPP Mamuju Tengah", kind="mall")
    counter_b = ServicePoint.objects.create(
        region=rb, code="MPP-L01", name="Loket 1", kind="counter", parent=mall_b, agency=world.agency_b1
    )
    pool_m = QueuePool.objects.create(region=rb, service_point=mall_b, agency=world.agency_b1, prefix="A", name="Kependudukan")
    pool_m.counters.set([counter_b])
    kiosk, kiosk_token = make_device(ra, mall_a, Device.Kind.KIOSK, "Kios 1")
    display, display_token = make_device(ra, mall_a, Device.Kind.DISPLAY, "Layar 1")
    return Mall(
        mall_a, counter_a, counter_a2, counter_a3, ktp, kk, health, pool_a, pool_b, mall_b, counter_b, pool_m,
        kiosk_token, display_token, kiosk, display,
    )  # fmt: skip


@pytest.fixture
def monday():
    with time_machine.travel(MONDAY_9_WIB, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The kiosk's double-tap memory and the booking rate live in the cache: each test starts without them."""
    from django.core.cache import cache

    cache.clear()
