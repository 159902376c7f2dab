"""A failing task is retried with exponential backoff until its maximum number of attempts."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from pendopo.worker.retry import RETRY_ATTEMPT_KWARG, Backoff, enqueue_retry
from pendopo.worker.tests import tasks

START = dt.datetime(2025, 3, 3, 1, 0, tzinfo=dt.UTC)


def results(path: str) -> list[DBTaskResult]:
    """The runs of a task in the order of their attempts (frozen time enqueues them all at one moment)."""
    found = DBTaskResult.objects.filter(task_path=f"pendopo.worker.tests.tasks.{path}")
    return sorted(found, key=lambda r: r.args_kwargs["kwargs"].get(RETRY_ATTEMPT_KWARG, 1))


def work_at(moment: dt.datetime) -> None:
    with time_machine.travel(moment, tick=False):
        call_command("worker", "--once", "--no-scheduler", stdout=io.StringIO())


def test_the_delay_doubles_up_to_the_maximum():
    backoff = Backoff(base_delay=dt.timedelta(seconds=30), max_delay=dt.timedelta(minutes=3), jitter=0)

    assert [backoff.delay(n).total_seconds() for n in range(1, 6)] == [30, 60, 120, 180, 180]


def test_jitter_spreads_the_delay_within_its_fraction():
    backoff = Backoff(base_delay=dt.timedelta(seconds=100), jitter=0.1)

    delays = {backoff.delay(1).total_seconds() for _ in range(50)}
    assert all(90 <= d <= 110 for d in delays)
    assert len(delays) > 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_attempts": 0},
        {"base_delay": dt.timedelta(0)},
        {"base_delay": dt.timedelta(hours=2), "max_delay": dt.timedelta(hours=1)},
        {"factor": 0.5},
        {"jitter": 1.0},
    ],
)
def test_nonsense_backoffs_are_refused(kwargs):
    with pytest.raises(ValueError):
        Backoff(**kwargs)


@pytest.mark.usefixtures("worker_db")
def test_enqueue_retry_defers_the_task_with_its_arguments_until_the_last_attempt():
    backoff = Backoff(max_attempts=3, base_delay=dt.timedelta(minutes=2), jitter=0)

    with time_machine.travel(START, tick=False):
        second = enqueue_retry(tasks.record, attempt=1, args=["again"], backoff=backoff)
        third = enqueue_retry(tasks.record, attempt=2, args=["again"], backoff=backoff)
        fourth = enqueue_retry(tasks.record, attempt=3, args=["again"], backoff=backoff)

    assert second.args == ["again"]
    assert second.task.run_after == START + dt.timedelta(minutes=2)
    assert third.task.run_after == START + dt.timedelta(minutes=4)
    assert fourth is None
    assert len(results("record")) == 2


@pytest.mark.usefixtures("worker_db")
def test_a_failing_task_is_retried_with_backoff_until_max_attempts():
    with time_machine.travel(START, tick=False):
        tasks.always_fails.enqueue("message-1")

    work_at(START)
    first, second = results("always_fails")
    assert first.status == TaskResultStatus.FAILED
    assert "ConnectionError" in first.traceback
    assert second.status == TaskResultStatus.READY
    assert second.run_after == START + dt.timedelta(minutes=1)
    assert second.args_kwargs == {"args": ["message-1"], "kwargs": {RETRY_ATTEMPT_KWARG: 2}}

    work_at(START + dt.timedelta(seconds=59))  # not yet
    assert tasks.CALLS == ["message-1"]

    work_at(START + dt.timedelta(minutes=1))
    third = results("always_fails")[2]
    assert third.run_after == START + dt.timedelta(minutes=1 + 2)
    assert third.args_kwargs["kwargs"] == {RETRY_ATTEMPT_KWARG: 3}

    work_at(START + dt.timedelta(minutes=3))
    work_at(START + dt.timedelta(days=1))

    assert tasks.CALLS == ["message-1"] * 3
    assert [r.status for r in results("always_fails")] == [TaskResultStatus.FAILED] * 3


@pytest.mark.usefixtures("worker_db")
def test_retries_stop_when_an_attempt_succeeds():
    with time_machine.travel(START, tick=False):
        tasks.fails_twice.enqueue("message-2")
    work_at(START)
    work_at(START + dt.timedelta(seconds=10))
    work_at(START + dt.timedelta(seconds=10 + 20))
    work_at(START + dt.timedelta(days=1))

    assert [r.status for r in results("fails_twice")] == [
        TaskResultStatus.FAILED,
        TaskResultStatus.FAILED,
        TaskResultStatus.SUCCESSFUL,
    ]
    assert results("fails_twice")[-1].return_value == "delivered"


@pytest.mark.usefixtures("worker_db")
def test_errors_outside_retry_on_are_not_retried():
    tasks.fails_for_good.enqueue("message-3")

    work_at(START)
    work_at(START + dt.timedelta(days=1))

    assert [r.status for r in results("fails_for_good")] == [TaskResultStatus.FAILED]


@pytest.mark.usefixtures("worker_db")
def test_a_retry_keeps_the_priority_the_task_was_enqueued_with():
    with time_machine.travel(START, tick=False):
        tasks.always_fails.using(priority=7).enqueue("urgent")
    work_at(START)

    assert [r.priority for r in results("always_fails")] == [7, 7]


@pytest.mark.usefixtures("worker_db")
def test_tasks_taking_the_context_are_retried_with_their_own_arguments():
    tasks.fails_with_context.enqueue("message-4")

    work_at(START)
    work_at(START + dt.timedelta(minutes=1))
    work_at(START + dt.timedelta(days=1))

    first, second = results("fails_with_context")
    assert second.args_kwargs == {"args": ["message-4"], "kwargs": {RETRY_ATTEMPT_KWARG: 2}}
    assert [first.status, second.status] == [TaskResultStatus.FAILED, TaskResultStatus.FAILED]
    assert tasks.CALLS == ["message-4 attempt 1", "message-4 attempt 1"]


@pytest.mark.usefixtures("worker_db")
def test_calling_the_function_directly_runs_it_once_and_raises():
    with pytest.raises(ConnectionError):
        tasks.always_fails.call("direct")

    assert tasks.CALLS == ["direct"]
    assert results("always_fails") == []
