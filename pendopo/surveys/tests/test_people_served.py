"""The people served (the population of the minimum sample): counted by Pendopo from the applications
received, unless an officer entered the number (docs/surveys.md, "Sample adequacy")."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pendopo.applications import actions as applications
from pendopo.applications.tests.conftest import valid_form
from pendopo.catalog.tests.factories import make_service, standard_data
from pendopo.surveys import ikm, reports, selectors
from pendopo.surveys.indices import Level, Source
from pendopo.surveys.models import ServedCount
from pendopo.surveys.periods import Period
from pendopo.surveys.tests.conftest import answer

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
FEBRUARY = dt.datetime(2026, 2, 10, 9, 0, tzinfo=WIB)
Q1 = Period.parse("2026-Q1")
COUNTED = "counted by Pendopo from applications"
ENTERED = "entered by an officer"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def published(world):
    """Services with a published standard, so that citizens can apply online."""

    def make(agency, code, name):
        with time_machine.travel(dt.datetime(2026, 1, 5, 9, 0, tzinfo=WIB), tick=False):
            return make_service(world.head_a1 if agency == world.agency_a1 else world.admin_a, agency, code, name)

    return make


@pytest.fixture
def ktp(published, world):
    return published(world.agency_a1, "KTP-EL", "Penerbitan KTP Elektronik")


@pytest.fixture
def apply(world):
    """`apply(service, n, at)`: n online applications received at `at` (the citizen's, through the applications app)."""

    def make(service, count, at=FEBRUARY):
        for _ in range(count):
            applications.submit_application(world.citizen, service, valid_form(service).to_input(), received_at=at)

    return make


def respond(service, count, at=FEBRUARY):
    with time_machine.travel(at, tick=False):
        for _ in range(count):
            answer(service, 4)


def report(client, world, query):
    url = reverse("surveys:report", args=[world.region_a.slug]) + f"?{query}&periode=2026-Q1"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    return page.content.decode()


def test_the_count_of_applications_decides_the_sample(client, world, ktp, apply):
    respond(ktp, 6)
    before = reports.summary_of(reports.Unit(world.region_a, service=ktp), Q1)
    assert (before.population, before.sample, before.population_source) == (None, None, None)
    assert "no number of people served was entered, so the minimum sample is unknown" in report(client, world, "layanan=KTP-EL")

    apply(ktp, 5)
    summary = reports.summary_of(reports.Unit(world.region_a, service=ktp), Q1)
    assert (summary.population, summary.sample, summary.short_of_sample) == (5, 5, 0)
    assert summary.population_source == Source.COUNTED
    html = report(client, world, "layanan=KTP-EL")
    assert f"People served: 5 ({COUNTED})" in html and "The sample is large enough." in html

    # Ten more in February, and some that are not this unit's: another quarter, another region.
    apply(ktp, 10)
    apply(ktp, 3, at=dt.datetime(2026, 4, 1, 0, 0, tzinfo=WIB))
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, 0, tzinfo=WIB), tick=False):
        other_region = make_service(world.admin_b, world.agency_b1)
    apply(other_region, 4)
    short = ikm.sample_size(15) - 6
    assert short > 0
    summary = reports.summary_of(reports.Unit(world.region_a, service=ktp), Q1)
    assert (summary.population, summary.sample, summary.short_of_sample) == (15, ikm.sample_size(15), short)
    html = report(client, world, "layanan=KTP-EL")
    assert f"People served: 15 ({COUNTED})" in html and f"{short} responses short of the minimum sample" in html
    # The agency and the region add their services' counts up.
    for unit in (reports.Unit(world.region_a, agency=world.agency_a1), reports.Unit(world.region_a)):
        summary = reports.summary_of(unit, Q1)
        assert (summary.population, summary.population_source) == (15, Source.COUNTED)
    assert reports.summary_of(reports.Unit(world.region_a, service=ktp), Period.parse("2026-Q2")).population == 3


