"""The scheduler enqueues due periodic jobs once, skips the rest, and catches up once after downtime."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from pendopo.lib import dates
from pendopo.worker import actions
from pendopo.worker.models import PeriodicJob
from pendopo.worker.periodic import periodic
from pendopo.worker.scheduler import next_due_after, run_due_jobs
from pendopo.worker.tests import tasks

pytestmark = pytest.mark.django_db

START = dt.datetime(2025, 3, 3, 1, 0, tzinfo=dt.UTC)  # Monday 08:00 in Banyuwangi
TICK_PATH = "pendopo.worker.tests.tasks.tick"


def enqueued(path: str = TICK_PATH) -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=path).order_by("enqueued_at"))


def test_a_new_job_is_due_at_once_and_enqueued_exactly_once():
    periodic(name="tests.tick", every=dt.timedelta(minutes=5), task=tasks.tick)

    with time_machine.travel(START, tick=False):
        first = run_due_jobs()
        again = run_due_jobs()

    [result] = enqueued()
    assert [(e.name, e.result_id) for e in first] == [("tests.tick", str(result.id))]
    assert again == []
    job = PeriodicJob.objects.get(name="tests.tick")
    assert (job.task_path, job.every_seconds, job.is_enabled) == (TICK_PATH, 300, True)
    assert job.last_enqueued_at == START
    assert job.next_due_at == START + dt.timedelta(minutes=5)
    assert job.last_task_result_id == str(result.id)


def test_a_job_that_is_not_due_is_not_enqueued():
    periodic(name="tests.tick", every=dt.timedelta(minutes=5), task=tasks.tick)
    with time_machine.travel(START, tick=False):
        run_due_jobs()

    with time_machine.travel(START + dt.timedelta(minutes=4, seconds=59), tick=False):
        assert run_due_jobs() == []
    assert len(enqueued()) == 1

    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        assert [e.name for e in run_due_jobs()] == ["tests.tick"]
    assert len(enqueued()) == 2
    assert PeriodicJob.objects.get().next_due_at == START + dt.timedelta(minutes=10)


def test_only_the_due_jobs_among_several_are_enqueued():
    periodic(name="tests.tick", every=dt.timedelta(minutes=5), task=tasks.tick)
    periodic(name="tests.tock", every=dt.timedelta(hours=1), task=tasks.tock)
    with time_machine.travel(START, tick=False):
        run_due_jobs()

    with time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        assert [e.name for e in run_due_jobs()] == ["tests.tick"]

    assert (len(enqueued()), len(enqueued("pendopo.worker.tests.tasks.tock"))) == (2, 1)


def test_a_job_due_while_no_worker_ran_is_enqueued_once_and_keeps_its_rhythm():
    periodic(name="tests.tick", every=dt.timedelta(hours=1), task=tasks.tick)
    # Schedule left by a worker that stopped three days ago, due then at xx:20.
    PeriodicJob.objects.create(
        name="tests.tick", task_path=TICK_PATH, every_seconds=3600, next_due_at=START - dt.timedelta(days=3, minutes=40)
    )

    with time_machine.travel(START, tick=False):
        assert len(run_due_jobs()) == 1
        assert run_due_jobs() == []

    assert len(enqueued()) == 1
    assert PeriodicJob.objects.get().next_due_at == START + dt.timedelta(minutes=20)


def test_the_schedule_survives_a_restart():
    """The state is in the database: a new process neither re-runs nor forgets a job."""
    periodic(name="tests.tick", every=dt.timedelta(hours=1), task=tasks.tick)
    with time_machine.travel(START, tick=False):
        run_due_jobs()

    # Stored state is all a fresh process has: the same rows, read again.
    with time_machine.travel(START + dt.timedelta(minutes=30), tick=False):
        assert run_due_jobs() == []
    with time_machine.travel(START + dt.timedelta(hours=1, seconds=3), tick=False):
        assert len(run_due_jobs()) == 1
    assert len(enqueued()) == 2


def test_a_paused_job_is_not_enqueued():
    periodic(name="tests.tick", every=dt.timedelta(minutes=5), task=tasks.tick)
    PeriodicJob.objects.create(
        name="tests.tick", task_path=TICK_PATH, every_seconds=300, next_due_at=START - dt.timedelta(hours=1), is_enabled=False
    )

    with time_machine.travel(START, tick=False):
        assert run_due_jobs() == []

    assert enqueued() == []


def test_a_job_no_longer_registered_is_left_alone():
    PeriodicJob.objects.create(name="tests.gone", task_path="pendopo.gone.task", every_seconds=60, next_due_at=START)

    with time_machine.travel(START + dt.timedelta(hours=1), tick=False):
        assert run_due_jobs() == []

    assert PeriodicJob.objects.get().last_enqueued_at is None


def test_a_shorter_interval_in_code_takes_effect_at_once():
    PeriodicJob.objects.create(
        name="tests.tick", task_path=TICK_PATH, every_seconds=86400, next_due_at=START + dt.timedelta(hours=20)
    )
    periodic(name="tests.tick", every=dt.timedelta(hours=1), task=tasks.tick)

    with time_machine.travel(START, tick=False):
        assert run_due_jobs() == []

    job = PeriodicJob.objects.get()
    assert (job.every_seconds, job.next_due_at) == (3600, START + dt.timedelta(hours=1))


def test_a_failed_enqueue_leaves_the_job_due_and_the_other_jobs_run(monkeypatch, caplog):
    periodic(name="tests.tick", every=dt.timedelta(minutes=5), task=tasks.tick)
    periodic(name="tests.tock", every=dt.timedelta(minutes=5), task=tasks.tock)
    with time_machine.travel(START, tick=False):
        run_due_jobs()
    real_enqueue = DatabaseBackend.enqueue

    def enqueue_failing_for_tick(self, task, args, kwargs):
        if task.func is tasks.tick.func:
            raise ConnectionError("database went away")
        return real_enqueue(self, task, args, kwargs)

    with monkeypatch.context() as patched, time_machine.travel(START + dt.timedelta(minutes=5), tick=False):
        patched.setattr(DatabaseBackend, "enqueue", enqueue_failing_for_tick)
        assert [e.name for e in run_due_jobs()] == ["tests.tock"]

    assert "Enqueuing periodic job tests.tick failed" in caplog.text
    tick = PeriodicJob.objects.get(name="tests.tick")
    assert (tick.next_due_at, tick.last_enqueued_at) == (START + dt.timedelta(minutes=5), START)
    with time_machine.travel(START + dt.timedelta(minutes=6), tick=False):
        assert [e.name for e in run_due_jobs()] == ["tests.tick"]
    assert len(enqueued()) == 2


def test_run_soon_makes_a_job_due_at_the_next_check():
    periodic(name="tests.tick", every=dt.timedelta(days=1), task=tasks.tick)
    with time_machine.travel(START, tick=False):
        run_due_jobs()

    with time_machine.travel(START + dt.timedelta(hours=2), tick=False):
        assert actions.run_jobs_soon(PeriodicJob.objects.all()) == 1
        assert len(run_due_jobs()) == 1

    assert PeriodicJob.objects.get().next_due_at == START + dt.timedelta(days=1, hours=2)


@pytest.mark.parametrize(
    ("due", "now", "expected"),
    [
        ("10:00", "09:59", "10:00"),  # not due yet: unchanged
        ("10:00", "10:00", "10:05"),
        ("10:00", "10:04", "10:05"),
        ("10:00", "10:05", "10:10"),
        ("10:00", "13:17", "13:20"),  # many runs missed: the next one on the rhythm, once
    ],
)
def test_next_due_after_skips_missed_runs(due, now, expected):
    def at(hhmm: str) -> dt.datetime:
        hours, minutes = map(int, hhmm.split(":"))
        return START.replace(hour=hours, minute=minutes)

    assert next_due_after(at(due), dt.timedelta(minutes=5), at(now)) == at(expected)


def test_new_rows_use_the_one_clock():
    periodic(name="tests.tick", every=dt.timedelta(minutes=5), task=tasks.tick)
    with time_machine.travel(START, tick=False):
        run_due_jobs()
        assert PeriodicJob.objects.get().created_at == dates.now()
