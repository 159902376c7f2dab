"""The worker's own periodic jobs: keeping the task result table small, re-queuing abandoned tasks."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from pendopo.worker import actions, recovery
from pendopo.worker.periodic import periodic


@periodic(name="worker.prune_task_results", every=dt.timedelta(days=1))
@task()
def prune_task_results() -> int:
    return actions.prune_task_results()


@periodic(name="worker.requeue_abandoned_tasks", every=dt.timedelta(seconds=recovery.recovery_seconds()))
@task()
def requeue_abandoned_tasks() -> int:
    return recovery.requeue_abandoned_tasks()
