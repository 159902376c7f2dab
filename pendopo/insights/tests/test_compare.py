"""Regions compared: published figures only, the apps' own definitions, a constant number of queries."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from pendopo.applications.tests.conftest import apply, frozen, service, wib  # noqa: F401 -- fixtures
from pendopo.catalog import actions as catalog_actions
from pendopo.catalog.tests.factories import make_service
from pendopo.complaints.tests.conftest import setup  # noqa: F401 -- the complaint categories fixture
from pendopo.insights import figures
from pendopo.surveys import indices
from pendopo.surveys.models import SurveyResponse
from pendopo.surveys.periods import Kind, Period
from pendopo.surveys.tests.conftest import answer
from pendopo.workflow.metrics import case_metrics
from pendopo.workflow.models import Case, CaseKind

pytestmark = pytest.mark.django_db
YEAR = Period(Kind.YEAR, 2026)


@pytest.fixture
def both(world, service, apply, frozen):  # noqa: F811 -- the imported fixtures
    """Banyuwangi's KTP-EL with two applications and three answers; Mamuju Tengah's copy of it, one answer."""
    frozen(wib(2026, 2, 2, 9, 0))
    apply()
    apply()
    for scores in (4, 3, 4):
        answer(service, scores)
    [copy] = catalog_actions.copy_services(world.admin_b, world.region_b, [catalog_actions.CopyPick(service, world.agency_b1)])
    draft = copy.standards.get()
    draft.decree_number, draft.decree_date = "188/12/KEP/2026", dt.date(2026, 2, 2)
    draft.save()
    catalog_actions.publish_standard(world.admin_b, draft, effective_from=dt.date(2026, 2, 3))
    copy.refresh_from_db()
    answer(copy, 2)
    return service, copy


def test_figures_are_the_apps_own(world, both):
    comparison = figures.compare([world.region_a, world.region_b], YEAR)
    a, b = comparison.columns
    start, end = YEAR.bounds(world.region_a.time_zone)
    metrics = case_metrics(Case.objects.filter(region=world.region_a, kind=CaseKind.APPLICATION), start=start, end=end)
    assert a.figures["applications"].value == metrics.received == 2
    assert a.figures["services"].value == 1 and b.figures["services"].value == 1
    index = indices.index_of(SurveyResponse.objects.filter(region=world.region_a), YEAR)
    assert str(a.figures["ikm"].value) == index.display()["converted"] and a.figures["ikm"].sample == 3
    assert a.figures["ikm"].small  # 3 answers < 30: marked, not hidden
    assert b.figures["applications"].value == 0
    # The copy sits in its original's row, matched by provenance.
    [row] = comparison.service_types
    assert set(row.cells) == {world.region_a.pk, world.region_b.pk}
    assert row.cells[world.region_a.pk]["applications"].value == 2


def test_only_published_figures_cross_regions(world, both):
    make_service(world.admin_b, world.agency_b1, code="DRAFT", name="Belum terbit", publish=False)
    comparison = figures.compare([world.region_a, world.region_b], YEAR)
    assert comparison.columns[1].figures["services"].value == 1  # the draft is not counted
    assert comparison.columns[0].figures["sakip"].value is None  # no published LKE round
    assert comparison.columns[0].figures["innovation"].value is None  # no verified innovation


def test_the_number_of_queries_does_not_grow_with_the_rows(world, both, apply):  # noqa: F811
    original, copy = both
    with CaptureQueriesContext(connection) as before:
        figures.compare([world.region_a, world.region_b], YEAR)
    for _ in range(3):
        apply()
        answer(original, 3)
        answer(copy, 4)
    with CaptureQueriesContext(connection) as after:
        figures.compare([world.region_a, world.region_b], YEAR)
    assert len(after) == len(before)


def test_the_page_the_chart_the_table_and_the_xlsx(client, world, both):
    url = reverse("insights:compare")
    page = client.get(url, {"wilayah": [world.region_a.slug, world.region_b.slug], "periode": "2026"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and 'id="comparison"' in body and "sampel kecil" in body
    # On a phone the table's rows become blocks: every value names its region.
    row = body[body.index('data-figure="services"') :]
    row = row[: row.index("</tr>")]
    assert row.count(f'data-label="{world.region_a.name}"') == 1 and row.count(f'data-label="{world.region_b.name}"') == 1
    client.force_login(world.admin_a)  # a region's own staff see the same published figures
    assert (
        client.get(url, {"wilayah": [world.region_a.slug, world.region_b.slug], "periode": "2026"})
        .context["comparison"]
        .columns[0]
        .figures["services"]
        .value
        == 1
    )
    xlsx = client.get(url, {"wilayah": [world.region_a.slug, world.region_b.slug], "periode": "2026", "format": "xlsx"})
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    sheet = book.worksheets[0]
    assert sheet.cell(1, 3).value == world.region_a.name
    assert [c.value for c in sheet[3]][2] == 2  # applications received of Banyuwangi


def test_bad_comparisons_are_explained(client, world, both):
    from pendopo.regions.tests.factories import RegionFactory, regency

    silent = RegionFactory(regency=regency("73.71", "Kota Makassar", "Sulawesi Selatan"))
    url = reverse("insights:compare")
    response = client.get(url, {"wilayah": [world.region_a.slug, silent.slug], "periode": "2026"})
    assert response.status_code == 400 and "belum menerbitkan" in response.content.decode()
    response = client.get(url, {"wilayah": [world.region_a.slug, "tidak-ada"]})
    assert response.status_code == 400 and "tidak-ada" in response.content.decode()
    assert client.get(url, {"wilayah": [world.region_a.slug, world.region_b.slug], "periode": "2026-Q9"}).status_code == 400


def test_the_public_region_page(client, world, both):
    page = client.get(reverse("insights:profile", args=[world.region_a.slug]), {"tahun": "2026"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and 'id="learnt-from"' in body and 'id="taught"' in body
    # The quarters read as Indonesian reports name them, in the chart and in its table.
    assert body.count("Triwulan I 2026") == 2 and body.count("Triwulan IV 2026") == 2 and "2026-Q1" not in body


def test_the_trend_axis_starts_a_round_ten_under_the_lowest_value():
    from pendopo.insights.views import axis_floor
    from pendopo.performance.svg import Series

    assert axis_floor([Series("a", [86.5, None, 92]), Series("b", [74.9, 80])]) == 60.0
    assert axis_floor([Series("a", [4, 50])]) == 0.0
    assert axis_floor([Series("a", [None])]) == 0.0


def test_the_api_gives_the_same_figures(client, world, both):
    response = client.get("/api/v1/insights/compare", {"regions": "banyuwangi,mamuju-tengah", "period": "2026"})
    assert response.status_code == 200
    data = response.json()
    banyuwangi = {f["key"]: f for f in data["regions"][0]["figures"]}
    assert banyuwangi["applications"]["value"] == 2 and banyuwangi["ikm"]["small_sample"]
    assert client.get("/api/v1/insights/compare", {"regions": "banyuwangi,tidak-ada"}).status_code == 404
    assert client.get("/api/v1/insights/compare", {"regions": "banyuwangi,mamuju-tengah", "period": "x"}).status_code == 400


def test_the_public_comparison_counts_only_verified_complaints(world, setup, frozen):  # noqa: F811 -- the imported fixtures
    from pendopo.complaints.models import Complaint, Verification
    from pendopo.complaints.tests.conftest import file

    frozen(wib(2026, 5, 4, 9, 0))
    made = [file(world.region_a, setup.road_a).complaint for _ in range(3)]
    for complaint, verification in zip(made, (Verification.VERIFIED, Verification.PENDING, Verification.REJECTED), strict=True):
        Complaint.objects.filter(pk=complaint.pk).update(first_response_at=wib(2026, 5, 5, 9, 0), verification=verification)
    # Answered, answered on time: the verified one only, as the region's own public statistics count.
    assert figures.complaint_figures([world.region_a], YEAR)[world.region_a.pk] == (1, 1)
