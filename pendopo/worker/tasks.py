"""The worker's own periodic job: keeping the task result table small."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from pendopo.worker import actions
from pendopo.worker.periodic import periodic


@periodic(name="worker.prune_task_results", every=dt.timedelta(days=1))
@task()
def prune_task_results() -> int:
    return actions.prune_task_results()
