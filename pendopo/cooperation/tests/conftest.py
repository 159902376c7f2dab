"""Fixtures of the cooperation tests: the seed's two regions (world), a frozen day, a visit."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from pendopo.cooperation import actions
from pendopo.regions.models import Role
from pendopo.regions.tests.factories import AgencyFactory, UserFactory, member

NOW = dt.datetime(2022, 3, 10, 10, 0, tzinfo=ZoneInfo("Asia/Makassar"))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def bkpsdm(world):
    """Mamuju Tengah's human-resources agency, with its head."""
    agency = AgencyFactory(
        region=world.region_b, code="BKPSDM", name="Badan Kepegawaian dan Pengembangan SDM", short_name="BKPSDM"
    )
    head = UserFactory(username="kepala_bkpsdm")
    member(head, world.region_b, Role.HEAD, agency=agency)
    agency.head_user = head
    return agency


def request(world, **overrides):
    data = {
        "purpose": "Belajar tata kelola pelayanan publik dan inovasi.",
        "starts_on": dt.date(2022, 3, 8),
        "ends_on": dt.date(2022, 3, 9),
        "delegation": "Bupati Aras Tammauni\nSekda Askari\nKetua DPRD Arsal Aras Tammauni",
        "topics": "Tata kelola pelayanan publik\nInovasi daerah\nPengembangan SDM",
        "places": "Mal Pelayanan Publik\nKantor desa",
    }
    data.update(overrides)
    return actions.request_visit(world.admin_b, world.region_b, world.region_a, **data)


@pytest.fixture
def visit(world):
    return request(world)


@pytest.fixture
def held_visit(world, visit):
    actions.schedule_visit(
        world.admin_a,
        visit,
        [
            {
                "day": dt.date(2022, 3, 8),
                "starts_at": dt.time(9),
                "ends_at": dt.time(11),
                "title": "Mal Pelayanan Publik",
                "service_point": world.counter_a,
            },
            {
                "day": dt.date(2022, 3, 9),
                "starts_at": dt.time(9),
                "ends_at": dt.time(12),
                "title": "Diskusi",
                "agency": world.agency_a1,
                "kind": "meeting",
            },
        ],
    )
    return actions.record_held(world.admin_b, visit)
