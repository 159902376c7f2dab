"""A task left RUNNING by a worker that died is put back in the queue after the task lease."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from pendopo.worker import periodic, recovery
from pendopo.worker.tests import tasks
from pendopo.worker.tests.conftest import STARTUP_JOBS

pytestmark = pytest.mark.usefixtures("worker_db")

NOW = dt.datetime(2026, 12, 4, 1, 0, tzinfo=dt.UTC)


def abandoned(value: str, seconds_ago: int) -> str:
    """What `kill -9` of the worker running this task leaves behind."""
    result = tasks.record.enqueue(value)
    DBTaskResult.objects.filter(id=result.id).update(
        status=TaskResultStatus.RUNNING, started_at=NOW - dt.timedelta(seconds=seconds_ago), worker_ids=["dead-1"]
    )
    return str(result.id)


def test_a_task_running_past_the_lease_is_requeued_and_run_once(settings):
    settings.PENDOPO_WORKER_TASK_LEASE_SECONDS = 30
    old, recent = abandoned("old", 31), abandoned("recent", 29)
    with time_machine.travel(NOW, tick=False):
        assert recovery.requeue_abandoned_tasks() == 1
        assert recovery.requeue_abandoned_tasks() == 0
        call_command("worker", "--once", "--no-scheduler", stdout=io.StringIO())
    assert tasks.CALLS == ["old"]
    assert DBTaskResult.objects.get(id=old).status == TaskResultStatus.SUCCESSFUL
    assert DBTaskResult.objects.get(id=old).worker_ids[0] == "dead-1"
    assert DBTaskResult.objects.get(id=recent).status == TaskResultStatus.RUNNING


def test_finished_and_ready_tasks_are_left_alone():
    ready = tasks.record.enqueue("ready")
    done = tasks.record.enqueue("done")
    DBTaskResult.objects.filter(id=done.id).update(status=TaskResultStatus.SUCCESSFUL, started_at=NOW - dt.timedelta(days=1))
    with time_machine.travel(NOW, tick=False):
        assert recovery.requeue_abandoned_tasks() == 0
    assert DBTaskResult.objects.get(id=ready.id).status == TaskResultStatus.READY
    assert DBTaskResult.objects.get(id=done.id).status == TaskResultStatus.SUCCESSFUL


def test_the_recovery_is_a_periodic_job_of_the_worker(monkeypatch):
    job = STARTUP_JOBS["worker.requeue_abandoned_tasks"]
    assert job.every == dt.timedelta(seconds=60)
    monkeypatch.setattr(periodic, "_REGISTRY", {job.name: job})
    abandoned("old", 601)
    with time_machine.travel(NOW, tick=False):
        call_command("worker", "--once", stdout=io.StringIO())
    [run] = DBTaskResult.objects.filter(task_path="pendopo.worker.tasks.requeue_abandoned_tasks")
    assert (run.status, run.return_value) == (TaskResultStatus.SUCCESSFUL, 1)
    assert tasks.CALLS == ["old"]
