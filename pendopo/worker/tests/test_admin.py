"""Periodic jobs in the admin: platform administrators only."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from pendopo.worker.models import PeriodicJob

START = dt.datetime(2025, 3, 3, 1, 0, tzinfo=dt.UTC)


@pytest.fixture
def job(db):
    return PeriodicJob.objects.create(
        name="workflow.sweep_overdue",
        task_path="pendopo.workflow.tasks.sweep_overdue",
        every_seconds=300,
        next_due_at=START + dt.timedelta(hours=1),
    )


def test_platform_admin_lists_and_opens_the_jobs(client, world, job, django_assert_max_num_queries):
    client.force_login(world.platform_admin)

    with django_assert_max_num_queries(8):
        listing = client.get(reverse("admin:worker_periodicjob_changelist"))
    page = client.get(reverse("admin:worker_periodicjob_change", args=[job.pk]))

    assert listing.status_code == 200
    assert "workflow.sweep_overdue" in listing.text
    assert "0:05:00" in listing.text
    assert page.status_code == 200


def test_platform_admin_can_pause_a_job_but_not_change_its_task(client, world, job):
    client.force_login(world.platform_admin)

    response = client.post(
        reverse("admin:worker_periodicjob_change", args=[job.pk]),
        {
            "is_enabled": "",
            "next_due_at_0": "2025-03-03",
            "next_due_at_1": "09:00:00",
            "task_path": "os.system",
            "every_seconds": "1",
        },
    )

    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.is_enabled, job.task_path, job.every_seconds) == (False, "pendopo.workflow.tasks.sweep_overdue", 300)


def test_run_soon_action_makes_the_job_due_now(client, world, job):
    client.force_login(world.platform_admin)

    with time_machine.travel(START, tick=False):
        response = client.post(
            reverse("admin:worker_periodicjob_changelist"), {"action": "run_soon", "_selected_action": [job.pk]}
        )

    assert response.status_code == 302
    job.refresh_from_db()
    assert job.next_due_at == START


def test_nobody_adds_jobs_by_hand(client, world, job):
    client.force_login(world.platform_admin)

    assert client.get(reverse("admin:worker_periodicjob_add")).status_code == 403


@pytest.mark.parametrize("persona", ["admin_a", "admin_b"])
def test_region_admins_do_not_see_the_jobs(client, world, job, persona):
    client.force_login(getattr(world, persona))

    index = client.get(reverse("admin:index"))
    assert index.status_code == 200
    assert "workflow.sweep_overdue" not in index.text
    assert reverse("admin:worker_periodicjob_changelist") not in index.text
    assert client.get(reverse("admin:worker_periodicjob_changelist")).status_code == 403
    assert client.get(reverse("admin:worker_periodicjob_change", args=[job.pk])).status_code == 403
    assert (
        client.post(
            reverse("admin:worker_periodicjob_changelist"), {"action": "run_soon", "_selected_action": [job.pk]}
        ).status_code
        == 403
    )
    job.refresh_from_db()
    assert job.next_due_at == START + dt.timedelta(hours=1)


@pytest.mark.parametrize("persona", ["officer_a1", "citizen"])
def test_other_users_are_sent_to_the_login(client, world, job, persona):
    client.force_login(getattr(world, persona))

    response = client.get(reverse("admin:worker_periodicjob_changelist"))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
