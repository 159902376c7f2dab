"""Report pages run the same number of queries whatever the number of units and responses (Zulip-style guard)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pendopo.catalog.models import Service
from pendopo.regions.tests.factories import AgencyFactory
from pendopo.surveys.models import FollowUpPlan, ServedCount
from pendopo.surveys.tests.conftest import answer

NOW = dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC)


def pages(world):
    base = world.region_a.slug
    return {
        "public": (None, reverse("surveys:public", args=[base])),
        "region report": (None, reverse("surveys:report", args=[base]) + "?periode=2026"),
        "agency report (head)": (world.head_a1, reverse("surveys:report", args=[base]) + "?opd=DISDUKCAPIL&periode=2026"),
        "region report (admin)": (world.admin_a, reverse("surveys:report", args=[base]) + "?periode=2026-Q4"),
        "service report": (None, reverse("surveys:report", args=[base]) + "?layanan=KTP-EL&periode=2026-11"),
        "agency pdf": (world.head_a1, reverse("surveys:report_pdf", args=[base]) + "?opd=DISDUKCAPIL&periode=2026"),
        "agency xlsx": (world.head_a1, reverse("surveys:report_xlsx", args=[base]) + "?opd=DISDUKCAPIL&periode=2026"),
        "region xlsx": (world.admin_a, reverse("surveys:report_xlsx", args=[base]) + "?periode=2026"),
    }


def count_queries(client, world):
    counts = {}
    for name, (user, url) in pages(world).items():
        client.logout()
        if user is not None:
            client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


def grow(world, services, agencies=6, services_each=3, responses_each=5):
    """More agencies, services, responses, suggestions, people served and follow-up plans."""
    for number in range(agencies):
        agency = AgencyFactory(region=world.region_a, code=f"OPD{number}", name=f"Dinas {number}")
        ServedCount.objects.create(region=world.region_a, agency=agency, year=2026, month=11, served=500 + number)
        FollowUpPlan.objects.create(region=world.region_a, agency=agency, period="2026", text="Rencana", entered_by=world.admin_a)
        for kind in range(services_each):
            service = Service.objects.create(region=world.region_a, agency=agency, code=f"L{number}-{kind}", name=f"L {kind}")
            for response in range(responses_each):
                answer(service, 1 + (number + kind + response) % 4, suggestion=f"Saran {response}")
    for response in range(40):
        answer(services.ktp, 1 + response % 4, service_point=world.counter_a, suggestion="Antrian cepat")
        answer(services.akta, 1 + response % 4, service_point=world.counter_a, suggestion=f"Saran {response % 7}")


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_report_pages_run_a_constant_number_of_queries(client, world, services, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # Already more suggestions than a report lists (so their total is counted), a service point,
    # each kind of unit: what grows next is only the number of units and responses.
    for response in range(55):
        answer(services.ktp, 1 + response % 4, service_point=world.counter_a, suggestion="Antrian cepat")
    answer(services.akta, 3, suggestion="Antrian cepat")
    answer(services.vaksin, 2)
    ServedCount.objects.create(region=world.region_a, agency=world.agency_a1, year=2026, month=11, served=100)
    count_queries(client, world)  # the staff's memberships are cached after their first request
    small = count_queries(client, world)
    grow(world, services)
    large = count_queries(client, world)
    assert large == small
