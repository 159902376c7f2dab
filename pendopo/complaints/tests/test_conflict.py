"""Two staff members act on one complaint at the same moment, each on their own database connection.

The same conflict handling as applications (pendopo.workflow.engine.lock_failures_as_conflicts):
on SQLite the second meets the first one's write lock, on PostgreSQL it waits on the case's row
lock and then finds the version it loaded gone; either way a 409 with the message in Indonesian.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connections, transaction
from django.urls import reverse
from django.utils import translation

from pendopo.complaints import actions
from pendopo.complaints.models import Complaint
from pendopo.complaints.tests.conftest import file
from pendopo.workflow.engine import apply_action
from pendopo.workflow.errors import Conflict
from pendopo.workflow.models import Case, CaseEvent

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_second_step_at_the_same_moment_is_a_409_in_indonesian(client, world, setup):
    complaint = file(world.region_a, setup.road_a, reporter_email="budi@example.id", user=world.citizen).complaint
    version = complaint.case.lock_version
    holding, done = threading.Event(), threading.Event()
    errors: list[Exception] = []

    def first_admin():
        try:
            with transaction.atomic():
                apply_action(Case.objects.get(pk=complaint.case_id), "verify", world.admin_a)
                holding.set()
                time.sleep(0.5)  # the write lock (SQLite) or row lock (PostgreSQL) is held meanwhile
        except Exception as exc:  # noqa: BLE001 -- reported below
            errors.append(exc)
        finally:
            holding.set()
            done.set()
            connections.close_all()

    mine = Complaint.objects.select_related("case__definition", "region").get(pk=complaint.pk)  # loaded before
    thread = threading.Thread(target=first_admin)
    thread.start()
    assert holding.wait(timeout=20)
    with translation.override("id"), pytest.raises(Conflict) as refused:
        actions.take_action(mine, "verify", world.admin_a, expected_version=version)
    thread.join(timeout=20)

    assert not errors, errors
    assert refused.value.http_status == 409
    assert "Orang lain baru saja mengubah perkara ini" in str(refused.value)
    assert CaseEvent.objects.filter(case_id=complaint.case_id, action="verify").count() == 1


def test_the_page_answers_a_stale_step_with_a_409_in_indonesian(client, world, setup):
    complaint = file(world.region_a, setup.road_a, reporter_email="budi@example.id", user=world.citizen).complaint
    version = complaint.case.lock_version
    apply_action(complaint.case, "verify", world.admin_a)  # someone else, a moment before
    client.force_login(world.admin_a)
    url = reverse("complaints:act", args=[world.region_a.slug, complaint.code])
    response = client.post(url, {"action": "verify", "version": version}, headers={"accept-language": "id"})
    assert response.status_code == 409
    assert "Orang lain baru saja mengubah perkara ini" in response.content.decode()
