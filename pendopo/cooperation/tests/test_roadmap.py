"""The adoption roadmap: states, bad input, the adoption rate both ways, results equal to the apps' own metrics."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pendopo.applications.tests.conftest import apply, frozen, service, wib  # noqa: F401 -- fixtures
from pendopo.cooperation import actions, results, selectors
from pendopo.cooperation.models import Commitment, ResultMetric
from pendopo.surveys import indices
from pendopo.surveys.models import SurveyResponse
from pendopo.surveys.periods import Period
from pendopo.surveys.tests.conftest import answer
from pendopo.workflow.metrics import case_metrics
from pendopo.workflow.models import Case, CaseKind

pytestmark = pytest.mark.django_db


def commit(world, visit, **overrides):
    data = {
        "title": "Mal Pelayanan Publik",
        "owner": world.agency_b1,
        "stage": "2022-Q3",
        "due_on": dt.date(2022, 9, 30),
        "visit": visit,
        "kind": "service",
    }
    data.update(overrides)
    return actions.create_commitment(world.admin_b, world.region_b, **data)


def test_states_and_the_rate_both_ways(world, visit):
    made = [commit(world, visit, title=f"Komitmen {n}") for n in range(8)]
    actions.move_commitment(world.admin_b, made[0], "planned")
    actions.move_commitment(world.admin_b, made[0], "in_progress")
    with pytest.raises(ValidationError):
        actions.move_commitment(world.admin_b, made[0], "adopted")  # no evidence
    actions.move_commitment(world.admin_b, made[0], "adopted", evidence="Perbup 12/2022")
    with pytest.raises(ValidationError):
        actions.move_commitment(world.admin_b, made[1], "adopted", evidence="x")  # proposed cannot jump
    with pytest.raises(ValidationError):
        actions.move_commitment(world.admin_b, made[2], "dropped")  # no reason
    actions.move_commitment(world.admin_b, made[2], "dropped", reason="Anggaran tidak tersedia.")
    rate = selectors.adoption_rate(Commitment.objects.filter(region=world.region_b))
    assert (rate.total, rate.adopted, rate.dropped) == (8, 1, 1)
    assert rate.excluding_dropped == Fraction(1, 7) and rate.over_all == Fraction(1, 8)
    stages = selectors.timeline(list(Commitment.objects.filter(region=world.region_b)))
    assert [row.stage for row in stages] == ["2022-Q3"] and stages[0].rate.adopted == 1
    assert [selectors._stage_order(s) for s in ("2023-Q2", "2023")] == [(2023, 2), (2023, 5)]


def test_bad_commitments_save_nothing(world, visit):
    with pytest.raises(ValidationError) as exc:
        commit(world, visit, owner=None)
    assert "owner" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        commit(world, visit, result_metric="kepuasan_palsu")
    assert "result_metric" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        commit(world, visit, result_metric=ResultMetric.IKM)  # measured on a service: none linked
    assert "result_metric" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        commit(world, visit, stage="next year")
    assert "stage" in exc.value.message_dict
    with pytest.raises(ValidationError):
        commit(world, visit, owner=world.agency_a1)  # another region's agency
    with pytest.raises(PermissionDenied):
        actions.create_commitment(
            world.officer_a1,
            world.region_b,
            title="x",
            owner=world.agency_b1,
            stage="2022",
            due_on=dt.date(2022, 1, 1),
            visit=visit,
        )
    assert Commitment.objects.count() == 0
    assert commit(world, visit, token="x").pk == commit(world, visit, token="x").pk


def _study_visit(world):
    """Banyuwangi asks Mamuju Tengah for a study visit in January 2026."""
    return actions.request_visit(
        world.admin_a,
        world.region_a,
        world.region_b,
        purpose="Belajar",
        starts_on=dt.date(2026, 1, 5),
        ends_on=dt.date(2026, 1, 6),
        delegation="Bupati",
        topics="MPP",
    )


def _adopted(world, visit, on_service, metric):
    """A commitment of the visit on `on_service`, measured by `metric` over six months, adopted on 1 February 2026."""
    commitment = actions.create_commitment(
        world.admin_a,
        world.region_a,
        title=str(metric),
        owner=world.agency_a1,
        stage="2026-Q1",
        due_on=dt.date(2026, 3, 31),
        visit=visit,
        service=on_service,
        result_metric=metric,
        result_months=6,
    )
    for state in ("planned", "in_progress"):
        actions.move_commitment(world.admin_a, commitment, state)
    return actions.move_commitment(world.admin_a, commitment, "adopted", evidence="SK", adopted_on=dt.date(2026, 2, 1))


def test_results_are_the_apps_own_metrics(world, service, apply, frozen):  # noqa: F811 -- the imported fixtures
    frozen(wib(2026, 2, 2, 9, 0))
    visit = _study_visit(world)
    apply()
    apply()
    for scores in (4, 3, [4, 4, 4, 4, 4, 3, 3, 3, 2]):
        answer(service, scores)
    frozen(wib(2026, 4, 1, 9, 0))
    made = {}
    for metric in (ResultMetric.APPLICATIONS, ResultMetric.ON_TIME, ResultMetric.IKM, ResultMetric.COMPLAINTS_ON_TIME):
        made[metric] = _adopted(world, visit, service, metric)
    first, last = dt.date(2026, 2, 1), dt.date(2026, 4, 1)  # cut at today: the six months are not over
    start, end = wib(2026, 2, 1), wib(2026, 4, 2)
    figures = case_metrics(
        Case.objects.filter(region=world.region_a, kind=CaseKind.APPLICATION, application__service=service), start=start, end=end
    )
    got = results.result_of(made[ResultMetric.APPLICATIONS])
    assert got.value == figures.received == 2 and not got.complete and (got.first, got.last) == (first, last)
    got = results.result_of(made[ResultMetric.ON_TIME])
    assert got.sample == figures.completed + figures.open_overdue
    index = indices.index_of(SurveyResponse.objects.filter(service=service), Period.between(first, last))
    got = results.result_of(made[ResultMetric.IKM])
    assert got.value == index.converted and got.sample == index.respondents == 3
    assert results.result_of(made[ResultMetric.COMPLAINTS_ON_TIME]).value is None  # no complaints: no figure, never 0
    assert results.result_of(made[ResultMetric.IKM], today=dt.date(2026, 9, 1)).complete


def test_a_result_whose_service_is_gone_measures_nothing(world, service, apply, frozen):  # noqa: F811 -- the imported fixtures
    """The service of an adopted commitment deleted (the link is set to NULL): no figure, never the region's
    applications without a service."""
    frozen(wib(2026, 2, 2, 9, 0))
    visit = _study_visit(world)
    apply()
    frozen(wib(2026, 4, 1, 9, 0))
    made = []
    for metric in (ResultMetric.APPLICATIONS, ResultMetric.IKM):
        made.append(_adopted(world, visit, service, metric))
    assert results.result_of(made[0]).value == 1  # measured while the service is linked
    Commitment.objects.filter(pk__in=[c.pk for c in made]).update(service=None)
    for commitment in made:
        got = results.result_of(Commitment.objects.get(pk=commitment.pk))
        assert got is not None and got.value is None and got.sample == 0
