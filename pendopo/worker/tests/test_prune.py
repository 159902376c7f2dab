"""The built-in periodic job worker.prune_task_results keeps the task result table small."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from pendopo.worker import actions, periodic
from pendopo.worker.tests import tasks
from pendopo.worker.tests.conftest import STARTUP_JOBS

pytestmark = pytest.mark.usefixtures("worker_db")

NOW = dt.datetime(2025, 3, 31, 1, 0, tzinfo=dt.UTC)


def finished(value: str, status: TaskResultStatus, days_ago: int) -> str:
    result = tasks.record.enqueue(value)
    DBTaskResult.objects.filter(id=result.id).update(status=status, finished_at=NOW - dt.timedelta(days=days_ago))
    return value


def remaining() -> set[str]:
    return {r.args_kwargs["args"][0] for r in DBTaskResult.objects.filter(task_path="pendopo.worker.tests.tasks.record")}


@pytest.fixture
def results():
    finished("old success", TaskResultStatus.SUCCESSFUL, 15)
    finished("recent success", TaskResultStatus.SUCCESSFUL, 13)
    finished("old failure", TaskResultStatus.FAILED, 31)
    finished("recent failure", TaskResultStatus.FAILED, 20)
    tasks.record.enqueue("ready")


def test_prune_deletes_finished_results_past_their_retention(results):
    with time_machine.travel(NOW, tick=False):
        deleted = actions.prune_task_results()

    assert deleted == 2
    assert remaining() == {"recent success", "recent failure", "ready"}


def test_the_worker_prunes_on_its_own_schedule(results, monkeypatch):
    prune = STARTUP_JOBS["worker.prune_task_results"]
    monkeypatch.setattr(periodic, "_REGISTRY", {prune.name: prune})

    with time_machine.travel(NOW, tick=False):
        call_command("worker", "--once", "--max-tasks", "1", stdout=io.StringIO())

    assert remaining() == {"recent success", "recent failure", "ready"}
    [run] = DBTaskResult.objects.filter(task_path="pendopo.worker.tasks.prune_task_results")
    assert (run.status, run.return_value) == (TaskResultStatus.SUCCESSFUL, 2)