def test_an_entered_number_wins_over_the_count(client, world, ktp, published, apply):
    akta = published(world.agency_a1, "AKTA-LAHIR", "Akta Kelahiran")
    apply(ktp, 15)
    apply(akta, 4)
    respond(ktp, 6)
    respond(akta, 4)
    # KTP-EL is also delivered at the village offices, outside Pendopo: its officer enters the total.
    for month, served in ((1, 100), (2, 120), (3, 80)):
        ServedCount.objects.create(
            region=world.region_a, agency=world.agency_a1, service=ktp, year=2026, month=month, served=served
        )
    summary = reports.summary_of(reports.Unit(world.region_a, service=ktp), Q1)
    assert (summary.population, summary.sample, summary.population_source) == (300, ikm.sample_size(300), Source.ENTERED)
    assert summary.short_of_sample == ikm.sample_size(300) - 6
    assert f"People served: 300 ({ENTERED})" in report(client, world, "layanan=KTP-EL")
    # Akta keeps its count; the agency adds an entered number and a counted one.
    assert reports.summary_of(reports.Unit(world.region_a, service=akta), Q1).population_source == Source.COUNTED
    agency = reports.summary_of(reports.Unit(world.region_a, agency=world.agency_a1), Q1)
    assert (agency.population, agency.population_source) == (304, Source.MIXED)
    html = report(client, world, "opd=DISDUKCAPIL")
    assert "People served: 304 (partly entered by an officer, partly counted by Pendopo from applications)" in html
    assert f"People served: 4 ({COUNTED})" in html  # Akta's row in the comparison

    # The agency's own record wins over its services' numbers.
    ServedCount.objects.create(region=world.region_a, agency=world.agency_a1, year=2026, month=2, served=1000)
    agency = reports.summary_of(reports.Unit(world.region_a, agency=world.agency_a1), Q1)
    assert (agency.population, agency.population_source) == (1000, Source.ENTERED)
    assert f"People served: 1,000 ({ENTERED})" in report(client, world, "opd=DISDUKCAPIL")

    # The XLSX and the API say the same, source included.
    client.force_login(world.head_a1)
    url = reverse("surveys:report_xlsx", args=[world.region_a.slug]) + "?opd=DISDUKCAPIL&periode=2026-Q1"
    xlsx = b"".join(client.get(url, HTTP_ACCEPT_LANGUAGE="en").streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = rows[4]
    served, source = header.index("People served"), header.index("People served: source")
    assert (rows[5][served], rows[5][source]) == (1000, ENTERED)
    by_code = {row[0]: row for row in rows[9:] if row and row[0] in ("KTP-EL", "AKTA-LAHIR")}
    assert (by_code["KTP-EL"][served], by_code["KTP-EL"][source]) == (300, ENTERED)
    assert (by_code["AKTA-LAHIR"][served], by_code["AKTA-LAHIR"][source]) == (4, COUNTED)
    client.logout()
    api = client.get(f"/api/v1/regions/{world.region_a.regency_id}/skm/indices?level=service&period=2026-Q1&agency=DISDUKCAPIL")
    assert {row["code"]: (row["people_served"], row["people_served_source"]) for row in api.json()["items"]} == {
        "KTP-EL": (300, "entered"),
        "AKTA-LAHIR": (4, "counted"),
    }


def test_counting_is_one_query_whatever_the_number_of_services(world, published, apply, django_assert_num_queries):
    services = [published(world.agency_a1, f"L{number}", f"Layanan {number}") for number in range(3)]
    services += [published(world.agency_a2, f"V{number}", f"Vaksin {number}") for number in range(2)]
    for number, service in enumerate(services, start=1):
        apply(service, number)
    with django_assert_num_queries(1):
        received = selectors.applications_received(world.region_a, Q1)
    assert received == {(service.agency_id, service.pk): number for number, service in enumerate(services, start=1)}
    with django_assert_num_queries(2):  # the officers' records and the applications
        numbers = reports.people_served(world.region_a, Q1)
    assert numbers.population(Level.AGENCY, world.agency_a1.pk) == 1 + 2 + 3
    assert numbers.population(Level.AGENCY, world.agency_a2.pk) == 4 + 5
    assert numbers.population(Level.REGION, None) == 15


def report_queries(client, world, query):
    with CaptureQueriesContext(connection) as queries:
        report(client, world, query)
    return len(queries)


def test_the_report_counts_in_one_query_however_many_services_have_applications(client, world, ktp, published, apply):
    respond(ktp, 2)
    apply(ktp, 1)
    before = {query: report_queries(client, world, query) for query in ("opd=DISDUKCAPIL", "layanan=KTP-EL", "")}
    for number in range(4):
        service = published(world.agency_a1 if number % 2 else world.agency_a2, f"L{number}", f"Layanan {number}")
        apply(service, 2)
        respond(service, 1)
    after = {query: report_queries(client, world, query) for query in before}
    assert after == before


def test_who_sees_the_count_is_unchanged(client, world, ktp, apply):
    """The number is a public figure, the same for everyone; raw responses stay with the unit's staff."""
    apply(ktp, 15)
    respond(ktp, 6)
    expected = f"People served: 15 ({COUNTED})"
    for user in (None, world.officer_a1, world.officer_a2, world.admin_b):
        client.logout()
        if user is not None:
            client.force_login(user)
        assert expected in report(client, world, "layanan=KTP-EL")
    client.logout()
    api = client.get(f"/api/v1/regions/{world.region_a.regency_id}/skm/index?period=2026-Q1&service=KTP-EL").json()
    assert (api["people_served"], api["people_served_source"]) == (15, "counted")
    xlsx = reverse("surveys:report_xlsx", args=[world.region_a.slug]) + "?layanan=KTP-EL&periode=2026-Q1"
    for user, status in ((None, 404), (world.officer_a2, 404), (world.admin_b, 404), (world.officer_a1, 200)):
        client.logout()
        if user is not None:
            client.force_login(user)
        assert client.get(xlsx).status_code == status


def _counted_from_cases(region, period):
    """The people served as the report counted them before the monthly counts: every case received."""
    from pendopo.workflow.metrics import received_by
    from pendopo.workflow.models import Case, CaseKind

    start, end = period.bounds(region.time_zone)
    cases = Case.objects.filter(region=region, kind=CaseKind.APPLICATION)
    return received_by(cases, ["application__service__agency_id", "application__service_id"], start=start, end=end)


def test_the_kept_monthly_counts_give_the_numbers_counting_every_application_gave(world, apply):
    """Applications at the edges of months in the region's time, read back over whole and part months."""
    from pendopo.applications.models import ReceivedMonth
    from pendopo.applications.received import recount

    with time_machine.travel(dt.datetime(2025, 11, 20, 9, 0, tzinfo=WIB), tick=False):
        standard = standard_data(decree_date=dt.date(2025, 11, 20))
        earlier = {"effective_from": dt.date(2025, 12, 1), "standard": standard}
        ktp = make_service(world.head_a1, world.agency_a1, "KTP-EL", "KTP", **earlier)
        vaccine = make_service(world.admin_a, world.agency_a2, "VAKSIN", "Vaksin", **earlier)
    moments = [
        (ktp, dt.datetime(2025, 12, 31, 23, 30, tzinfo=WIB)),  # 16:30 UTC: still December in Banyuwangi
        (ktp, dt.datetime(2026, 1, 1, 0, 10, tzinfo=WIB)),  # 17:10 UTC on 31 December: January here
        (vaccine, dt.datetime(2026, 1, 31, 23, 59, tzinfo=WIB)),
        (ktp, dt.datetime(2026, 2, 1, 0, 0, tzinfo=WIB)),
        (vaccine, dt.datetime(2026, 2, 10, 9, 0, tzinfo=WIB)),
        (ktp, dt.datetime(2026, 2, 28, 23, 59, tzinfo=WIB)),
        (ktp, dt.datetime(2026, 3, 1, 0, 0, tzinfo=WIB)),
        (vaccine, dt.datetime(2026, 3, 15, 12, 0, tzinfo=WIB)),
    ]
    for service, at in moments:
        with time_machine.travel(at, tick=False):
            apply(service, 2, at)
    periods = [
        Period.parse(key)
        for key in (
            "2025",
            "2025-12",
            "2026",
            "2026-S1",
            "2026-Q1",
            "2026-01",
            "2026-02",
            "2026-03",
            "2026-04",
            "2026-01-31..2026-02-28",  # a day of January and all of February
            "2026-02-10..2026-02-20",  # inside one month
            "2025-12-31..2026-03-01",  # part-months at both ends of two whole months
            "2026-02-01..2026-03-31",  # whole months only
        )
    ]
    expected = {period.key: _counted_from_cases(world.region_a, period) for period in periods}
    assert expected["2026-Q1"] == {(world.agency_a1.pk, ktp.pk): 8, (world.agency_a2.pk, vaccine.pk): 6}
    assert {period.key: selectors.applications_received(world.region_a, period) for period in periods} == expected

    # Rebuilt from the applications (as for data written around the action), the same rows.
    kept = set(ReceivedMonth.objects.values_list("service_id", "year", "month", "received"))
    assert recount([world.region_a]) == len(kept) == 7
    assert set(ReceivedMonth.objects.values_list("service_id", "year", "month", "received")) == kept


def test_a_period_of_whole_months_reads_the_counts_not_the_applications(world, ktp, apply):
    apply(ktp, 3)
    with CaptureQueriesContext(connection) as queries:
        selectors.applications_received(world.region_a, Q1)
    assert len(queries) == 1
    assert "applications_receivedmonth" in queries[0]["sql"] and "applications_application" not in queries[0]["sql"]
