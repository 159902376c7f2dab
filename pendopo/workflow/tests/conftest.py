"""Fixtures of the workflow tests: the default workflows of region A and a helper to open cases."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from pendopo.workflow import actions
from pendopo.workflow.engine import start_case
from pendopo.workflow.models import CaseKind

WIB = ZoneInfo("Asia/Jakarta")


def wib(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A moment in Banyuwangi's time zone: wib(2026, 3, 16, 10, 0)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=WIB)


@pytest.fixture
def service_definition(world):
    """The default service workflow the region got when it was set up (actions.set_up_region)."""
    return actions.ensure_default_definitions(world.region_a)[actions.DEFAULT_SERVICE_CODE]


@pytest.fixture
def complaint_definition(world):
    return actions.ensure_default_definitions(world.region_a)[actions.DEFAULT_COMPLAINT_CODE]


@pytest.fixture
def frozen():
    """Freeze the clock at a moment and move it: `frozen(wib(2026, 3, 2, 9, 0))`."""
    travellers = []

    def freeze(moment: dt.datetime):
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(moment, tick=False)
        traveller.start()
        travellers.append(traveller)

    yield freeze
    for traveller in travellers:
        traveller.stop()


@pytest.fixture
def open_application(world, service_definition):
    """Open an application of the citizen at agency A1 (5 working days overall unless told)."""

    def make(received_at=None, *, overall=(5, "working_days"), agency=None, service_point=None, **kwargs):
        return start_case(
            CaseKind.APPLICATION,
            world.region_a,
            kwargs.pop("definition", service_definition),
            agency=agency if agency is not None else (None if service_point else world.agency_a1),
            service_point=service_point,
            overall_time_limit=overall,
            actor=kwargs.pop("actor", world.citizen),
            received_at=received_at,
            owner=kwargs.pop("owner", world.citizen),
            **kwargs,
        )

    return make
