"""Module-level tasks for the worker's tests (django-tasks imports tasks by their dotted path)."""

from __future__ import annotations

import datetime as dt
import os
import signal

from django_tasks import TaskContext, task

from pendopo.worker.retry import retrying

# What the tasks did, in this process (the tests run the worker in-process).
CALLS: list[str] = []


@task()
def record(value: str) -> str:
    CALLS.append(value)
    return value


@task()
def tick() -> str:
    CALLS.append("tick")
    return "tick"


@task()
def tock() -> str:
    CALLS.append("tock")
    return "tock"


@task()
def needs_an_argument(value: str) -> str:
    return value


@task()
@retrying(max_attempts=3, base_delay=dt.timedelta(minutes=1), factor=2, jitter=0)
def always_fails(key: str) -> None:
    CALLS.append(key)
    raise ConnectionError("mail server unreachable")


@task()
@retrying(max_attempts=5, base_delay=dt.timedelta(seconds=10), jitter=0)
def fails_twice(key: str) -> str:
    CALLS.append(key)
    if CALLS.count(key) <= 2:
        raise ConnectionError("mail server unreachable")
    return "delivered"


@task()
@retrying(max_attempts=5, jitter=0, retry_on=(ConnectionError,))
def fails_for_good(key: str) -> None:
    CALLS.append(key)
    raise ValueError("invalid address")


@task(takes_context=True)
@retrying(max_attempts=2, base_delay=dt.timedelta(minutes=1), jitter=0)
def fails_with_context(context: TaskContext, key: str) -> None:
    CALLS.append(f"{key} attempt {context.attempt}")
    raise ConnectionError("mail server unreachable")


@task()
def stops_the_worker() -> str:
    """Signals the worker while running, as systemd does on `systemctl stop`."""
    os.kill(os.getpid(), signal.SIGTERM)
    CALLS.append("finished after SIGTERM")
    return "finished"
