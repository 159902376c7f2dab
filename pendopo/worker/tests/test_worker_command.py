"""`pendopo worker` runs enqueued tasks and the periodic jobs on the real database backend."""

from __future__ import annotations

import datetime as dt
import io
import signal
import threading

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from pendopo.worker.management.commands.worker import SCHEDULER_THREAD_NAME
from pendopo.worker.models import PeriodicJob
from pendopo.worker.periodic import periodic
from pendopo.worker.tests import tasks

START = dt.datetime(2025, 3, 3, 1, 0, tzinfo=dt.UTC)


def work(*args: str) -> str:
    """The command's output, in English (its summary is translated)."""
    out = io.StringIO()
    with translation.override("en"):
        call_command("worker", *args, stdout=out)
    return out.getvalue()


@pytest.mark.usefixtures("worker_db")
def test_once_runs_an_enqueued_task():
    result = tasks.record.enqueue("hello")

    output = work("--once")

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "hello"
    assert tasks.CALLS == ["hello"]
    assert "ran 1 task(s)" in output


@pytest.mark.usefixtures("worker_db")
def test_once_enqueues_the_due_periodic_jobs_and_runs_them():
    periodic(name="tests.tick", every=dt.timedelta(minutes=5), task=tasks.tick)

    with time_machine.travel(START, tick=False):
        first = work("--once")
        second = work("--once")

    assert tasks.CALLS == ["tick"]
    assert first.strip() == "Enqueued 1 periodic job(s), ran 1 task(s)."
    assert second.strip() == "Enqueued 0 periodic job(s), ran 0 task(s)."
    [result] = DBTaskResult.objects.filter(task_path="pendopo.worker.tests.tasks.tick")
    assert result.status == TaskResultStatus.SUCCESSFUL


@pytest.mark.usefixtures("worker_db")
def test_a_job_due_while_the_worker_was_down_runs_once_at_start():
    periodic(name="tests.tick", every=dt.timedelta(hours=1), task=tasks.tick)
    PeriodicJob.objects.create(
        name="tests.tick",
        task_path="pendopo.worker.tests.tasks.tick",
        every_seconds=3600,
        next_due_at=START - dt.timedelta(days=2),
    )

    with time_machine.travel(START, tick=False):
        work("--once")
        work("--once")

    assert tasks.CALLS == ["tick"]
    assert PeriodicJob.objects.get().next_due_at == START + dt.timedelta(hours=1)


@pytest.mark.usefixtures("worker_db")
def test_no_scheduler_leaves_the_periodic_jobs_alone():
    periodic(name="tests.tick", every=dt.timedelta(minutes=5), task=tasks.tick)

    work("--once", "--no-scheduler")

    assert tasks.CALLS == []
    assert not PeriodicJob.objects.exists()


@pytest.mark.usefixtures("worker_db")
def test_max_tasks_stops_after_that_many():
    first, second = tasks.record.enqueue("first"), tasks.record.enqueue("second")

    output = work("--once", "--max-tasks", "1")

    first.refresh()
    second.refresh()
    assert (first.status, second.status) == (TaskResultStatus.SUCCESSFUL, TaskResultStatus.READY)
    assert "ran 1 task(s)" in output


@pytest.mark.usefixtures("worker_db")
def test_tasks_deferred_to_later_wait_for_their_time():
    with time_machine.travel(START, tick=False):
        later = tasks.record.using(run_after=START + dt.timedelta(minutes=10)).enqueue("later")
        work("--once")
    later.refresh()
    assert later.status == TaskResultStatus.READY

    with time_machine.travel(START + dt.timedelta(minutes=10), tick=False):
        work("--once")
    later.refresh()
    assert later.status == TaskResultStatus.SUCCESSFUL


@pytest.mark.usefixtures("worker_db")
def test_a_failing_task_is_recorded_and_the_worker_carries_on():
    failing, fine = tasks.needs_an_argument.enqueue(), tasks.record.enqueue("still runs")

    work("--once")

    failing.refresh()
    fine.refresh()
    assert failing.status == TaskResultStatus.FAILED
    assert "TypeError" in failing.errors[0].traceback
    assert fine.status == TaskResultStatus.SUCCESSFUL


@pytest.mark.usefixtures("worker_db")
def test_a_backend_other_than_the_database_is_refused(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    with pytest.raises(CommandError, match="DatabaseBackend"):
        work("--once")


@pytest.mark.parametrize("args", [["--interval", "-1"], ["--max-tasks", "0"], ["--queue-name", ","]])
@pytest.mark.usefixtures("worker_db")
def test_bad_options_are_refused(args):
    with pytest.raises(CommandError):
        work("--once", *args)


@pytest.mark.django_db(transaction=True)
def test_the_running_worker_schedules_in_a_thread_and_runs_what_it_enqueued():
    periodic(name="tests.tick", every=dt.timedelta(minutes=5), task=tasks.tick)
    handlers_before = signal.getsignal(signal.SIGTERM)

    work("--max-tasks", "1", "--interval", "0.05", "--schedule-interval", "0.05")

    assert tasks.CALLS == ["tick"]
    assert PeriodicJob.objects.get().last_enqueued_at is not None
    assert SCHEDULER_THREAD_NAME not in {thread.name for thread in threading.enumerate()}
    assert signal.getsignal(signal.SIGTERM) is handlers_before


@pytest.mark.django_db(transaction=True)
def test_a_task_claimed_while_another_connection_holds_the_lock_runs_once_it_is_released():
    """Another writer holding the database (SQLite) or the task's row (PostgreSQL) only delays the task."""
    result = tasks.record.enqueue("after the lock")
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock() -> None:
        try:
            with exclusive_transaction():  # SQLite: BEGIN EXCLUSIVE, as the worker's own claim
                DBTaskResult.objects.select_for_update().get(id=result.id)  # PostgreSQL: the task's row
                locked.set()
                release.wait(5)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    assert locked.wait(5)
    threading.Timer(1.5, release.set).start()  # past the worker's random start-up delay (< 1 s)

    work("--max-tasks", "1", "--interval", "0.05", "--no-scheduler")
    holder.join()

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert tasks.CALLS == ["after the lock"]
