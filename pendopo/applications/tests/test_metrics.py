"""Service metrics of applications, pinned by numbers computed by hand (docs/applications.md, 'Metrics').

Banyuwangi works Monday–Thursday 07:30–15:30 and Friday 07:30–14:00; KTP-EL has 3 working days.
February 2026, looked at on Monday 9 February 12:00 WIB:

| app | received | outcome | overall deadline | processing (working days) |
| A | Mon 2 Feb 09:00 | completed Tue 3 Feb 10:00 (on time) | Thu 5 Feb 15:30 | 1 (540 working minutes) |
| B | Mon 2 Feb 09:00 | completed Mon 9 Feb 10:00 (late) | Thu 5 Feb 15:30 | 5 (2,370 working minutes) |
| C | Tue 3 Feb 09:00 | open, overdue | Fri 6 Feb 14:00 | backlog age 4 |
| D | Mon 9 Feb 08:00 | open, in time | Thu 12 Feb 15:30 | backlog age 0 |
| E | Mon 2 Feb 09:00 | rejected Wed 4 Feb 09:00 | — | — |

received 5, completed 2, on time 1, rejected 1, open 2, open overdue 1;
on-time rate = 1 / (2 + 1) = 33 %; median processing (1 + 5) / 2 = 3.0; 90th percentile: rank
ceil(0.9 × 2) = 2 → 5; backlog age median (4 + 0) / 2 = 2.0, max 4.
"""

from __future__ import annotations

import pytest

from pendopo.applications import actions
from pendopo.applications.metrics_views import month_period, service_metrics
from pendopo.applications.tests.conftest import valid_form, wib

pytestmark = pytest.mark.django_db


def complete(application, world):
    for step in ("receive", "verify", "submit_for_approval"):
        actions.take_action(application, step, world.officer_a1)
    actions.take_action(application, "approve", world.head_a1)


@pytest.fixture
def february(world, service, frozen):
    def submit():
        return actions.submit_application(world.citizen, service, valid_form(service).to_input())

    frozen(wib(2026, 2, 2, 9, 0))
    a, b, e = submit(), submit(), submit()
    frozen(wib(2026, 2, 3, 9, 0))
    c = submit()
    frozen(wib(2026, 2, 3, 10, 0))
    complete(a, world)
    frozen(wib(2026, 2, 4, 9, 0))
    actions.take_action(e, "reject", world.officer_a1, note="Bukan warga Banyuwangi")
    frozen(wib(2026, 2, 9, 8, 0))
    d = submit()
    frozen(wib(2026, 2, 9, 10, 0))
    complete(b, world)
    frozen(wib(2026, 2, 9, 12, 0))
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def test_metrics_of_february_by_hand(world, february):
    period = month_period(world.region_a, "2026-02")
    total, by_service, by_agency = service_metrics(world.head_a1, world.region_a, period)

    assert (total.received, total.completed, total.completed_on_time, total.rejected) == (5, 2, 1, 1)
    assert (total.open, total.open_overdue) == (2, 1)
    assert total.on_time_rate == pytest.approx(1 / 3)
    assert (total.median_processing_days, total.p90_processing_days) == (3.0, 5)
    assert (total.backlog_median_age_days, total.backlog_max_age_days) == (2.0, 4)
    assert [(row.name, row.metrics) for row in by_service] == [("Penerbitan KTP Elektronik", total)]
    assert [(row.name, row.metrics.received) for row in by_agency] == [("Dinas Kependudukan dan Pencatatan Sipil", 5)]


def test_the_metrics_page_shows_them_to_the_head_and_not_to_another_agency(client, world, february):
    client.force_login(world.head_a1)
    page = client.get("/r/banyuwangi/kinerja-layanan/?month=2026-02", headers={"accept-language": "en"}).content.decode()
    assert "Penerbitan KTP Elektronik" in page and "33 %" in page
    for month in ("abc", "1900-01", "2026-13"):
        response = client.get(f"/r/banyuwangi/kinerja-layanan/?month={month}")
        assert response.status_code == 400 and "Isi bulan antara 2000-01 dan 2100-12" in response.content.decode()

    client.force_login(world.admin_b)
    assert client.get("/r/banyuwangi/kinerja-layanan/?month=2026-02").status_code == 404


def test_a_previous_month_has_nothing_received(world, february):
    total, by_service, _ = service_metrics(world.head_a1, world.region_a, month_period(world.region_a, "2026-01"))
    assert total.received == 0 and by_service == []
