"""Each complaint and its case are read once per request (issue #10 item 3)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pendopo.applications.tests.test_reads import reads
from pendopo.complaints.tests.conftest import file

pytestmark = pytest.mark.django_db


def test_the_complaint_page_and_the_inbox_read_each_case_once(client, world, setup):
    complaint = file(world.region_a, setup.road_a).complaint
    client.force_login(world.admin_a)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(complaint.get_absolute_url())
    assert response.status_code == 200 and complaint.code in response.content.decode()
    assert len(reads(captured, "complaints_complaint")) == 1
    assert len(reads(captured, "workflow_case")) == 1
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("complaints:inbox", args=[world.region_a.slug]))
    assert complaint.code in response.content.decode()
    assert len(reads(captured, "workflow_case")) == 2  # the bounded count and the rows, however many complaints


def test_a_step_reads_the_complaint_once_and_locks_its_case_once(client, world, setup):
    complaint = file(world.region_a, setup.road_a).complaint
    client.force_login(world.admin_a)
    url = reverse("complaints:act", args=[world.region_a.slug, complaint.code])
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, {"action": "verify", "note": "", "version": complaint.case.lock_version})
    assert response.status_code == 302
    assert len(reads(captured, "complaints_complaint")) == 1
    assert len(reads(captured, "workflow_case")) == 2, reads(captured, "workflow_case")
    from pendopo.workflow.models import Case

    assert Case.objects.get(pk=complaint.case_id).lock_version == complaint.case.lock_version + 1  # the step was taken
