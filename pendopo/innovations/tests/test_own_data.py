"""Rows 28, 29 and 34 filled from Pendopo's own data: the levels at their edges, and the owning apps' figures."""

from __future__ import annotations

from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import translation

from pendopo.catalog import actions as catalog_actions
from pendopo.catalog.models import Service
from pendopo.catalog.tests.factories import make_service, standard_data
from pendopo.complaints import actions as complaint_actions
from pendopo.complaints.models import ComplaintCategory
from pendopo.innovations import actions, catalogue, own_data, scoring
from pendopo.innovations.catalogue import SID
from pendopo.innovations.tests.conftest import MANDATORY, NOW, filled, verified
from pendopo.surveys import indices
from pendopo.surveys.ikm import round_half_up
from pendopo.surveys.models import SurveyResponse
from pendopo.surveys.periods import Kind, Period
from pendopo.surveys.tests.conftest import answer
from pendopo.workflow import metrics
from pendopo.workflow.models import Case, CaseKind

pytestmark = pytest.mark.django_db
P2026 = catalogue.period(2026)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _service(world, code: str, value: int, unit: str = "working_days") -> Service:
    return make_service(
        world.admin_a,
        world.agency_a1,
        code=code,
        name=f"Layanan {code}",
        standard=standard_data(time_limit_value=value, time_limit_unit=unit),
    )


def _linked(world, *services: Service, **overrides):
    innovation = filled(world.officer_a1, world.region_a, world.agency_a1, **overrides)
    innovation.services.set(services)
    return innovation


@pytest.mark.parametrize(
    ("value", "unit", "level"),
    [(1, "working_days", 3), (2, "working_days", 2), (5, "working_days", 2), (6, "working_days", 1), (30, "minutes", 3)],
)
def test_row_28_reads_the_service_standards_time_limit(world, value, unit, level):
    service = _service(world, "AKTA", value, unit)
    innovation = _linked(world, service)
    [figure] = own_data.service_time(P2026, [innovation]).values()
    assert figure.level == level
    assert service.name in figure.source
    assert figure.url == service.get_absolute_url()


def test_row_28_takes_the_slowest_linked_service_and_follows_a_new_standard(world):
    fast, slow = _service(world, "A", 1), _service(world, "B", 3)
    innovation = _linked(world, fast, slow)
    figure = own_data.service_time(P2026, [innovation])[innovation.pk]
    assert (figure.level, figure.value) == (2, 3)
    assert "3 working days" in figure.source and "Layanan B" in figure.source
    # The standard changes (a new version is published): the next read follows it.
    draft = catalog_actions.start_draft(world.admin_a, slow)
    catalog_actions.update_draft(world.admin_a, draft, {"time_limit_value": 1})
    catalog_actions.publish_standard(world.admin_a, draft)
    assert own_data.service_time(P2026, [innovation])[innovation.pk].level == 3


def test_no_linked_service_leaves_the_hand_entry(world):
    innovation = filled(world.officer_a1, world.region_a, world.agency_a1, rows={"28": 3})
    assert own_data.figures(P2026, [innovation]) == {}


def _complaints(world, service: Service, received: int, resolved: int) -> None:
    category = ComplaintCategory.objects.create(
        region=world.region_a, code=f"C-{service.code}", name="Akta", agency=world.agency_a1, service=service
    )
    for n in range(received):
        filed = complaint_actions.file_complaint(
            world.region_a, complaint_actions.Filing(category=category, description=f"Pengaduan nomor {n} tentang akta.")
        )
        if n < resolved:
            Case.objects.filter(pk=filed.complaint.case_id).update(state="resolved", closed_at=NOW, outcome="completed")


@pytest.mark.parametrize(
    ("received", "resolved", "level", "share"),
    [(0, 0, 1, None), (2, 1, 1, 50), (3, 2, 2, 67), (10, 9, 2, 90), (11, 10, 3, 91), (4, 4, 3, 100)],
)
def test_row_29_is_the_share_resolved_at_the_edges(world, received, resolved, level, share):
    service = _service(world, "AKTA", 3)
    _complaints(world, service, received, resolved)
    innovation = _linked(world, service)
    figure = own_data.complaint_resolution(P2026, [innovation])[innovation.pk]
    assert (figure.level, figure.value) == (level, share)
    # The same figure as the workflow's own metric of those complaints.
    cases = Case.objects.filter(region=world.region_a, kind=CaseKind.COMPLAINT, complaint__category__service=service)
    total = metrics.case_metrics(cases)
    assert total.received == received and total.completed == resolved
    if received:
        assert figure.value == round_half_up(Fraction(total.completed, total.received) * 100, 0)
        assert f"{resolved} of {received} resolved" in figure.source


