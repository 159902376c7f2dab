"""The tracking selector: the application in a few small queries (not one join of ten tables, whose
planning cost PostgreSQL about 3 ms), labels from the case's own version, parsed once per process."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from pendopo.applications import actions, selectors
from pendopo.workflow import actions as workflow_actions
from pendopo.workflow.definition import default_service_workflow
from pendopo.workflow.models import clear_published_specs

pytestmark = pytest.mark.django_db


def test_an_open_application_is_read_in_three_queries_once_its_version_is_parsed(world, apply):
    application = actions.take_action(apply(), "receive", world.officer_a1)
    clear_published_specs()
    with CaptureQueriesContext(connection) as cold:
        first = selectors.tracking(application.code)
    with CaptureQueriesContext(connection) as warm:
        again = selectors.tracking(application.code)
    assert len(cold) == 4, [q["sql"] for q in cold]  # the version's definition, the first time only
    assert len(warm) == 3, [q["sql"] for q in warm]
    assert not any("workflow_workflowdefinition" in q["sql"] for q in warm)
    assert first == again
    assert again.service_name == application.service.name
    assert again.agency_name == world.agency_a1.name
    assert again.region.regency.name == world.region_a.regency.name
    assert [step.seq for step in again.steps] == [1, 2]
    assert again.state_label == "Verifikasi berkas"
    with translation.override("en"):
        english = selectors.tracking(application.code)
    assert english.state_label == "Document verification"
    assert english.steps[-1].label == "Receive for verification"


def test_a_case_keeps_the_labels_of_its_own_version_after_a_revision(world, apply):
    old = actions.take_action(apply(), "receive", world.officer_a1)
    definition = old.case.definition
    revised = default_service_workflow()
    next(s for s in revised["states"] if s["key"] == "verification")["label_id"] = "Pemeriksaan berkas"
    workflow_actions.revise_definition(definition, revised)

    new = actions.take_action(apply(), "receive", world.officer_a1)

    assert selectors.tracking(old.code).state_label == "Verifikasi berkas"
    assert selectors.tracking(new.code).state_label == "Pemeriksaan berkas"


def test_an_unknown_or_mistyped_code_finds_nothing(apply):
    apply()
    assert selectors.tracking("BWI-0000-0000") is None
    assert selectors.tracking("not a code") is None


def test_a_completed_application_adds_its_product_and_takes_the_pickup_hours_from_the_cached_calendar(world, apply):
    from django.core.cache import cache

    from pendopo.regions.models import OfficeHours

    OfficeHours.objects.filter(region=world.region_a, service_point=None, weekday=0).update(
        break_starts="12:00", break_ends="13:00"
    )
    application = apply()
    for step, actor in (("receive", world.officer_a1), ("verify", world.officer_a1), ("submit_for_approval", world.officer_a1)):
        application = actions.take_action(application, step, actor)
    application = actions.take_action(application, "approve", world.head_a1)
    selectors.tracking(application.code)  # the version parsed
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        first = selectors.tracking(application.code)
    with CaptureQueriesContext(connection) as warm:
        again = selectors.tracking(application.code)
    assert len(cold) == 6, [q["sql"] for q in cold]  # the calendar's two: office hours, calendar changes
    assert any("regions_officehours" in q["sql"] for q in cold)
    assert len(warm) == 4, [q["sql"] for q in warm]  # the three of an open one, and the standard's product
    assert not any("regions_officehours" in q["sql"] or "regions_calendaroverride" in q["sql"] for q in warm)
    assert first == again
    assert again.product == application.standard.product.strip()
    assert "(istirahat 12:00–13:00)" in again.pickup_hours
