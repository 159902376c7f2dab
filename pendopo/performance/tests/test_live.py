"""Live service indicators are the owning apps' own metrics for the same period (one definition)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from pendopo.applications.metrics_views import month_period, service_metrics
from pendopo.applications.tests.test_metrics import february  # noqa: F401 -- the hand-computed February
from pendopo.complaints.tests.conftest import file, setup  # noqa: F401 -- complaint fixtures
from pendopo.performance import live
from pendopo.surveys import indices
from pendopo.surveys.models import SurveyResponse
from pendopo.surveys.periods import Kind, Period
from pendopo.surveys.tests.conftest import answer, services  # noqa: F401 -- survey fixtures

pytestmark = pytest.mark.django_db


def test_on_time_rate_is_the_applications_metric(world, february, plan):  # noqa: F811 -- the imported fixture
    total, _, _ = service_metrics(world.head_a1, world.region_a, month_period(world.region_a, "2026-02"))
    figure = live.realisation_of(plan.on_time, 2026, 1)
    # Honest: 1 on time / (2 completed + 1 open overdue), the open late case counts against it.
    assert figure.value == Fraction(100, 3)
    assert float(figure.value) == pytest.approx(total.on_time_rate * 100)
    assert figure.sample == total.completed + total.open_overdue == 3
    assert live.realisation_of(plan.on_time, 2025, 4).value is None  # no cases: no figure, never 0


def test_ikm_is_the_surveys_index(world, services, plan, frozen):  # noqa: F811 -- the imported fixture
    from pendopo.applications.tests.conftest import wib

    frozen(wib(2026, 5, 4, 10, 0))
    for scores in (4, 3, [4, 4, 4, 4, 4, 3, 3, 3, 2]):
        answer(services.ktp, scores)
    answer(services.vaksin, 1)  # another agency: not counted
    quarter = Period(Kind.QUARTER, 2026, 2)
    [unit] = [
        u
        for u in indices.by_unit(SurveyResponse.objects.filter(region=world.region_a), indices.Level.AGENCY, quarter)
        if u.pk == world.agency_a1.pk
    ]
    figure = live.realisation_of(plan.ikm, 2026, 2)
    assert figure.value == unit.index.converted
    assert figure.sample == 3


def test_complaints_answered_on_time_is_the_complaints_metric(world, setup):  # noqa: F811 -- the imported fixture
    import datetime as dt

    from pendopo.applications.tests.conftest import wib
    from pendopo.complaints import stats
    from pendopo.complaints.models import Complaint
    from pendopo.workflow.models import Case

    received = wib(2026, 5, 4, 9, 0)
    day = dt.timedelta(days=1)
    # Answered after 1, 3 (on its deadline) and 5 days against a 3-day deadline; one not answered yet.
    for answered_after in (1, 3, 5, None):
        complaint = file(world.region_a, setup.road_a).complaint
        Case.objects.filter(pk=complaint.case_id).update(received_at=received)
        Complaint.objects.filter(pk=complaint.pk).update(
            first_response_at=received + answered_after * day if answered_after else None, response_due_at=received + 3 * day
        )
    figure = live.complaints_on_time(world.region_a, world.agency_a1, Period(Kind.QUARTER, 2026, 2))
    assert figure.value == Fraction(200, 3) and figure.sample == 3
    [row] = [
        r for r in stats.agency_stats(world.region_a, Complaint.objects.all()) if r.agency and r.agency.pk == world.agency_a1.pk
    ]
    assert (row.answered, row.answered_on_time) == (3, 2)  # the complaints app's own counts, the same figure
    assert live.complaints_on_time(world.region_a, world.agency_a1, Period(Kind.QUARTER, 2026, 1)).value is None


def test_complaints_rejected_as_spam_are_not_counted_but_those_awaiting_verification_are(world, setup):  # noqa: F811
    import datetime as dt

    from pendopo.applications.tests.conftest import wib
    from pendopo.complaints.models import Complaint, Verification
    from pendopo.workflow.models import Case

    received = wib(2026, 5, 4, 9, 0)
    day = dt.timedelta(days=1)
    for answered_after, verification in ((1, Verification.VERIFIED), (5, Verification.PENDING), (1, Verification.REJECTED)):
        complaint = file(world.region_a, setup.road_a).complaint
        Case.objects.filter(pk=complaint.case_id).update(received_at=received)
        Complaint.objects.filter(pk=complaint.pk).update(
            first_response_at=received + answered_after * day, response_due_at=received + 3 * day, verification=verification
        )
    figure = live.complaints_on_time(world.region_a, world.agency_a1, Period(Kind.QUARTER, 2026, 2))
    # The verified one on time and the pending one late count; the spam report answered on time does not.
    assert figure.value == Fraction(50) and figure.sample == 2
