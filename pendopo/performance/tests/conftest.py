"""A Banyuwangi plan on top of the shared `world` personas, and the applications tests' clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import translation

from pendopo.applications.tests.conftest import _private_media, frozen, service, wib  # noqa: F401 -- shared fixtures
from pendopo.performance.models import Goal, Indicator, PlanningPeriod, Source, Target


@dataclass
class Plan:
    period: PlanningPeriod
    goal: Goal
    region_indicator: Indicator  # RPJMD, no agency
    docs: Indicator  # agency A1, higher is better, quarterly targets
    stunting: Indicator  # agency A2, lower is better
    sop: Indicator  # agency A1, yes/no
    ikm: Indicator  # agency A1, computed IKM, range target
    on_time: Indicator  # agency A1, computed on-time rate


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def plan(world) -> Plan:
    region = world.region_a
    period = PlanningPeriod.objects.create(
        region=region, name="RPJMD 2026–2030", start_year=2026, end_year=2030, is_published=True
    )
    goal = Goal.objects.create(region=region, period=period, code="S1", statement="Pelayanan publik yang prima")

    def indicator(code, agency, polarity, source=Source.MANUAL, parent=None, **extra):
        return Indicator.objects.create(
            region=region, period=period, goal=goal, agency=agency, code=code, name=f"Indikator {code}", unit="%",
            polarity=polarity, source=source, parent=parent, **extra,
        )  # fmt: skip

    top = indicator("IKU-1", None, "higher", is_key=True)
    plan = Plan(
        period=period,
        goal=goal,
        region_indicator=top,
        docs=indicator("A1-1", world.agency_a1, "higher", parent=top),
        stunting=indicator("A2-1", world.agency_a2, "lower", parent=top),
        sop=indicator("A1-2", world.agency_a1, "yes_no"),
        ikm=indicator("A1-3", world.agency_a1, "range", Source.IKM),
        on_time=indicator("A1-4", world.agency_a1, "higher", Source.ON_TIME),
    )
    for quarter in range(5):
        Target.objects.create(region=region, indicator=plan.docs, year=2026, quarter=quarter, value=Decimal(80))
        Target.objects.create(region=region, indicator=plan.stunting, year=2026, quarter=quarter, value=Decimal(10))
        Target.objects.create(
            region=region, indicator=plan.ikm, year=2026, quarter=quarter, value=Decimal(82), value_high=Decimal(90)
        )
        Target.objects.create(region=region, indicator=plan.on_time, year=2026, quarter=quarter, value=Decimal(90))
    return plan


@pytest.fixture
def in_q3(frozen):  # noqa: F811 -- the imported fixture
    frozen(wib(2026, 8, 10, 10, 0))


def day(year: int, month: int, d: int) -> dt.date:
    return dt.date(year, month, d)
