"""Each application and its case are read once per request, however the page is reached (issue #10 item 3)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pendopo.applications import actions

pytestmark = pytest.mark.django_db


def reads(captured, table):
    """The SELECTs reading `table` (as the main table or a join), FOR UPDATE included."""
    pattern = re.compile(rf'(FROM|JOIN) "{table}"')
    return [q["sql"] for q in captured if q["sql"].lstrip().upper().startswith("SELECT") and pattern.search(q["sql"])]


def test_the_application_page_reads_the_application_and_its_case_once(client, world, apply):
    application = apply()
    client.force_login(world.officer_a1)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/permohonan/{application.code}/")
    assert response.status_code == 200 and application.code in response.content.decode()
    assert len(reads(captured, "applications_application")) == 1
    assert len(reads(captured, "workflow_case")) == 1  # joined to the application; the timeline reads only events


def test_a_step_reads_the_application_once_and_locks_its_case_once(client, world, apply):
    application = apply()
    client.force_login(world.officer_a1)
    url = f"/permohonan/{application.code}/langkah/"
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, {"action": "receive", "note": "", "version": application.case.lock_version})
    assert response.status_code == 302
    # The application (with its case) once for the permission check, and the case once more
    # under its row lock: nothing reads either again, not the notification to the applicant.
    assert len(reads(captured, "applications_application")) == 1
    case_reads = reads(captured, "workflow_case")
    assert len(case_reads) == 2, case_reads
    assert sum("FOR UPDATE" in sql for sql in case_reads) == (1 if connection.vendor == "postgresql" else 0)
    application.refresh_from_db()
    assert application.case.state == "verification"


def test_a_step_taken_through_the_action_notifies_the_applicant_without_reading_the_application(world, apply):
    from pendopo.notifications.models import Message

    application = apply()
    before = Message.objects.count()
    with CaptureQueriesContext(connection) as captured:
        actions.take_action(application, "receive", world.officer_a1)
    assert Message.objects.count() > before  # the step was announced
    assert reads(captured, "applications_application") == []
    assert len(reads(captured, "workflow_case")) == 1  # the lock
