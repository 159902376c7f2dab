"""Several workers checking at the same moment enqueue a due job exactly once.

Each scheduler runs in its own thread with its own database connection (committed data, hence
transactional_db), on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection
from django_tasks_db.models import DBTaskResult

from pendopo.worker import scheduler
from pendopo.worker.models import PeriodicJob
from pendopo.worker.periodic import periodic
from pendopo.worker.tests import tasks

pytestmark = pytest.mark.django_db(transaction=True)

START = dt.datetime(2025, 3, 3, 1, 0, tzinfo=dt.UTC)


def run_schedulers(count: int, rounds: int = 3) -> list[scheduler.Enqueued]:
    """Run `count` schedulers at once, each in a thread of its own, `rounds` times; return all they enqueued.

    Every round happens at the same frozen moment, so a job enqueued in one round is not due in
    the next: the total counts how often a run was enqueued. (On SQLite's shared in-memory test
    database a scheduler may find the database locked and leave the job to the next check, as in
    production, hence several rounds.)
    """
    enqueued: list[scheduler.Enqueued] = []
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def one() -> None:
        try:
            start.wait(timeout=10)
            enqueued.extend(scheduler.run_due_jobs())
        except BaseException as exc:  # noqa: BLE001 -- a thread's error is re-raised by the assert below
            errors.append(exc)
        finally:
            connection.close()

    for _ in range(rounds):
        threads = [threading.Thread(target=one) for _ in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert not errors, errors
    return enqueued


@pytest.fixture
def due_job():
    periodic(name="tests.tick", every=dt.timedelta(minutes=5), task=tasks.tick)
    PeriodicJob.objects.create(
        name="tests.tick",
        task_path="pendopo.worker.tests.tasks.tick",
        every_seconds=300,
        next_due_at=START - dt.timedelta(minutes=1),
    )


def test_two_schedulers_that_both_saw_the_job_due_enqueue_it_once(due_job, monkeypatch):
    # Force the race: neither scheduler claims before both have read the job as due.
    both_have_read = threading.Barrier(2)
    read_jobs = scheduler._sync

    def read_then_wait(specs, now):
        try:
            return read_jobs(specs, now)
        finally:
            both_have_read.wait(timeout=10)

    monkeypatch.setattr(scheduler, "_sync", read_then_wait)

    with time_machine.travel(START, tick=False):
        enqueued = run_schedulers(2)

    assert [e.name for e in enqueued] == ["tests.tick"]
    [result] = DBTaskResult.objects.filter(task_path="pendopo.worker.tests.tasks.tick")
    job = PeriodicJob.objects.get()
    assert job.last_task_result_id == str(result.id)
    assert job.next_due_at == START + dt.timedelta(minutes=4)


def test_many_schedulers_ticking_together_enqueue_a_due_job_once(due_job):
    with time_machine.travel(START, tick=False):
        enqueued = run_schedulers(8)

    assert [e.name for e in enqueued] == ["tests.tick"]
    assert DBTaskResult.objects.filter(task_path="pendopo.worker.tests.tasks.tick").count() == 1


def test_schedulers_creating_a_new_job_together_keep_one_row_and_one_run():
    periodic(name="tests.tick", every=dt.timedelta(minutes=5), task=tasks.tick)

    with time_machine.travel(START, tick=False):
        enqueued = run_schedulers(4)

    assert PeriodicJob.objects.filter(name="tests.tick").count() == 1
    assert [e.name for e in enqueued] == ["tests.tick"]
    assert DBTaskResult.objects.filter(task_path="pendopo.worker.tests.tasks.tick").count() == 1