def test_row_29_needs_a_complaint_channel_in_pendopo(world):
    innovation = _linked(world, _service(world, "AKTA", 3))
    assert innovation.pk not in own_data.complaint_resolution(P2026, [innovation])


def test_row_34_is_the_linked_services_skm_report(world):
    service = _service(world, "AKTA", 3)
    innovation = _linked(world, service)
    assert innovation.pk not in own_data.skm_report(P2026, [innovation])  # no report: the hand entry stays
    for scores in (4, 3, 4):
        answer(service, scores)
    figure = own_data.skm_report(P2026, [innovation])[innovation.pk]
    assert figure.level == 2
    [report] = indices.by_unit(SurveyResponse.objects.filter(service=service), indices.Level.SERVICE, Period(Kind.YEAR, 2026))
    assert f"IKM {report.index.display()['converted']}" in figure.source
    assert "3 respondents" in figure.source
    assert figure.url.endswith(f"?layanan={service.code}&periode=2026")


def test_the_index_counts_own_data_over_the_hand_entry(world):
    service = _service(world, "AKTA", 6)  # level 1 from the standard
    innovation = verified(world.officer_a1, world.admin_a, world.region_a, world.agency_a1)
    base = scoring.region_index(world.region_a, 2026).entries[0]
    innovation.services.set([service])
    entry = scoring.region_index(world.region_a, 2026).entries[0]
    weight = P2026.indicator(SID, "28").weight
    assert entry.claimed == base.claimed + weight * 1
    assert entry.verified == base.verified + weight * 1
    assert entry.own["28"].level == 1


def test_a_hand_entry_of_an_own_data_row_is_replaced(world):
    service = _service(world, "AKTA", 1)
    innovation = filled(world.officer_a1, world.region_a, world.agency_a1, rows={"28": 1})
    innovation.services.set([service])
    actions.submit(world.officer_a1, innovation)
    entry = scoring.region_index(world.region_a, 2026).entries[0]
    assert entry.own["28"].level == 3
    hand, own = P2026.indicator(SID, "28").score(1), P2026.indicator(SID, "28").score(3)
    mandatory = sum(P2026.indicator(SID, c).score(v) for c, v in MANDATORY.items())
    assert entry.claimed == mandatory + own != mandatory + hand


def test_a_row_filled_from_own_data_is_not_entered_and_needs_no_verdict(world):
    from django.core.exceptions import ValidationError

    from pendopo.innovations.models import Score
    from pendopo.innovations.tests.conftest import evidence

    service = _service(world, "AKTA", 2)
    innovation = filled(world.officer_a1, world.region_a, world.agency_a1, rows={"28": 3})  # entered before the link
    innovation.services.set([service])
    with pytest.raises(ValidationError) as caught:
        actions.save_score(world.officer_a1, innovation, 2026, SID, "28", evidence(3))
    assert "filled from Pendopo's own data" in str(caught.value)
    assert Score.objects.get(innovation=innovation, indicator="28").level == 3  # nothing changed
    actions.submit(world.officer_a1, innovation)
    for score in innovation.scores.exclude(indicator="28"):
        actions.verify_row(world.admin_a, score, "accepted")
    actions.finish_verification(world.admin_a, innovation, approve=True)  # row 28 waits for nothing
    entry = scoring.region_index(world.region_a, 2026).entries[0]
    assert entry.counts_verified and entry.own["28"].level == 2


def test_the_api_lists_own_data_rows_with_their_source(client, world):

    service = _service(world, "AKTA", 4)
    innovation = verified(world.officer_a1, world.admin_a, world.region_a, world.agency_a1)
    innovation.services.set([service])
    path = f"/api/v1/innovations/{world.region_a.regency_id}/register/{innovation.code}/scores"
    rows = {row["indicator"]: row for row in client.get(path).json()}
    assert rows["28"]["level"] == 2 and rows["28"]["score"] == "4.00" and rows["28"]["verdict"] == "pendopo"
    assert rows["28"]["evidence_url"].endswith(reverse("catalog:service", args=[world.region_a.slug, "AKTA"]))
    assert "Layanan AKTA" in rows["28"]["source"]


def test_the_rows_page_shows_the_source_instead_of_the_hand_entry(client, world):
    service = _service(world, "AKTA", 1)
    innovation = filled(world.officer_a1, world.region_a, world.agency_a1, rows={"28": 1})
    innovation.services.set([service])
    client.force_login(world.officer_a1)
    page = client.get(reverse("innovations:scores", args=[world.region_a.slug, innovation.code]))
    assert page.status_code == 200
    row = page.content.decode().split('id="row28"')[1].split("</tr>")[0]
    assert "dari Pendopo: standar pelayanan Layanan AKTA, 1 hari kerja" in row  # the page speaks Indonesian
    assert service.get_absolute_url() in row
    assert "<form" not in row and "188/123/KEP" not in row  # no hand form, no stale evidence
